from __future__ import annotations

import pytest
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


@pytest.mark.slow
def test_bench_flags_quality_judges_one_case_without_and_with_its_tips() -> None:
    result = CliRunner().invoke(
        app,
        ["bench", "flags-quality", "--seed", "404", "--births", "2000", "--every-scheme-tipped"],
        terminal_width=250,
    )
    assert result.exit_code == 0, result.output
    assert "(every scheme tipped)" in result.output and "without tips -> with tips" in result.output
    assert "tips sent" in result.output and "scheme" in result.output  # truth: the ring was reported
    assert "(!)" not in result.output  # the run before the tips ranks as the ablation says
    refused = CliRunner().invoke(app, ["bench", "flags-quality", "--seed", "99"])
    assert refused.exit_code == 3 and "no case has seed 99" in refused.output
