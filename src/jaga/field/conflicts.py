"""The conflict queue: field events held for a supervisor, read (audited) and decided.

A field event is held, never merged, when the NIK it carries is registered centrally meanwhile (with a
field-by-field diff, legal-status fields marked), when the registry refuses it as a conflict with stored
records, when its id came again with other content, or when it names a record that a held event would
make (`depends-on-held`: applying that event re-applies it, through every check again). A supervisor
applies it (the record written as recorded, as its officer, beside the central one) or dismisses it; the
signed event stays either way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select

from jaga.access import Action, Actor, audit_read, check_reason
from jaga.db import UnitOfWork
from jaga.errors import Conflict, InvalidInput, JagaError, RecordNotFound
from jaga.field.chain import Envelope, SignedEvent, read_envelope
from jaga.field.models import FieldConflict, FieldDevice, FieldEvent
from jaga.field.services import DEPENDS, blocking_event, held_records, nik_conflict, officer_actor
from jaga.regions import format_code, within
from jaga.registry import FROM_FILE, KINDS, Batch, raise_first


@dataclass(frozen=True)
class ConflictView:
    id: int
    event_id: str
    device_id: str
    region_code: str
    kind: str
    reason: str
    status: str
    created_at: datetime
    record_kind: str
    diff: list[dict[str, Any]]
    resolution_note: str | None
    record_ref: str | None
    depends_on: str | None  # the held event this one waits for (kind depends-on-held)


@dataclass(frozen=True)
class ConflictDetail:
    """One held event for a supervisor's decision: the queue's view, the office of its device, and the
    device's version as signed (its officer, when it was recorded offline, the fields recorded)."""

    conflict: ConflictView
    office_ref: str | None
    officer: str
    recorded_at: datetime
    recorded: dict[str, Any]
    waits_for: int | None = None  # the conflict holding the event this one depends on (depends-on-held)
    dependents: list[tuple[int, str]] = field(default_factory=list)  # (id, status) held for this one


def list_conflicts(
    uow: UnitOfWork,
    *,
    actor: Actor,
    reason: str,
    channel: str,
    status: str | None = "open",
    kind: str | None = None,
    device: str | None = None,
    office: str | None = None,
    limit: int | None = None,
) -> list[ConflictView]:
    """The conflict queue in the actor's region (its diffs hold personal data: the read is audited), or
    the part of it with this conflict kind, from this device, or from this office's devices; the oldest
    `limit` of them if given (only those returned are audited as read)."""
    actor.require(Action.FIELD_CONFLICTS_READ)
    reason = check_reason(reason)
    query = select(FieldConflict).order_by(FieldConflict.id)
    if status is not None:
        query = query.where(FieldConflict.status == status)
    if kind is not None:
        query = query.where(FieldConflict.kind == kind)
    if device is not None:
        query = query.where(FieldConflict.device_id == device)
    if office is not None:
        devices = select(FieldDevice.device_id).where(FieldDevice.office_ref == office)
        query = query.where(FieldConflict.device_id.in_(devices))
    rows = [c for c in uow.session.scalars(query).all() if within(c.region_code, actor.region_scope)]
    rows = rows if limit is None else rows[:limit]
    audit_read(
        uow.session,
        actor=actor,
        action=Action.FIELD_CONFLICTS_READ.value,
        resource="field_conflicts",
        record_ids=[c.id for c in rows],
        reason=reason,
        channel=channel,
        at=uow.clock(),
    )
    uow.commit()
    return [conflict_view(c) for c in rows]


def count_open_conflicts(uow: UnitOfWork, actor: Actor) -> int:
    """How many held events wait for a decision in the actor's region (the work queue's count). Reads no
    event's content, so it is not audited."""
    actor.require(Action.FIELD_CONFLICTS_READ)
    query = (
        select(func.count())
        .select_from(FieldConflict)
        .where(FieldConflict.status == "open")
        # as `within`: a region lies inside the scope when its code starts with it ("" is the country)
        .where(FieldConflict.region_code.startswith(actor.region_scope, autoescape=True))
    )
    return int(uow.session.scalar(query) or 0)


def read_conflict(
    uow: UnitOfWork, *, actor: Actor, conflict_id: int, reason: str, channel: str
) -> ConflictDetail:
    """One held event with its diff and the device's version (personal data: the read is audited).

    Raises RecordNotFound (no such conflict) and OutOfRegion (the device's region is not the actor's)."""
    actor.require(Action.FIELD_CONFLICTS_READ)
    reason = check_reason(reason)
    conflict = uow.session.get(FieldConflict, conflict_id)
    if conflict is None:
        raise RecordNotFound("field conflict", str(conflict_id))
    actor.require_region(conflict.region_code, what=f"field conflict {conflict_id}")
    office = uow.session.scalar(
        select(FieldDevice.office_ref).where(FieldDevice.device_id == conflict.device_id)
    )
    envelope = read_envelope(SignedEvent(conflict.envelope, conflict.signature), 1)
    waits_for = None
    if conflict.depends_on is not None:
        waits_for = uow.session.scalar(
            select(FieldConflict.id)
            .where(
                FieldConflict.event_id == conflict.depends_on,
                FieldConflict.device_id == conflict.device_id,
                FieldConflict.kind != "content-mismatch",
            )
            .order_by(FieldConflict.id)
            .limit(1)
        )
    waiting = [(d.id, d.status) for d in dependents(uow, conflict)]
    view = conflict_view(conflict)
    audit_read(
        uow.session,
        actor=actor,
        action=Action.FIELD_CONFLICTS_READ.value,
        resource="field_conflicts",
        record_ids=[conflict.id],
        reason=reason,
        channel=channel,
        at=uow.clock(),
    )
    uow.commit()
    return ConflictDetail(
        conflict=view,
        office_ref=office,
        officer=envelope.officer,
        recorded_at=envelope.created_at,
        recorded=envelope.payload,
        waits_for=waits_for,
        dependents=waiting,
    )


def conflict_offices(uow: UnitOfWork, *, actor: Actor) -> dict[str, str]:
    """Device id -> office ref of the devices enrolled in the actor's region, for the queue's filters
    (no record of a person: not audited)."""
    actor.require(Action.FIELD_CONFLICTS_READ)
    rows = uow.session.execute(
        select(FieldDevice.device_id, FieldDevice.office_ref, FieldDevice.region_code).order_by(
            FieldDevice.office_ref, FieldDevice.device_id
        )
    ).all()
    return {device: office for device, office, region in rows if within(region, actor.region_scope)}


def conflict_view(c: FieldConflict) -> ConflictView:
    """A conflict as the queue shows it (its diff holds personal data: read it through a service)."""
    return ConflictView(
        id=c.id,
        event_id=c.event_id,
        device_id=c.device_id,
        region_code=format_code(c.region_code),
        kind=c.kind,
        reason=c.reason,
        status=c.status,
        created_at=c.created_at,
        record_kind=str(json.loads(c.envelope).get("kind", "")),
        diff=json.loads(c.diff),
        resolution_note=c.resolution_note,
        record_ref=c.record_ref,
        depends_on=c.depends_on,
    )


def resolve_conflict(
    uow: UnitOfWork, *, actor: Actor, conflict_id: int, decision: str, note: str
) -> FieldConflict:
    """A supervisor's decision on a held field event: `apply` writes the record exactly as the device
    recorded it, through the registry's use case as its officer, beside the central record (nothing is
    merged into it); `dismiss` leaves the central record alone. The signed event stays either way."""
    actor.require(Action.FIELD_CONFLICTS_RESOLVE)
    note = check_reason(note)
    if decision not in ("apply", "dismiss"):
        raise InvalidInput("decision must be apply or dismiss")
    session = uow.session
    conflict = session.get(FieldConflict, conflict_id)
    if conflict is None:
        raise RecordNotFound("field conflict", str(conflict_id))
    actor.require_region(conflict.region_code, what=f"field conflict {conflict_id}")
    if conflict.status != "open":
        raise Conflict(f"field conflict {conflict_id} is already {conflict.status}")
    conflict.status = "applied" if decision == "apply" else "dismissed"
    conflict.resolved_by, conflict.resolved_at, conflict.resolution_note = (
        actor.principal_id,
        uow.clock(),
        note,
    )
    if decision == "dismiss":
        uow.commit()
        return conflict
    if conflict.kind == "content-mismatch":
        raise Conflict(
            f"field conflict {conflict_id}: the server's version of event {conflict.event_id} stands; "
            "dismiss this one (both stay stored)"
        )
    envelope = read_envelope(SignedEvent(conflict.envelope, conflict.signature), 1)
    blocker = blocking_event(envelope, held_records(uow, conflict.device_id, besides=conflict.id))
    if blocker is not None:
        raise Conflict(
            f"field conflict {conflict_id} depends on held event {blocker}: decide that one first "
            "(applying it releases this one)"
        )
    officer = officer_actor(uow, {}, envelope.officer)
    if officer is None:
        raise InvalidInput(f"officer {envelope.officer!r} has no active account on this server")
    spec = KINDS[envelope.kind]
    batch = Batch(uow, officer)
    try:
        data = spec.schema.model_validate(envelope.payload, context={"today": batch.today, FROM_FILE: False})
    except ValidationError as exc:
        raise InvalidInput(f"field conflict {conflict_id}: the held record no longer validates") from exc
    outcome = spec.write(batch, [(1, data)])
    raise_first(envelope.kind, outcome.problems)
    _mark_applied(uow, conflict, envelope, outcome.refs[0])
    _release_dependents(uow, actor, conflict)
    uow.commit()  # the decision, its record and every event it released: one transaction
    return conflict


def dependents(uow: UnitOfWork, conflict: FieldConflict) -> list[FieldConflict]:
    """The conflicts held because they depend on this one's event (whatever became of them since)."""
    query = select(FieldConflict).where(
        FieldConflict.depends_on == conflict.event_id, FieldConflict.device_id == conflict.device_id
    )
    return list(uow.session.scalars(query.order_by(FieldConflict.id)).all())


def _mark_applied(uow: UnitOfWork, conflict: FieldConflict, envelope: Envelope, ref: str) -> None:
    conflict.record_ref = ref
    received = uow.session.scalar(select(FieldEvent).where(FieldEvent.event_id == envelope.event_id))
    if received is not None:
        received.outcome, received.record_ref = "applied", ref


def _release_dependents(uow: UnitOfWork, actor: Actor, applied: FieldConflict) -> None:
    """Re-apply the events held only because they depended on `applied`'s event, now that its record
    exists, and theirs in turn. Each goes through every check a new event meets: one that still names
    another held event waits for that one, one whose NIK is now registered centrally or that the
    registry refuses stays in the queue with the new reason; none is merged or applied silently (the
    releasing supervisor and the reason are recorded on each)."""
    queue = [applied]
    while queue:
        parent = queue.pop(0)
        for held in dependents(uow, parent):
            if held.status != "open" or held.kind != DEPENDS:
                continue
            envelope = read_envelope(SignedEvent(held.envelope, held.signature), 1)
            outcome = _reapply(uow, held, envelope)
            if outcome is None:
                continue
            held.status, held.resolved_by, held.resolved_at = "applied", actor.principal_id, uow.clock()
            held.resolution_note = (
                f"released: the event it depends on ({parent.event_id}) was applied "
                f"(field conflict {parent.id})"
            )
            _mark_applied(uow, held, envelope, outcome)
            queue.append(held)


def _reapply(uow: UnitOfWork, held: FieldConflict, envelope: Envelope) -> str | None:
    """The ref written for a released event, or None when it stays held (the conflict says why)."""
    blocker = blocking_event(envelope, held_records(uow, held.device_id, besides=held.id))
    if blocker is not None:
        held.depends_on, held.reason = blocker, f"depends on held event {blocker}"
        return None
    officer = officer_actor(uow, {}, envelope.officer)
    spec = KINDS.get(envelope.kind)
    if officer is None or spec is None:
        held.kind, held.reason = "registry-conflict", f"officer {envelope.officer!r} has no active account"
        return None
    batch = Batch(uow, officer)
    try:
        data = spec.schema.model_validate(envelope.payload, context={"today": batch.today, FROM_FILE: False})
    except ValidationError:
        held.kind, held.reason = "registry-conflict", "the held record no longer validates"
        return None
    diff = nik_conflict(uow, envelope)
    if diff is not None:
        held.kind, held.reason = "nik-registered", "the NIK is already registered centrally"
        held.diff = json.dumps(diff, ensure_ascii=False)
        return None
    try:
        outcome = spec.write(batch, [(1, data)])
    except JagaError as exc:
        held.kind, held.reason = "registry-conflict", exc.message
        return None
    if outcome.problems:
        held.kind = "registry-conflict"
        held.reason = "; ".join(f"{p.field or 'record'}: {p.reason}" for p in outcome.problems)
        return None
    return str(outcome.refs[0])
