"""`pack_person`: a person's records, their events, salts and proofs, checkpoints and custody, as one zip.

The reads go through `person_timeline` (role, region, and one audit entry per table with the reason),
so a pack holds exactly what its packer may see. Packing records an `evidence_pack.packed` event that
carries the manifest's SHA-256 and the packer's account, nothing else, so the pack's existence is
provable from the public log; the pack carries that event (`packing.json`), and `sealing` later adds its
proof.

Cosignatures are judged, not taken by their shape: a checkpoint counts as witnessed only if the witness
keys or policy the server is configured with verify it (`WitnessTrust`), and the manifest names the
witnesses that did. With nothing configured, no checkpoint counts as witnessed, and the pack says so.
"""

from __future__ import annotations

import io
import itertools
import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from jaga.access import Action, Actor, check_reason
from jaga.access.models import AuditEntry, Principal
from jaga.certificates.models import Certificate
from jaga.db import EventKind, EventRecord, UnitOfWork
from jaga.db.canonical import to_json_value
from jaga.db.tables import LEDGERED
from jaga.errors import QuorumNotMet, RecordNotFound
from jaga.evidence.format import (
    CERTIFICATES,
    CHECKPOINT_FOLDER,
    CUSTODY,
    FORMAT,
    MANIFEST,
    PACKING,
    PROOFS,
    TIMELINE,
    TIMELINE_PDF,
    canonical_json,
    sha256_hex,
)
from jaga.evidence.models import EvidencePack
from jaga.evidence.pdf import render_timeline
from jaga.evidence.witnessed import PackOptions, choose_checkpoints
from jaga.flags.models import FlagStatusChange
from jaga.flags.services import get_flag
from jaga.ledger import consistency_proof, inclusion_proof, parse_checkpoint_text, parse_note
from jaga.registry import AdoptionCase, Person, Purpose
from jaga.sequencer.store import tile_reader
from jaga.timeline import Entry, person_timeline, records_timeline


@dataclass(frozen=True)
class PackMade:
    content: bytes  # the zip
    manifest_sha256: str
    pack_id: int
    events: int
    checkpoints: list[int]
    witnessed: bool  # every event is proven to a checkpoint the configured witnesses verifiably cosigned
    not_in_log: int  # events of these records the log does not hold yet (not in the pack)
    packing_seq: int = 0  # the pack's own evidence_pack.packed event
    witnesses: list[str] = field(default_factory=list)  # whose cosignatures verified
    warnings: list[str] = field(default_factory=list)  # what a prosecutor must know (said, not hidden)


def _events(session: Session, read: dict[str, list[int]]) -> list[EventRecord]:
    found: list[EventRecord] = []
    for table, ids in sorted(read.items()):
        if table not in LEDGERED or not ids:
            continue  # derived tables (flags) carry no events of their own
        found.extend(
            session.scalars(
                select(EventRecord).where(EventRecord.aggregate == table, EventRecord.aggregate_id.in_(ids))
            )
        )
    return sorted(found, key=lambda e: e.seq)


def event_json(event: EventRecord) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "event_id": event.event_id,
        "kind": event.kind,
        "aggregate": event.aggregate,
        "aggregate_id": event.aggregate_id,
        "recorded_at": to_json_value(event.recorded_at),
        "actor": event.actor_id,
        "salt": event.salt,
        "commitment": event.commitment,
        "payload": json.loads(event.payload),
    }


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "ref": entry.ref,
        "on": to_json_value(entry.on),
        "region_code": entry.region_code,
        "in_scope": entry.in_scope,
        "agency": entry.source.role or "operator",
        "feed": entry.source.feed,
        "in_log": entry.in_log,
        "facts": {
            key: to_json_value(value) if not isinstance(value, float) else value
            for key, value in entry.facts.items()
        },
    }


def _reads(session: Session, read: dict[str, list[int]]) -> list[dict[str, Any]]:
    """Every audit entry that read one of these records: who, when, why, through which door."""
    usernames: dict[int, str] = {
        row[0]: row[1] for row in session.execute(select(Principal.id, Principal.username))
    }
    out: list[dict[str, Any]] = []
    for table, ids in sorted(read.items()):
        wanted = set(ids)
        # The database narrows the entries to those whose id list (json.dumps: "[1, 2, 3]") holds one of
        # the ids as a whole number; Python then checks the parsed list. Parsing every read of a table
        # instead would grow with the whole audit trail.
        mentions = [
            AuditEntry.record_ids.contains(f"{before}{record_id}{after}", autoescape=True)
            for record_id in sorted(wanted)
            for before in ("[", " ")
            for after in (",", "]")
        ]
        query = select(AuditEntry).where(AuditEntry.resource == table, or_(*mentions)).order_by(AuditEntry.id)
        for entry in session.scalars(query.execution_options(yield_per=500)):
            touched = sorted(wanted & set(json.loads(entry.record_ids)))
            if touched:
                out.append(
                    {
                        "at": to_json_value(entry.at),
                        "account": usernames.get(entry.principal_id or 0, "operator"),
                        "action": entry.action,
                        "resource": table,
                        "record_ids": touched,
                        "reason": entry.reason,
                        "channel": entry.channel,
                    }
                )
    return sorted(out, key=lambda r: (r["at"], r["resource"]))


def _certificates(session: Session, read: dict[str, list[int]]) -> list[dict[str, Any]]:
    ids = read.get("certificates", [])
    if not ids:
        return []
    rows = session.scalars(select(Certificate).where(Certificate.id.in_(ids)).order_by(Certificate.id))
    return [
        {
            "ref": c.ref,
            "kind": c.kind,
            "status": c.status,
            "revoked_reason": c.revoked_reason,
            "content": json.loads(c.content),
        }
        for c in rows
    ]


def _zip(files: dict[str, bytes], at: datetime) -> bytes:
    buffer = io.BytesIO()
    stamp = (max(at.year, 1980), at.month, at.day, at.hour, at.minute, at.second)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():  # manifest first, then in the manifest's order
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16  # it names a child: readable by its holder only
            archive.writestr(info, data)
    return buffer.getvalue()


def pack_person(
    uow: UnitOfWork, actor: Actor, person_ref: str, *, purpose: Purpose, options: PackOptions | None = None
) -> PackMade:
    """The evidence pack of person `person_ref` and every record the identity linkage joins to them.

    Raises RoleNotAllowed (not police or court), OutOfRegion, RecordNotFound, InvalidInput (no reason)
    and NotFound (the log has no checkpoint yet). The reads are audited with `purpose` even if packing
    fails later: they happened.
    """
    actor.require(Action.EVIDENCE_PACK)
    check_reason(purpose.reason)
    timeline = person_timeline(uow, actor, person_ref, purpose=purpose)  # region check, audit, commit
    refs = [m.ref for m in timeline.members]
    subject = {"kind": "person", "ref": person_ref}
    return _pack(uow, actor, subject, refs, timeline.entries, timeline.read, purpose, options)


def pack_case(
    uow: UnitOfWork, actor: Actor, case_ref: str, *, purpose: Purpose, options: PackOptions | None = None
) -> PackMade:
    """The evidence pack of adoption case `case_ref`: its child's whole timeline (the case, its steps and
    certificates among them), with the case named as the pack's subject. Raises as `pack_person`."""
    actor.require(Action.EVIDENCE_PACK)
    check_reason(purpose.reason)
    found = uow.session.execute(
        select(AdoptionCase.region_code, Person.ref)
        .join(Person, Person.id == AdoptionCase.child_id)
        .where(AdoptionCase.ref == case_ref)
    ).first()
    if found is None:
        raise RecordNotFound("adoption case", case_ref)
    actor.require_region(found[0], what=f"adoption case {case_ref}")
    subject = {"kind": "adoption_case", "ref": case_ref, "person_ref": found[1]}
    timeline = person_timeline(uow, actor, found[1], purpose=purpose)
    refs = [m.ref for m in timeline.members]
    return _pack(uow, actor, subject, refs, timeline.entries, timeline.read, purpose, options)


def pack_flag(
    uow: UnitOfWork, actor: Actor, flag_id: int, *, purpose: Purpose, options: PackOptions | None = None
) -> PackMade:
    """The evidence pack of flag `flag_id`: the records it names (those in the actor's region in full),
    their events, and the flag's own reviewed status changes. Police only in practice: it needs both
    `evidence:pack` and `flags:read`. Raises as `pack_person`."""
    actor.require(Action.EVIDENCE_PACK)
    reason = check_reason(purpose.reason)
    flag = get_flag(uow, actor, flag_id, reason=reason, channel=purpose.channel)  # region check, audit
    refs = sorted({*flag["records"], flag["subject_ref"]})
    read: dict[str, list[int]] = {}
    entries = records_timeline(uow, actor, refs, purpose=purpose, read=read)
    changes = uow.session.scalars(select(FlagStatusChange.id).where(FlagStatusChange.flag_id == flag_id))
    read["flag_status_changes"] = sorted(changes)
    subject = {"kind": "flag", "ref": f"F-{flag_id}", "flag_kind": flag["kind"]}
    return _pack(uow, actor, subject, refs, entries, read, purpose, options)


def _pack(
    uow: UnitOfWork,
    actor: Actor,
    subject: dict[str, Any],
    refs: list[str],
    entries: list[Entry],
    read: dict[str, list[int]],
    purpose: Purpose,
    options: PackOptions | None,
) -> PackMade:
    """Everything after the audited reads: events, proofs, checkpoints, custody; the pack's own event."""
    reason = check_reason(purpose.reason)
    options = options or PackOptions()
    session = uow.session
    now = uow.clock()
    used = choose_checkpoints(session, options.trust, now)
    records = _events(session, read)
    in_log = [e for e in records if e.seq <= used.latest.size]
    witnessed = used.witnessed is not None and all(e.seq <= used.witnessed.size for e in in_log)
    if options.require_witnessed and not witnessed:
        raise QuorumNotMet(
            f"not every event of this pack is in a checkpoint that {options.trust.describe()} verifies "
            f"({'; '.join(used.warnings) or 'the newest events are not witnessed yet'}); push the latest "
            "checkpoint to the witnesses (`jaga ledger witness-push`) and pack again"
        )
    reader = tile_reader(session, used.latest.size)
    inclusion = [
        {
            "seq": e.seq,
            "tree_size": used.proof_size(e.seq),
            "hashes": [h.hex() for h in inclusion_proof(reader, e.seq - 1, used.proof_size(e.seq))],
        }
        for e in in_log
    ]
    checkpoints = used.used()
    consistency = [
        {
            "old_size": old.size,
            "new_size": new.size,
            "hashes": [h.hex() for h in consistency_proof(reader, old.size, new.size)],
        }
        for old, new in itertools.pairwise(checkpoints)
    ]
    timeline_value = {
        "subject": subject,
        "records": refs,
        "entries": [_entry_json(e) for e in entries],
        "events": [event_json(e) for e in in_log],
    }
    custody = {
        "packed_by": {
            "account": actor.username,
            "role": actor.role.value,
            "region_scope": actor.region_scope,
            "official_ref": actor.official_ref,
        },
        "packed_at": to_json_value(now),
        "reason": reason,
        "channel": purpose.channel,
        "subject": subject,
        "reads": _reads(session, read),
    }
    listed = [
        {
            "size": c.size,
            "file": f"{CHECKPOINT_FOLDER}{c.size}.txt",
            "witnessed": c.verdict.witnessed is True,
            "witnesses": list(c.verdict.witnesses),  # whose cosignatures the server verified
            "witness_check": c.verdict.detail,
        }
        for c in checkpoints
    ]
    files: dict[str, bytes] = {
        TIMELINE: canonical_json(timeline_value),
        TIMELINE_PDF: render_timeline(timeline_value, custody, listed),
        PROOFS: canonical_json({"inclusion": inclusion, "consistency": consistency}),
        CERTIFICATES: canonical_json({"certificates": _certificates(session, read)}),
        CUSTODY: canonical_json(custody),
    }
    for checkpoint in checkpoints:
        files[f"{CHECKPOINT_FOLDER}{checkpoint.size}.txt"] = checkpoint.note.encode("utf-8")
    origin = parse_checkpoint_text(parse_note(used.latest.note).text).origin
    manifest = canonical_json(
        {
            "format": FORMAT,
            "origin": origin,
            "subject": subject,
            "packed_at": to_json_value(now),
            "files": [{"name": name, "sha256": sha256_hex(data)} for name, data in files.items()],
            "checkpoints": listed,
            "unwitnessed": used.witnessed is None,
            "events": [e.seq for e in in_log],
            "events_not_yet_in_log": len(records) - len(in_log),
        }
    )
    digest = sha256_hex(manifest)
    row = EvidencePack(manifest_sha256=digest, packed_by=actor.principal_id, packed_at=now)
    session.add(row)
    session.flush()
    uow.record(EventKind.EVIDENCE_PACK_PACKED, row, actor_id=actor.principal_id)
    uow.commit()
    # The pack carries its own event beside the manifest (the event holds the manifest's hash, so the
    # manifest cannot hold it): what `jaga evidence seal` later proves in the log.
    packing = packing_event(session, row.id)
    return PackMade(
        content=_zip({MANIFEST: manifest, **files, PACKING: canonical_json(event_json(packing))}, now),
        manifest_sha256=digest,
        pack_id=row.id,
        events=len(in_log),
        checkpoints=[c.size for c in checkpoints],
        witnessed=witnessed,
        not_in_log=len(records) - len(in_log),
        packing_seq=packing.seq,
        witnesses=sorted({w for c in checkpoints for w in c.verdict.witnesses}),
        warnings=used.warnings,
    )


def packing_event(session: Session, pack_id: int) -> EventRecord:
    """The `evidence_pack.packed` event of pack `pack_id`."""
    return session.scalars(
        select(EventRecord).where(
            EventRecord.aggregate == EvidencePack.__tablename__, EventRecord.aggregate_id == pack_id
        )
    ).one()
