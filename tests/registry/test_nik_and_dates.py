"""What malformed imports found: a NIK contradicting its row is accepted, warned about and flagged (DOMAIN.md
section 1); a child last seen before its birth, or in year 1, is refused with a precise per-row reason."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.errors import ImportRejected, RecordRejected
from jaga.flags.frames import load_frames
from jaga.flags.rules import identity
from jaga.registry.importers import FileFormat, run_import
from jaga.registry.importers.runner import ImportSummary
from jaga.registry.kinds import KINDS
from jaga.registry.schemas.missing import MissingReportIn
from tests.conftest import ClientFor
from tests.factories.registry import create, mother, nik_for, person

FEMALE_NIK_1990_08_15 = nik_for(date(1990, 8, 15), "F")  # day 55: a woman born 15 August 1990


def _import(
    sessions: sessionmaker[Session], actor: Actor, kind: str, content: str, folder: Path
) -> tuple[ImportSummary, list[dict[str, str]]]:
    path = folder / f"{kind}.csv"
    path.write_text(content, encoding="utf-8")
    report = folder / "report.csv"
    summary = run_import(
        sessions, actor=actor, kind=KINDS[kind], path=path, fmt=FileFormat.CSV, report_path=report
    )
    return summary, _report_rows(report)


def _report_rows(report: Path) -> list[dict[str, str]]:
    if not report.exists():
        return []
    with report.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_nik_contradicting_the_rows_sex_and_birth_date_is_accepted_warned_and_flagged(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    summary, report = _import(
        sessions,
        actors["facility"],
        "people",
        "ref,source_kind,full_name,nik,sex,birth_date,region_code\n"
        f"P-NIK-1,facility,Andi Wijaya,{FEMALE_NIK_1990_08_15},M,1991-02-03,3374\n",
        tmp_path,
    )
    assert (summary.written, summary.warned) == (1, 1)
    assert [(r["column"], r["reason"], r["severity"]) for r in report] == [
        ("nik", "the NIK encodes female (day + 40), the record says male", "warning"),
        ("nik", "the NIK's date of birth differs from the record's birth_date", "warning"),
    ]
    with sessions() as session:
        flagged = {c.subject_ref for c in identity.detect(load_frames(session), date(2026, 3, 1))}
    assert "P-NIK-1" in flagged


def test_every_reader_of_the_person_sees_the_nik_warnings(client_for: ClientFor) -> None:
    clinic = client_for("facility")
    created = clinic.post(
        "/api/v1/people",
        json={
            "source_kind": "facility",
            "full_name": "Andi Wijaya",
            "nik": FEMALE_NIK_1990_08_15,
            "sex": "M",
            "birth_date": "1990-08-15",
            "region_code": "3374",
        },
    )
    assert created.status_code == 201, created.text
    assert [w["code"] for w in created.json()["warnings"]] == ["nik_sex_differs"]
    read = client_for("police").get(f"/api/v1/people/{created.json()['ref']}", params={"reason": "LP/2"})
    assert read.json()["warnings"] == created.json()["warnings"]


def test_a_childs_nik_contradicting_the_birth_row_is_warned_about(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    m = mother(sessions, actors["facility"])
    summary, report = _import(
        sessions,
        actors["facility"],
        "births",
        "child_sex,child_nik,mother_ref,born_on,place_region_code\n"
        f"M,{nik_for(date(2025, 1, 10), 'F')},{m},2025-01-10,337401\n",
        tmp_path,
    )
    assert (summary.written, summary.warned) == (1, 1)
    assert [(r["column"], r["severity"]) for r in report] == [("child_nik", "warning")]


def test_a_child_last_seen_before_its_birth_is_refused(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    police = actors["police-bali"]
    child = person(sessions, police, source_kind="police", birth_date="2024-05-01", region_code="5171")
    with pytest.raises(RecordRejected, match="last_seen_on: is before the child's birth"):
        create(
            sessions,
            police,
            "missing-reports",
            child_ref=child,
            police_unit="Unit PPA Polresta Denpasar",
            last_seen_on="2024-04-30",
            last_seen_region_code="5171",
        )


def test_a_child_last_seen_in_year_1_is_refused_with_the_row_and_reason(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    police = actors["police-bali"]
    child = person(sessions, police, source_kind="police", birth_date="2024-05-01", region_code="5171")
    with pytest.raises(ImportRejected):
        _import(
            sessions,
            police,
            "missing-reports",
            "child_ref,police_unit,last_seen_on,last_seen_region_code\n"
            f"{child},Unit PPA,2025-01-01,5171\n"
            f"{child},Unit PPA,0001-01-01,5171\n",
            tmp_path,
        )
    report = _report_rows(tmp_path / "report.csv")
    assert [(r["row"], r["column"], r["reason"]) for r in report] == [
        ("2", "last_seen_on", "is before 1900-01-01: not a plausible date for this registry")
    ]
    with pytest.raises(ValidationError, match="before 1900-01-01"):
        MissingReportIn.model_validate(
            {
                "child_ref": "P-1",
                "police_unit": "Unit PPA",
                "last_seen_on": "1899-12-31",
                "last_seen_region_code": "51",
            }
        )
