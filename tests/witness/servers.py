"""Real witness servers for tests: `python -m jaga witness serve` in a subprocess on a free port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

from jaga.ledger import EMPTY_ROOT, Checkpoint, Ed25519Signer, MemoryTree, consistency_proof, subtree_hash
from jaga.ledger.witness_protocol import AddCheckpoint


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WitnessServer:
    """One `jaga witness serve` process; `restart()` after a kill keeps the folder and the port."""

    def __init__(self, folder: Path, log_vkeys: list[str], port: int | None = None) -> None:
        self.folder, self.log_vkeys = folder, log_vkeys
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> WitnessServer:
        args = [sys.executable, "-m", "jaga", "witness", "serve", "--dir", str(self.folder)]
        args += ["--port", str(self.port)]
        for vkey in self.log_vkeys:
            args += ["--log-vkey", vkey]
        self.process = subprocess.Popen(
            args, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                # GET on the POST-only route: any HTTP answer means the server is up.
                httpx.get(f"{self.url}/add-checkpoint", timeout=1)
                return self
            except httpx.TransportError:
                assert self.process.poll() is None, self.process.communicate()
                assert time.monotonic() < deadline, "witness server did not start"
                time.sleep(0.05)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.communicate(timeout=10)

    def stop(self) -> str:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.communicate(timeout=10)[1]

    def post(self, body: bytes, timeout: float = 10) -> httpx.Response:
        return httpx.post(f"{self.url}/add-checkpoint", content=body, timeout=timeout)


class MemoryLog:
    """A log in memory with its key: signed checkpoints and consistency proofs at any size."""

    def __init__(self, origin: str, leaves: int = 300) -> None:
        self.signer = Ed25519Signer.generate(origin)
        self.origin = origin
        self.tree = MemoryTree()
        self.tree.extend([f"entry {n}".encode() for n in range(leaves)])

    @property
    def vkey(self) -> str:
        return self.signer.verifier().vkey()

    def checkpoint(self, size: int) -> Checkpoint:
        root = subtree_hash(self.tree, 0, size) if size else EMPTY_ROOT
        return Checkpoint(self.origin, size, root)

    def note(self, size: int, signer: Ed25519Signer | None = None) -> str:
        return self.checkpoint(size).sign(signer or self.signer).format()

    def request(self, old: int, size: int) -> bytes:
        proof = consistency_proof(self.tree, old, size) if 0 < old < size else []
        return AddCheckpoint(old, tuple(proof), self.note(size)).body()
