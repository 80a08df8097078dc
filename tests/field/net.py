"""Real processes and a real bad network for the field sync tests: `jaga serve` on a free port, and a
TCP proxy in front of it that refuses, cuts and stalls connections at random (seeded).

The proxy decides each connection's fate when it is accepted. `jaga field sync` opens one connection per
chunk (urllib sends `Connection: close`), so each fate hits one chunk:

- `pass`: relayed both ways;
- `refuse`: reset before a byte is read (a link that is not there);
- `cut-request`: a random prefix of the request reaches the server, then both sides are closed (the
  server sees a truncated body and must store nothing);
- `cut-answer`: the request reaches the server, which answers in full; the device gets a random prefix of
  that answer (possibly nothing) and the connection closes: the batch is stored, the device cannot know;
- `stall`: as `cut-answer`, but the proxy holds the answer and says nothing for longer than the client's
  timeout (a link that goes silent: the client must give up, not hang);
- `trickle`: as `cut-answer`, but the whole answer is sent one byte every `trickle_seconds` (a link that
  is never silent for a whole `--timeout` yet takes minutes: only the request deadline ends it).
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx2 as httpx

from tests.witness.servers import free_port

FATES = ("pass", "refuse", "cut-request", "cut-answer", "stall")  # what the chaos test deals; see `trickle`


class JagaServer:
    """`python -m jaga serve` on a free port of 127.0.0.1, its log in a file (a pipe nobody reads could
    fill up and block the server)."""

    def __init__(self, url: str, folder: Path) -> None:
        self.database_url, self.folder = url, folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"serve-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> JagaServer:
        env = {**os.environ, "JAGA_DATABASE_URL": self.database_url, "JAGA_DATA_DIR": str(self.folder)}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jaga", "serve", "--port", str(self.port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{self.url}/healthz", timeout=1)
                return self
            except httpx.TransportError:
                assert self.process.poll() is None, self.log.read_text()
                assert time.monotonic() < deadline, "jaga serve did not start: " + self.log.read_text()
                time.sleep(0.1)

    def __exit__(self, *exc_info: object) -> None:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class ChaosProxy:
    """A TCP proxy on 127.0.0.1 to `target_port` that gives each connection a fate (see the module's
    docstring), dealt from a deck shuffled by `random.Random(seed)` holding each fate `weights[fate]`
    times. `fates` counts what was dealt, so a test can
    show it met every kind of failure. `delay` holds each connection that long before anything happens (a
    slow link: it makes a sync long enough to be killed in the middle whatever the machine's load)."""

    def __init__(
        self,
        target_port: int,
        *,
        seed: int,
        weights: dict[str, int] | None = None,
        stall_seconds: float = 5.0,
        delay: float = 0.0,
        trickle_seconds: float = 1.0,
    ) -> None:
        self.target_port, self.stall_seconds, self.delay = target_port, stall_seconds, delay
        self.trickle_seconds = trickle_seconds
        self.weights = weights or {"pass": 1}
        self.random = random.Random(seed)
        self._deck: list[str] = []
        self.fates: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._closing = threading.Event()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> ChaosProxy:
        self._spawn(self._accept_loop)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._closing.set()
        self._listener.close()
        for thread in list(self._threads):
            thread.join(timeout=self.stall_seconds + 5)

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _deal(self) -> str:
        """The next fate from a shuffled deck holding each fate `weight` times (so a short run meets
        every fate, in an order the seed decides), and where to cut."""
        with self._lock:
            if not self._deck:
                self._deck = [fate for fate, weight in self.weights.items() for _ in range(weight)]
                self.random.shuffle(self._deck)
            fate = self._deck.pop()
            cut_at = self.random.random()
            self.fates[fate] += 1
        return f"{fate}:{cut_at}"

    def _accept_loop(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self._spawn(self._handle, client, self._deal())

    def _handle(self, client: socket.socket, dealt: str) -> None:
        fate, cut_text = dealt.split(":")
        cut_at = float(cut_text)
        try:
            if self.delay:
                time.sleep(self.delay)
            if fate == "refuse":
                # SO_LINGER 0: close with a reset, as a link that drops the connection does.
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with upstream:
                if fate == "cut-request":
                    self._cut_request(client, upstream, cut_at)
                    return
                pump = threading.Thread(target=_pump, args=(client, upstream), daemon=True)
                pump.start()
                if fate == "pass":
                    _pump(upstream, client)
                else:
                    answer = _read_all(upstream)
                    if fate == "stall":
                        self._closing.wait(self.stall_seconds)
                    elif fate == "trickle":
                        self._trickle(client, answer)
                    else:
                        client.sendall(answer[: int(len(answer) * cut_at)])
                    client.shutdown(socket.SHUT_RDWR)  # also ends the pump waiting on the client
                pump.join(timeout=5)
        except OSError:
            pass  # the other side went away first: the link is bad either way
        finally:
            client.close()

    def _trickle(self, client: socket.socket, answer: bytes) -> None:
        """Send `answer` a byte at a time, `trickle_seconds` apart, until done, the proxy closes or the
        client goes away (a send on a connection the client shut down fails: OSError, handled above)."""
        for index in range(len(answer)):
            if self._closing.wait(self.trickle_seconds):
                return
            client.sendall(answer[index : index + 1])

    def _cut_request(self, client: socket.socket, upstream: socket.socket, cut_at: float) -> None:
        """Forward a random prefix of the request (at least one byte, never all of it), then close."""
        client.settimeout(2)
        received = b""
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                received += data
                if b"\r\n\r\n" in received and len(received) > 4096:
                    break
        except TimeoutError:
            pass
        upstream.sendall(received[: max(1, int(len(received) * cut_at * 0.9))])


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
        sink.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def _read_all(source: socket.socket) -> bytes:
    chunks = []
    while data := source.recv(65536):
        chunks.append(data)
    return b"".join(chunks)
