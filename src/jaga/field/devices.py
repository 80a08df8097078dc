"""The enrolled devices as a district admin reads them: who enrolled and revoked each, how far its chain
has reached the server and when it last did. Reuses `list_devices` (its role and region checks); holds
no record of a person, so nothing here is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from jaga.access import Actor, Principal
from jaga.db import UnitOfWork
from jaga.field.models import FieldEvent
from jaga.field.services import list_devices
from jaga.regions import format_code


@dataclass(frozen=True)
class DeviceView:
    device_id: str
    office_ref: str
    region_code: str  # formatted, 33.74
    enrolled_at: datetime
    enrolled_by: str | None  # username; None when the server's operator enrolled it from the command line
    reason: str
    revoked_at: datetime | None
    revoked_by: str | None
    revoke_reason: str | None
    last_seq: int  # the events the server holds from this device (its chain's head)
    last_recorded_at: datetime | None  # when the newest of them was recorded on the device
    last_received_at: datetime | None  # when the server last stored an event of this device (last sync)


def describe_devices(uow: UnitOfWork, *, actor: Actor) -> list[DeviceView]:
    """The devices enrolled in the actor's region (FIELD_DEVICES_MANAGE), oldest enrolment first."""
    devices = list_devices(uow, actor=actor)
    ids = [d.device_id for d in devices]
    principals = {d.enrolled_by for d in devices} | {d.revoked_by for d in devices}
    names = dict(
        uow.session.execute(
            select(Principal.id, Principal.username).where(Principal.id.in_(principals - {None}))
        ).all()
    )
    received = dict(
        uow.session.execute(
            select(FieldEvent.device_id, func.max(FieldEvent.received_at))
            .where(FieldEvent.device_id.in_(ids))
            .group_by(FieldEvent.device_id)
        ).all()
    )
    return [
        DeviceView(
            device_id=d.device_id,
            office_ref=d.office_ref,
            region_code=format_code(d.region_code),
            enrolled_at=d.enrolled_at,
            enrolled_by=names.get(d.enrolled_by) if d.enrolled_by is not None else None,
            reason=d.reason,
            revoked_at=d.revoked_at,
            revoked_by=names.get(d.revoked_by) if d.revoked_by is not None else None,
            revoke_reason=d.revoke_reason,
            last_seq=d.last_seq,
            last_recorded_at=d.last_created_at,
            last_received_at=received.get(d.device_id),
        )
        for d in devices
    ]
