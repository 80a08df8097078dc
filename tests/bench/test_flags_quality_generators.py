"""`jaga bench flags-quality --generators synth,altgen`: both generators' cases end to end, side by side."""

from __future__ import annotations

from typer.testing import CliRunner

from jaga.bench.flags_quality import run
from jaga.cli import app


def test_one_small_case_of_each_generator_runs_end_to_end() -> None:
    outcomes = run(generators=("synth", "altgen"), seeds=(404, 11), births=1500)
    assert [(o.case.generator, o.case.seed) for o in outcomes] == [("synth", 404), ("altgen", 11)]
    for outcome in outcomes:
        e = outcome.evaluation
        assert e.flags > 0 and len(e.reviewed) == 50
        assert 0.0 <= e.precision <= 1.0 and 0.0 <= e.ring_recall <= 1.0
        assert e.lookalikes_reviewed <= len(e.reviewed)
    altgen = outcomes[1].evaluation
    # The independent world plants its own rings and its renamed missing children.
    assert {"scattered_clinics", "midwife_network", "licensed_lksa"} <= set(altgen.by_type)
    assert altgen.renamed_missing[1] == 10 and altgen.buyer_births[1] > 0
    assert 0 <= altgen.renamed_missing[0] <= 10


def test_the_command_prints_the_side_by_side_table_and_refuses_an_unknown_generator() -> None:
    refused = CliRunner().invoke(app, ["bench", "flags-quality", "--generators", "synth,other"])
    assert refused.exit_code == 3 and "not other" in refused.output
    result = CliRunner().invoke(
        app,
        ["bench", "flags-quality", "--generators", "altgen", "--seed", "13", "--births", "1200"],
        terminal_width=250,
    )
    assert result.exit_code == 0, result.output
    assert "both generators side by side" in result.output
    assert "renamed missing named" in result.output and "altgen" in result.output
