"""The evidence pack's format: its file names, canonical JSON, and an event's commitment and leaf hash
recomputed from what the pack states. Pure (the standard library and `jaga.ledger`), shared by the
registry side (`services`, `sealing`) and the offline verifier (`verify`, `seal`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from jaga.ledger import EventEntry, commitment, leaf_hash, meta_hash, parse_note

FORMAT = "jaga-evidence/v1"
MANIFEST = "manifest.json"
TIMELINE = "timeline.json"
TIMELINE_PDF = "timeline.pdf"  # for people; checked by its hash like every file
PROOFS = "proofs.json"
CUSTODY = "custody.json"
CERTIFICATES = "certificates.json"
CHECKPOINT_FOLDER = "checkpoints/"
EVENT_FORMAT_VERSION = 1  # the `v` of the events' canonical header (jaga.db.events)
COSIGNATURE_BYTES = 8 + 64  # C2SP tlog-cosignature v1: timestamp and Ed25519 signature
MAX_MEMBER_BYTES = 256 * 1024 * 1024  # refuse a zip bomb before reading it
# Siblings of the manifest, outside it: the packing event carries the manifest's hash, so the manifest
# cannot cover the packing event, nor a proof of it (see jaga.evidence.seal).
PACKING = "packing.json"
SEAL = "seal.json"
SIBLINGS = frozenset({PACKING, SEAL})
PACKED_KIND = "evidence_pack.packed"  # jaga.db.EventKind.EVIDENCE_PACK_PACKED
PACKS_TABLE = "evidence_packs"


def canonical_json(value: Any) -> bytes:
    """Canonical JSON bytes (sorted keys, no spaces, UTF-8): RFC 8785 for the values packs hold (strings,
    integers, booleans, null, lists, objects with ASCII keys), the same bytes as `jaga.db.canonical`."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def event_header(event: dict[str, Any]) -> bytes:
    """The canonical header an event's meta hash covers (see `jaga.db.events.header`)."""
    return canonical_json(
        {
            "v": EVENT_FORMAT_VERSION,
            "seq": event["seq"],
            "event_id": event["event_id"],
            "kind": event["kind"],
            "aggregate": event["aggregate"],
            "aggregate_id": event["aggregate_id"],
            "recorded_at": event["recorded_at"],
            "actor": event["actor"],
        }
    )


def event_leaf(event: dict[str, Any]) -> tuple[bytes, bytes]:
    """(commitment, leaf hash) of an event as the pack states it, recomputed from its payload and salt."""
    salt = bytes.fromhex(event["salt"])
    committed = commitment(salt, canonical_json(event["payload"]))
    entry = EventEntry(int(event["seq"]), event["kind"], committed, meta_hash(salt, event_header(event)))
    return committed, leaf_hash(entry.encode())


def is_cosigned(note_text: str) -> bool:
    """Whether a stored checkpoint note carries a witness cosignature (by its v1 shape, not yet verified)."""
    return any(len(s.signature) == COSIGNATURE_BYTES for s in parse_note(note_text).signatures)
