"""Public forms without cookies: a signed, expiring, single-use form token, and an in-memory rate limit.

The portal sets no cookie (a tipster must leave no trace in the browser and none on the server), so the
usual CSRF cookie is out. Instead each form carries a token the server signed (HMAC-SHA256 with a key in
the key folder): the form's name, when it was issued and a random nonce. A token is accepted once, for
`TOKEN_LIFETIME`, and only for the form it was issued for; a cross-site page cannot read one, because
the pages are served with `frame-ancestors 'none'` and no CORS. Written here, not taken from a library:
the CSRF packages for Starlette all keep their secret in a cookie or a session.

The rate limit counts requests per client address in memory for one window and forgets them; addresses
are kept only as keyed hashes (a random key per process) and never written anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from jaga.errors import InvalidInput, TooManyRequests
from jaga.files import atomic_write_bytes, private_folder

TOKEN_LIFETIME = 2 * 60 * 60  # seconds: long enough to write a careful tip on a slow phone
KEY_FILE = "portal-forms.key"
_NONCE = 12
_MAC = 16


def load_form_key(key_dir: Path) -> bytes:
    """The form-signing key in `key_dir`, made (0600) on first use; every worker shares it."""
    path = key_dir / KEY_FILE
    if not path.exists():
        private_folder(key_dir)
        atomic_write_bytes(path, secrets.token_bytes(32))
    key = path.read_bytes()
    if len(key) < 32:
        raise ValueError(f"{path} is damaged: it must hold at least 32 random bytes")
    return key


class FormTokens:
    """Issues and checks the form tokens of one server (thread-safe)."""

    def __init__(self, key: bytes, *, clock: Callable[[], float] = time.time) -> None:
        self._key, self._clock = key, clock
        self._used: OrderedDict[bytes, float] = OrderedDict()
        self._lock = threading.Lock()

    def _mac(self, form: str, body: bytes) -> bytes:
        return hmac.new(self._key, form.encode() + b"\x00" + body, hashlib.sha256).digest()[:_MAC]

    def issue(self, form: str) -> str:
        body = int(self._clock()).to_bytes(8, "big") + os.urandom(_NONCE)
        return base64.urlsafe_b64encode(body + self._mac(form, body)).decode().rstrip("=")

    def check(self, form: str, token: str | None) -> None:
        """Accept `token` once for `form`; InvalidInput saying why not (missing, forged, expired, reused)."""
        if not token:
            raise InvalidInput(
                "the form has no security token: reload the page and send it again",
                message_id="formulir tidak memiliki token keamanan: muat ulang halaman lalu kirim lagi",
            )
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except ValueError:
            raw = b""
        body, mac = raw[: 8 + _NONCE], raw[8 + _NONCE :]
        if len(raw) != 8 + _NONCE + _MAC or not hmac.compare_digest(mac, self._mac(form, body)):
            raise InvalidInput(
                "the form's security token is not valid: reload the page and send it again",
                message_id="token keamanan formulir tidak sah: muat ulang halaman lalu kirim lagi",
            )
        issued = int.from_bytes(body[:8], "big")
        now = self._clock()
        if now - issued > TOKEN_LIFETIME or issued - now > 60:
            raise InvalidInput(
                "the form was open too long (more than two hours): reload the page and send it again",
                message_id="formulir terbuka terlalu lama (lebih dari dua jam): muat ulang halaman lalu "
                "kirim lagi",
            )
        with self._lock:
            while self._used and next(iter(self._used.values())) < now - TOKEN_LIFETIME:
                self._used.popitem(last=False)
            if body in self._used:
                raise InvalidInput(
                    "this form was already sent once: open the page again to send something new",
                    message_id="formulir ini sudah pernah dikirim: buka halaman lagi untuk mengirim yang "
                    "baru",
                )
            self._used[body] = float(issued)


class RateLimiter:
    """At most `limit` requests per client and bucket in each window of `window` seconds (in memory)."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, window: float = 60.0) -> None:
        self._clock, self._window = clock, window
        self._salt = secrets.token_bytes(16)  # per process: the hashes mean nothing elsewhere or later
        self._counts: dict[tuple[str, bytes], int] = {}
        self._started = clock()
        self._lock = threading.Lock()

    def hit(self, bucket: str, client: str, limit: int) -> None:
        """Count one request; TooManyRequests once `client` has made `limit` in this window."""
        key = (bucket, hashlib.blake2b(client.encode(), key=self._salt, digest_size=16).digest())
        with self._lock:
            now = self._clock()
            if now - self._started >= self._window:
                self._counts.clear()  # fixed windows: nothing about a client outlives one window
                self._started = now
            count = self._counts.get(key, 0) + 1
            self._counts[key] = count
        if count > limit:
            raise TooManyRequests(
                "too many requests from this connection in a minute: wait a minute and try again",
                message_id="terlalu banyak permintaan dari sambungan ini dalam satu menit: tunggu satu "
                "menit lalu coba lagi",
            )
