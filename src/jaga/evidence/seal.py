"""The seal: proof from the public log that the registry made this very pack, and when.

Packing records an `evidence_pack.packed` event whose payload holds the manifest's SHA-256. The pack
carries that event in full (`packing.json`: its header, salt, commitment and payload, which holds no
personal data) from the start. Once the log has integrated the event and witnesses have cosigned a
checkpoint holding it, `jaga evidence seal` adds the receipt (`seal.json`): the event's inclusion proof up
to that checkpoint, the checkpoint itself with its cosignatures, and a consistency proof from the pack's
own latest checkpoint to it.

Why siblings of the manifest rather than entries in it: the packing event holds the manifest's hash, so
the manifest cannot list a file that holds the event or a proof of it (it would have to hash itself), and
adding a receipt later must not change the manifest whose hash the log already holds. Neither file needs
the manifest's cover: every byte of them is checked against the manifest's hash and the log's signed
roots, so an altered receipt, another pack's receipt or the wrong checkpoint fails on its own.

Pure (the standard library and `jaga.ledger`), like `verify`.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jaga.evidence.format import (
    MANIFEST,
    PACKED_KIND,
    PACKING,
    PACKS_TABLE,
    SEAL,
    canonical_json,
    event_leaf,
    sha256_hex,
)
from jaga.evidence.trust import WitnessTrust
from jaga.ledger import Checkpoint, LedgerError, open_checkpoint, verify_consistency, verify_inclusion
from jaga.ledger.note import Verifier

SEAL_FORMAT = "jaga-evidence-seal/v1"

Add = Callable[[str, bool | None, str], None]  # PackReport.add: (where, ok, detail)


class SealRefused(ValueError):
    """A receipt that does not belong to the pack it would be added to (checked before writing)."""


def seal_pack(pack: bytes, packing: dict[str, Any], seal: dict[str, Any]) -> bytes:
    """`pack` (a plain zip) with `packing.json` and `seal.json` added beside the manifest, every other
    member copied byte for byte; SealRefused if the receipt is of another pack."""
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    manifest = next((data for info, data in members if info.filename == MANIFEST), None)
    if manifest is None:
        raise SealRefused(f"the pack holds no {MANIFEST}")
    digest = sha256_hex(manifest)
    if seal.get("manifest_sha256") != digest or packing.get("payload", {}).get("manifest_sha256") != digest:
        raise SealRefused(
            f"the receipt is of another pack, not of the pack whose manifest SHA-256 is {digest}"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            if info.filename not in (PACKING, SEAL):
                out.writestr(info, data)
        for name, value in ((PACKING, packing), (SEAL, seal)):
            info = zipfile.ZipInfo(name, date_time=members[0][0].date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            out.writestr(info, canonical_json(value))
    return buffer.getvalue()


@dataclass(frozen=True)
class SealInput:
    """What the verifier has already established about the pack."""

    manifest: dict[str, Any]
    manifest_sha256: str
    origin: str
    roots: dict[int, Checkpoint]  # the pack's checkpoints whose log signature verified, by size
    log_keys: Sequence[Verifier]
    trust: WitnessTrust
    now: datetime


def check_packing(add: Add, facts: SealInput, packing: dict[str, Any] | None) -> dict[str, Any] | None:
    """Check `packing.json` (the packing event as stated): it must be this pack's event and its commitment
    must recompute. Returns the event if so."""
    if packing is None:
        add(PACKING, None, "absent: the pack does not carry its packing event (made before packs did)")
        return None
    where = f"{PACKING} (event {packing.get('seq')})"
    payload = packing.get("payload") or {}
    if (packing.get("kind"), packing.get("aggregate")) != (PACKED_KIND, PACKS_TABLE):
        add(where, False, f"not an {PACKED_KIND} event of {PACKS_TABLE}")
        return None
    if payload.get("manifest_sha256") != facts.manifest_sha256:
        add(
            where,
            False,
            f"the packing event of another pack (manifest SHA-256 {payload.get('manifest_sha256')})",
        )
        return None
    if payload.get("id") != packing.get("aggregate_id") or payload.get("packed_at") != facts.manifest.get(
        "packed_at"
    ):
        add(where, False, "its pack id or packing time contradicts the event header or manifest.json")
        return None
    try:
        committed, _ = event_leaf(packing)
    except (KeyError, ValueError, TypeError, LedgerError) as exc:
        add(where, False, f"malformed ({type(exc).__name__}: {exc})")
        return None
    if committed.hex() != packing.get("commitment"):
        add(where, False, f"its payload and salt hash to {committed.hex()}, not to its stated commitment")
        return None
    if facts.roots and int(packing["seq"]) <= max(facts.roots):
        add(where, False, f"event {packing['seq']} precedes the checkpoints the pack was made from")
        return None
    add(where, True, f"this pack's {PACKED_KIND} event (pack #{payload['id']}), commitment recomputed")
    return packing


def check_seal(add: Add, facts: SealInput, packing: dict[str, Any], seal: dict[str, Any] | None) -> bool:
    """Check `seal.json` against the packing event and the pack's checkpoints; True if the seal holds."""
    seq = int(packing["seq"])
    if seal is None:
        add(
            "seal",
            None,
            f"UNSEALED: the log's proof of this pack (event {seq}) is not in it yet; once the log has "
            "integrated that event and witnesses have cosigned it, add it with `jaga evidence seal`",
        )
        return False
    if seal.get("format") != SEAL_FORMAT:
        add(SEAL, False, f"format is {seal.get('format')!r}, expected {SEAL_FORMAT!r}")
        return False
    if seal.get("manifest_sha256") != facts.manifest_sha256 or int(seal.get("event_seq", 0)) != seq:
        add(SEAL, False, "the receipt of another pack (its manifest hash or event differs from this pack's)")
        return False
    try:
        checkpoint, note = open_checkpoint(str(seal["checkpoint"]), list(facts.log_keys), origin=facts.origin)
    except LedgerError as exc:
        add(SEAL, False, f"its checkpoint is not one signed by the given log key: {exc}")
        return False
    where = f"seal checkpoint {checkpoint.size}"
    add(where, True, f"signed by the log ({facts.origin})")
    held = _witnessed(add, where, facts, note)
    _, leaf = event_leaf(packing)
    try:
        hashes = [bytes.fromhex(h) for h in seal["inclusion"]]
        verify_inclusion(seq - 1, checkpoint.size, leaf, hashes, checkpoint.root)
    except (LedgerError, ValueError, TypeError) as exc:
        add(
            f"seal: event {seq}",
            False,
            f"the packing event is not proven in checkpoint {checkpoint.size}: {exc}",
        )
        return False
    add(
        f"seal: event {seq}", True, f"the packing event is in the log, proven to checkpoint {checkpoint.size}"
    )
    return _extends(add, facts, seal, checkpoint) and held


def _witnessed(add: Add, where: str, facts: SealInput, note: Any) -> bool:
    verdict = facts.trust.judge(note, now=facts.now)
    if verdict.witnessed is None:
        add(where, None, "cosignatures not checked: give the witnesses' keys (--witness-vkey) or --policy")
        return True  # said plainly above; the seal's proofs still hold
    add(where, verdict.witnessed, verdict.detail)
    return verdict.witnessed


def _extends(add: Add, facts: SealInput, seal: dict[str, Any], checkpoint: Checkpoint) -> bool:
    """The seal's checkpoint extends the pack's latest checkpoint: both are one log, not a fork."""
    if not facts.roots:
        add("seal consistency", False, "the pack holds no verified checkpoint to link the seal to")
        return False
    latest = max(facts.roots)
    where = f"seal consistency {latest} → {checkpoint.size}"
    given = seal.get("consistency") or {}
    if int(given.get("old_size", -1)) != latest:
        add(where, False, f"the receipt proves from size {given.get('old_size')}, not the pack's {latest}")
        return False
    try:
        hashes = [bytes.fromhex(h) for h in given["hashes"]]
        verify_consistency(latest, checkpoint.size, hashes, facts.roots[latest].root, checkpoint.root)
    except (LedgerError, ValueError, TypeError, KeyError) as exc:
        add(where, False, f"does not verify: {exc}")
        return False
    add(where, True, f"the log of size {checkpoint.size} extends the pack's checkpoint {latest}")
    return True


def read_json(raw: bytes | None) -> dict[str, Any] | None:
    """A sibling file's JSON object, or None if absent; ValueError if unreadable (a failed check)."""
    if raw is None:
        return None
    value = json.loads(raw.decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value
