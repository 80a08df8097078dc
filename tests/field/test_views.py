"""What the field pages read, through the services on both databases: the queue's filters, one conflict
read (audited, region-checked) with the device's version, the offices for the filters, and the devices
as an admin sees them (who enrolled and revoked them, chain position, last sync)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor, AuditEntry
from jaga.db import UnitOfWork
from jaga.errors import OutOfRegion, RecordNotFound, RoleNotAllowed
from jaga.field import (
    ConflictDetail,
    Node,
    conflict_offices,
    describe_devices,
    list_conflicts,
    read_conflict,
    receive_batch,
    revoke_device,
)
from jaga.field.node import export_batch, record
from tests.factories.registry import create
from tests.field.conftest import COURIER, NOW, OFFICER, birth_row, enrol, mother_row


@pytest.fixture
def held(node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path) -> int:
    """One conflict: a mother recorded offline whose NIK the civil registry holds under another name."""
    enrol(sessions, actors, node)
    row = mother_row(serial=41)
    central = {**row, "source_kind": "civil_registry", "full_name": "Siti Aminah Putri"}
    create(sessions, actors["registrar-semarang"], "people", **central)
    record(node, "people", [row], officer=OFFICER, now=NOW, from_file=False)
    export_batch(node, tmp_path / "batch.jaga", now=NOW + timedelta(hours=1))
    with UnitOfWork(sessions) as uow:
        report = receive_batch(uow, actor=actors[COURIER], data=(tmp_path / "batch.jaga").read_bytes())
    assert report.count("held") == 1
    with UnitOfWork(sessions) as uow:
        (conflict,) = list_conflicts(uow, actor=actors["registrar-semarang"], reason="setup", channel="t")
    return conflict.id


def test_the_queue_filters_by_kind_device_and_office(
    held: int, node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    supervisor = actors["registrar-semarang"]

    def ids(**wanted: str | int) -> list[int]:
        with UnitOfWork(sessions) as uow:
            found = list_conflicts(uow, actor=supervisor, reason="weekly review", channel="t", **wanted)
        return [c.id for c in found]

    assert ids(kind="nik-registered") == [held]
    assert ids(kind="content-mismatch") == []
    assert ids(device=node.info.device) == [held]
    assert ids(device="FD-OTHER") == []
    assert ids(office="PKM-TUGU") == [held]
    assert ids(office="PKM-LAIN") == []
    assert ids(limit=1) == [held] and ids(limit=0) == []
    with UnitOfWork(sessions) as uow:
        assert conflict_offices(uow, actor=supervisor) == {node.info.device: "PKM-TUGU"}
        assert conflict_offices(uow, actor=actors["registrar"]) == {node.info.device: "PKM-TUGU"}
    with UnitOfWork(sessions) as uow, pytest.raises(RoleNotAllowed):
        conflict_offices(uow, actor=actors["admin"])


def test_one_conflict_is_read_with_the_devices_version_audited_and_region_checked(
    held: int, node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    with UnitOfWork(sessions) as uow:
        detail = read_conflict(
            uow, actor=actors["social-jateng"], conflict_id=held, reason="LP/7/2026", channel="test read"
        )
    assert detail.conflict.id == held and detail.office_ref == "PKM-TUGU"
    assert detail.officer == OFFICER and detail.recorded_at == NOW
    assert detail.recorded["full_name"] == "Siti Aminah"
    assert {d["field"] for d in detail.conflict.diff if not d["same"]} == {"full_name"}
    with sessions() as session:
        (entry,) = session.scalars(select(AuditEntry).where(AuditEntry.channel == "test read")).all()
    assert (entry.reason, json.loads(entry.record_ids), entry.resource) == (
        "LP/7/2026",
        [held],
        "field_conflicts",
    )
    bali = replace(actors["registrar-semarang"], region_scope="51")  # the role, another province
    for actor, refused in ((bali, OutOfRegion), (actors["admin"], RoleNotAllowed)):
        with UnitOfWork(sessions) as uow, pytest.raises(refused):
            read_conflict(uow, actor=actor, conflict_id=held, reason="LP/7/2026", channel="test refused")
    with UnitOfWork(sessions) as uow, pytest.raises(RecordNotFound):
        read_conflict(uow, actor=actors["registrar"], conflict_id=held + 99, reason="LP/7/2026", channel="t")
    with sessions() as session:
        assert not session.scalars(select(AuditEntry).where(AuditEntry.channel == "test refused")).all()


def test_devices_show_who_enrolled_and_revoked_them_and_how_far_they_synced(
    held: int, node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    with UnitOfWork(sessions) as uow:
        (device,) = describe_devices(uow, actor=actors["admin"])
    assert (device.device_id, device.office_ref, device.region_code) == (
        node.info.device,
        "PKM-TUGU",
        "33.74",
    )
    assert device.enrolled_by == "admin" and device.reason == "puskesmas outreach team"
    assert device.last_seq == 1 and device.last_recorded_at == NOW
    assert device.last_received_at is not None and device.revoked_at is None
    with UnitOfWork(sessions) as uow:
        assert describe_devices(uow, actor=actors["admin-bali"]) == []
    with UnitOfWork(sessions) as uow, pytest.raises(RoleNotAllowed):
        describe_devices(uow, actor=actors["registrar"])
    with UnitOfWork(sessions) as uow:
        revoke_device(uow, actor=actors["admin"], device_id=node.info.device, reason="lost on the ferry")
    with UnitOfWork(sessions) as uow:
        (device,) = describe_devices(uow, actor=actors["admin"])
    assert (device.revoked_by, device.revoke_reason) == ("admin", "lost on the ferry")
    assert device.revoked_at is not None


def test_a_dependent_conflict_names_the_one_it_waits_for_and_that_one_lists_it(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    enrol(sessions, actors, node)
    row = mother_row(serial=43)
    create(sessions, actors["registrar-semarang"], "people", **{**row, "source_kind": "civil_registry"})
    (mother,) = record(node, "people", [row], officer=OFFICER, now=NOW, from_file=False)
    record(node, "births", [birth_row(mother.refs["ref"])], officer=OFFICER, now=NOW, from_file=False)
    export_batch(node, tmp_path / "batch.jaga", now=NOW + timedelta(hours=1))
    with UnitOfWork(sessions) as uow:
        report = receive_batch(uow, actor=actors[COURIER], data=(tmp_path / "batch.jaga").read_bytes())
    assert report.count("held") == 2
    supervisor = actors["registrar-semarang"]
    with UnitOfWork(sessions) as uow:
        held_mother, held_birth = list_conflicts(uow, actor=supervisor, reason="weekly review", channel="t")
    assert (held_mother.kind, held_birth.kind) == ("nik-registered", "depends-on-held")

    def read(conflict_id: int) -> ConflictDetail:
        with UnitOfWork(sessions) as uow:
            return read_conflict(uow, actor=supervisor, conflict_id=conflict_id, reason="LP/8", channel="t")

    assert read(held_birth.id).waits_for == held_mother.id
    assert read(held_mother.id).dependents == [(held_birth.id, "open")]
    assert read(held_mother.id).waits_for is None and read(held_birth.id).dependents == []
