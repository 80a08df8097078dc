"""A device's trust history is in the ledger: its enrolment and its revocation are each a ledgered row of
`field_device_changes` with its event (key, office, region, who, when), holding no personal data."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import EventRecord, UnitOfWork, record_state
from jaga.field import FieldDeviceChange, Node, revoke_device
from tests.field.conftest import enrol

PRIVATE_REASON = "handed to bidan Siti Aminah at the Tugu outreach post"


def test_enrolment_and_revocation_are_ledgered_events_without_personal_data(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    enrol(sessions, actors, node)
    for _ in range(2):  # revoking twice changes nothing the second time
        with UnitOfWork(sessions) as uow:
            revoke_device(uow, actor=actors["admin"], device_id=node.info.device, reason=PRIVATE_REASON)
    with sessions() as session:
        changes = session.scalars(
            select(FieldDeviceChange)
            .where(FieldDeviceChange.device_id == node.info.device)
            .order_by(FieldDeviceChange.id)
        ).all()
        assert [c.change for c in changes] == ["enrolled", "revoked"]
        vkey = (node.folder / "device.vkey").read_text().strip()
        assert all(c.vkey == vkey and c.region_code == "3374" and c.office_ref == "PKM-TUGU" for c in changes)
        assert [c.changed_by for c in changes] == [actors["admin"].principal_id] * 2
        events = session.scalars(
            select(EventRecord)
            .where(EventRecord.aggregate == "field_device_changes")
            .where(EventRecord.aggregate_id.in_([c.id for c in changes]))
            .order_by(EventRecord.seq)
        ).all()
        assert [e.kind for e in events] == ["field_device.enrolled", "field_device.revoked"]
        for change, event in zip(changes, events, strict=True):
            # the event holds the row's exact state (what `jaga ledger audit` recomputes), and no reason
            assert json.loads(event.payload) == json.loads(json.dumps(record_state(change)))
            assert event.actor_id == actors["admin"].principal_id
            assert "reason" not in event.payload and "Siti" not in event.payload
