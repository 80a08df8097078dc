"""`tip_corroborates`: a tip naming what a flag names raises that subject in the ranking, through a real
flag run; a tip alone raises nothing (on both databases, the run committing to a database of its own)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from jaga.db import UnitOfWork, create_engine_for
from jaga.flags.evaluate import latest_flags, rank_subjects
from jaga.flags.runs import run_flags
from jaga.registry import Person
from jaga.tips import TipIn, submit_tip
from tests.conftest import FAST_HASHER, PreparedDatabase
from tests.factories.flags import Rows


def _tip(sessions: sessionmaker[Session], **values: str) -> str:
    with UnitOfWork(sessions) as uow:
        return submit_tip(uow, FAST_HASHER, TipIn.model_validate({"platform": "whatsapp", **values})).ref


def test_a_tip_naming_a_flagged_mother_raises_her_birth_in_the_ranking(
    throwaway_url: str, database: PreparedDatabase
) -> None:
    engine = create_engine_for(throwaway_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    with sessions() as session:
        rows = Rows(session)
        named = rows.mother(date(1970, 1, 1))  # 54 at the birth: mother_age_implausible
        named_birth = rows.birth(named, date(2024, 6, 1)).ref
        other_birth = rows.birth(rows.mother(date(1970, 1, 1)), date(2024, 6, 1)).ref  # the same pattern
        bystander = rows.person(full_name="Tetangga", phone="0813 2222 3333")
        session.execute(update(Person).where(Person.id == named.id).values(phone="0812-7777-8888"))
        session.commit()
        named_ref, bystander_ref = named.ref, bystander.ref
    try:
        tip = _tip(sessions, phone="+62 812 7777 8888", description="Ibu ini menjual bayinya")
        _tip(sessions, phone="0813-2222-3333", description="tetangga yang tidak ditandai")
        _tip(sessions, url="https://facebook.com/jual.bayi", description="tidak menyebut siapa pun")
        summary = run_flags(sessions, today=date(2026, 3, 1))
        assert summary.by_kind == {"mother_age_implausible": 2, "tip_corroborates": 1}
        assert "tips" in summary.timings
        with sessions() as session:
            _, flags = latest_flags(session)
        scores = {(f.subject_ref, f.kind): f.score for f in flags}
        # the two births carry the same pattern and the same score; only the one a tip names is raised
        assert (
            scores[(named_birth, "mother_age_implausible")] == scores[(other_birth, "mother_age_implausible")]
        )
        [raised] = [f for f in flags if f.kind == "tip_corroborates"]
        assert raised.subject_ref == named_birth and tip in raised.records
        assert raised.score > scores[(named_birth, "mother_age_implausible")]
        assert raised.evidence["matches"] == [
            {"tip": tip, "named": named_ref, "method": "phone", "strength": 0.9}
        ]
        ranking = [s.subject_ref for s in rank_subjects(flags)]
        assert ranking.index(named_birth) < ranking.index(other_birth)
        assert bystander_ref not in ranking  # named by a tip, flagged by nothing: no flag
    finally:
        engine.dispose()
