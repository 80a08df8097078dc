"""Tips through their services on both databases: a receipt works once shown and is never stored in
clear; the tipster follows up; officers of the tip's region (or the national desk) read it, audited, ask
questions and change its status, each a ledgered event."""

from __future__ import annotations

import json
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor, AuditEntry
from jaga.db import EventKind, EventRecord, UnitOfWork
from jaga.errors import Conflict, InvalidInput, NotFound, OutOfRegion, RoleNotAllowed
from jaga.tips import (
    AdditionIn,
    Tip,
    TipFilter,
    TipIn,
    TipStatus,
    add_information,
    ask_question,
    change_status,
    follow_tip,
    get_tip,
    list_tips,
    submit_tip,
)
from tests.factories.registry import institution, person

REASON = "LP/14/2026 tip triage"


def _tip(**over: Any) -> TipIn:
    values: dict[str, Any] = {
        "platform": "facebook",
        "phone": "0812-3456-7890",
        "place": "Kota Semarang",
        "price_rupiah": "Rp 15.000.000",
        "description": "Bayi perempuan 3 hari ditawarkan lewat Yay. Kasih Bunda, bayar di muka",
    }
    values.update(over)
    return TipIn.model_validate(values)


def _submit(sessions: sessionmaker[Session], hasher: PasswordHasher, **over: Any) -> tuple[str, str]:
    with UnitOfWork(sessions) as uow:
        done = submit_tip(uow, hasher, _tip(**over))
    return done.ref, done.receipt


def test_a_tip_is_stored_with_its_receipt_hashed_and_its_event_names_no_one(
    sessions: sessionmaker[Session], hasher: PasswordHasher
) -> None:
    ref, receipt = _submit(sessions, hasher)
    assert len(receipt) == 24 and receipt.count("-") == 4
    assert not set(receipt.replace("-", "")) & set("01OI")
    with sessions() as session:
        tip = session.scalar(select(Tip).where(Tip.ref == ref))
        assert tip is not None
        assert (tip.phone, tip.price_rupiah, tip.region_code, tip.status) == (
            "+6281234567890",
            15_000_000,
            "3374",
            "received",
        )
        assert tip.receipt_key == receipt[:4] and tip.receipt_hash.startswith("$argon2id$")
        [event] = session.execute(
            select(EventRecord).where(EventRecord.aggregate == "tips", EventRecord.aggregate_id == tip.id)
        ).scalars()
        assert event.kind == EventKind.TIP_RECEIVED and event.actor_id is None
        # the receipt appears nowhere in the database: not in the row, not in any event
        dump = "\n".join(
            str(row)
            for table in ("tips", "events")
            for row in session.execute(text(f"SELECT * FROM {table}"))
        )
        assert receipt not in dump and receipt.replace("-", "") not in dump
        assert json.loads(event.payload)["description"].startswith("Bayi perempuan")


def test_the_receipt_opens_the_tip_in_any_case_and_spacing_and_nothing_else_does(
    sessions: sessionmaker[Session], hasher: PasswordHasher
) -> None:
    _, receipt = _submit(sessions, hasher)
    with UnitOfWork(sessions) as uow:
        view = follow_tip(uow, hasher, " " + receipt.lower().replace("-", " ") + " ")
    assert view["status"] == "received" and view["messages"] == []
    wrong_last = receipt[:-1] + ("A" if receipt[-1] != "A" else "B")
    unknown_key = ("B" if receipt[0] != "B" else "C") + receipt[1:]
    answers = []
    for attempt in (wrong_last, unknown_key, "not a receipt", "", None, "0" * 20):
        with UnitOfWork(sessions) as uow, pytest.raises(NotFound) as refused:
            follow_tip(uow, hasher, attempt)
        answers.append(refused.value.message)
    assert len(set(answers)) == 1  # one answer whether the key exists, the code is malformed or empty


def test_the_tipster_adds_information_and_answers_an_officers_question(
    sessions: sessionmaker[Session], hasher: PasswordHasher, actors: dict[str, Actor]
) -> None:
    ref, receipt = _submit(sessions, hasher)
    police = actors["police"]
    with UnitOfWork(sessions) as uow:
        asked = ask_question(uow, police, ref, question="Kapan unggahan itu Anda lihat?", channel="test")
    question_id = asked["messages"][0]["id"]
    with UnitOfWork(sessions) as uow:
        seen = follow_tip(uow, hasher, receipt)
    assert [(m["kind"], m["body"]) for m in seen["messages"]] == [
        ("question", "Kapan unggahan itu Anda lihat?")
    ]
    assert "principal_id" not in seen["messages"][0]  # the tipster never learns who asked
    with UnitOfWork(sessions) as uow:
        after = add_information(
            uow, hasher, receipt, AdditionIn(body="Kemarin malam, sekitar jam 9", reply_to=question_id)
        )
    assert [m["kind"] for m in after["messages"]] == ["question", "addition"]
    assert after["messages"][1]["reply_to"] == question_id
    with sessions() as session:
        kinds = session.scalars(
            select(EventRecord.kind).where(EventRecord.aggregate == "tip_messages").order_by(EventRecord.seq)
        ).all()
    assert kinds[-2:] == [EventKind.TIP_QUESTION_ASKED, EventKind.TIP_ADDED_TO]
    with UnitOfWork(sessions) as uow, pytest.raises(InvalidInput, match="not one of this tip's"):
        add_information(uow, hasher, receipt, AdditionIn(body="x", reply_to=after["messages"][1]["id"]))


def test_officers_see_tips_of_their_region_and_the_national_desk_sees_unplaced_ones(
    sessions: sessionmaker[Session], hasher: PasswordHasher, actors: dict[str, Actor]
) -> None:
    semarang, _ = _submit(sessions, hasher)
    unplaced, _ = _submit(sessions, hasher, place="dekat pasar", phone=None)
    bali, _ = _submit(sessions, hasher, place=None, province="51", phone=None)
    wanted = TipFilter()

    def seen(actor: Actor) -> set[str]:
        with UnitOfWork(sessions) as uow:
            page = list_tips(uow, actor, wanted=wanted, reason=REASON, channel="test", limit=500)
        return {item["ref"] for item in page.items}

    assert {semarang, unplaced, bali} <= seen(actors["police"])  # national scope: every desk
    jateng = seen(actors["social-jateng"])
    assert semarang in jateng and unplaced not in jateng and bali not in jateng
    assert seen(actors["police-bali"]) & {semarang, unplaced, bali} == {bali}
    with UnitOfWork(sessions) as uow, pytest.raises(OutOfRegion):
        get_tip(uow, actors["police-bali"], unplaced, reason=REASON, channel="test")
    for role in ("registrar", "facility", "court", "institution", "admin"):
        with UnitOfWork(sessions) as uow, pytest.raises(RoleNotAllowed):
            list_tips(uow, actors[role], wanted=wanted, reason=REASON, channel="test")
    with UnitOfWork(sessions) as uow, pytest.raises(RoleNotAllowed):
        change_status(uow, actors["auditor"], bali, status=TipStatus.UNDER_REVIEW, note=None, channel="t")


def test_every_read_is_audited_with_its_reason_and_needs_one(
    sessions: sessionmaker[Session], hasher: PasswordHasher, actors: dict[str, Actor]
) -> None:
    ref, _ = _submit(sessions, hasher)
    police = actors["police"]
    with UnitOfWork(sessions) as uow, pytest.raises(InvalidInput, match="reason"):
        get_tip(uow, police, ref, reason="  ", channel="test")
    with UnitOfWork(sessions) as uow:
        shown = get_tip(uow, police, ref, reason=REASON, channel="api GET /api/v1/tips/{ref}")
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        tip_id = session.scalar(select(Tip.id).where(Tip.ref == ref))
    assert (entry.resource, entry.reason, entry.principal_id) == ("tips", REASON, police.principal_id)
    assert json.loads(entry.record_ids) == [tip_id]
    assert shown["description"].startswith("Bayi perempuan")


def test_a_status_change_is_ledgered_shown_to_the_tipster_and_closing_needs_a_note(
    sessions: sessionmaker[Session], hasher: PasswordHasher, actors: dict[str, Actor]
) -> None:
    ref, receipt = _submit(sessions, hasher)
    social = actors["social-jateng"]
    with UnitOfWork(sessions) as uow, pytest.raises(InvalidInput, match="needs a note"):
        change_status(uow, social, ref, status=TipStatus.CLOSED, note=None, channel="test")
    with UnitOfWork(sessions) as uow:
        change_status(uow, social, ref, status=TipStatus.UNDER_REVIEW, note=None, channel="test")
    with UnitOfWork(sessions) as uow:
        done = change_status(
            uow, social, ref, status=TipStatus.REFERRED, note="Unit PPA Polrestabes", channel="t"
        )
    assert [(h["status"], h["note"]) for h in done["history"]] == [
        ("under_review", None),
        ("referred", "Unit PPA Polrestabes"),
    ]
    with UnitOfWork(sessions) as uow:
        seen = follow_tip(uow, hasher, receipt)
    assert seen["status"] == "referred" and "status_note" not in seen  # the officers' note stays inside
    with UnitOfWork(sessions) as uow, pytest.raises(Conflict):
        change_status(uow, social, ref, status=TipStatus.REFERRED, note="again", channel="test")
    with UnitOfWork(sessions) as uow:
        change_status(uow, social, ref, status=TipStatus.CLOSED, note="seller arrested", channel="test")
    with UnitOfWork(sessions) as uow, pytest.raises(Conflict, match="closed"):
        add_information(uow, hasher, receipt, AdditionIn(body="one more thing"))


def test_a_tip_is_matched_to_the_registry_by_phone_and_by_an_abbreviated_name(
    sessions: sessionmaker[Session], hasher: PasswordHasher, actors: dict[str, Actor]
) -> None:
    foundation = institution(
        sessions, actors["admin"], name="Yayasan Kasih Bunda", kind="adoption_foundation"
    )
    institution(sessions, actors["admin"], name="LKSA Kasih Ibu")  # shares a word, not the name
    seller = person(sessions, actors["police"], phone="0812 3456 7890", region_code="3374")
    ref, receipt = _submit(sessions, hasher)
    second, _ = _submit(sessions, hasher, description=None, handle="@kasihbunda")
    with UnitOfWork(sessions) as uow:
        shown = get_tip(uow, actors["police"], ref, reason=REASON, channel="test")
    found = {(m["field"], m["target_type"], m["target_ref"], m["method"]) for m in shown["matches"]}
    assert ("phone", "person", seller, "phone") in found
    assert ("description", "institution", foundation, "name") in found
    assert not any(
        m["target_type"] == "institution" and m["target_ref"] != foundation for m in shown["matches"]
    )
    with UnitOfWork(sessions) as uow:
        other = get_tip(uow, actors["police"], second, reason=REASON, channel="test")
    found = {(m["field"], m["target_type"], m["target_ref"], m["method"]) for m in other["matches"]}
    assert ("handle", "institution", foundation, "handle") in found
    assert ("phone", "tip", ref, "phone") in found  # the same seller's number in an earlier tip
    # a later addition naming another number is matched too
    other_seller = person(sessions, actors["police"], phone="+62 813-1111-2222", region_code="3374")
    with UnitOfWork(sessions) as uow:
        add_information(uow, hasher, receipt, AdditionIn(body="Penjual juga memakai Yayasan Kasih Bunda"))
    with UnitOfWork(sessions) as uow:
        again = get_tip(uow, actors["police"], ref, reason=REASON, channel="test")
    assert ("addition", "institution", foundation, "name") in {
        (m["field"], m["target_type"], m["target_ref"], m["method"]) for m in again["matches"]
    }
    assert other_seller not in {m["target_ref"] for m in again["matches"]}
