"""`run_flags`: flags keep their identity and review status across runs, are marked when no longer
found, and a failed run leaves the previous flags as they were."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import EventKind, EventRecord, UnitOfWork
from jaga.flags.candidates import Candidate
from jaga.flags.frames import Frames
from jaga.flags.models import Flag, FlagRun, FlagStatus
from jaga.flags.rules import detect as rules_detect
from jaga.flags.runs import run_flags
from jaga.flags.services import change_status
from tests.conftest import FixedClock
from tests.factories.flags import Rows
from tests.flags.conftest import TODAY

RULES_ONLY = [("rules", rules_detect)]


def _old_mother_birth(rows: Rows, born: date = date(1970, 1, 1)) -> str:
    birth = rows.birth(rows.mother(born), date(2024, 6, 1))
    rows.session.commit()
    return birth.ref


def _flags(sessions: sessionmaker[Session]) -> dict[tuple[str, str], Flag]:
    with sessions() as session:
        return {(f.kind, f.subject_ref): f for f in session.scalars(select(Flag))}


def test_a_run_stores_each_flag_with_its_evidence_and_explanations(
    sessions: sessionmaker[Session], rows: Rows, clock: FixedClock
) -> None:
    ref = _old_mother_birth(rows)
    summary = run_flags(sessions, today=TODAY, clock=clock, detectors=RULES_ONLY)
    assert summary.by_kind == {"mother_age_implausible": 1}
    assert summary.new == 1 and summary.rows["births"] == 1
    assert set(summary.timings) == {"load", "rules", "store"}
    flag = _flags(sessions)[("mother_age_implausible", ref)]
    assert flag.status == "open" and flag.present and flag.score == 0.55
    assert '"mother_age_years": 54.4' in flag.evidence
    assert flag.explanation_id.startswith("Ibu pada kelahiran")
    with sessions() as session:
        run = session.get(FlagRun, summary.run_id)
        assert run is not None and run.status == "done" and run.found == 1


def test_a_dismissed_flag_found_again_stays_dismissed_with_fresh_evidence(
    sessions: sessionmaker[Session], rows: Rows, clock: FixedClock, actors: dict[str, Actor]
) -> None:
    ref = _old_mother_birth(rows)
    run_flags(sessions, today=TODAY, clock=clock, detectors=RULES_ONLY)
    first = _flags(sessions)[("mother_age_implausible", ref)]
    with UnitOfWork(sessions, clock) as uow:
        change_status(
            uow, actors["police"], first.id, status=FlagStatus.DISMISSED, note="checked: KTP copy seen"
        )
    # The mother's recorded birth date is corrected: a different age, the same flag.
    with sessions() as session:
        birth_mother = session.execute(select(Flag)).scalar_one()
        assert birth_mother.status == "dismissed"
    rows.session.execute(
        Flag.__table__.update().values(evidence="{}")  # stale evidence, to see it refreshed
    )
    rows.session.commit()
    second = run_flags(sessions, today=TODAY, clock=clock, detectors=RULES_ONLY)
    again = _flags(sessions)[("mother_age_implausible", ref)]
    assert second.new == 0 and second.refreshed == 1
    assert again.id == first.id and again.status == "dismissed"
    assert '"mother_age_years": 54.4' in again.evidence and again.last_run_id == second.run_id


def test_a_flag_not_found_again_is_marked_not_deleted(
    sessions: sessionmaker[Session], rows: Rows, clock: FixedClock
) -> None:
    ref = _old_mother_birth(rows)
    run_flags(sessions, today=TODAY, clock=clock, detectors=RULES_ONLY)
    second = run_flags(sessions, today=TODAY, clock=clock, detectors=[])
    assert second.gone == 1
    flag = _flags(sessions)[("mother_age_implausible", ref)]
    assert flag.present is False
    third = run_flags(sessions, today=TODAY, clock=clock, detectors=RULES_ONLY)
    assert third.new == 0 and _flags(sessions)[("mother_age_implausible", ref)].present is True


def _broken(frames: Frames, *, today: date) -> list[Candidate]:
    raise RuntimeError("detector bug")


def test_a_failed_run_leaves_the_previous_flags_intact(
    sessions: sessionmaker[Session], rows: Rows, clock: FixedClock
) -> None:
    ref = _old_mother_birth(rows)
    run_flags(sessions, today=TODAY, clock=clock, detectors=RULES_ONLY)
    before = _flags(sessions)[("mother_age_implausible", ref)]
    with pytest.raises(RuntimeError, match="detector bug"):
        run_flags(sessions, today=TODAY, clock=clock, detectors=[*RULES_ONLY, ("broken", _broken)])
    after = _flags(sessions)[("mother_age_implausible", ref)]
    assert (after.id, after.present, after.last_run_id) == (before.id, True, before.last_run_id)
    with sessions() as session:
        runs = session.scalars(select(FlagRun).order_by(FlagRun.id)).all()
        assert [r.status for r in runs] == ["done", "failed"]
        assert runs[-1].notes == "failed: RuntimeError"


def test_runs_write_no_events_but_status_changes_do(
    sessions: sessionmaker[Session], rows: Rows, clock: FixedClock, actors: dict[str, Actor]
) -> None:
    _old_mother_birth(rows)
    with sessions() as session:
        before = len(session.scalars(select(EventRecord.seq)).all())
    run_flags(sessions, today=TODAY, clock=clock, detectors=RULES_ONLY)
    with sessions() as session:
        assert len(session.scalars(select(EventRecord.seq)).all()) == before
        flag_id = session.scalars(select(Flag.id)).one()
    with UnitOfWork(sessions, clock) as uow:
        change_status(uow, actors["social_worker"], flag_id, status=FlagStatus.UNDER_REVIEW)
    with sessions() as session:
        kinds = session.scalars(select(EventRecord.kind).order_by(EventRecord.seq)).all()
    assert kinds[-1] == EventKind.FLAG_STATUS_CHANGED.value and len(kinds) == before + 1


def test_refreshing_one_subject_stores_only_its_flag_and_leaves_every_other_as_it_was(
    sessions: sessionmaker[Session], rows: Rows, clock: FixedClock
) -> None:
    from jaga.flags.runs import refresh_one
    from tests.factories.flags import DENPASAR

    mother_ref = _old_mother_birth(rows)
    first = run_flags(sessions, today=TODAY, clock=clock, detectors=RULES_ONLY)
    reported = rows.person(nik="3374010101220001", source_kind="police")
    report = rows.missing(reported, date(2024, 1, 1))
    intake = rows.person(nik="3374010101220001", source_kind="institution", region_code=DENPASAR)
    rows.placement(intake, "institution", date(2024, 3, 1), region_code=DENPASAR)
    alone = rows.missing(rows.person(source_kind="police"), date(2024, 2, 1))  # nobody turns up
    rows.session.commit()

    done = refresh_one(
        sessions, kind="missing_child_reappears", subject_type="missing_report", subject_ref=report.ref,
        today=TODAY, clock=clock,
    )  # fmt: skip
    flags = _flags(sessions)
    flag = flags[("missing_child_reappears", report.ref)]
    assert done.new and done.flag_id == flag.id and flag.present and flag.last_run_id == done.run_id
    untouched = flags[("mother_age_implausible", mother_ref)]
    assert untouched.present and untouched.last_run_id == first.run_id  # a whole run would refresh it
    assert len(flags) == 2  # the other report's flag is not looked for, the rest not re-detected
    again = refresh_one(
        sessions, kind="missing_child_reappears", subject_type="missing_report", subject_ref=report.ref,
        today=TODAY, clock=clock,
    )  # fmt: skip
    assert again.flag_id == flag.id and not again.new
    nothing = refresh_one(
        sessions, kind="missing_child_reappears", subject_type="missing_report", subject_ref=alone.ref,
        today=TODAY, clock=clock,
    )  # fmt: skip
    assert nothing.flag_id is None and len(_flags(sessions)) == 2
    with sessions() as session:
        run = session.get(FlagRun, done.run_id)
        assert run is not None and run.status == "done" and run.found == 1
        assert run.notes == "one subject: missing_child_reappears on one missing_report"
    with pytest.raises(ValueError, match="no record rule"):
        refresh_one(sessions, kind="network_ring", subject_type="x", subject_ref="y", clock=clock)
