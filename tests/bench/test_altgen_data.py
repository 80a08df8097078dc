"""The altgen data set of `jaga bench link` keeps the truth apart: the models' inputs (jaga's feature table
read from records.csv, the Splink reference's table) carry no truth column and no true identity."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from jaga.altgen.agencies import RECORD_COLUMNS, TRUTH_COLUMNS
from jaga.bench import splink_reference
from jaga.bench.linkage import ALTGEN_MAP
from jaga.bench.linkage_data import altgen, altgen_identities, altgen_splink_people, true_pairs
from jaga.linkage.csvmode import parse_mapping, read_file
from jaga.linkage.features import FeatureReport


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def test_altgen_records_and_truth_are_apart_and_only_records_reach_the_models(tmp_path: Path) -> None:
    data = altgen(120, 3, tmp_path / "altgen")
    assert _header(data.records_csv) == list(RECORD_COLUMNS)
    assert _header(data.truth_csv) == list(TRUTH_COLUMNS)
    assert set(RECORD_COLUMNS) & set(TRUTH_COLUMNS) == {"record_id"}  # the key to score by, nothing else
    truth = altgen_identities(data.truth_csv)
    assert {r["record_id"] for r in data.records} == set(truth)
    assert true_pairs(truth)  # some persons have several records
    assert all(set(r) == set(RECORD_COLUMNS) for r in data.records)

    jaga_input = read_file(
        data.records_csv,
        parse_mapping("record_id", ALTGEN_MAP),
        source="left",
        report=FeatureReport(),
        today=date.today(),
    )
    splink_input = splink_reference.synth_table(altgen_splink_people(data.records))
    truth_only = set(TRUTH_COLUMNS) - {"record_id"}
    identities = set(truth.values())
    for table in (jaga_input, splink_input):
        assert table.num_rows == len(data.records)
        assert not truth_only & set(table.column_names)
        cells = {str(v) for column in table.columns for v in column.to_pylist() if v is not None}
        assert not identities & cells  # no entity id, in any column
    assert sorted(splink_input.column("unique_id").to_pylist()) == sorted(truth)
