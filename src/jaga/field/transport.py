"""The HTTP transport of `jaga field sync`: one POST of a batch, (status, JSON answer).

Two bounds. `timeout` bounds each socket operation (connecting, sending, each read), so a silent link
ends as a TimeoutError. `deadline` bounds the whole exchange: a link that trickles a byte just inside
`timeout`, again and again, would otherwise hold one request for as long as it likes. A timer thread
shuts the connection's socket down when the deadline passes; the blocked read then fails at once, and
the request ends as a TimeoutError (an OSError: `sync` puts the chunk back to pending). Shutting the
socket down, rather than abandoning a thread that still holds it, leaves nothing running afterwards.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

# Each event of a chunk may take this long on the wire and in the server, on top of `timeout`, when no
# deadline is given: about 1.5 KB per signed event at the few KB/s of a poor mobile link, plus the
# server's checks. 500 events (the default chunk) and a 60 s timeout give 310 s.
SECONDS_PER_EVENT = 0.5


def default_deadline(timeout: float, chunk: int) -> float:
    """The whole-request deadline when none is given: `timeout` plus an allowance per event."""
    return timeout + chunk * SECONDS_PER_EVENT


class _Watchdog:
    """Shuts down the socket of the connection it watches once `seconds` have passed."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.fired:  # connected just as the deadline passed
                _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for a TLS socket (whose own would drop its TLS state under the
    # reading thread): the peer and the blocked read both see the connection end.
    with contextlib.suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _handlers(watchdog: _Watchdog) -> list[urllib.request.BaseHandler]:
    """urllib's HTTP and HTTPS handlers with connections that hand their socket to `watchdog` (proxy
    settings from the environment still apply: only the connection class changes)."""

    class Watched(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            watchdog.watch(self.sock)

    class WatchedTLS(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            watchdog.watch(self.sock)

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Watched, req)

    class TLSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(WatchedTLS, req)

    return [Handler(), TLSHandler()]


# jaga.field.node.Transport, spelt out: this module needs nothing of the node.
Post = Callable[[bytes], tuple[int, dict[str, Any]]]


def http_transport(server: str, token: str, timeout: float, deadline: float) -> Post:
    """POST a batch to the server's /api/v1/field/batches; (status, JSON answer). Raises OSError (a
    TimeoutError past `deadline`) or ValueError when the link fails."""
    url = server.rstrip("/") + "/api/v1/field/batches"
    headers = {
        "Content-Type": "application/x-ndjson",
        "Accept": "application/json",
        "Authorization": f"Bearer {token}",
    }

    def post(body: bytes) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(url, data=body, method="POST", headers=headers)
        with _Watchdog(deadline) as watchdog:
            opener = urllib.request.build_opener(*_handlers(watchdog))
            try:
                status, raw = _exchange(opener, request, timeout)
            except (OSError, ValueError) as exc:
                if watchdog.fired:
                    raise _late(deadline) from exc
                raise
        if watchdog.fired:  # the answer may have been read only in part: it is not taken as an answer
            raise _late(deadline)
        answer = json.loads(raw or b"{}")  # a cut answer raises ValueError: the chunk is sent again
        return status, answer if isinstance(answer, dict) else {}

    return post


def _late(deadline: float) -> TimeoutError:
    return TimeoutError(f"no complete answer within the request deadline of {deadline:g} s")


def _exchange(
    opener: urllib.request.OpenerDirector, request: urllib.request.Request, timeout: float
) -> tuple[int, bytes]:
    try:
        with opener.open(request, timeout=timeout) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, _read_cut(exc)
    except http.client.HTTPException as exc:
        # An answer cut in its headers or body (IncompleteRead, BadStatusLine) is a failed link like a
        # reset: the chunk goes back to pending.
        raise ConnectionError(f"the answer was cut ({type(exc).__name__})") from exc


def _read_cut(error: urllib.error.HTTPError) -> bytes:
    try:
        return bytes(error.read())
    except http.client.HTTPException as exc:
        raise ConnectionError(f"the answer was cut ({type(exc).__name__})") from exc
