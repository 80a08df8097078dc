"""A run stopped by the disk or the memory bound is told apart from a bug, on DuckDB's own errors: a write
to /dev/full (ENOSPC) and a query over a tiny memory limit, raised as Splink raises them (wrapped)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from splink.internals.exceptions import SplinkException

from jaga.linkage.resources import resource_problem


def _wrapped(sql: str, **config: str) -> BaseException:
    con = duckdb.connect(config=config)
    try:
        try:
            con.execute(sql).fetchall()
        except duckdb.Error as exc:
            raise SplinkException("Error executing the following sql") from exc
    except SplinkException as exc:
        return exc
    finally:
        con.close()
    pytest.fail(f"DuckDB ran {sql!r} without an error")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_disk_is_named_with_what_to_do() -> None:
    exc = _wrapped("COPY (SELECT * FROM range(100000)) TO '/dev/full' (FORMAT csv)")
    problem = resource_problem(exc, memory_limit="4GiB")
    assert problem is not None and problem.exit_code == 7
    assert "ran out of disk space" in str(problem) and "TMPDIR" in str(problem)


def test_the_memory_bound_is_named_with_what_to_do() -> None:
    exc = _wrapped("SELECT * FROM range(20000000) t(i) ORDER BY hash(i)", memory_limit="20MB", threads="1")
    problem = resource_problem(exc, memory_limit="40MiB")
    assert problem is not None and "--memory-limit 40MiB" in str(problem)


def test_any_other_error_is_left_alone() -> None:
    exc = _wrapped("SELEC 1")
    assert resource_problem(exc, memory_limit="4GiB") is None
