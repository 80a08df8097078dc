from __future__ import annotations

from typer.testing import CliRunner

from jaga.cli import app


def test_bench_import_prints_throughput() -> None:
    result = CliRunner().invoke(app, ["bench", "import", "--births", "200", "--skip-postgres"])
    assert result.exit_code == 0, result.output
    assert "births/s" in result.output
    assert "SQLite" in result.output and "400" in result.output  # 2 events per birth
    assert "ours / reference" in result.output and "reference rows/s" in result.output


def test_bench_ledger_prints_its_figures_and_the_qr_sizes() -> None:
    result = CliRunner().invoke(
        app, ["bench", "ledger", "--leaves", "5000", "--events", "500", "--skip-postgres"], terminal_width=200
    )
    assert result.exit_code == 0, result.output
    for label in (
        "append (leaves/s)",
        "inclusion proof (ms)",
        "certificate verify",
        "QR version",
    ):
        assert label in result.output
    assert "1 billion" in result.output  # the national-scale row of the QR table
    assert "integrate (events/s)" in result.output and "SQLite" in result.output
