"""The Splink reference of `jaga bench link` is configured as Splink's docs recommend, and the blocking
recall it prints is what it says it is."""

from __future__ import annotations

import pyarrow as pa
import pytest
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from typer.testing import CliRunner

from jaga.bench import splink_reference
from jaga.bench.linkage_data import true_pairs
from jaga.cli import app

LIBRARY = {
    "NameComparison",
    "DateOfBirthComparison",
    "DamerauLevenshteinAtThresholds",
    "ExactMatch",
    "PostcodeComparison",
    "JaroWinklerAtThresholds",
    "LevenshteinAtThresholds",
    "CustomComparison",  # only of splink.comparison_level_library's levels (the hierarchical region code)
}


@pytest.mark.parametrize(
    "reference",
    [splink_reference.febrl("dedupe_only"), splink_reference.febrl("link_only"), splink_reference.synth()],
    ids=["febrl-dedupe", "febrl-link", "synth"],
)
def test_the_reference_uses_the_comparison_library_tf_adjustments_and_several_em_passes(
    reference: splink_reference.Reference,
) -> None:
    settings = reference.settings.create_settings_dict("duckdb")
    comparisons = settings["comparisons"]
    assert len(comparisons) >= 5
    # Each comparison is one of splink.comparison_library's own, none hand-written.
    assert {type(c).__name__ for c in reference.settings.comparisons} <= LIBRARY
    assert all(isinstance(c, getattr(cl, type(c).__name__)) for c in reference.settings.comparisons)
    tf_columns = {
        level["tf_adjustment_column"]
        for c in comparisons
        for level in c["comparison_levels"]
        if level.get("tf_adjustment_column")
    }
    names = {
        c["output_column_name"]
        for c, creator in zip(comparisons, reference.settings.comparisons, strict=True)
        if isinstance(creator, cl.NameComparison)
    }
    assert names and names <= tf_columns  # every name comparison is weighted by the name's frequency
    assert len(reference.em_rules) >= 2  # m of each comparison is estimated on a block that leaves it free
    assert reference.deterministic_rules and 0 < reference.recall < 1
    assert reference.max_u_pairs >= 1e7
    assert len(settings["blocking_rules_to_generate_predictions"]) >= 5


def test_blocking_recall_counts_the_true_pairs_some_rule_brings_in() -> None:
    table = pa.table(
        {
            "unique_id": ["a1", "a2", "b1", "b2", "c1"],
            "surname": ["smith", "smith", "jones", "jonse", "smith"],
            "dob": ["1990-01-01", "1990-01-01", "1985-05-05", "1985-05-05", "1970-07-07"],
        }
    )
    truth = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "c1": "C"}
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[],
        blocking_rules_to_generate_predictions=[block_on("surname")],
    )
    # "smith" pairs a1-a2, a1-c1, a2-c1; the misspelt "jonse" keeps b1-b2 out.
    measured = splink_reference.measure_blocking([table], settings, true_pairs(truth))
    assert (measured.pairs, measured.true_pairs, measured.true_pairs_kept) == (3, 2, 1)
    assert measured.recall == 0.5

    settings_with_dob = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[],
        blocking_rules_to_generate_predictions=[block_on("surname"), block_on("dob")],
    )
    measured = splink_reference.measure_blocking([table], settings_with_dob, true_pairs(truth))
    assert (measured.pairs, measured.recall) == (4, 1.0)  # a1-a2 counted once though both rules hold


def test_true_pairs_across_two_files_leave_out_pairs_within_one() -> None:
    truth = {"a1": "A", "a2": "A", "b1": "A", "x": "X"}
    assert sorted(true_pairs(truth, [{"a1", "a2"}, {"b1"}])) == [("a1", "b1"), ("a2", "b1")]


def test_an_unknown_data_set_is_refused_with_the_choices() -> None:
    result = CliRunner().invoke(app, ["bench", "link", "--datasets", "febrl9"])
    assert result.exit_code == 3
    assert "febrl1, febrl2, febrl3, febrl4, synth" in result.output


def _columns(rule: splink_reference.Rule) -> set[str]:
    sql = rule if isinstance(rule, str) else rule.get_blocking_rule("duckdb").blocking_rule_sql
    return {
        c for c in ("first_name", "surname", "full_name", "mother_name", "nik", "dob", "region") if c in sql
    }


def test_the_synth_reference_trains_m_on_blocks_that_leave_every_name_free() -> None:
    reference = splink_reference.synth()
    settings = reference.settings.create_settings_dict("duckdb")
    names = {"first_name", "surname", "full_name", "mother_name"}
    # EM on a name block learns "same name" as the match class on synth data (mothers and same-named
    # daughters), so no EM pass fixes a name and each comparison is free in at least one pass.
    assert all(not _columns(rule) & names for rule in reference.em_rules)
    compared = {c["output_column_name"] for c in settings["comparisons"]}
    assert {"full_name", "dob", "nik", "sex", "region", "mother_name"} <= compared
    for column in compared - {"sex"}:
        assert any(column not in _columns(rule) for rule in reference.em_rules), column
    # The prior comes from NIK equality alone, the one near-certain rule on these columns.
    assert [_columns(rule) for rule in reference.deterministic_rules] == [{"nik"}]
    kinds = {
        c["output_column_name"]: type(k).__name__
        for c, k in zip(settings["comparisons"], reference.settings.comparisons, strict=True)
    }
    assert kinds["nik"] == "LevenshteinAtThresholds" and kinds["dob"] == "DateOfBirthComparison"
    # The region code is compared at its district, regency and province levels, as a postcode is.
    region = next(c for c in settings["comparisons"] if c["output_column_name"] == "region")
    labels = [level.get("label_for_charts", "") for level in region["comparison_levels"]]
    assert labels[2:4] == ["Same regency", "Same province"]
