"""Verify an evidence pack offline: no database, no network, only the pack and the keys one trusts.

Pure: imports the standard library and `jaga.ledger` only (import-linter checks it), so that it runs on a
court's laptop. Every check is reported, passed or failed, and a failure names its place: the file, the
event (by its log sequence number and record) or the checkpoint (by its tree size).

What a pack proves, and what it cannot: each event's record and salt hash to the commitment the log
holds at that sequence number, under a checkpoint signed by the log's key (and cosigned by witnesses,
if the pack says so and their keys or a policy are given). Whether the pack holds *every* event of the
person is vouched for by its manifest, whose SHA-256 the log also holds (the `evidence_pack.packed`
event): a sealed pack carries that event's proof (`jaga.evidence.seal`), which rules out a pack rewritten
as a whole; an unsealed one is said to be so, and its manifest hash must be compared with the log by hand.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from jaga.evidence.format import (
    CERTIFICATES,
    CHECKPOINT_FOLDER,
    CUSTODY,
    FORMAT,
    MANIFEST,
    MAX_MEMBER_BYTES,
    PACKING,
    PROOFS,
    SEAL,
    SIBLINGS,
    TIMELINE,
    TIMELINE_PDF,
    canonical_json,
    event_header,
    event_leaf,
    is_cosigned,
    sha256_hex,
)
from jaga.evidence.seal import SealInput, check_packing, check_seal, read_json
from jaga.evidence.trust import WitnessTrust
from jaga.ledger import Checkpoint, LedgerError, Note, open_checkpoint, verify_consistency, verify_inclusion
from jaga.ledger.note import Verifier
from jaga.ledger.policy import PolicySet

__all__ = [  # the format's names, re-exported for the registry side and tests
    "CERTIFICATES",
    "CHECKPOINT_FOLDER",
    "CUSTODY",
    "FORMAT",
    "MANIFEST",
    "PROOFS",
    "TIMELINE",
    "TIMELINE_PDF",
    "Check",
    "PackReport",
    "canonical_json",
    "event_header",
    "event_leaf",
    "is_cosigned",
    "sha256_hex",
    "verify_pack",
]


@dataclass(frozen=True)
class Check:
    name: str  # where: a file, `event 123 (births#4)`, `checkpoint 900`
    ok: bool | None  # None: not checked, or a warning (shown, not a failure)
    detail: str


@dataclass
class PackReport:
    checks: list[Check] = field(default_factory=list)
    manifest_sha256: str = ""
    subject: dict[str, Any] = field(default_factory=dict)
    events: int = 0
    sealed: bool = False  # the log's proof that the registry made this pack is in it, and holds

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok is not False for c in self.checks)

    @property
    def failures(self) -> list[str]:
        return [f"{c.name}: {c.detail}" for c in self.checks if c.ok is False]

    def add(self, name: str, ok: bool | None, detail: str) -> None:
        self.checks.append(Check(name, ok, detail))


class _Stop(Exception):
    """The pack is too broken to check further (reported already)."""


def verify_pack(
    data: bytes,
    log_keys: Sequence[Verifier],
    witness_keys: Sequence[Verifier] = (),
    *,
    policy: PolicySet | None = None,
    now: datetime | None = None,
) -> PackReport:
    """Check everything in the pack `data` (a zip) against the log's keys and the trusted witnesses: their
    keys, or a C2SP tlog-policy whose quorum each checkpoint an event is proven to must meet (judged by the
    policy in force when it was cosigned; `now` bounds that time, default the clock)."""
    trust = WitnessTrust(tuple(witness_keys), policy)
    report = _Verification(PackReport(), list(log_keys), trust, now or datetime.now(UTC))
    with contextlib.suppress(_Stop):
        try:
            report.run(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            # A pack is untrusted input: a field of the wrong shape is a failed check, never a crash.
            report.fail("pack", f"malformed: {type(exc).__name__} {exc} (after the checks above)")
    return report.report


@dataclass
class _Verification:
    report: PackReport
    log_keys: list[Verifier]
    trust: WitnessTrust
    now: datetime
    files: dict[str, bytes] = field(default_factory=dict)
    roots: dict[int, Checkpoint] = field(default_factory=dict)

    def fail(self, name: str, detail: str) -> None:
        self.report.add(name, False, detail)

    def run(self, data: bytes) -> None:
        manifest = self._read(data)
        self._files(manifest)
        proofs = self._json(PROOFS)
        proven_to = {int(p["tree_size"]) for p in proofs.get("inclusion", [])}
        self._checkpoints(manifest, proven_to)
        self._consistency(manifest, proofs)
        self._events(manifest, proofs)
        self._seal(manifest)

    def _seal(self, manifest: dict[str, Any]) -> None:
        facts = SealInput(
            manifest,
            self.report.manifest_sha256,
            str(manifest.get("origin", "")),
            self.roots,
            self.log_keys,
            self.trust,
            self.now,
        )
        try:
            packing, seal = read_json(self.files.get(PACKING)), read_json(self.files.get(SEAL))
        except (UnicodeDecodeError, ValueError) as exc:
            self.fail("seal", f"{PACKING} or {SEAL} is not a JSON object ({exc})")
            return
        event = check_packing(self.report.add, facts, packing)
        if event is None:
            if seal is not None:
                self.fail(SEAL, f"a seal needs this pack's packing event ({PACKING}) to check it against")
            else:
                self.report.add("seal", None, "UNSEALED: compare the manifest SHA-256 with the log by hand")
            return
        self.report.sealed = check_seal(self.report.add, facts, event, seal)

    # --- the zip and its manifest ---------------------------------------------------------------

    def _read(self, data: bytes) -> dict[str, Any]:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
            names = [i.filename for i in infos]
            if len(set(names)) != len(names):
                dup = sorted({n for n in names if names.count(n) > 1})
                self.fail("pack", f"the zip holds {', '.join(dup)} more than once")
                raise _Stop
            for info in infos:
                if info.file_size > MAX_MEMBER_BYTES:
                    self.fail(info.filename, f"{info.file_size} bytes, more than a pack file may hold")
                    raise _Stop
                self.files[info.filename] = archive.read(info)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            self.fail("pack", f"not a readable zip file ({type(exc).__name__})")
            raise _Stop from exc
        if MANIFEST not in self.files:
            self.fail(MANIFEST, "missing from the pack")
            raise _Stop
        self.report.manifest_sha256 = sha256_hex(self.files[MANIFEST])
        manifest = self._json(MANIFEST)
        if manifest.get("format") != FORMAT:
            self.fail(MANIFEST, f"format is {manifest.get('format')!r}, expected {FORMAT!r}")
            raise _Stop
        self.report.subject = dict(manifest.get("subject") or {})
        return manifest

    def _json(self, name: str) -> dict[str, Any]:
        raw = self.files.get(name)
        if raw is None:
            self.fail(name, "missing from the pack")
            raise _Stop
        try:
            value = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.fail(name, f"not valid JSON ({exc})")
            raise _Stop from exc
        if not isinstance(value, dict):
            self.fail(name, "not a JSON object")
            raise _Stop
        return value

    def _files(self, manifest: dict[str, Any]) -> None:
        listed = {str(f["name"]): str(f["sha256"]) for f in manifest.get("files", [])}
        for name in sorted(set(self.files) - set(listed) - {MANIFEST} - SIBLINGS):
            self.fail(name, "in the pack but not listed in manifest.json (added)")
        for name, expected in sorted(listed.items()):
            if name not in self.files:
                self.fail(name, "listed in manifest.json but missing from the pack (removed)")
            elif sha256_hex(self.files[name]) != expected:
                self.fail(name, f"SHA-256 is {sha256_hex(self.files[name])}, manifest.json says {expected}")
            else:
                self.report.add(name, True, "SHA-256 matches manifest.json")

    # --- checkpoints, witnesses, consistency ------------------------------------------------------

    def _checkpoints(self, manifest: dict[str, Any], proven_to: set[int]) -> None:
        origin = str(manifest.get("origin", ""))
        for listed in manifest.get("checkpoints", []):
            size, file = int(listed["size"]), str(listed["file"])
            where = f"checkpoint {size}"
            raw = self.files.get(file)
            if raw is None:
                self.fail(where, f"{file} is missing")
                continue
            try:
                checkpoint, note = open_checkpoint(raw, self.log_keys, origin=origin)
            except LedgerError as exc:
                self.fail(where, f"{file} is not a checkpoint signed by the given log key: {exc}")
                continue
            if checkpoint.size != size:
                self.fail(where, f"{file} is a checkpoint of size {checkpoint.size}, not {size}")
                continue
            self.roots[size] = checkpoint
            self.report.add(where, True, f"signed by the log ({origin})")
            self._witnesses(where, note, bool(listed.get("witnessed")), size in proven_to)

    def _witnesses(self, where: str, note: Note, claimed: bool, proves_events: bool) -> None:
        if self.trust.policy is not None:
            # A policy says what the court requires: a checkpoint that events are proven to must meet its
            # quorum; one that only links two others is reported, not failed.
            verdict = self.trust.judge(note, now=self.now)
            if verdict.witnessed or proves_events:
                self.report.add(where, verdict.witnessed, verdict.detail)
            else:
                self.report.add(where, None, f"{verdict.detail} (no event is proven to it)")
            return
        if not claimed:
            self.report.add(where, None, "not witnessed: only the log operator vouches for this checkpoint")
            return
        if not self.trust.configured:
            self.report.add(
                where,
                None,
                "cosigned, but not checked: give the witnesses' keys (--witness-vkey) or --policy",
            )
            return
        verdict = self.trust.judge(note, now=self.now)
        if verdict.witnessed:
            self.report.add(where, True, verdict.detail)
        else:
            self.fail(where, "manifest.json says witnessed, but no given witness key's cosignature verifies")

    def _consistency(self, manifest: dict[str, Any], proofs: dict[str, Any]) -> None:
        sizes = sorted(self.roots)
        given = {(int(p["old_size"]), int(p["new_size"])): p for p in proofs.get("consistency", [])}
        for old, new in itertools.pairwise(sizes):
            where = f"consistency {old} → {new}"
            proof = given.pop((old, new), None)
            if proof is None:
                self.fail(where, "proofs.json holds no consistency proof between these checkpoints")
                continue
            try:
                hashes = [bytes.fromhex(h) for h in proof["hashes"]]
                verify_consistency(old, new, hashes, self.roots[old].root, self.roots[new].root)
            except (LedgerError, ValueError) as exc:
                self.fail(where, f"does not verify: {exc}")
                continue
            self.report.add(where, True, f"the log of size {new} extends the log of size {old}")
        for old, new in sorted(given):
            self.fail(f"consistency {old} → {new}", "proofs.json holds it, but not both checkpoints verify")

    # --- events ---------------------------------------------------------------------------------

    def _events(self, manifest: dict[str, Any], proofs: dict[str, Any]) -> None:
        timeline = self._json(TIMELINE)
        events = timeline.get("events", [])
        listed = [int(s) for s in manifest.get("events", [])]
        seqs = [int(e.get("seq", 0)) for e in events]
        self.report.events = len(events)
        for position, (before, after) in enumerate(itertools.pairwise(seqs), start=2):
            if after <= before:
                self.fail(TIMELINE, f"event {after} at position {position} is out of order (after {before})")
        for seq in sorted(set(listed) - set(seqs)):
            self.fail(f"event {seq}", "listed in manifest.json but missing from timeline.json (removed)")
        for seq in sorted(set(seqs) - set(listed)):
            self.fail(f"event {seq}", "in timeline.json but not listed in manifest.json (added)")
        inclusion = {int(p["seq"]): p for p in proofs.get("inclusion", [])}
        for seq in sorted(set(inclusion) - set(seqs)):
            self.fail(PROOFS, f"holds a proof for event {seq}, which timeline.json lacks (removed)")
        for event in events:
            self._event(event, inclusion.get(int(event.get("seq", 0))))

    def _event(self, event: dict[str, Any], proof: dict[str, Any] | None) -> None:
        where = f"event {event.get('seq')} ({event.get('aggregate')}#{event.get('aggregate_id')})"
        try:
            committed, leaf = event_leaf(event)
        except (KeyError, ValueError, TypeError, LedgerError) as exc:
            self.fail(where, f"malformed in timeline.json ({type(exc).__name__}: {exc})")
            return
        if committed.hex() != event.get("commitment"):
            self.fail(where, f"its record and salt hash to {committed.hex()}, not to its stated commitment")
            return
        if proof is None:
            self.fail(where, "proofs.json holds no inclusion proof for it")
            return
        size = int(proof["tree_size"])
        checkpoint = self.roots.get(size)
        if checkpoint is None:
            self.fail(where, f"its proof leads to checkpoint {size}, which the pack does not hold verified")
            return
        try:
            hashes = [bytes.fromhex(h) for h in proof["hashes"]]
            verify_inclusion(int(event["seq"]) - 1, size, leaf, hashes, checkpoint.root)
        except (LedgerError, ValueError) as exc:
            self.fail(where, f"not proven in checkpoint {size}: {exc}")
            return
        self.report.add(where, True, f"{event['kind']}: commitment recomputed, included in checkpoint {size}")
