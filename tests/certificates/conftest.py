"""Records a certificate can be issued for, made through the registry's own services."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.certificates.documents import LogAccess
from jaga.registry.adoption.workflow import Step, add_months
from jaga.sequencer import LedgerKeys, init_keys
from tests.factories.registry import birth, mother, official
from tests.registry.adoption.test_cases import open_case, step

ORIGIN = "test.jaga.local/ledger"
REASON = "issuing on request, case 2026/17"


@pytest.fixture
def log_keys(tmp_path: Path) -> LedgerKeys:
    return init_keys(tmp_path / "keys", ORIGIN)


@pytest.fixture
def log(log_keys: LedgerKeys) -> LogAccess:
    return LogAccess(log_keys.folder, ORIGIN)


def registered_birth(sessions: sessionmaker[Session], actors: dict[str, Actor], **over: object) -> str:
    registrar = official(sessions, actors["admin"], office="Disdukcapil Kota Semarang")
    m = mother(sessions, actors["facility"], full_name="Siti Aminah binti Abdullah")
    fields: dict[str, object] = {
        "child_ref": None,
        "child_name": "Putri Ayu Lestari",
        "akta_number": f"3374-LT-{registrar[-6:]}",
        "registrar_ref": registrar,
        "registered_on": "2025-01-20",
        "registration_region_code": "3374",
        **over,
    }
    return birth(sessions, actors["registrar"], mother_ref=m, **fields)


@pytest.fixture
def birth_ref(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> str:
    return registered_birth(sessions, actors)


def registered_adoption(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> str:
    # Feed accounts: their legal steps take effect as transcribed (officers' own need four eyes).
    social, court, registrar = actors["social_worker"], actors["court"], actors["registrar"]
    case = open_case(sessions, actors)
    on = date(2024, 7, 15)
    step(sessions, social, case, Step.ELIGIBILITY_CHECK, on, outcome="passed")
    step(sessions, social, case, Step.HOME_STUDY, on + timedelta(days=14))
    care = on + timedelta(days=30)
    step(sessions, social, case, Step.TEMPORARY_CARE, care)
    step(sessions, social, case, Step.RECOMMENDATION, add_months(care, 6), outcome="passed")
    step(sessions, court, case, Step.COURT_RULING, add_months(care, 7), outcome="granted")
    step(sessions, registrar, case, Step.CIVIL_REGISTRY_ANNOTATION, add_months(care, 7) + timedelta(days=10))
    return case
