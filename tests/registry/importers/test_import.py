"""Imports as a new user would try them: every bad file refused clearly, nothing written, every bad row
named with its column and reason."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.errors import ImportFileInvalid, ImportRejected, RoleNotAllowed
from jaga.registry.importers import FileFormat, run_import
from jaga.registry.importers.runner import ImportSummary
from jaga.registry.kinds import KINDS
from jaga.registry.models import Birth, Person
from tests.factories.registry import facility, mother, nik_for

PEOPLE_HEADER = "ref,source_kind,source_ref,full_name,nik,sex,birth_date,region_code\n"
BIRTHS_HEADER = "ref,child_sex,mother_ref,born_on,facility_ref,place_region_code\n"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def run(
    sessions: sessionmaker[Session], actor: Actor, kind: str, path: Path, tmp_path: Path, **kwargs: object
) -> ImportSummary:
    fmt = FileFormat.JSONL if path.suffix == ".jsonl" else FileFormat.CSV
    return run_import(
        sessions,
        actor=actor,
        kind=KINDS[kind],
        path=path,
        fmt=fmt,
        report_path=tmp_path / "report.csv",
        **kwargs,  # type: ignore[arg-type]
    )


def report_rows(tmp_path: Path) -> list[dict[str, str]]:
    with (tmp_path / "report.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def person_line(
    ref: str, nik: str = "", born: str = "1994-02-03", region: str = "3374", name: str = "Sri Wahyuni"
) -> str:
    return f"{ref},facility,F-1,{name},{nik},F,{born},{region}\n"


def test_a_valid_file_is_imported(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "people.csv",
        PEOPLE_HEADER + person_line("M-1") + person_line("M-2", nik=nik_for(date(1994, 2, 3), "F")),
    )
    summary = run(sessions, actors["facility"], "people", path, tmp_path)
    assert (summary.rows, summary.written, summary.rejected) == (2, 2, 0)


def test_a_missing_column_is_named(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    path = write(tmp_path, "births.csv", "ref,child_sex,born_on\nB-1,F,2025-01-01\n")
    with pytest.raises(ImportFileInvalid, match="missing required column\\(s\\): mother_ref"):
        run(sessions, actors["facility"], "births", path, tmp_path)


def test_an_extra_column_is_named(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "people.csv",
        PEOPLE_HEADER.strip() + ",favourite_colour\n" + person_line("M-1").strip() + ",blue\n",
    )
    with pytest.raises(ImportFileInvalid, match="unknown column\\(s\\): favourite_colour"):
        run(sessions, actors["facility"], "people", path, tmp_path)


def test_a_file_that_is_not_utf8_is_refused(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    latin1 = (PEOPLE_HEADER + person_line("M-1", name="Siti Aisyah Müller")).encode("latin-1")
    path = write(tmp_path, "people.csv", latin1)
    before = count(sessions, Person)
    with pytest.raises(ImportFileInvalid, match="not UTF-8 text"):
        run(sessions, actors["facility"], "people", path, tmp_path)
    assert count(sessions, Person) == before  # nothing half-written (same transaction)


def test_an_empty_file_is_refused(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    with pytest.raises(ImportFileInvalid, match="is empty"):
        run(sessions, actors["facility"], "people", write(tmp_path, "people.csv", b""), tmp_path)
    with pytest.raises(ImportFileInvalid, match="no data rows"):
        run(sessions, actors["facility"], "people", write(tmp_path, "header.csv", PEOPLE_HEADER), tmp_path)


def test_a_spreadsheets_byte_order_mark_is_fine(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    path = write(tmp_path, "people.csv", "\ufeff" + PEOPLE_HEADER + person_line("M-BOM"))
    assert run(sessions, actors["facility"], "people", path, tmp_path).written == 1


def test_one_bad_row_and_nothing_is_written(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    before = count(sessions, Person)
    path = write(
        tmp_path,
        "people.csv",
        PEOPLE_HEADER + person_line("M-1") + person_line("M-2", region="9999") + person_line("M-3"),
    )
    with pytest.raises(ImportRejected, match="1 invalid row\\(s\\), nothing written"):
        run(sessions, actors["facility"], "people", path, tmp_path)
    assert count(sessions, Person) == before
    [problem] = report_rows(tmp_path)
    assert (problem["row"], problem["column"]) == ("2", "region_code")
    assert "no province 99" in problem["reason"]


def test_a_duplicate_nik_is_named_by_row(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    nik = nik_for(date(1994, 2, 3), "F")
    path = write(
        tmp_path, "people.csv", PEOPLE_HEADER + person_line("M-1", nik=nik) + person_line("M-2", nik=nik)
    )
    with pytest.raises(ImportRejected):
        run(sessions, actors["facility"], "people", path, tmp_path)
    assert report_rows(tmp_path) == [
        {
            "row": "2",
            "column": "nik",
            "reason": "this NIK is already recorded by the same source",
            "severity": "error",
        }
    ]


def test_the_same_nik_across_chunks_is_caught(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    nik = nik_for(date(1994, 2, 3), "F")
    path = write(
        tmp_path,
        "people.csv",
        PEOPLE_HEADER + person_line("M-1", nik=nik) + person_line("M-2") + person_line("M-3", nik=nik),
    )
    with pytest.raises(ImportRejected):
        run(sessions, actors["facility"], "people", path, tmp_path, chunk_size=1)
    assert [r["row"] for r in report_rows(tmp_path)] == ["3"]


def _births_setup(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> tuple[str, str, str]:
    f = facility(sessions, actors["admin"])
    adult = mother(sessions, actors["facility"], born=date(1990, 1, 1))
    child_mother = mother(sessions, actors["facility"], born=date(2016, 1, 1), nik=None)
    return f, adult, child_mother


def test_each_bad_birth_row_is_named_with_its_column_and_reason(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    f, adult, nine_year_old = _births_setup(sessions, actors)
    future = (date.today() + timedelta(days=30)).isoformat()
    before = count(sessions, Birth)
    path = write(
        tmp_path,
        "births.csv",
        BIRTHS_HEADER
        + f"B-1,F,{adult},2025-01-10,{f},\n"  # fine
        + f"B-2,M,{adult},{future},{f},\n"  # born in the future
        + f"B-3,F,{nine_year_old},2025-03-01,,3374\n"  # mother aged 9
        + f"B-4,F,{adult},2025-04-01,,3399\n"  # unknown region
        + f"B-5,F,{adult},2025-05-01,F-GHOST,\n"  # facility that does not exist
        + f"B-6,X,{adult},2025-06-01,{f}\n",  # wrong number of fields
    )
    with pytest.raises(ImportRejected, match="5 invalid row"):
        run(sessions, actors["facility"], "births", path, tmp_path)
    assert count(sessions, Birth) == before
    problems = {(r["row"], r["column"]): r["reason"] for r in report_rows(tmp_path)}
    assert problems == {
        ("2", "born_on"): "is in the future",
        ("3", "mother_ref"): "the mother would be 9 years old at the birth; accepted range is 10-70",
        ("4", "place_region_code"): "region code 33.99: no regency/city 33.99",
        ("5", "facility_ref"): "no facility with ref 'F-GHOST'",
        ("6", ""): "has 5 fields but the header has 6",
    }


def test_skip_invalid_writes_the_good_rows_and_the_rejects(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    before = count(sessions, Person)
    path = write(
        tmp_path,
        "people.csv",
        PEOPLE_HEADER + person_line("M-1") + person_line("M-2", born="2031-01-01") + person_line("M-3"),
    )
    rejects = tmp_path / "rejects.csv"
    summary = run(
        sessions, actors["facility"], "people", path, tmp_path, skip_invalid=True, rejects_path=rejects
    )
    assert (summary.written, summary.rejected) == (2, 1)
    assert count(sessions, Person) == before + 2
    with rejects.open(encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["_row"] == "2" and row["ref"] == "M-2"
    assert row["_reasons"] == "birth_date: is in the future"


def test_skip_invalid_without_a_rejects_file_is_refused(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    path = write(tmp_path, "people.csv", PEOPLE_HEADER + person_line("M-1"))
    with pytest.raises(ImportFileInvalid, match="needs --rejects"):
        run(sessions, actors["facility"], "people", path, tmp_path, skip_invalid=True)


def test_an_adoption_step_out_of_order_is_named(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    from tests.factories.registry import create, person

    social = actors["social_worker"]
    child = person(sessions, social, birth_date="2024-01-01")
    adopter = person(sessions, social)
    case = create(
        sessions,
        social,
        "adoption-cases",
        child_ref=child,
        kind="domestic",
        adopter_ref=adopter,
        region_code="3374",
        applied_on="2024-03-01",
    )
    path = write(
        tmp_path,
        "steps.csv",
        "case_ref,step,occurred_on,outcome,documents\n"
        f"{case},eligibility_check,2024-03-10,passed,\n"
        f"{case},temporary_care,2024-04-01,,care_permit=CP/2024/9\n",
    )
    with pytest.raises(ImportRejected):
        run(sessions, social, "adoption-steps", path, tmp_path)
    [problem] = report_rows(tmp_path)
    assert problem["row"] == "2" and problem["column"] == "step"
    assert "missing step 'home_study'" in problem["reason"]


def test_json_lines_are_imported_and_checked_per_line(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    good = {
        "ref": "M-J1",
        "source_kind": "facility",
        "full_name": "Ni Luh Putu Sari",
        "sex": "F",
        "region_code": "5171",
    }
    lines = [
        json.dumps(good),
        "",
        "[1, 2]",
        "{not json",
        json.dumps({**good, "ref": "M-J2", "colour": "blue"}),
    ]
    path = write(tmp_path, "people.jsonl", "\n".join(lines) + "\n")
    with pytest.raises(ImportRejected, match="3 invalid row"):
        run(sessions, actors["facility"], "people", path, tmp_path)
    reasons = {r["row"]: r["reason"] for r in report_rows(tmp_path)}
    assert reasons["3"] == "each line must be a JSON object"
    assert reasons["4"].startswith("not valid JSON")
    assert reasons["5"] == "unknown field(s): colour"
    path = write(tmp_path, "ok.jsonl", json.dumps(good) + "\n")
    assert run(sessions, actors["facility"], "people", path, tmp_path).written == 1


def test_an_account_without_the_right_role_is_refused_before_reading(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    path = write(tmp_path, "people.csv", PEOPLE_HEADER + person_line("M-1"))
    with pytest.raises(RoleNotAllowed):
        run(sessions, actors["auditor"], "people", path, tmp_path)


def test_error_reports_do_not_repeat_personal_values(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "people.csv",
        PEOPLE_HEADER + person_line("M-1", nik="9974015508900001", name="Rahasia Sekali"),
    )
    with pytest.raises(ImportRejected):
        run(sessions, actors["facility"], "people", path, tmp_path)
    text = (tmp_path / "report.csv").read_text(encoding="utf-8")
    assert "9974015508900001" not in text and "Rahasia" not in text
