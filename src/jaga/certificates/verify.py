"""Verifying a certificate: offline from its QR payload and the log's public key alone; online also
against the registry's current status and the log it serves now.

Each check says what holds or what does not, in words a registrar or a court clerk can act on.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from jaga.certificates.payload import CertificateProof, decode
from jaga.errors import JagaError
from jaga.ledger import (
    Checkpoint,
    EventEntry,
    LedgerError,
    commitment,
    consistency_proof,
    leaf_hash,
    open_checkpoint,
    root_from_inclusion,
    verify_consistency,
)
from jaga.ledger.cosignature import CosignatureVerifier
from jaga.ledger.note import Verifier
from jaga.witness.source import LogSource

ISSUED_KIND = "certificate.issued"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: not checked
    detail: str


@dataclass
class Verification:
    checks: list[Check] = field(default_factory=list)
    proof: CertificateProof | None = None
    record: dict[str, Any] | None = None  # the certificate as issued (the event payload)
    root: bytes | None = None

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok is not False for c in self.checks)

    @property
    def content(self) -> dict[str, Any] | None:
        if self.record is None:
            return None
        try:
            value = json.loads(self.record["content"])
        except (KeyError, TypeError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def add(self, name: str, ok: bool | None, detail: str) -> bool:
        self.checks.append(Check(name, ok, detail))
        return ok is not False


def _signature_check(
    result: Verification, text: str, proof: CertificateProof, log_keys: list[Verifier]
) -> None:
    carried = {key_id: signature for key_id, signature in proof.signatures}
    trusted = [k for k in log_keys if not isinstance(k, CosignatureVerifier)]
    matching = [k for k in trusted if k.key_id in carried]
    if not matching:
        ids = ", ".join(f"{key_id:08x}" for key_id in carried) or "none"
        result.add(
            "log signature",
            False,
            f"the checkpoint is not signed by a trusted log key (signed by key IDs {ids}; "
            f"trusted: {', '.join(f'{k.key_id:08x}' for k in trusted) or 'none given'})",
        )
        return
    for key in matching:
        if key.name == proof.origin and key.verify(text, carried[key.key_id]):
            result.add(
                "log signature",
                True,
                f"checkpoint of {proof.origin} at size {proof.size:,} is signed by log key {key.key_id:08x}",
            )
            return
    result.add(
        "log signature",
        False,
        "the log's signature does not match the root this certificate leads to: its record, salt or "
        "proof was altered after it was issued",
    )


def _witness_check(
    result: Verification, text: str, proof: CertificateProof, witnesses: list[Verifier], minimum: int
) -> None:
    if not witnesses:
        result.add("witnesses", None, "not checked (no witness keys given)")
        return
    carried = {key_id: signature for key_id, signature in proof.signatures}
    good = []
    for witness in witnesses:
        signature = carried.get(witness.key_id)
        if signature is not None and witness.verify(text, signature):
            when = ""
            if isinstance(witness, CosignatureVerifier):
                stamp = datetime.fromtimestamp(witness.timestamp(signature), UTC)
                when = f" on {stamp:%Y-%m-%d}"
            good.append(f"{witness.name}{when}")
    ok = len(good) >= minimum
    detail = f"cosigned by {len(good)} of {len(witnesses)} trusted witnesses" + (
        f" ({'; '.join(good)})" if good else ""
    )
    if not ok:
        detail += f"; at least {minimum} required"
    result.add("witnesses", ok, detail)


def verify_payload(
    text: str,
    log_keys: list[Verifier],
    witnesses: list[Verifier] | None = None,
    *,
    min_witnesses: int | None = None,
) -> Verification:
    """Offline verification: the payload alone, against the trusted keys."""
    result = Verification()
    try:
        proof = decode(text)
    except LedgerError as exc:
        result.add("format", False, str(exc))
        return result
    result.proof = proof
    result.add("format", True, f"jaga certificate payload v1, log {proof.origin}, entry {proof.index:,}")
    try:
        record = json.loads(proof.payload)
        if not isinstance(record, dict):
            raise ValueError("not an object")
        result.record = record
    except ValueError:
        result.add("record", False, "the record in the payload is not valid JSON")
        return result
    entry = EventEntry(proof.seq, ISSUED_KIND, commitment(proof.salt, proof.payload), proof.meta)
    try:
        root = root_from_inclusion(proof.index, proof.size, leaf_hash(entry.encode()), proof.proof)
    except LedgerError as exc:
        result.add("inclusion", False, f"the inclusion proof is malformed: {exc}")
        return result
    result.root = root
    checkpoint_text = Checkpoint(proof.origin, proof.size, root).text()
    _signature_check(result, checkpoint_text, proof, log_keys)
    signed = result.checks[-1].ok is True
    result.add(
        "inclusion",
        signed,
        f"the record with its salt is entry {proof.index:,} of the signed log ({proof.size:,} entries)"
        if signed
        else "not established: the proof does not lead to a root the log signed",
    )
    _witness_check(
        result,
        checkpoint_text,
        proof,
        witnesses or [],
        min_witnesses if min_witnesses is not None else (1 if witnesses else 0),
    )
    content = result.content
    kind = record.get("kind")
    if content is None or kind not in ("birth", "adoption"):
        result.add("record", False, "the record is not a birth or adoption certificate")
    else:
        result.add(
            "record", True, f"{kind} certificate {record.get('ref')} issued {record.get('created_at')}"
        )
    return result


def verify_online(result: Verification, base_url: str, log_keys: list[Verifier]) -> None:
    """Add the online checks: the registry's status for this certificate, and that the log it serves
    today is an extension of the one the certificate was proved in (no fork, no rollback)."""
    if result.proof is None or result.record is None or result.root is None:
        result.add("online", False, "skipped: the offline checks did not get far enough")
        return
    base = base_url.rstrip("/")
    ref = str(result.record.get("ref", ""))
    try:
        status = json.loads(LogSource(base).read(f"verify/v1/certificates/{ref}"))
    except (JagaError, ValueError) as exc:
        message = exc.message if isinstance(exc, JagaError) else "the answer is not JSON"
        result.add("status", False, f"the registry's status could not be read: {message}")
    else:
        _status_check(result, status)
    _consistency_check(result, base, log_keys)


def _status_check(result: Verification, status: dict[str, Any]) -> None:
    if status.get("status") != "valid":
        superseded = status.get("superseded_by")
        detail = f"REVOKED on {status.get('revoked_at', '?')}" + (
            f": superseded by certificate {superseded}" if superseded else ""
        )
        result.add("status", False, detail)
        return
    later = status.get("later_events", [])
    if not status.get("content_current", False):
        kinds = ", ".join(sorted({e["kind"] for e in later})) or "a correction"
        result.add(
            "status",
            False,
            f"AMENDED: the registry no longer states what this certificate states (later: {kinds}); "
            "ask the registrar for a current certificate",
        )
        return
    result.add(
        "status",
        True,
        "valid: not revoked, and the registry still states exactly what it states"
        + (f" ({len(later)} later events on the records, none changing it)" if later else ""),
    )


def _consistency_check(result: Verification, base: str, log_keys: list[Verifier]) -> None:
    assert result.proof is not None and result.root is not None
    source = LogSource(f"{base}/ledger")
    try:
        current, _ = open_checkpoint(source.checkpoint(), log_keys, origin=result.proof.origin)
    except (JagaError, LedgerError) as exc:
        message = exc.message if isinstance(exc, JagaError) else str(exc)
        result.add("log consistency", False, f"the log's current checkpoint does not verify: {message}")
        return
    old_size = result.proof.size
    if current.size < old_size:
        result.add(
            "log consistency",
            False,
            f"the log now shows {current.size:,} entries, fewer than the {old_size:,} this certificate "
            "was proved in: the log was rolled back",
        )
        return
    try:
        if current.size > old_size:
            hashes = consistency_proof(source.reader(current.size), old_size, current.size)
            verify_consistency(old_size, current.size, hashes, result.root, current.root)
        elif current.root != result.root:
            raise LedgerError("same size, different root")
    except (JagaError, LedgerError) as exc:
        message = exc.message if isinstance(exc, JagaError) else str(exc)
        result.add(
            "log consistency",
            False,
            f"SPLIT VIEW: the log served now (size {current.size:,}) does not extend the one this "
            f"certificate was proved in (size {old_size:,}): {message}",
        )
        return
    result.add(
        "log consistency",
        True,
        f"the log served now ({current.size:,} entries, root "
        f"{base64.b64encode(current.root).decode()[:12]}…) extends the certificate's checkpoint",
    )
