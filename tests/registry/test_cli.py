"""`jaga import` and `jaga export` as a user runs them: exit codes, messages, and a full round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from jaga.db import create_engine_for
from jaga.registry.models import Birth, Person
from tests.cli_helpers import jaga
from tests.conftest import PreparedDatabase

FACILITIES = "ref,name,kind,licence_number,region_code\nF-1,RSIA Bunda,hospital,LIC-1,3374\n"
PEOPLE = (
    "ref,source_kind,source_ref,full_name,nik,sex,birth_date,region_code,religion\n"
    "M-1,facility,F-1,Siti Aminah,3374014203940001,F,1994-03-02,3374,islam\n"
    "M-2,facility,F-1,Ni Wayan Sari,,F,1990-07-01,3374,hindu\n"
)
BIRTHS = (
    "ref,child_ref,child_name,child_sex,mother_ref,born_on,facility_ref,skl_number,birth_weight_g\n"
    "B-1,C-1,Putri,F,M-1,2025-01-10,F-1,SKL/1,3100\n"
    "B-2,C-2,,M,M-2,2025-02-11,F-1,SKL/2,2900\n"
)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _count(url: str, model: type) -> int:
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(model)).scalar_one())
    finally:
        engine.dispose()


def load(url: str, tokens: dict[str, str], folder: Path) -> None:
    for kind, text, account in (
        ("facilities", FACILITIES, "admin"),
        ("people", PEOPLE, "facility"),
        ("births", BIRTHS, "facility"),
    ):
        result = jaga(
            url,
            "import",
            kind,
            str(_write(folder, f"{kind}.csv", text)),
            token=tokens[account],
            data_dir=folder,
        )
        assert result.exit_code == 0, result.output
        assert "0 rejected" in result.output


def test_import_then_export_then_import_elsewhere_gives_the_same_records(
    database: PreparedDatabase, throwaway_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    load(throwaway_url, tokens, tmp_path)
    exported: dict[str, str] = {}
    for kind in ("facilities", "people", "births"):
        account = "auditor"
        result = jaga(throwaway_url, "export", kind, "--reason", "migration test", token=tokens[account])
        assert result.exit_code == 0, result.output
        exported[kind] = result.stdout
    assert (
        exported["births"]
        .splitlines()[0]
        .startswith("ref,child_ref,child_name,child_sex,child_nik,mother_ref")
    )
    assert "B-1,C-1,Putri,F,,M-1,,2025-01-10" in exported["births"]
    assert len(exported["people"].splitlines()) == 1 + 4  # two mothers, two children

    # A second, empty copy: import what was exported, then export it again.
    from tests.conftest import create_postgres_database, drop_postgres_database

    if database.dialect == "sqlite":
        import shutil

        assert database.template_path is not None
        shutil.copyfile(database.template_path, tmp_path / "second.db")
        second, cleanup = f"sqlite:///{tmp_path / 'second.db'}", None
    else:
        name = f"jaga_tmp_second_{tmp_path.name[-6:].lower()}".replace("-", "_")
        second, cleanup = create_postgres_database(name, template=database.template_name), name
    try:
        for kind, account in (("facilities", "admin"), ("people", "facility"), ("births", "facility")):
            path = _write(tmp_path, f"export-{kind}.csv", exported[kind])
            result = jaga(second, "import", kind, str(path), token=tokens[account], data_dir=tmp_path)
            assert result.exit_code == 0, result.output
        assert _count(second, Birth) == _count(throwaway_url, Birth) == 2 + _count(second, Birth) - 2
        assert _count(second, Person) == _count(throwaway_url, Person)
        again = jaga(second, "export", "births", "--reason", "migration test", token=tokens["auditor"])
        assert again.stdout == exported["births"]
    finally:
        if cleanup:
            drop_postgres_database(cleanup)


def test_an_invalid_file_exits_three_with_a_table_of_bad_rows(
    database: PreparedDatabase, throwaway_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    load(throwaway_url, tokens, tmp_path)
    before = _count(throwaway_url, Birth)
    bad = _write(
        tmp_path,
        "bad.csv",
        BIRTHS.replace("B-1,C-1", "B-9,C-9")
        .replace("B-2,C-2", "B-8,C-8")
        .replace("2025-02-11", "2099-02-11"),
    )
    result = jaga(throwaway_url, "import", "births", str(bad), token=tokens["facility"], data_dir=tmp_path)
    assert result.exit_code == 3
    assert "1 invalid row(s), nothing written" in result.output
    assert "born_on" in result.output and "is in the future" in result.output
    assert _count(throwaway_url, Birth) == before
    reports = list((tmp_path / "import-reports").glob("births-*.csv"))
    assert len(reports) == 1
    assert reports[0].stat().st_mode & 0o777 == 0o600  # its reasons may quote a record
    assert (tmp_path / "import-reports").stat().st_mode & 0o777 == 0o700


def test_a_bug_during_an_import_leaves_no_report_and_no_rejects_file(
    database: PreparedDatabase,
    throwaway_url: str,
    tmp_path: Path,
    tokens: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from jaga.registry.importers import runner

    real = runner.validation_problems
    calls: list[int] = []

    def breaks_on_the_second_bad_row(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("a bug")
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "validation_problems", breaks_on_the_second_bad_row)
    bad = _write(tmp_path, "bad.csv", PEOPLE.replace("1994-03-02", "2099-01-01").replace("1990-07-01", "x"))
    reports = tmp_path / "reports"
    result = jaga(
        throwaway_url,
        "import",
        "people",
        str(bad),
        "--skip-invalid",
        "--rejects",
        str(reports / "rejects.csv"),
        "--report",
        str(reports / "report.csv"),
        token=tokens["facility"],
        data_dir=tmp_path,
    )
    assert result.exit_code == 70, result.output
    assert len(calls) == 2 and list(reports.iterdir()) == []


def test_import_needs_a_token_and_the_right_role(
    database: PreparedDatabase, throwaway_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    path = _write(tmp_path, "people.csv", PEOPLE)
    anonymous = jaga(throwaway_url, "import", "people", str(path))
    assert anonymous.exit_code == 5 and "pass --token or set JAGA_TOKEN" in anonymous.output
    auditor = jaga(throwaway_url, "import", "people", str(path), token=tokens["auditor"])
    assert auditor.exit_code == 5 and "may not people:write" in auditor.output


def test_unknown_kinds_formats_and_files_are_usage_or_input_errors(
    database: PreparedDatabase, throwaway_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    path = _write(tmp_path, "people.txt", PEOPLE)
    assert jaga(throwaway_url, "import", "babies", str(path), token=tokens["facility"]).exit_code == 3
    unknown_format = jaga(throwaway_url, "import", "people", str(path), token=tokens["facility"])
    assert unknown_format.exit_code == 3 and "--format csv|jsonl" in unknown_format.output
    missing = jaga(throwaway_url, "import", "people", str(tmp_path / "nope.csv"), token=tokens["facility"])
    assert missing.exit_code == 3 and "does not exist" in missing.output


def test_exporting_personal_records_needs_a_reason(
    database: PreparedDatabase, throwaway_url: str, tokens: dict[str, str]
) -> None:
    result = jaga(throwaway_url, "export", "people", token=tokens["auditor"])
    assert result.exit_code == 3 and "a reason for reading personal records is required" in result.output
