"""The real application (`jaga serve`'s) in its own process on a free loopback port, for the benchmarks
that time it over HTTP (`jaga bench portal`, `jaga bench workbench`)."""

from __future__ import annotations

import multiprocessing
import multiprocessing.process
import socket
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from jaga.settings import Settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(settings: Settings, port: int) -> None:
    """The server process: `jaga serve`'s application on the bench's registry (no access log)."""
    import uvicorn

    from jaga.app import create_app

    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, access_log=False, log_level="warning")


def start_server(settings: Settings, port: int) -> multiprocessing.process.BaseProcess:
    """The application in its own process (spawned: a clean interpreter, as `jaga serve` would be), once
    it answers /healthz."""
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(settings, port), daemon=True)
    server.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            if not server.is_alive():
                raise RuntimeError("the server stopped while starting") from None
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not answer /healthz within 60 s")


def stop_server(server: multiprocessing.process.BaseProcess) -> None:
    server.terminate()
    server.join(timeout=10)
    if server.is_alive():
        server.kill()


@contextmanager
def served(settings: Settings) -> Iterator[int]:
    """The port the application answers on, stopped on exit."""
    port = free_port()
    server = start_server(settings, port)
    try:
        yield port
    finally:
        stop_server(server)
