"""Reading and reviewing flags through the services: roles, regions, notes, audit and the trail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor, AuditEntry
from jaga.db import UnitOfWork
from jaga.errors import Conflict, InvalidInput, OutOfRegion, RecordNotFound, RoleNotAllowed
from jaga.flags.models import FlagStatus, FlagStatusChange
from jaga.flags.runs import run_flags
from jaga.flags.services import FlagFilter, change_status, get_flag, list_flags
from tests.conftest import FixedClock
from tests.factories.flags import DENPASAR, Rows
from tests.flags.conftest import TODAY
from tests.flags.test_runs import RULES_ONLY


@pytest.fixture
def flagged(sessions: sessionmaker[Session], rows: Rows, clock: FixedClock) -> dict[str, int]:
    """Two flags: a birth in Semarang (33.74) and one in Denpasar (51.71); their ids by region."""
    rows.birth(rows.mother(date(1970, 1, 1)), date(2024, 6, 1))
    rows.birth(
        rows.mother(date(1969, 1, 1), region_code=DENPASAR, address_region_code=DENPASAR + "01"),
        date(2024, 6, 1),
        region_code=DENPASAR,
    )
    rows.session.commit()
    run_flags(sessions, today=TODAY, clock=clock, detectors=RULES_ONLY)
    with UnitOfWork(sessions, clock) as uow:
        page = list_flags(uow, actors_national(), wanted=FlagFilter(), reason="setup", channel="test")
    assert len(page.items) == 2
    return {item["region_code"][:2]: item["id"] for item in page.items}


def actors_national() -> Actor:
    from jaga.access import Role

    return Actor(principal_id=None, username="test-auditor", role=Role.AUDITOR, region_scope="")


def test_the_list_is_region_scoped_ranked_and_audited(
    sessions: sessionmaker[Session], flagged: dict[str, int], actors: dict[str, Actor], clock: FixedClock
) -> None:
    with UnitOfWork(sessions, clock) as uow:
        page = list_flags(
            uow, actors["police-bali"], wanted=FlagFilter(), reason="LP/123/2026", channel="test"
        )
    assert [i["id"] for i in page.items] == [flagged["51"]]
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.resource == "flags" and entry.reason == "LP/123/2026"
    assert entry.record_ids == f"[{flagged['51']}]"


def test_pages_follow_the_cursor_in_score_order(
    sessions: sessionmaker[Session], flagged: dict[str, int], actors: dict[str, Actor], clock: FixedClock
) -> None:
    with UnitOfWork(sessions, clock) as uow:
        first = list_flags(uow, actors["auditor"], wanted=FlagFilter(), reason="audit", channel="t", limit=1)
    assert first.next_cursor is not None
    with UnitOfWork(sessions, clock) as uow:
        second = list_flags(
            uow,
            actors["auditor"],
            wanted=FlagFilter(),
            reason="audit",
            channel="t",
            limit=1,
            cursor=first.next_cursor,
        )
    assert second.next_cursor is None
    scores = [first.items[0]["score"], second.items[0]["score"]]
    assert scores == sorted(scores, reverse=True)
    assert {first.items[0]["id"], second.items[0]["id"]} == set(flagged.values())


def test_reading_needs_a_reason_and_a_role_that_may(
    sessions: sessionmaker[Session], flagged: dict[str, int], actors: dict[str, Actor], clock: FixedClock
) -> None:
    with UnitOfWork(sessions, clock) as uow, pytest.raises(InvalidInput, match="reason"):
        list_flags(uow, actors["police"], wanted=FlagFilter(), reason=None, channel="t")
    for role in ("registrar", "facility", "institution", "court", "admin"):
        with UnitOfWork(sessions, clock) as uow, pytest.raises(RoleNotAllowed, match="flags:read"):
            get_flag(uow, actors[role], flagged["33"], reason="curious", channel="t")


def test_a_flag_outside_the_region_is_refused(
    sessions: sessionmaker[Session], flagged: dict[str, int], actors: dict[str, Actor], clock: FixedClock
) -> None:
    with UnitOfWork(sessions, clock) as uow, pytest.raises(OutOfRegion, match="outside your scope 51"):
        get_flag(uow, actors["police-bali"], flagged["33"], reason="LP/1", channel="t")
    with UnitOfWork(sessions, clock) as uow, pytest.raises(OutOfRegion):
        change_status(uow, actors["police-bali"], flagged["33"], status=FlagStatus.UNDER_REVIEW)


def test_status_changes_keep_a_trail_with_notes(
    sessions: sessionmaker[Session], flagged: dict[str, int], actors: dict[str, Actor], clock: FixedClock
) -> None:
    flag_id = flagged["33"]
    with UnitOfWork(sessions, clock) as uow:
        change_status(uow, actors["social-jateng"], flag_id, status=FlagStatus.UNDER_REVIEW)
    with UnitOfWork(sessions, clock) as uow:
        done = change_status(
            uow, actors["police"], flag_id, status=FlagStatus.ESCALATED, note="referred to Polda, LP/77"
        )
    assert done["status"] == "escalated"
    assert [(c["from_status"], c["to_status"]) for c in done["history"]] == [
        ("open", "under_review"),
        ("under_review", "escalated"),
    ]
    assert done["history"][1]["note"] == "referred to Polda, LP/77"
    with sessions() as session:
        changes = session.scalars(select(FlagStatusChange)).all()
    assert [c.principal_id for c in changes] == [
        actors["social-jateng"].principal_id,
        actors["police"].principal_id,
    ]


def test_dismissing_needs_a_note_and_the_same_status_twice_is_a_conflict(
    sessions: sessionmaker[Session], flagged: dict[str, int], actors: dict[str, Actor], clock: FixedClock
) -> None:
    with UnitOfWork(sessions, clock) as uow, pytest.raises(InvalidInput, match="needs a note"):
        change_status(uow, actors["police"], flagged["33"], status=FlagStatus.DISMISSED)
    with UnitOfWork(sessions, clock) as uow, pytest.raises(Conflict, match="already open"):
        change_status(uow, actors["police"], flagged["33"], status=FlagStatus.OPEN)


def test_auditors_read_but_do_not_review_and_unknown_flags_are_not_found(
    sessions: sessionmaker[Session], flagged: dict[str, int], actors: dict[str, Actor], clock: FixedClock
) -> None:
    with UnitOfWork(sessions, clock) as uow, pytest.raises(RoleNotAllowed, match="flags:review"):
        change_status(uow, actors["auditor"], flagged["33"], status=FlagStatus.UNDER_REVIEW)
    with UnitOfWork(sessions, clock) as uow, pytest.raises(RecordNotFound):
        get_flag(uow, actors["auditor"], 987654, reason="audit", channel="t")
