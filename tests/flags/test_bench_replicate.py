"""`jaga bench flags --copies N`: the replicated registry holds N times the people and births, each copy
other people (own ids, refs and NIKs), and the record rules find each planted case N times."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jaga.bench.flags import replicate_registry
from jaga.db import create_engine_for, session_factory
from jaga.flags.frames import load_frames
from jaga.flags.rules import RULES
from jaga.regions import upgrade_and_seed
from tests.factories.flags import Rows


def test_copies_are_other_people_and_flags_multiply(tmp_path: Path) -> None:
    path = tmp_path / "registry.db"
    engine = create_engine_for(f"sqlite:///{path}")
    upgrade_and_seed(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        rows = Rows(session)
        old = rows.person(birth_date=date(1970, 1, 1), sex="F", nik="3374014101700001")
        rows.birth(mother=old, born_on=date(2025, 5, 1))
        rows.birth(mother=rows.person(birth_date=date(1995, 1, 1), sex="F"), born_on=date(2025, 6, 1))
        session.commit()
    replicate_registry(path, 3)
    rules = dict(RULES)
    with sessions() as session:
        frames = load_frames(session)
        found = rules["mother_age_implausible"](frames, date(2026, 3, 1))
    engine.dispose()
    assert frames.people.height == 12 and frames.births.height == 6
    assert frames.people["ref"].n_unique() == 12 and frames.births["ref"].n_unique() == 6
    assert frames.people["nik"].drop_nulls().n_unique() == 3
    assert frames.births["mother_id"].n_unique() == 6
    assert set(frames.births["mother_id"]) <= set(frames.people["id"])
    assert len(found) == 3 and len({c.subject_ref for c in found}) == 3
