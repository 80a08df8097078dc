"""Hand-built registry rows for the flag rules' tests.

Rows go straight into the tables (no services): the rules must catch what the services would refuse
too (steps out of order written by an older system, say), and each case needs only the columns its rule
reads. Everything happens inside the test's rolled-back transaction.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from jaga.registry.models import (
    AdoptionCase,
    AdoptionStep,
    Birth,
    Institution,
    MissingReport,
    Person,
    Placement,
    Relinquishment,
)

CREATED = datetime(2026, 1, 1, tzinfo=UTC)
SEMARANG = "3374"  # Kota Semarang, Jawa Tengah
DEMAK = "3321"  # Kabupaten Demak, Jawa Tengah
DENPASAR = "5171"  # Kota Denpasar, Bali


@dataclass
class Rows:
    session: Session
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _ref(self, prefix: str) -> str:
        return f"{prefix}-T{next(self._serial):08d}"

    def _add(self, obj: Any) -> Any:
        self.session.add(obj)
        self.session.flush()
        return obj

    def person(self, **values: Any) -> Person:
        values = {
            "ref": self._ref("P"),
            "region_code": SEMARANG,
            "created_at": CREATED,
            "source_kind": "civil_registry",
            "source_ref": "",
            "full_name": "Test Person",
            "name_normalised": "test person",
            "nationality": "IDN",
            **values,
        }
        return self._add(Person(**values))

    def mother(self, born: date, **values: Any) -> Person:
        return self.person(
            **{"sex": "F", "birth_date": born, "address_region_code": SEMARANG + "01", **values}
        )

    def birth(self, mother: Person, born_on: date, **values: Any) -> Birth:
        child = values.pop("child", None) or self.person(birth_date=born_on)
        values = {
            "ref": self._ref("B"),
            "region_code": SEMARANG,
            "created_at": CREATED,
            "child_id": child.id,
            "mother_id": mother.id,
            "born_on": born_on,
            "plurality": 1,
            "place_kind": "facility",
            "birth_evidence": "skl",
            **values,
        }
        return self._add(Birth(**values))

    def institution(self, **values: Any) -> Institution:
        values = {
            "ref": self._ref("I"),
            "region_code": SEMARANG,
            "created_at": CREATED,
            "name": "Yayasan Uji",
            "kind": "lksa",
            "licence_number": f"33/LKSA/{next(self._serial):05d}",
            "licence_valid_from": date(2018, 1, 1),
            "licence_valid_until": date(2030, 12, 31),
            "licence_status": "active",
            **values,
        }
        return self._add(Institution(**values))

    def relinquishment(self, mother: Person, child: Person, on: date, **values: Any) -> Relinquishment:
        values = {
            "ref": self._ref("R"),
            "region_code": SEMARANG,
            "created_at": CREATED,
            "mother_id": mother.id,
            "child_id": child.id,
            "occurred_on": on,
            "witnesses": "[]",
            **values,
        }
        return self._add(Relinquishment(**values))

    def placement(self, child: Person, kind: str, on: date, **values: Any) -> Placement:
        values = {
            "ref": self._ref("L"),
            "region_code": SEMARANG,
            "created_at": CREATED,
            "child_id": child.id,
            "kind": kind,
            "from_date": on,
            **values,
        }
        return self._add(Placement(**values))

    def case(self, child: Person, adopter: Person, opened_on: date, **values: Any) -> AdoptionCase:
        values = {
            "ref": self._ref("C"),
            "region_code": SEMARANG,
            "created_at": CREATED,
            "child_id": child.id,
            "kind": "domestic",
            "adopter_id": adopter.id,
            "status": "open",
            "current_step": "application",
            "opened_on": opened_on,
            **values,
        }
        return self._add(AdoptionCase(**values))

    def steps(self, case: AdoptionCase, *taken: tuple[str, date, str | None, list[str]]) -> None:
        """(step, date, outcome, document kinds) in the order recorded."""
        for number, (step, on, outcome, documents) in enumerate(taken, start=1):
            self._add(
                AdoptionStep(
                    case_id=case.id,
                    number=number,
                    step=step,
                    occurred_on=on,
                    outcome=outcome,
                    documents=json.dumps([{"kind": d, "number": f"{d}-{number}"} for d in documents]),
                    recorded_at=CREATED,
                )
            )

    def missing(self, child: Person, last_seen_on: date, **values: Any) -> MissingReport:
        values = {
            "ref": self._ref("M"),
            "region_code": SEMARANG,
            "created_at": CREATED,
            "child_id": child.id,
            "police_unit": "Unit PPA Polrestabes Semarang",
            "last_seen_on": last_seen_on,
            "last_seen_region_code": SEMARANG + "01",
            "status": "open",
            **values,
        }
        return self._add(MissingReport(**values))


# A full, lawful domestic case: every step at its legal pace (six months of temporary care).
LAWFUL_DOMESTIC = (
    ("application", date(2024, 1, 10), None, []),
    ("eligibility_check", date(2024, 1, 20), "passed", []),
    ("home_study", date(2024, 2, 1), None, ["home_study_report"]),
    ("temporary_care", date(2024, 2, 15), None, ["care_permit"]),
    ("recommendation", date(2024, 8, 20), "passed", ["pipa_recommendation"]),
    ("court_ruling", date(2024, 9, 10), "granted", ["court_ruling"]),
    ("civil_registry_annotation", date(2024, 9, 30), None, ["akta_annotation"]),
)
