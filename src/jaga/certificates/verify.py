"""Verifying a certificate: offline from its QR payload and the log's public key alone; online also
against the registry's current status and the log it serves now.

Each check says what holds or what does not, in words a registrar or a court clerk can act on, and
carries a stable `code` (with its `params`) that the portal words in the page's language. The portal's
`static/verify.js` mirrors `verify_payload` function by function, with the same check names and codes:
`tests/portal/test_verify_corpus.py` runs one corpus through both and compares every check.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from jaga.certificates.payload import CertificateProof, decode
from jaga.errors import JagaError, Unavailable
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
from jaga.ledger.note import Note, Signature, Verifier
from jaga.ledger.policy import PolicySet
from jaga.ledger.proofs import NodeReader
from jaga.witness.source import LogSource

ISSUED_KIND = "certificate.issued"
OFFLINE_CHECKS = ("format", "record", "inclusion", "log signature", "witnesses")
# Online outcomes that contradict the certificate itself: the log it was proved in was forked or rolled back.
FORK_CODES = ("consistency.rollback", "consistency.split", "consistency.checkpoint")

Verdict = Literal["valid", "invalid", "revoked", "amended"]
Online = Literal["current", "revoked", "amended", "unavailable"]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: not checked
    detail: str
    code: str = ""  # e.g. "signature.altered": what the portal translates
    params: Mapping[str, str | int] = field(default_factory=dict)


@dataclass
class Verification:
    checks: list[Check] = field(default_factory=list)
    proof: CertificateProof | None = None
    record: dict[str, Any] | None = None  # the certificate as issued (the event payload)
    root: bytes | None = None
    online: Online | None = None  # the registry's status, once asked

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok is not False for c in self.checks)

    @property
    def verdict(self) -> Verdict:
        """What the portal's `data-verdict` says: invalid if any offline check fails (or the log was
        forked since), else revoked or amended if the registry says so, else valid. A status that could
        not be read leaves the offline verdict standing."""
        offline = [c for c in self.checks if c.name in OFFLINE_CHECKS]
        if not offline or any(c.ok is False for c in offline):
            return "invalid"
        if any(c.code in FORK_CODES for c in self.checks):
            return "invalid"
        if self.online == "revoked" or self.online == "amended":
            return self.online
        return "valid"

    @property
    def content(self) -> dict[str, Any] | None:
        if self.record is None:
            return None
        try:
            value = json.loads(self.record["content"])
        except (KeyError, TypeError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def add(
        self,
        name: str,
        ok: bool | None,
        detail: str,
        code: str = "",
        params: Mapping[str, str | int] | None = None,
    ) -> bool:
        self.checks.append(Check(name, ok, detail, code, dict(params or {})))
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
            "signature.unknown-key",
        )
        return
    for key in matching:
        if key.name == proof.origin and key.verify(text, carried[key.key_id]):
            result.add(
                "log signature",
                True,
                f"checkpoint of {proof.origin} at size {proof.size:,} is signed by log key {key.key_id:08x}",
                "signature.ok",
                {"origin": proof.origin, "size": proof.size},
            )
            return
    result.add(
        "log signature",
        False,
        "the log's signature does not match the root this certificate leads to: its record, salt or "
        "proof was altered after it was issued",
        "signature.altered",
    )


def _witness_check(
    result: Verification, text: str, proof: CertificateProof, witnesses: list[Verifier], minimum: int
) -> None:
    if not witnesses:
        result.add("witnesses", None, "not checked (no witness keys given)", "witnesses.none")
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
    counts = {"good": len(good), "total": len(witnesses), "minimum": minimum}
    result.add("witnesses", ok, detail, "witnesses.ok" if ok else "witnesses.bad", counts)


def _policy_check(result: Verification, text: str, proof: CertificateProof, policy: PolicySet) -> None:
    """The witness check by a tlog-policy: the certificate's checkpoint must meet the quorum of the policy
    in force when it was cosigned (so a certificate issued under a replaced policy still verifies)."""
    # The payload carries key IDs, not names: name each signature after the policy witness with that ID.
    names = {w.verifier.key_id: w.verifier.name for p in policy.policies for w in p.witnesses.values()}
    signatures = tuple(
        Signature(names[key_id], key_id, signature)
        for key_id, signature in proof.signatures
        if key_id in names
    )
    try:
        judgement = policy.judge(Note(text, signatures), now=datetime.now(UTC))
    except LedgerError as exc:
        result.add(
            "witnesses", False, str(exc), "witnesses.bad", {"good": 0, "total": 0, "minimum": "policy"}
        )
        return
    counts: dict[str, str | int] = {
        "good": len(judgement.cosigners),
        "total": len(judgement.policy.witnesses),
        "minimum": "policy",
    }
    code = "witnesses.ok" if judgement.met else "witnesses.bad"
    result.add("witnesses", judgement.met, judgement.describe(), code, counts)


def verify_payload(
    text: str,
    log_keys: list[Verifier],
    witnesses: list[Verifier] | None = None,
    *,
    min_witnesses: int | None = None,
    policy: PolicySet | None = None,
) -> Verification:
    """Offline verification: the payload alone, against the trusted keys."""
    result = Verification()
    try:
        proof = decode(text)
    except LedgerError as exc:
        result.add("format", False, str(exc), "format.bad")
        return result
    result.proof = proof
    result.add(
        "format", True, f"jaga certificate payload v1, log {proof.origin}, entry {proof.index:,}", "format.ok"
    )
    try:
        record = json.loads(proof.payload)
        if not isinstance(record, dict):
            raise ValueError("not an object")
        result.record = record
    except ValueError:
        result.add("record", False, "the record in the payload is not valid JSON", "record.unreadable")
        return result
    entry = EventEntry(proof.seq, ISSUED_KIND, commitment(proof.salt, proof.payload), proof.meta)
    try:
        root = root_from_inclusion(proof.index, proof.size, leaf_hash(entry.encode()), proof.proof)
    except LedgerError as exc:
        result.add("inclusion", False, f"the inclusion proof is malformed: {exc}", "inclusion.malformed")
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
        "inclusion.ok" if signed else "inclusion.bad",
        {"index": proof.index, "size": proof.size},
    )
    if policy is not None:
        _policy_check(result, checkpoint_text, proof, policy)
    else:
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
        result.add("record", False, "the record is not a birth or adoption certificate", "record.kind")
    else:
        result.add(
            "record",
            True,
            f"{kind} certificate {record.get('ref')} issued {record.get('created_at')}",
            "record.ok",
            {"kind": kind},
        )
    return result


def verify_online(result: Verification, base_url: str, log_keys: list[Verifier]) -> None:
    """Add the online checks over HTTP: the registry's status for this certificate (asked by its ref
    alone), and that the log it serves today extends the one the certificate was proved in (no fork, no
    rollback)."""
    if result.proof is None or result.record is None or result.root is None:
        result.add("online", False, "skipped: the offline checks did not get far enough", "online.skipped")
        return
    base = base_url.rstrip("/")
    ref = str(result.record.get("ref", ""))
    try:
        status = json.loads(LogSource(base).read(f"verify/v1/certificates/{ref}"))
        if not isinstance(status, dict):
            raise ValueError("not an object")
    except (JagaError, ValueError) as exc:
        message = exc.message if isinstance(exc, JagaError) else "the answer is not a JSON object"
        result.online = "unavailable"
        result.add(
            "status", False, f"the registry's status could not be read: {message}", "status.unavailable"
        )
    else:
        check_status(result, status)
    source = LogSource(f"{base}/ledger")
    try:
        note = source.checkpoint()
    except (JagaError, UnicodeDecodeError) as exc:
        message = exc.message if isinstance(exc, JagaError) else "it is not UTF-8 text"
        result.add(
            "log consistency",
            False,
            f"the log's current checkpoint could not be read: {message}",
            "consistency.unavailable",
        )
        return
    check_consistency(result, note, source.reader, log_keys)


def check_status(result: Verification, status: Mapping[str, Any]) -> None:
    """Add the `status` check from the registry's public status (the shape of
    `GET /verify/v1/certificates/{ref}`), and set `result.online`."""
    if status.get("status") != "valid":
        superseded = status.get("superseded_by")
        revoked_at = str(status.get("revoked_at") or "?")
        detail = f"REVOKED on {revoked_at}" + (
            f": superseded by certificate {superseded}" if superseded else ""
        )
        result.online = "revoked"
        params = {"revoked_at": revoked_at, **({"superseded_by": str(superseded)} if superseded else {})}
        result.add("status", False, detail, "status.revoked", params)
        return
    later = status.get("later_events", [])
    if not status.get("content_current", False):
        kinds = (
            ", ".join(sorted({str(e.get("kind")) for e in later if isinstance(e, dict)})) or "a correction"
        )
        result.online = "amended"
        result.add(
            "status",
            False,
            f"AMENDED: the registry no longer states what this certificate states (later: {kinds}); "
            "ask the registrar for a current certificate",
            "status.amended",
            {"kinds": kinds},
        )
        return
    result.online = "current"
    result.add(
        "status",
        True,
        "valid: not revoked, and the registry still states exactly what it states"
        + (f" ({len(later)} later events on the records, none changing it)" if later else ""),
        "status.current",
    )


def check_consistency(
    result: Verification, note: str, reader: Callable[[int], NodeReader], log_keys: list[Verifier]
) -> None:
    """Add the `log consistency` check: the log's current signed checkpoint `note` must extend the
    certificate's; `reader(size)` gives the current tree's nodes (its tiles) for the consistency proof."""
    assert result.proof is not None and result.root is not None
    try:
        current, _ = open_checkpoint(note, log_keys, origin=result.proof.origin)
    except LedgerError as exc:
        result.add(
            "log consistency",
            False,
            f"the log's current checkpoint does not verify: {exc}",
            "consistency.checkpoint",
        )
        return
    old_size = result.proof.size
    if current.size < old_size:
        result.add(
            "log consistency",
            False,
            f"the log now shows {current.size:,} entries, fewer than the {old_size:,} this certificate "
            "was proved in: the log was rolled back",
            "consistency.rollback",
            {"size": current.size, "old_size": old_size},
        )
        return
    try:
        if current.size > old_size:
            hashes = consistency_proof(reader(current.size), old_size, current.size)
            verify_consistency(old_size, current.size, hashes, result.root, current.root)
        elif current.root != result.root:
            raise LedgerError("same size, different root")
    except Unavailable as exc:  # the network, not the log: nothing is known either way
        result.add(
            "log consistency",
            False,
            f"the log's tiles could not be read: {exc.message}",
            "consistency.unavailable",
        )
        return
    except (JagaError, LedgerError) as exc:  # a tile missing or wrong, a proof that fails: the log lies
        message = exc.message if isinstance(exc, JagaError) else str(exc)
        result.add(
            "log consistency",
            False,
            f"SPLIT VIEW: the log served now (size {current.size:,}) does not extend the one this "
            f"certificate was proved in (size {old_size:,}): {message}",
            "consistency.split",
            {"size": current.size, "old_size": old_size},
        )
        return
    result.add(
        "log consistency",
        True,
        f"the log served now ({current.size:,} entries, root "
        f"{base64.b64encode(current.root).decode()[:12]}…) extends the certificate's checkpoint",
        "consistency.ok",
        {"size": current.size},
    )
