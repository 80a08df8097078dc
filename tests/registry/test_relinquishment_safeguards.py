"""A relinquishment without its safeguards is recorded (it is evidence), with warnings every reader sees."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import UnitOfWork, create_engine_for
from jaga.registry.importers import FileFormat, run_import
from jaga.registry.kinds import KINDS, READS
from jaga.registry.services.reads import Purpose, get_record
from tests.cli_helpers import jaga
from tests.conftest import ClientFor, PreparedDatabase
from tests.factories.registry import create, mother, person

BARE = ["no_consent_document", "no_counselling", "witnesses_missing", "soon_after_birth"]


def _mother_and_child(client: object) -> tuple[str, str]:
    post = client.post  # type: ignore[attr-defined]
    mother_ref = post(
        "/api/v1/people",
        json={"source_kind": "social_service", "full_name": "Siti Aminah", "sex": "F", "region_code": "3374"},
    ).json()["ref"]
    child_ref = post(
        "/api/v1/people",
        json={"source_kind": "social_service", "sex": "F", "birth_date": "2025-01-10", "region_code": "3374"},
    ).json()["ref"]
    return mother_ref, child_ref


def test_a_bare_relinquishment_a_day_after_the_birth_is_recorded_with_warnings(client_for: ClientFor) -> None:
    social = client_for("social_worker")
    mother_ref, child_ref = _mother_and_child(social)
    answer = social.post(
        "/api/v1/relinquishments",
        json={
            "mother_ref": mother_ref,
            "child_ref": child_ref,
            "occurred_on": "2025-01-11",
            "region_code": "3374",
        },
    )
    assert answer.status_code == 201, answer.text
    warnings = answer.json()["warnings"]
    assert [w["code"] for w in warnings] == BARE
    assert {w["code"]: w["message"] for w in warnings}["soon_after_birth"] == (
        "given up 1 day after the child's birth (within the first 7 days)"
    )
    # Derived on read: every reader sees them, not only the writer.
    read = client_for("police").get(
        f"/api/v1/relinquishments/{answer.json()['ref']}", params={"reason": "LP/1"}
    )
    assert read.status_code == 200
    assert read.json()["warnings"] == warnings


def test_a_relinquishment_with_its_safeguards_carries_no_warning(client_for: ClientFor) -> None:
    social = client_for("social_worker")
    mother_ref, child_ref = _mother_and_child(social)
    answer = social.post(
        "/api/v1/relinquishments",
        json={
            "mother_ref": mother_ref,
            "child_ref": child_ref,
            "occurred_on": "2025-02-20",
            "counselled_on": "2025-02-10",
            "counselling_record": "KONS/1/2025",
            "consent_document": "SP/1/2025",
            "witness_1_name": "Budi Santoso",
            "witness_2_name": "Sri Wahyuni",
            "region_code": "3374",
        },
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["warnings"] == []


def test_a_relinquishment_dated_before_the_childs_recorded_birth_is_kept_with_a_warning(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    # The child's record is often another agency's: a disagreement is a slip or a falsified date, for review.
    social = actors["social_worker"]
    child = person(sessions, social, full_name="Anak B", birth_date="2025-01-10", sex="F")
    ref = create(
        sessions,
        social,
        "relinquishments",
        mother_ref=mother(sessions, social, source_kind="social_service"),
        child_ref=child,
        occurred_on="2025-01-08",
        consent_document="SP/3/2025",
        counselled_on="2025-01-08",
        witness_1_name="Budi Santoso",
        witness_2_name="Sri Wahyuni",
        region_code="3374",
    )
    with UnitOfWork(sessions) as uow:
        record = get_record(uow, READS["relinquishments"], ref, actor=social, purpose=Purpose("check 3", "t"))
    assert record["warnings"] == [
        {
            "code": "before_birth",
            "field": "occurred_on",
            "message": "dated 2 days before the birth date on the child's record",
        }
    ]


def _relinquishments_file(sessions: sessionmaker[Session], actor: Actor, folder: Path) -> Path:
    mothers = [mother(sessions, actor, source_kind="social_service") for _ in range(2)]
    children = [person(sessions, actor, full_name="Anak", birth_date="2025-01-10", sex="M") for _ in range(2)]
    path = folder / "relinquishments.csv"
    path.write_text(
        "mother_ref,child_ref,occurred_on,consent_document,counselled_on,witness_1_name,witness_2_name,region_code\n"
        f"{mothers[0]},{children[0]},2025-03-01,SP/9/2025,2025-02-20,Budi Santoso,Sri Wahyuni,3374\n"
        f"{mothers[1]},{children[1]},2025-01-12,,,,,3374\n",
        encoding="utf-8",
    )
    return path


def test_an_import_counts_the_rows_with_warnings_and_reports_each(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    path = _relinquishments_file(sessions, actors["social_worker"], tmp_path)
    summary = run_import(
        sessions,
        actor=actors["social_worker"],
        kind=KINDS["relinquishments"],
        path=path,
        fmt=FileFormat.CSV,
        report_path=tmp_path / "report.csv",
    )
    assert (summary.written, summary.rejected, summary.warned) == (2, 0, 1)
    with (tmp_path / "report.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["row"], r["column"], r["severity"]) for r in rows] == [
        ("2", "consent_document", "warning"),
        ("2", "counselled_on", "warning"),
        ("2", "witness_1_name", "warning"),
        ("2", "occurred_on", "warning"),
    ]
    assert rows[-1]["reason"] == "given up 2 days after the child's birth (within the first 7 days)"


def test_jaga_import_prints_how_many_rows_carry_warnings(
    database: PreparedDatabase, throwaway_url: str, tmp_path: Path
) -> None:
    engine = create_engine_for(throwaway_url)
    try:
        path = _relinquishments_file(sessionmaker(engine), database.actors["social_worker"], tmp_path)
    finally:
        engine.dispose()
    report = tmp_path / "report.csv"
    result = jaga(
        throwaway_url,
        "import",
        "relinquishments",
        str(path),
        "--report",
        str(report),
        token=database.tokens["social_worker"],
    )
    assert result.exit_code == 0, result.output
    assert "relinquishments: 2 rows read, 2 written, 0 rejected, 1 with warnings" in result.output
    assert f"warnings: {report}" in result.output.replace("\n", "")
