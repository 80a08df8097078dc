"""`jaga field sync --request-deadline`: a link that trickles the answer one byte at a time, each byte
well inside `--timeout`, would hold a request for minutes; the deadline ends the run (exit 7) and puts
the chunk back to pending. The real command, the real server (`jaga serve`) and a real TCP proxy."""

from __future__ import annotations

import subprocess
from pathlib import Path

from jaga.field import Node
from jaga.field.node import record
from tests.cli_helpers import jaga_process
from tests.conftest import PreparedDatabase
from tests.field.conftest import NOW, OFFICER, mother_row
from tests.field.net import ChaosProxy, JagaServer
from tests.field.test_proxy_sync import enrol_over_cli, outbox_states

RECORDS = 5
TIMEOUT = 2  # each byte arrives within it: only the whole-request deadline can end the request
DEADLINE = 3


def test_an_answer_trickled_inside_the_timeout_ends_at_the_request_deadline(
    database: PreparedDatabase, throwaway_url: str, node: Node, tmp_path: Path
) -> None:
    url = throwaway_url
    enrol_over_cli(url, database, node)
    record(node, "people", [mother_row(serial=n) for n in range(1, RECORDS + 1)], officer=OFFICER,
           now=NOW, from_file=False)  # fmt: skip
    with (
        JagaServer(url, tmp_path) as server,
        ChaosProxy(server.port, seed=1, weights={"trickle": 1}, trickle_seconds=TIMEOUT / 2) as proxy,
    ):
        process = jaga_process(url, "field", "sync", "--dir", str(node.folder), "--server", proxy.url,
                               "--timeout", str(TIMEOUT), "--request-deadline", str(DEADLINE),
                               token=database.tokens[OFFICER], data_dir=node.folder.parent)  # fmt: skip
        # The trickled answer is hundreds of bytes, a second apart: without the deadline this waits
        # minutes, and the test fails here rather than hang (checked: with a deadline of 1000 s it does).
        try:
            stdout, stderr = process.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise AssertionError("`jaga field sync` was still running after 90 s") from None
    assert proxy.fates["trickle"] == 1
    assert process.returncode == 7, stdout + stderr
    assert "TimeoutError" in stdout + stderr
    assert outbox_states(url, node.folder) == ["pending"] * RECORDS  # nothing left `sending`
