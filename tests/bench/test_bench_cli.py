from __future__ import annotations

from typer.testing import CliRunner

from jaga.cli import app


def test_bench_import_prints_throughput() -> None:
    result = CliRunner().invoke(app, ["bench", "import", "--births", "200", "--skip-postgres"])
    assert result.exit_code == 0, result.output
    assert "births/s" in result.output
    assert "SQLite" in result.output and "400" in result.output  # 2 events per birth
