"""`jaga bench workbench` end to end on a small registry: built, served, logged in through /masuk, every
page and its API reference timed on SQLite (and PostgreSQL when the server answers). No timing is judged:
the table must hold every row, each with figures and no failed request."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jaga.cli import app
from tests.conftest import POSTGRES_SERVER, postgres_reachable

PAGES = ("work queue /kerja", "flag list /kerja/flags", "child timeline /kerja/people/{ref}")


def _rows(output: str) -> dict[tuple[str, str], list[str]]:
    """(database, page) -> the row's other cells, from the Rich table."""
    rows = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip("│ ").split("│")]
        if len(cells) == 8 and cells[1] in PAGES:
            rows[(cells[0], cells[1])] = cells[2:]
    return rows


def test_the_bench_times_every_page_against_its_api_on_each_database(tmp_path: Path) -> None:
    databases = ["SQLite"]
    options = ["--skip-postgres"]
    if postgres_reachable() is None:
        databases.append("PostgreSQL")
        options = ["--postgres-url", POSTGRES_SERVER]
    keep = tmp_path / "registry"
    command = ["bench", "workbench", "--births", "300", "--requests", "5", "--keep", str(keep)]
    result = CliRunner().invoke(app, [*command, *options], terminal_width=250)
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert set(rows) == {(database, page) for database in databases for page in PAGES}, result.output
    for cells in rows.values():
        *figures, failed = cells
        assert all(float(figure) > 0 for figure in figures), cells  # p50, p99, API p50, API p99, ratio
        assert failed == "0", cells
    assert "registry (SQLite):" in result.output and "open flags" in result.output
    again = CliRunner().invoke(app, [*command, "--skip-postgres"], terminal_width=250)
    assert again.exit_code == 0 and "reusing the registry kept in" in again.output, again.output
    assert {page for _, page in _rows(again.output)} == set(PAGES)
