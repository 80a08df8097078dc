"""A run that outgrows its memory bound or its disk is the machine's limit, not a bug in jaga: say which
limit, and what to change, instead of an internal error. DuckDB raises these inside Splink, which wraps
them in its own exception, so the whole chain of causes is read."""

from __future__ import annotations

import errno

import duckdb

from jaga.errors import Unavailable

_DISK_FULL = ("No space left on device", "max_temp_directory_size")


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def resource_problem(exc: BaseException, *, memory_limit: str) -> Unavailable | None:
    """The clear error for a run stopped by memory or disk, or None when `exc` is something else."""
    for cause in _chain(exc):
        text = str(cause)
        if (isinstance(cause, OSError) and cause.errno == errno.ENOSPC) or any(t in text for t in _DISK_FULL):
            return Unavailable(
                "the run's temporary folder ran out of disk space (DuckDB spills there beyond the memory "
                "bound): free space there, or point TMPDIR at a larger disk; docs/linkage.md, 'Scale', "
                "says how much a run of this size needs"
            )
        if isinstance(cause, duckdb.OutOfMemoryException):
            return Unavailable(
                f"the run needed more memory than --memory-limit {memory_limit} allows DuckDB (half of it): "
                "give a larger --memory-limit"
            )
    return None
