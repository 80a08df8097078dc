"""Receiving field batches (services, on both databases): applied once as their officer, replayed
harmlessly, and refused with a clear reason when tampered, forged, cut, reordered, back-dated, forked or
from a revoked device."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import UnitOfWork
from jaga.errors import (
    BatchInvalid,
    BatchRefused,
    ChainBroken,
    DeviceNotEnrolled,
    DeviceRevoked,
    EventContentConflict,
    EventSignatureInvalid,
    OutOfRegion,
    RecordRejected,
    RoleNotAllowed,
)
from jaga.field import (
    FieldConflict,
    FieldEvent,
    Node,
    list_conflicts,
    receive_batch,
    revoke_device,
    sign_event,
)
from jaga.field.batch import BatchFile, parse_batch, render_batch
from jaga.field.chain import SignedEvent, read_envelope
from jaga.field.node import export_batch, record
from jaga.ledger.note import Ed25519Signer
from jaga.registry import Birth, Person
from tests.factories.registry import create
from tests.field.conftest import COURIER, NOW, OFFICER, birth_row, enrol, mother_row, record_family


def _batch(node: Node, tmp_path: Path, name: str = "batch.jaga") -> bytes:
    out = tmp_path / name
    export_batch(node, out, now=NOW + timedelta(hours=1))
    return out.read_bytes()


def _receive(sessions: sessionmaker[Session], actor: Actor, data: bytes) -> dict[str, object]:
    with UnitOfWork(sessions) as uow:
        return receive_batch(uow, actor=actor, data=data).as_dict()


def _count(sessions: sessionmaker[Session], model: type, **where: str) -> int:
    with sessions() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(session.scalar(query) or 0)


def _lines(data: bytes) -> list[str]:
    return data.decode().splitlines()


def _rebuild(device: str, events: list[SignedEvent]) -> bytes:
    return render_batch(device, events).encode()


def _family_batch(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> BatchFile:
    """The enrolled node's batch of a mother and her child's birth (events 1 and 2 of its chain)."""
    enrol(sessions, actors, node)
    record_family(node)
    return parse_batch(_batch(node, tmp_path))


def _signed_like(event: SignedEvent, signer: Ed25519Signer, **changes: Any) -> SignedEvent:
    """`event`'s fields with `changes` (sign_event's keywords), signed by `signer`: a forgery or a fork."""
    return sign_event(signer, **{**asdict(read_envelope(event, 1)), **changes})


def test_a_batch_is_applied_as_its_officer_and_a_replay_writes_nothing_twice(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    enrol(sessions, actors, node)
    mother_ref, birth_ref = record_family(node)
    data = _batch(node, tmp_path)
    first = _receive(sessions, actors[COURIER], data)
    assert (first["applied"], first["already_have"], first["held"]) == (2, 0, 0)
    assert _count(sessions, Birth, ref=birth_ref) == 1
    assert _count(sessions, Person, ref=mother_ref) == 1
    again = _receive(sessions, actors[COURIER], data)
    assert (again["applied"], again["already_have"]) == (0, 2)
    assert _count(sessions, Birth, ref=birth_ref) == 1
    assert _count(sessions, FieldEvent, device_id=node.info.device) == 2


def test_a_batch_resumed_after_a_partial_sync_applies_only_what_is_new(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    enrol(sessions, actors, node)
    record_family(node)
    _receive(sessions, actors[COURIER], _batch(node, tmp_path, "one.jaga"))
    record_family(node, at=NOW + timedelta(hours=2), serial=2)
    result = _receive(sessions, actors[COURIER], _batch(node, tmp_path, "two.jaga"))
    assert (result["applied"], result["already_have"]) == (2, 2)


def test_a_tampered_batch_is_refused_by_its_signature(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    batch = _family_batch(node, sessions, actors, tmp_path)
    first = batch.events[0]
    altered = SignedEvent(first.envelope.replace("Siti Aminah", "Siti Aminaa"), first.signature)
    with pytest.raises(EventSignatureInvalid, match=r"event 1 \(.*\): the signature does not verify"):
        _receive(sessions, actors[COURIER], _rebuild(batch.device, [altered, batch.events[1]]))
    assert _count(sessions, FieldEvent) == 0


def test_a_forged_signature_is_refused(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    batch = _family_batch(node, sessions, actors, tmp_path)
    impostor = Ed25519Signer.generate(node.info.device)  # the same device name, another key
    forged = _signed_like(batch.events[0], impostor)
    with pytest.raises(EventSignatureInvalid, match="enrolled key"):
        _receive(sessions, actors[COURIER], _rebuild(batch.device, [forged]))


def test_a_revoked_or_unknown_device_is_refused(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    record_family(node)
    data = _batch(node, tmp_path)
    with pytest.raises(DeviceNotEnrolled, match="is not enrolled"):
        _receive(sessions, actors[COURIER], data)
    enrol(sessions, actors, node)
    with UnitOfWork(sessions) as uow:
        revoke_device(uow, actor=actors["admin"], device_id=node.info.device, reason="device lost")
    with pytest.raises(DeviceRevoked, match="was revoked"):
        _receive(sessions, actors[COURIER], data)
    assert _count(sessions, FieldEvent) == 0


def test_a_deleted_event_leaves_a_gap_that_is_refused(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    enrol(sessions, actors, node)
    record_family(node)
    record_family(node, at=NOW + timedelta(hours=1), serial=2)
    batch = parse_batch(_batch(node, tmp_path))
    with pytest.raises(ChainBroken, match="missing or out of order"):
        _receive(sessions, actors[COURIER], _rebuild(batch.device, [batch.events[0], *batch.events[2:]]))
    # The first event dropped instead: the server's chain has a gap before it.
    with pytest.raises(ChainBroken, match="events are missing"):
        _receive(sessions, actors[COURIER], _rebuild(batch.device, batch.events[1:]))
    assert _count(sessions, FieldEvent) == 0


def test_reordered_events_are_refused(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    batch = _family_batch(node, sessions, actors, tmp_path)
    with pytest.raises(ChainBroken, match="out of order"):
        _receive(sessions, actors[COURIER], _rebuild(batch.device, batch.events[::-1]))


def test_a_back_dated_event_is_refused(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    enrol(sessions, actors, node)
    (mother,) = record(node, "people", [mother_row()], officer=OFFICER, now=NOW, from_file=False)
    first = parse_batch(_batch(node, tmp_path)).events[0]
    back_dated = _signed_like(
        first,
        node.signer,
        event_id="01890a5d-ac96-774b-bcce-b302099a8057",
        seq=2,
        kind="births",
        created_at=NOW - timedelta(days=3),
        prev=first.hash,
        payload=birth_row(mother.refs["ref"], ref="B-BACKDATED1"),
    )
    with pytest.raises(ChainBroken, match="back-dated"):
        _receive(sessions, actors[COURIER], _rebuild(node.info.device, [first, back_dated]))
    # The same against what the server already holds.
    _receive(sessions, actors[COURIER], _rebuild(node.info.device, [first]))
    with pytest.raises(ChainBroken, match="back-dated"):
        _receive(sessions, actors[COURIER], _rebuild(node.info.device, [back_dated]))


def test_a_fork_of_a_held_position_is_refused(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    batch = _family_batch(node, sessions, actors, tmp_path)
    _receive(sessions, actors[COURIER], _rebuild(batch.device, batch.events))
    fields = batch.events[1].fields()
    fork = _signed_like(
        batch.events[1],
        node.signer,
        event_id="01890a5d-ac96-774b-bcce-b302099a8058",
        created_at=NOW + timedelta(hours=3),
        payload={**fields["payload"], "ref": "B-FORKED0001"},
    )
    with pytest.raises(ChainBroken, match="a fork"):
        _receive(sessions, actors[COURIER], _rebuild(batch.device, [batch.events[0], fork]))


def test_the_same_event_id_with_other_content_is_a_409_that_keeps_both_versions(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    batch = _family_batch(node, sessions, actors, tmp_path)
    _receive(sessions, actors[COURIER], _rebuild(batch.device, batch.events))
    fields = batch.events[1].fields()
    other = _signed_like(
        batch.events[1],
        node.signer,
        created_at=NOW + timedelta(minutes=5),
        payload={**fields["payload"], "born_on": "2026-02-17"},
    )
    with pytest.raises(EventContentConflict, match="other content") as caught:
        _receive(sessions, actors[COURIER], _rebuild(batch.device, [batch.events[0], other]))
    assert caught.value.status == 409 and caught.value.conflicts == [fields["id"]]
    with sessions() as session:
        kept = session.scalars(select(FieldEvent.envelope).where(FieldEvent.event_id == fields["id"])).one()
        rejected = session.scalars(select(FieldConflict).where(FieldConflict.event_id == fields["id"])).one()
    assert kept == batch.events[1].envelope
    assert rejected.envelope == other.envelope and rejected.kind == "content-mismatch"


def test_a_nik_registered_centrally_meanwhile_waits_in_the_conflict_queue_with_a_diff(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    enrol(sessions, actors, node)
    row = mother_row(serial=7)
    create(
        sessions,
        actors["registrar-semarang"],
        "people",
        **{**row, "source_kind": "civil_registry", "full_name": "Siti Aminah Putri"},
    )
    record(node, "people", [row], officer=OFFICER, now=NOW, from_file=False)
    result = _receive(sessions, actors[COURIER], _batch(node, tmp_path))
    assert (result["applied"], result["held"]) == (0, 1)
    assert _count(sessions, Person, nik=row["nik"]) == 1  # nothing merged, nothing added
    with UnitOfWork(sessions) as uow:
        (conflict,) = list_conflicts(
            uow, actor=actors["social-jateng"], reason="field review", channel="test"
        )
    assert conflict.kind == "nik-registered"
    changed = {d["field"]: d for d in conflict.diff if not d["same"]}
    assert set(changed) == {"full_name"} and changed["full_name"]["legal_status"] is True
    with UnitOfWork(sessions) as uow:
        assert list_conflicts(uow, actor=actors["auditor"], reason="oversight", channel="test")
    with UnitOfWork(sessions) as uow, pytest.raises(RoleNotAllowed):
        list_conflicts(uow, actor=actors["admin"], reason="curious", channel="test")


def test_an_event_the_registry_refuses_refuses_the_whole_batch_with_a_report(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    enrol(sessions, actors, node)
    record(node, "people", [mother_row()], officer=OFFICER, now=NOW, from_file=False)
    record(node, "births", [birth_row("P-NOSUCHMOTHER")], officer=OFFICER, now=NOW, from_file=False)
    with pytest.raises(BatchRefused, match="1 of 2 new event") as caught:
        _receive(sessions, actors[COURIER], _batch(node, tmp_path))
    outcomes = [(e["position"], e["outcome"]) for e in caught.value.report]
    assert outcomes == [(1, "not-written"), (2, "refused")]
    assert "mother_ref" in caught.value.report[1]["reason"]
    assert _count(sessions, FieldEvent) == 0 and _count(sessions, Person, source_kind="facility") == 0


def test_a_courier_outside_the_device_region_is_refused(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    enrol(sessions, actors, node)
    record_family(node)
    with pytest.raises(OutOfRegion):
        _receive(sessions, actors["police-bali"], _batch(node, tmp_path))


def test_enrolment_is_for_admins_inside_their_region(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    vkey = (node.folder / "device.vkey").read_text()
    with UnitOfWork(sessions) as uow, pytest.raises(OutOfRegion, match="33.74"):
        from jaga.field import enrol_device

        enrol_device(
            uow, actor=actors["admin-bali"], vkey=vkey, office="PKM", reason="outreach", region="3374"
        )
    with UnitOfWork(sessions) as uow, pytest.raises(RoleNotAllowed):
        enrol_device(
            uow, actor=actors["registrar"], vkey=vkey, office="PKM", reason="outreach", region="3374"
        )


def test_a_malformed_batch_names_the_line(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    header = json.dumps({"format": "jaga-field-batch", "version": 1, "device": "FD-X", "events": 2})
    with pytest.raises(BatchInvalid, match="announces 2 event"):
        _receive(sessions, actors[COURIER], (header + "\n{}\n").encode())
    with pytest.raises(BatchInvalid, match="line 2: not JSON"):
        _receive(
            sessions, actors[COURIER], (header.replace('"events": 2', '"events": 1') + "\nnope\n").encode()
        )


def test_the_device_validates_with_the_servers_schema_without_echoing_values(node: Node) -> None:
    with pytest.raises(RecordRejected, match="nik") as caught:
        record(
            node, "people", [mother_row(nik="3374015204950001X")], officer=OFFICER, now=NOW, from_file=False
        )
    assert "3374015204950001X" not in caught.value.message
    with pytest.raises(RecordRejected, match="born_on"):
        record(
            node,
            "births",
            [birth_row("P-1", born_on="2027-01-01")],
            officer=OFFICER,
            now=NOW,
            from_file=False,
        )


def test_relinquishments_and_missing_child_reports_travel_too_each_as_its_officer(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    from jaga.registry import MissingReport, Relinquishment

    enrol(sessions, actors, node)
    (mother,) = record(node, "people", [mother_row(serial=11)], officer=OFFICER, now=NOW, from_file=False)
    (birth,) = record(
        node,
        "births",
        [birth_row(mother.refs["ref"], born_on="2026-01-05")],
        officer=OFFICER,
        now=NOW,
        from_file=False,
    )
    child = birth.refs["child_ref"]
    (given_up,) = record(
        node,
        "relinquishments",
        [
            {
                "mother_ref": mother.refs["ref"],
                "child_ref": child,
                "occurred_on": "2026-02-10",
                "region_code": "3374",
            }
        ],
        officer="social-jateng",
        now=NOW + timedelta(minutes=1),
        from_file=False,
    )
    (report,) = record(
        node,
        "missing-reports",
        [
            {
                "child_ref": child,
                "police_unit": "Unit PPA Polrestabes Semarang",
                "last_seen_on": "2026-02-15",
                "last_seen_region_code": "33.74.01",
            }
        ],
        officer="police",
        now=NOW + timedelta(minutes=2),
        from_file=False,
    )
    result = _receive(sessions, actors[COURIER], _batch(node, tmp_path))
    assert [e["outcome"] for e in result["events"]] == ["applied"] * 4  # type: ignore[union-attr]
    assert _count(sessions, Relinquishment, ref=given_up.refs["ref"]) == 1
    assert _count(sessions, MissingReport, ref=report.refs["ref"]) == 1


def test_an_officer_without_the_right_refuses_the_batch(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    enrol(sessions, actors, node)
    record(node, "people", [mother_row(serial=12)], officer="court-semarang", now=NOW, from_file=False)
    record(node, "people", [mother_row(serial=13)], officer="nobody.here", now=NOW, from_file=False)
    with pytest.raises(BatchRefused) as caught:
        _receive(sessions, actors[COURIER], _batch(node, tmp_path))
    reasons = [e.get("reason", "") for e in caught.value.report]
    assert "may not" in str(reasons[0]) and "no active account" in str(reasons[1])


def test_a_supervisor_applies_or_dismisses_a_held_event_and_nothing_is_merged(
    node: Node, sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    from jaga.errors import Conflict
    from jaga.field import resolve_conflict

    enrol(sessions, actors, node)
    first, second = mother_row(serial=21), mother_row(serial=22)
    for row in (first, second):
        create(sessions, actors["registrar-semarang"], "people", **{**row, "source_kind": "civil_registry"})
    record(node, "people", [first, second], officer=OFFICER, now=NOW, from_file=False)
    assert _receive(sessions, actors[COURIER], _batch(node, tmp_path))["held"] == 2
    with UnitOfWork(sessions) as uow:
        applied_id, dismissed_id = (
            c.id
            for c in list_conflicts(uow, actor=actors["registrar-semarang"], reason="review", channel="test")
        )
    with UnitOfWork(sessions) as uow, pytest.raises(RoleNotAllowed):
        resolve_conflict(
            uow, actor=actors["auditor"], conflict_id=applied_id, decision="apply", note="looks fine"
        )
    with UnitOfWork(sessions) as uow:
        applied = resolve_conflict(
            uow,
            actor=actors["registrar-semarang"],
            conflict_id=applied_id,
            decision="apply",
            note="two agencies",
        )
        assert applied.status == "applied" and applied.record_ref
    with UnitOfWork(sessions) as uow:
        resolve_conflict(
            uow,
            actor=actors["registrar-semarang"],
            conflict_id=dismissed_id,
            decision="dismiss",
            note="duplicate",
        )
    with UnitOfWork(sessions) as uow, pytest.raises(Conflict, match="already dismissed"):
        resolve_conflict(
            uow,
            actor=actors["registrar-semarang"],
            conflict_id=dismissed_id,
            decision="apply",
            note="changed mind",
        )
    # The central records are untouched; the applied one stands beside its central twin.
    assert (
        _count(sessions, Person, nik=first["nik"]) == 2 and _count(sessions, Person, nik=second["nik"]) == 1
    )
    assert _count(sessions, Person, nik=first["nik"], source_kind="civil_registry") == 1
    with UnitOfWork(sessions) as uow:
        assert list_conflicts(uow, actor=actors["registrar-semarang"], reason="review", channel="test") == []
