"""Schemathesis against a real `jaga serve` on a registry filled by `jaga synth`, with a token of every role:
whatever a client sends, no answer is a 5xx and every answer is one the OpenAPI document describes.

Every check is on (`--checks all`: server errors, status codes, content types, headers and bodies against
the schema, requests the schema forbids that the server accepts, unsupported methods and their `Allow`,
ignored authentication, ...), on SQLite and on PostgreSQL. The registry is a synthetic province that went
through the whole pipeline (linkage, flags, a certificate, the log), so reads meet real rows.

The normal run is a short pass: one schemathesis run per database, examples and two generated cases per
operation, each request with the next role's token in turn (tests/app/fuzz_every_role.py): a couple of
hundred requests. The long pass, on demand, runs every phase (examples, coverage, fuzzing, stateful) as
each role in turn, with N generated cases per operation:

    JAGA_FUZZ_EXAMPLES=5 pytest tests/app/test_schemathesis.py -s

Both print the requests each role sent, counted in the server's own access log.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest

from jaga.access import Actor, Role
from jaga.synth.generator import synthesise
from jaga.synth.scenario import Scenario
from tests.conftest import DIALECTS, PreparedDatabase, _require
from tests.synthetic_registry import PIPELINE_ORIGIN, pipeline_registry

LONG_EXAMPLES = int(os.environ.get("JAGA_FUZZ_EXAMPLES", "0"))
SEED = os.environ.get("JAGA_FUZZ_SEED", "1")
CONFIG = Path(__file__).with_name("schemathesis.toml")
EVERY_ROLE_HOOK = Path(__file__).with_name("fuzz_every_role.py")
ROLES = [r.value for r in Role]
RUNS = ROLES if LONG_EXAMPLES else ["every-role"]
BIRTHS = 200
SCENARIO = Scenario(name="fuzz", province="33")


@dataclass
class Served:
    dialect: str
    base: str
    tokens: dict[str, str]
    actors: dict[str, Actor]
    log: Path


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz-registry") / "synth"
    synthesise(births=BIRTHS, seed=7, out=folder, scenario=SCENARIO)
    return folder


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module", params=DIALECTS)
def served(
    request: pytest.FixtureRequest,
    _databases: dict[str, PreparedDatabase | str],
    synthetic_folder: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    database = _require(_databases, request.param)
    data = tmp_path_factory.mktemp("fuzz-server")
    with pipeline_registry(database, synthetic_folder, SCENARIO, data / "keys", tmp_path_factory) as url:
        port = _free_port()
        env = {
            **os.environ,
            "JAGA_DATABASE_URL": url,
            "JAGA_DATA_DIR": str(data),
            "JAGA_LEDGER_KEY_DIR": str(data / "keys"),
            "JAGA_LEDGER_ORIGIN": PIPELINE_ORIGIN,
            "JAGA_LOG_LEVEL": "INFO",
        }
        env.pop("JAGA_BASE_URL", None)
        log = data / "server.log"
        with log.open("w") as sink:
            server = subprocess.Popen(
                [sys.executable, "-m", "jaga", "serve", "--port", str(port)],
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(f"{base}/healthz", timeout=1)
                    break
                except httpx.TransportError:
                    assert server.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, "server did not start"
                    time.sleep(0.2)
            yield Served(database.dialect, base, database.tokens, database.actors, log)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _requests_by_role(served: Served, skip: int) -> Counter[str]:
    """Requests in the server's access log after its first `skip` lines, by the role that sent them."""
    roles = {f"principal={served.actors[r].principal_id}": r for r in ROLES}
    lines = [line for line in served.log.read_text().splitlines() if " jaga.access_log " in line]
    return Counter(roles.get(line.rsplit(" ", 1)[-1], "no token") for line in lines[skip:])


@pytest.mark.parametrize("run_as", RUNS)
def test_no_request_gets_a_server_error_or_an_answer_the_schema_does_not_describe(
    served: Served, run_as: str, tmp_path: Path
) -> None:
    env = {**os.environ}
    if run_as == "every-role":
        phases, examples, auth = "examples,fuzzing", 2, []
        env["SCHEMATHESIS_HOOKS"] = str(EVERY_ROLE_HOOK)
        env["JAGA_FUZZ_TOKENS"] = json.dumps([served.tokens[r] for r in ROLES])
    else:
        phases, examples = "examples,coverage,fuzzing,stateful", LONG_EXAMPLES
        auth = ["--header", f"Authorization: Bearer {served.tokens[run_as]}"]
    report = tmp_path / "report.json"
    before = sum(_requests_by_role(served, 0).values())
    started = time.monotonic()
    run = subprocess.run(
        [
            sys.executable, "-m", "schemathesis.cli",
            "--config-file", str(CONFIG),
            "run", f"{served.base}/openapi.json",
            *auth,
            "--checks", "all",
            "--phases", phases,
            "--max-examples", str(examples),
            "--seed", SEED,
            "--generation-database", "none",
            "--workers", "1",
            "--no-color",
            "--report", "json", "--report-json-path", str(report),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )  # fmt: skip
    by_role = _requests_by_role(served, before)
    summary = json.loads(report.read_text())
    print(
        f"\nschemathesis {served.dialect} as {run_as}: {sum(by_role.values())} requests "
        f"({', '.join(f'{role} {n}' for role, n in sorted(by_role.items()))}), "
        f"{summary['test_cases']['generated']} test cases, {len(summary['failures'])} kinds of failure, "
        f"{time.monotonic() - started:.0f} s"
    )
    assert run.returncode == 0 and not summary["failures"] and not summary["errors"], run.stdout[-20000:]
    assert summary["operations"]["tested"] >= 50
    assert set(by_role) >= ({*ROLES} if run_as == "every-role" else {run_as})
    server_errors = [line for line in served.log.read_text().splitlines() if " ERROR " in line]
    assert not server_errors, server_errors[:5]
