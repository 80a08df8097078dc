"""The demo report's figures, on a registry built row by row."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from jaga.db import create_engine_for
from jaga.demo.report import relinquishment_rates
from jaga.registry.models import Facility
from tests.conftest import PreparedDatabase
from tests.factories.flags import CREATED, SEMARANG, Rows
from tests.factories.registry import nik_for


def test_a_relinquishment_counts_once_however_many_facilities_its_mother_gave_birth_at(
    database: PreparedDatabase, throwaway_url: str
) -> None:
    engine = create_engine_for(throwaway_url)
    try:
        with Session(engine) as session:
            rows = Rows(session)
            clinic, hospital = (
                rows._add(
                    Facility(
                        ref=ref,
                        region_code=SEMARANG,
                        created_at=CREATED,
                        name=ref,
                        kind=kind,
                        licence_number=ref,
                    )
                )
                for ref, kind in (("F-CLINIC", "clinic"), ("F-HOSPITAL", "hospital"))
            )
            nik = nik_for(date(1995, 4, 2), "F")
            mother = rows.mother(date(1995, 4, 2), nik=nik, source_kind="facility")
            rows.birth(mother, date(2021, 5, 1), facility_id=clinic.id)
            second = rows.birth(mother, date(2024, 2, 1), facility_id=hospital.id)
            rows.birth(mother, date(2025, 9, 1), facility_id=clinic.id)  # after the relinquishment
            # The social worker's record of the same mother (same NIK), relinquishing her second child.
            relinquishing = rows.mother(date(1995, 4, 2), nik=nik, source_kind="social_worker")
            child = session.get(type(mother), second.child_id)
            assert child is not None
            rows.relinquishment(relinquishing, child, date(2024, 2, 10))
            session.commit()
        plot, coverage = relinquishment_rates(engine, planted=set(), lookalikes=set())
    finally:
        engine.dispose()
    assert coverage == {"attributed": 1, "total": 1}
    assert "1 of 1 relinquishments" in plot.caption
