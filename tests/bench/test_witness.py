"""`jaga bench witness` end to end on a few checkpoints, through the CLI: a real witness server cosigns
every checkpoint (the bench checks each cosignature and fails otherwise) and the figures come out."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jaga.cli import app


def test_the_witness_bench_cosigns_every_checkpoint_and_prints_where_the_time_goes(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["bench", "witness", "--checkpoints", "4", "--step", "3", "--folder", str(tmp_path)],
        terminal_width=200,
    )
    assert result.exit_code == 0, result.output
    assert "4 checkpoints, 3 entries apart" in result.output
    for label in ("refused at once", "cosigned", "jaga's log pushing", "Witness.add_checkpoint", "fsync"):
        assert label in result.output
    assert list(tmp_path.iterdir()) == []  # the scratch folders are removed
