"""The server side of `jaga field`: enrolling and revoking devices, receiving their signed batches,
and the queue of conflicts. One use case per function; each checks the actor's role and region.

Receiving a batch, in order (the first failure refuses the whole batch, and nothing is written):
1. the device is enrolled and not revoked, and lies in the courier's region;
2. every event is a well-formed envelope of that device, signed by its enrolled key;
3. the events form one chain (positions consecutive, each naming its predecessor's hash, time never
   going back), which extends what the server holds for the device without a gap or a fork;
4. events the server holds already, byte for byte, answer "already have it"; an event id it holds with
   other content is a 409 that stores the new version beside the old one (a conflict record);
5. each new event is validated by the registry's own schema and written by the registry's own use
   case as its officer (roles and regions apply as for any write); an event whose child NIK or
   person NIK the registry holds already is kept in the conflict queue with a field-by-field diff
   instead (legal-status fields are never merged automatically), and so is one the registry refuses
   as a conflict with stored records, and one that names a record a held event would make (held as
   depending on it, and released when that event is applied). Any other refusal refuses the batch,
   with a report per event.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from jaga.access import Action, Actor, Principal, check_reason
from jaga.access.services import actor_for_principal
from jaga.db import EventKind, UnitOfWork
from jaga.errors import (
    BatchRefused,
    ChainBroken,
    Conflict,
    DeviceNotEnrolled,
    DeviceRevoked,
    EventContentConflict,
    InvalidInput,
    JagaError,
    RecordNotFound,
)
from jaga.field.batch import parse_batch
from jaga.field.chain import GENESIS, Envelope, SignedEvent, read_envelope, verify_signature
from jaga.field.models import FieldConflict, FieldDevice, FieldDeviceChange, FieldEvent
from jaga.field.node import FIELD_KINDS
from jaga.ledger import LedgerError, parse_vkey
from jaga.ledger.note import Ed25519Verifier
from jaga.regions import load_directory, within
from jaga.registry import FROM_FILE, KINDS, Batch, Person, RowProblem

# Fields of a person record that carry legal status or identity: shown flagged in a conflict's diff,
# and never merged automatically (nothing is merged automatically in this version).
LEGAL_FIELDS = frozenset({"nik", "full_name", "sex", "birth_date", "nationality", "kk_number", "mother_nik"})

# A field record's fields -> the central person's columns, per kind, for the NIK conflict's diff.
_PERSON_FIELDS: dict[str, dict[str, str]] = {
    "people": {
        name: name
        for name in (
            "nik",
            "full_name",
            "sex",
            "birth_date",
            "nationality",
            "kk_number",
            "religion",
            "address",
            "address_region_code",
            "phone",
            "mother_name",
            "mother_nik",
        )
    },
    "births": {"child_nik": "nik", "child_name": "full_name", "child_sex": "sex", "born_on": "birth_date"},
}
_NIK_FIELD = {"people": "nik", "births": "child_nik"}


@dataclass
class BatchReport:
    """What became of each event of a batch: applied, already-have, or held (in the conflict queue)."""

    device: str
    events: list[dict[str, Any]] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for e in self.events if e["outcome"] == outcome)

    def as_dict(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "applied": self.count("applied"),
            "already_have": self.count("already-have"),
            "held": self.count("held"),
            "events": self.events,
        }


# --- devices ------------------------------------------------------------------------------------------


def enrol_device(
    uow: UnitOfWork, *, actor: Actor, vkey: str, office: str, reason: str, region: str | None
) -> FieldDevice:
    """Enrol a device's public key for an office in the admin's region (default: the admin's scope)."""
    actor.require(Action.FIELD_DEVICES_MANAGE)
    reason = check_reason(reason)
    if not office.strip() or len(office.strip()) > 64:
        raise InvalidInput("the office ref must be 1 to 64 characters")
    given = region if region is not None else actor.region_scope
    if not given:
        raise InvalidInput("--region is required: your account covers the whole country")
    code = load_directory().require(given).code
    actor.require_region(code, what="the field office", given=True)
    try:
        verifier = parse_vkey(vkey.strip())
    except LedgerError as exc:
        raise InvalidInput(f"device key: {exc}") from exc
    if not isinstance(verifier, Ed25519Verifier):
        raise InvalidInput("device key: not an Ed25519 key (a witness key was given?)")
    session = uow.session
    if session.scalar(select(FieldDevice.id).where(FieldDevice.device_id == verifier.name)) is not None:
        raise Conflict(f"device {verifier.name} is already enrolled (a revoked device is never re-enrolled)")
    device = FieldDevice(
        device_id=verifier.name,
        vkey=verifier.vkey(),
        office_ref=office.strip(),
        region_code=code,
        reason=reason,
        enrolled_by=actor.principal_id,
        enrolled_at=uow.clock(),
        last_seq=0,
        last_hash="",
    )
    session.add(device)
    _ledger_change(uow, actor, device, "enrolled", EventKind.FIELD_DEVICE_ENROLLED)
    uow.commit()
    return device


def revoke_device(uow: UnitOfWork, *, actor: Actor, device_id: str, reason: str) -> FieldDevice:
    """Revoke a device: its batches are refused from now on (what it sent before stays)."""
    actor.require(Action.FIELD_DEVICES_MANAGE)
    reason = check_reason(reason)
    device = uow.session.scalar(select(FieldDevice).where(FieldDevice.device_id == device_id))
    if device is None:
        raise RecordNotFound("field device", device_id)
    actor.require_region(device.region_code, what=f"field device {device_id}")
    if device.revoked_at is None:
        device.revoked_at = uow.clock()
        device.revoked_by = actor.principal_id
        device.revoke_reason = reason
        _ledger_change(uow, actor, device, "revoked", EventKind.FIELD_DEVICE_REVOKED)
    uow.commit()
    return device


def _ledger_change(uow: UnitOfWork, actor: Actor, device: FieldDevice, change: str, kind: EventKind) -> None:
    """A device's enrolment or revocation as a ledgered row: its key, office, region, who and when; no
    personal data (the admin's reason stays in field_devices)."""
    row = FieldDeviceChange(
        device_id=device.device_id,
        change=change,
        vkey=device.vkey,
        office_ref=device.office_ref,
        region_code=device.region_code,
        changed_by=actor.principal_id,
        changed_at=uow.clock(),
    )
    uow.session.add(row)
    uow.session.flush()
    uow.record(kind, row, actor_id=actor.principal_id)


def list_devices(uow: UnitOfWork, *, actor: Actor) -> list[FieldDevice]:
    actor.require(Action.FIELD_DEVICES_MANAGE)
    devices = uow.session.scalars(select(FieldDevice).order_by(FieldDevice.id)).all()
    return [d for d in devices if within(d.region_code, actor.region_scope)]


# --- batches ------------------------------------------------------------------------------------------


def receive_batch(uow: UnitOfWork, *, actor: Actor, data: bytes | str) -> BatchReport:
    """Verify and apply one device's batch, all or nothing (see the module's docstring).

    Raises BatchInvalid (the file), DeviceNotEnrolled / DeviceRevoked (403), EventSignatureInvalid or
    ChainBroken (422, verification failed), EventContentConflict (409, the new version stored),
    BatchRefused (422, a report per event).
    """
    actor.require(Action.FIELD_SYNC)
    batch = parse_batch(data)
    session = uow.session
    device = session.scalar(
        select(FieldDevice).where(FieldDevice.device_id == batch.device).with_for_update()
    )
    if device is None:
        raise DeviceNotEnrolled(f"device {batch.device} is not enrolled on this server")
    if device.revoked_at is not None:
        raise DeviceRevoked(
            f"device {batch.device} was revoked on {device.revoked_at:%Y-%m-%d}; its batches are refused"
        )
    actor.require_region(device.region_code, what=f"field device {batch.device}")
    report = BatchReport(device.device_id)
    if not batch.events:
        return report
    envelopes = _verified(batch.events, device)
    new = _against_server(uow, device, batch.events, envelopes, report)
    if new:
        _apply(uow, actor, device, new, report)
    try:
        uow.commit()
    except IntegrityError as exc:  # another import of the same events committed first
        raise Conflict(
            f"another batch from device {device.device_id} was stored at the same time; send this one "
            "again (what is stored answers already-have)"
        ) from exc
    return report


def _verified(events: Sequence[SignedEvent], device: FieldDevice) -> list[Envelope]:
    """Every envelope read, its signature checked and the batch's own chain followed."""
    verifier = parse_vkey(device.vkey)
    assert isinstance(verifier, Ed25519Verifier)
    envelopes: list[Envelope] = []
    for position, event in enumerate(events, start=1):
        envelope = read_envelope(event, position)
        label = f"event {position} ({envelope.event_id})"
        verify_signature(event, verifier, label)
        if envelope.device != device.device_id:
            raise ChainBroken(
                f"{label}: signed as device {envelope.device}, in a batch of {device.device_id}"
            )
        if envelopes:
            before, previous = envelopes[-1], events[position - 2]
            if envelope.seq != before.seq + 1:
                raise ChainBroken(
                    f"{label}: at chain position {envelope.seq} after position {before.seq}: "
                    "events are missing or out of order"
                )
            if envelope.prev != previous.hash:
                raise ChainBroken(f"{label}: does not name the previous event's hash (reordered or altered)")
            if envelope.created_at < before.created_at:
                raise ChainBroken(f"{label}: created before the event it follows (back-dated)")
        elif envelope.seq == 1 and envelope.prev != GENESIS:
            raise ChainBroken(f"{label}: the first event of a chain must name no predecessor")
        envelopes.append(envelope)
    return envelopes


def _against_server(
    uow: UnitOfWork,
    device: FieldDevice,
    events: Sequence[SignedEvent],
    envelopes: Sequence[Envelope],
    report: BatchReport,
) -> list[tuple[int, Envelope, SignedEvent]]:
    """The events the server does not hold yet; held ones are reported already-have. A held id with
    other content stores the new version as a conflict and raises EventContentConflict."""
    session = uow.session
    ids = [e.event_id for e in envelopes]
    seqs = [e.seq for e in envelopes]
    held = {
        row.event_id: row
        for row in session.scalars(select(FieldEvent).where(FieldEvent.event_id.in_(ids))).all()
    }
    at_seq = {
        row.seq: row
        for row in session.scalars(
            select(FieldEvent).where(FieldEvent.device_id == device.device_id, FieldEvent.seq.in_(seqs))
        ).all()
    }
    new: list[tuple[int, Envelope, SignedEvent]] = []
    mismatched: list[tuple[Envelope, SignedEvent]] = []
    for position, (envelope, event) in enumerate(zip(envelopes, events, strict=True), start=1):
        stored = held.get(envelope.event_id)
        if stored is not None:
            if stored.hash == event.hash:
                report.events.append(_entry(position, envelope, "already-have"))
            else:
                mismatched.append((envelope, event))
            continue
        other = at_seq.get(envelope.seq)
        if other is not None:
            raise ChainBroken(
                f"event {position} ({envelope.event_id}): the server holds event {other.event_id} at "
                f"position {envelope.seq} of device {device.device_id}'s chain (a fork)"
            )
        new.append((position, envelope, event))
    if mismatched:
        uow.rollback()
        for envelope, event in mismatched:
            reason = "the server holds this event id with other content"
            uow.session.add(_conflict(uow, device, envelope, event, "content-mismatch", reason))
        uow.commit()
        listed = [e.event_id for e, _ in mismatched]
        raise EventContentConflict(
            f"{len(listed)} event id(s) already held with other content ({', '.join(listed[:5])}); "
            "both versions are kept for review, nothing else in the batch was written",
            listed,
        )
    if new:
        first = new[0][1]
        expected_prev = device.last_hash or GENESIS
        label = f"event {new[0][0]} ({first.event_id})"
        if first.seq != device.last_seq + 1:
            raise ChainBroken(
                f"{label}: at chain position {first.seq}, but the server holds device "
                f"{device.device_id}'s chain up to position {device.last_seq}: events are missing"
            )
        if first.prev != expected_prev:
            raise ChainBroken(f"{label}: does not follow the last event the server holds for this device")
        if device.last_created_at is not None and first.created_at < device.last_created_at:
            raise ChainBroken(f"{label}: created before the event it follows (back-dated)")
    return new


def _apply(
    uow: UnitOfWork,
    courier: Actor,
    device: FieldDevice,
    new: Sequence[tuple[int, Envelope, SignedEvent]],
    report: BatchReport,
) -> None:
    session = uow.session
    officers: dict[str, Actor | None] = {}
    refused: list[dict[str, Any]] = []
    # Consecutive events of one kind by one officer are written by one call of the kind's use case (a
    # batch write, as an import's chunk is): one call per event cost twenty times the import's rate.
    results: dict[int, tuple[str, str | None, str | None]] = {}
    held_refs = held_records(uow, device.device_id)
    for _, run in groupby(new, key=lambda item: (item[1].kind, item[1].officer)):
        results.update(_apply_run(uow, officers, device, list(run), held_refs))
    for position, envelope, event in new:
        entry = _entry(position, envelope, "applied")
        outcome, reason, record_ref = results[position]
        entry["outcome"] = outcome
        if reason is not None:
            entry["reason"] = reason
        if record_ref is not None:
            entry["record_ref"] = record_ref
        report.events.append(entry)
        if outcome == "refused":
            refused.append(entry)
            continue
        session.add(
            FieldEvent(
                event_id=envelope.event_id,
                device_id=device.device_id,
                seq=envelope.seq,
                kind=envelope.kind,
                officer=envelope.officer,
                created_at=envelope.created_at,
                prev_hash=envelope.prev,
                hash=event.hash,
                envelope=event.envelope,
                signature=event.signature,
                received_at=uow.clock(),
                received_by=courier.principal_id,
                outcome=outcome,
                record_ref=record_ref,
            )
        )
    if refused:
        uow.rollback()
        for entry in report.events:  # rolled back with the rest: stored nothing
            if entry["outcome"] in ("applied", "held"):
                entry.update(outcome="not-written", reason="not written: the batch was refused")
                entry.pop("record_ref", None)
        raise BatchRefused(
            f"batch from device {device.device_id} refused: {len(refused)} of {len(new)} new event(s) "
            f"refused (first: event {refused[0]['position']}, {refused[0]['reason']}); nothing was written",
            report.events,
        )
    last_envelope, last_event = new[-1][1], new[-1][2]
    device.last_seq = last_envelope.seq
    device.last_hash = last_event.hash
    device.last_created_at = last_envelope.created_at


@dataclass(frozen=True)
class _Held:
    kind: str
    reason: str
    diff: list[dict[str, Any]] | None = None
    depends_on: str | None = None


def _apply_run(
    uow: UnitOfWork,
    officers: dict[str, Actor | None],
    device: FieldDevice,
    run: Sequence[tuple[int, Envelope, SignedEvent]],
    held_refs: dict[str, str],
) -> dict[int, tuple[str, str | None, str | None]]:
    """(outcome, reason, record ref) by position for a run of events of one kind and officer: applied,
    held (a conflict row added) or refused. `held_refs` (record ref -> the held event that would make
    it) grows with each event held here, so a later event naming its record is held too."""
    kind, officer_name = run[0][1].kind, run[0][1].officer
    spec = KINDS.get(kind) if kind in FIELD_KINDS else None
    officer = officer_actor(uow, officers, officer_name)
    if spec is None:
        return {p: ("refused", f"kind {kind!r} is not recorded in the field", None) for p, _, _ in run}
    if officer is None:
        reason = f"officer {officer_name!r} has no active account on this server"
        return {p: ("refused", reason, None) for p, _, _ in run}
    batch = Batch(uow, officer)
    results: dict[int, tuple[str, str | None, str | None]] = {}
    held: dict[int, _Held] = {}
    rows: list[tuple[int, Any]] = []
    central = _central_people(uow, [envelope for _, envelope, _ in run])
    for position, envelope, _ in run:
        try:
            data = spec.schema.model_validate(
                envelope.payload, context={"today": batch.today, FROM_FILE: False}
            )
        except ValidationError as exc:
            fields = sorted({str(e["loc"][0]) for e in exc.errors(include_input=False) if e.get("loc")})
            results[position] = ("refused", "invalid " + (", ".join(fields) if fields else "record"), None)
            continue
        blocker = blocking_event(envelope, held_refs)
        diff = _nik_conflict(envelope, central) if blocker is None else None
        if blocker is not None:
            held[position] = _Held(DEPENDS, f"depends on held event {blocker}", depends_on=blocker)
        elif diff is not None:
            held[position] = _Held("nik-registered", "the NIK is already registered centrally", diff)
        else:
            rows.append((position, data))
            continue
        held_refs.update(dict.fromkeys(created_refs(envelope), envelope.event_id))
    if rows:
        try:
            written = spec.write(batch, rows)
        except JagaError as exc:  # refused before any row was looked at (the officer's role, say)
            return {p: ("refused", exc.message, None) for p, _, _ in run}
        problems: dict[int, list[RowProblem]] = {}
        for problem in written.problems:
            problems.setdefault(problem.row, []).append(problem)
        refs = iter(written.refs)  # one per row written, in the order given
        for position, _ in rows:
            found = problems.get(position)
            if not found:
                results[position] = ("applied", None, next(refs, None))
                continue
            reasons = "; ".join(f"{p.field or 'record'}: {p.reason}" for p in found)
            if all(p.category == "conflict" for p in found):
                held[position] = _Held("registry-conflict", reasons)
                envelope = next(e for p, e, _ in run if p == position)
                held_refs.update(dict.fromkeys(created_refs(envelope), envelope.event_id))
            else:
                results[position] = ("refused", reasons, None)
    for position, envelope, event in run:
        if position in held:
            hold = held[position]
            conflict = _conflict(uow, device, envelope, event, hold.kind, hold.reason, hold.diff)
            conflict.depends_on = hold.depends_on
            uow.session.add(conflict)
            results[position] = ("held", hold.reason, None)
    return results


# A field event held only because it names a record that a held event would make (a birth whose mother
# is held, the relinquishment of a child whose birth is held): applying it alone would fail or attach it
# to nothing, and applying it silently would let a record through that a supervisor never saw.
DEPENDS = "depends-on-held"


def created_refs(envelope: Envelope) -> list[str]:
    """The refs of the records an event makes (a person's ref; a birth's ref and its child's)."""
    names = FIELD_KINDS.get(envelope.kind, {})
    return [value for name in names if isinstance(value := envelope.payload.get(name), str)]


def blocking_event(envelope: Envelope, held_refs: dict[str, str]) -> str | None:
    """The held event whose record this event names (any `*_ref` field it does not make), or None."""
    made = FIELD_KINDS.get(envelope.kind, {})
    for name, value in envelope.payload.items():
        if name.endswith("_ref") and name not in made and isinstance(value, str) and value in held_refs:
            return held_refs[value]
    return None


def held_records(uow: UnitOfWork, device_id: str, *, besides: int | None = None) -> dict[str, str]:
    """Record ref -> the id of the held event that would make it, for the device's events held for a
    supervisor and not applied (open, or dismissed: their records will never exist). A device's events
    name only records made on the device or central ones, so its own conflicts are all that count."""
    query = select(FieldConflict).where(
        FieldConflict.device_id == device_id,
        FieldConflict.status.in_(("open", "dismissed")),
        FieldConflict.kind != "content-mismatch",
    )
    refs: dict[str, str] = {}
    for conflict in uow.session.scalars(query).all():
        if conflict.id == besides:
            continue
        envelope = read_envelope(SignedEvent(conflict.envelope, conflict.signature), 1)
        refs.update(dict.fromkeys(created_refs(envelope), envelope.event_id))
    return refs


def nik_conflict(uow: UnitOfWork, envelope: Envelope) -> list[dict[str, Any]] | None:
    """The diff against central records holding the event's NIK, or None when no central record does."""
    return _nik_conflict(envelope, _central_people(uow, [envelope]))


def _entry(position: int, envelope: Envelope, outcome: str) -> dict[str, Any]:
    return {"position": position, "event_id": envelope.event_id, "seq": envelope.seq, "outcome": outcome}


def officer_actor(uow: UnitOfWork, cache: dict[str, Actor | None], username: str) -> Actor | None:
    if username not in cache:
        principal = uow.session.scalar(select(Principal).where(Principal.username == username))
        cache[username] = (
            actor_for_principal(uow.session, principal)
            if principal is not None and principal.active
            else None
        )
    return cache[username]


def _nik_of(envelope: Envelope) -> str | None:
    nik_field = _NIK_FIELD.get(envelope.kind)
    nik = envelope.payload.get(nik_field) if nik_field else None
    return nik if isinstance(nik, str) and nik else None


def _central_people(uow: UnitOfWork, envelopes: Sequence[Envelope]) -> dict[str, list[Person]]:
    """The central person records holding each NIK the events carry (at most 5 each), in one query per
    500 NIKs: a query per event was a third of a batch's time."""
    niks = sorted({nik for nik in map(_nik_of, envelopes) if nik})
    found: dict[str, list[Person]] = {}
    for start in range(0, len(niks), 500):
        query = select(Person).where(Person.nik.in_(niks[start : start + 500])).order_by(Person.id)
        for person in uow.session.scalars(query).all():
            assert person.nik is not None
            if len(found.setdefault(person.nik, [])) < 5:
                found[person.nik].append(person)
    return found


def _nik_conflict(envelope: Envelope, central: dict[str, list[Person]]) -> list[dict[str, Any]] | None:
    """A field-by-field diff against the central records holding the event's NIK, or None."""
    nik = _nik_of(envelope)
    people = central.get(nik) if nik else None
    if not people:
        return None
    mapping = _PERSON_FIELDS[envelope.kind]
    diff = []
    for person in people:
        for name, column in mapping.items():
            central = getattr(person, column)
            central_text = central.isoformat() if hasattr(central, "isoformat") else central
            ours = envelope.payload.get(name)
            if ours is None and central_text is None:
                continue
            diff.append(
                {
                    "central_ref": person.ref,
                    "field": name,
                    "field_value": ours,
                    "central_value": central_text,
                    "same": ours == central_text,
                    "legal_status": column in LEGAL_FIELDS,
                }
            )
    return diff


def _conflict(
    uow: UnitOfWork,
    device: FieldDevice,
    envelope: Envelope,
    event: SignedEvent,
    kind: str,
    reason: str,
    diff: list[dict[str, Any]] | None = None,
) -> FieldConflict:
    return FieldConflict(
        event_id=envelope.event_id,
        device_id=device.device_id,
        region_code=device.region_code,
        kind=kind,
        reason=reason,
        envelope=event.envelope,
        signature=event.signature,
        diff=json.dumps(diff or [], ensure_ascii=False),
        status="open",
        created_at=uow.clock(),
    )
