"""`jaga serve` as a user runs it: a real server process on a real port."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx2 as httpx

from jaga.db import create_engine_for
from jaga.db.migrate import head_revision
from tests.cli_helpers import jaga, jaga_process
from tests.sequencer.helpers import fill_events


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_health_and_authenticated_requests(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'served.db'}"
    assert jaga(url, "db", "upgrade").exit_code == 0
    created = jaga(url, "users", "create", "auditor.one", "--role", "auditor")
    token = next(
        line.split("token: ")[1] for line in created.output.splitlines() if line.startswith("token: ")
    )
    port = _free_port()
    server = jaga_process(url, "serve", "--port", str(port), data_dir=tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert health.json()["schema_revision"] == head_revision(create_engine_for(url))
        me = httpx.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=5)
        assert me.status_code == 200 and me.json()["role"] == "auditor"
        refused = httpx.get(f"{base}/api/v1/me", timeout=5)
        # No JAGA_BASE_URL: problem links name the port actually served, not the default 8000.
        assert refused.status_code == 401
        assert refused.json()["type"] == f"{base}/problems/not-authenticated"
        _witness_over_http(url, tmp_path, base)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=10)
    # The server's own access log names route templates, never query strings or refs.
    assert "GET /api/v1/me 200" in stderr
    assert token not in stderr


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    result = jaga(f"sqlite:///{tmp_path / 'new.db'}", "serve")
    assert result.exit_code == 7 and "jaga db upgrade" in result.output


def _witness_over_http(url: str, data: Path, base: str) -> None:
    """A witness on another machine reads the log from the running server's /ledger/ alone."""
    assert jaga(url, "ledger", "init", data_dir=data).exit_code == 0
    fill_events(url, 600)
    assert jaga(url, "ledger", "integrate", data_dir=data).exit_code == 0
    witness = data / "witness"
    assert jaga(url, "witness", "init", "--name", "witness.test/http", "--dir", str(witness)).exit_code == 0
    vkey = str(data / "keys" / "ledger.vkey")
    first = jaga(
        url, "witness", "cosign", "--dir", str(witness), "--source", f"{base}/ledger", "--log-vkey", vkey
    )
    assert first.exit_code == 0, first.output
    fill_events(url, 300)
    assert jaga(url, "ledger", "integrate", data_dir=data).exit_code == 0
    second = jaga(
        url, "witness", "cosign", "--dir", str(witness), "--source", f"{base}/ledger", "--log-vkey", vkey
    )
    assert second.exit_code == 0, second.output
    assert "consistent with size" in second.output
