"""Signed field events and each device's hash chain: no database, no registry.

An event is its *envelope*: the RFC 8785 canonical JSON (`jaga.db.canonical`) of

    {"v": 1, "id": <UUIDv7>, "device": <device id>, "seq": <1, 2, ...>, "officer": <username>,
     "kind": <registry kind>, "created_at": <UTC, ISO 8601>, "prev": <hex SHA-256 of the previous
     envelope, or 64 zeros for the first>, "payload": <the record as the registry's schema wrote it>}

Its hash is the SHA-256 of those bytes, and the device signs the same bytes with its Ed25519 key (the
project's note signer, `jaga.ledger.note`). Each envelope names its predecessor's hash and position, so
the server sees a deleted event (a gap), a reordered one (a position or predecessor that does not
follow), a fork (another event at a position it already holds) and a back-dated one (a created_at
earlier than its predecessor's).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from jaga.db.canonical import JsonValue, canonical_bytes, to_json_value
from jaga.errors import BatchInvalid, EventSignatureInvalid
from jaga.ledger.note import Ed25519Signer, Ed25519Verifier

ENVELOPE_VERSION = 1
GENESIS = "0" * 64
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_ENVELOPE_KEYS = {"v", "id", "device", "seq", "officer", "kind", "created_at", "prev", "payload"}


def uuid7(now: datetime | None = None) -> str:
    """A UUID version 7 (RFC 9562 §5.7): 48 bits of Unix time in milliseconds, then 74 random bits.

    Written here because Python 3.11's `uuid` module has no uuid7 (3.14 adds one) and no maintained
    package for it is in constraints.txt; the layout is a few lines. Time-ordered ids keep a device's
    events in creation order in any index, and the random bits make two devices' ids collide with
    negligible probability.
    """
    millis = int((now.timestamp() if now is not None else time.time()) * 1000) & ((1 << 48) - 1)
    random = int.from_bytes(os.urandom(10), "big")
    rand_a, rand_b = (random >> 62) & 0xFFF, random & ((1 << 62) - 1)
    value = (millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    return str(uuid.UUID(int=value))


def format_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime(_TIME_FORMAT)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)


@dataclass(frozen=True)
class SignedEvent:
    """An envelope (its canonical text) and the device's signature of it."""

    envelope: str
    signature: str  # base64

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.envelope.encode("utf-8")).hexdigest()

    def fields(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.envelope)
        return value

    def line(self) -> str:
        return json.dumps({"envelope": self.envelope, "signature": self.signature}, ensure_ascii=False)


@dataclass(frozen=True)
class Envelope:
    """An envelope's fields, checked for shape (not for signature or chain: see `verify`)."""

    event_id: str
    device: str
    seq: int
    officer: str
    kind: str
    created_at: datetime
    prev: str
    payload: dict[str, Any]


def sign_event(
    signer: Ed25519Signer,
    *,
    event_id: str,
    device: str,
    seq: int,
    officer: str,
    kind: str,
    created_at: datetime,
    prev: str,
    payload: dict[str, Any],
) -> SignedEvent:
    """The signed event for these fields (payload values as `to_json_value` renders them)."""
    value: dict[str, JsonValue] = {
        "v": ENVELOPE_VERSION,
        "id": event_id,
        "device": device,
        "seq": seq,
        "officer": officer,
        "kind": kind,
        "created_at": format_time(created_at),
        "prev": prev,
        "payload": to_json_value(payload),
    }
    text = canonical_bytes(value).decode("utf-8")
    return SignedEvent(text, base64.b64encode(signer.sign(text)).decode("ascii"))


def read_envelope(event: SignedEvent, position: int) -> Envelope:
    """The envelope's fields; BatchInvalid naming the position when it is not an envelope of ours."""
    where = f"event {position}"
    try:
        value = json.loads(event.envelope)
    except ValueError as exc:
        raise BatchInvalid(f"{where}: the envelope is not JSON") from exc
    if not isinstance(value, dict) or set(value) != _ENVELOPE_KEYS or value.get("v") != ENVELOPE_VERSION:
        raise BatchInvalid(f"{where}: not a version-{ENVELOPE_VERSION} field event envelope")
    if canonical_bytes(value).decode("utf-8") != event.envelope:
        raise BatchInvalid(f"{where}: the envelope is not in canonical form")
    try:
        envelope = Envelope(
            event_id=str(uuid.UUID(str(value["id"]))),
            device=_text(value["device"]),
            seq=_positive(value["seq"]),
            officer=_text(value["officer"]),
            kind=_text(value["kind"]),
            created_at=parse_time(_text(value["created_at"])),
            prev=_hex64(value["prev"]),
            payload=_mapping(value["payload"]),
        )
    except (ValueError, TypeError) as exc:
        raise BatchInvalid(f"{where}: malformed envelope field ({exc})") from exc
    if envelope.event_id != value["id"]:
        raise BatchInvalid(f"{where}: the event id is not a lower-case UUID")
    return envelope


def verify_signature(event: SignedEvent, verifier: Ed25519Verifier, label: str) -> None:
    """EventSignatureInvalid unless the device's key signed exactly this envelope."""
    try:
        signature = base64.b64decode(event.signature, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EventSignatureInvalid(f"{label}: the signature is not base64") from exc
    if len(signature) != 64 or not verifier.verify(event.envelope, signature):
        raise EventSignatureInvalid(f"{label}: the signature does not verify with the device's enrolled key")


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError("expected text")
    return value


def _positive(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise TypeError("seq must be a positive integer")
    return value


def _hex64(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise ValueError("prev must be 64 lower-case hex digits")
    return value


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("payload must be an object")
    return value
