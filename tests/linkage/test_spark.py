"""The same linkage on Spark (local mode) as on DuckDB: the same model settings, equal results within the
tolerance that two engines' random sampling allows."""

from __future__ import annotations

import csv
import os
import statistics
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from jaga.bench import scale_data
from jaga.bench.link_scale import SCALE_MAP
from jaga.bench.linkage_data import synth_people
from jaga.errors import EngineUnavailable
from jaga.linkage.clusters import Edge, cluster, pairwise_scores
from jaga.linkage.csvmode import link_files, parse_mapping
from jaga.linkage.engines import Engine, EngineResources, spark_session
from jaga.linkage.features import FeatureReport, feature_row, feature_table
from jaga.linkage.link import RunOptions, Scored, score
from jaga.linkage.sources import person_roles
from jaga.synth.generator import synthesise
from jaga.synth.scenario import Scenario

REQUIRE_SPARK = os.environ.get("JAGA_REQUIRE_SPARK") == "1"
# Small data: a few shuffle partitions, or Spark spends its time scheduling empty tasks.
SMALL = EngineResources(spark_partitions=2)


@pytest.fixture(scope="module")
def spark_ready() -> None:
    try:
        spark_session(SMALL)
    except EngineUnavailable as exc:
        if REQUIRE_SPARK:
            pytest.fail(f"JAGA_REQUIRE_SPARK=1 but {exc}")
        pytest.skip(f"Spark is unavailable here: {exc}")


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> pa.Table:
    folder = tmp_path_factory.mktemp("spark") / "synth"
    synthesise(births=500, seed=21, out=folder, scenario=Scenario(name="spark", province="33"))
    report = FeatureReport()
    return feature_table(
        [
            feature_row(p["id"], p["source_kind"], person_roles(p), today=date(2026, 12, 1), report=report)
            for p in synth_people(folder)
        ]
    )


def _clusters(table: pa.Table, scored: Scored) -> dict[str, str]:
    pairs = scored.pairs
    edges = [
        Edge(a, b, p)
        for a, b, p in zip(
            pairs.column("unique_id_l").to_pylist(),
            pairs.column("unique_id_r").to_pylist(),
            pairs.column("match_probability").to_pylist(),
            strict=True,
        )
    ]
    return cluster(table.column("unique_id").to_pylist(), edges, threshold=0.9)


def _probabilities(scored: Scored) -> dict[tuple[str, str], float]:
    rows = scored.pairs.select(["unique_id_l", "unique_id_r", "match_probability"]).to_pylist()
    return {
        tuple(sorted((r["unique_id_l"], r["unique_id_r"]))): r["match_probability"]  # type: ignore[misc]
        for r in rows
    }


@pytest.mark.slow
def test_spark_and_duckdb_link_alike(spark_ready: None, table: pa.Table) -> None:
    on_duckdb = score([table], link_type="dedupe_only", options=RunOptions(engine=Engine.DUCKDB))
    on_spark = score(
        [table], link_type="dedupe_only", options=RunOptions(engine=Engine.SPARK, resources=SMALL)
    )

    # The same model: the same comparisons and levels on both.
    assert on_spark.levels == on_duckdb.levels
    # The same pairs blocked and scored (both keep pairs from the same probability up).
    duck, spark = _probabilities(on_duckdb), _probabilities(on_spark)
    common = duck.keys() & spark.keys()
    assert len(common) >= 0.95 * max(len(duck), len(spark)), (len(duck), len(spark), len(common))
    # Probabilities agree closely: u is sampled at random on each engine, so not to the last digit.
    differences = [abs(duck[k] - spark[k]) for k in common]
    assert statistics.median(differences) < 0.01, statistics.median(differences)
    # And the identities they make are the same, pair for pair, within a small tolerance.
    agreement = pairwise_scores(_clusters(table, on_spark), _clusters(table, on_duckdb))
    assert agreement.true_pairs > 100
    assert agreement.f1 > 0.98, agreement


def _pairs_file(path: Path) -> dict[tuple[str, str], float]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {(r["left_id"], r["right_id"]): float(r["match_probability"]) for r in csv.DictReader(handle)}


@pytest.mark.slow
def test_link_csv_streams_through_spark_to_the_same_pairs(spark_ready: None, tmp_path: Path) -> None:
    """`jaga link csv --engine spark` takes the same streaming path (features in batches to Parquet, which
    Spark reads itself; its predictions written back as Parquet and streamed into pairs.csv)."""
    left, right = tmp_path / "a.csv", tmp_path / "b.csv"
    scale_data.link_files(1_500, left, right, seed=5)
    mapping = parse_mapping("rec_id", SCALE_MAP)
    found = {}
    for engine in (Engine.DUCKDB, Engine.SPARK):
        out = tmp_path / f"{engine.value}.csv"
        result = link_files(
            left,
            right,
            mapping,
            out=out,
            clusters_out=tmp_path / f"{engine.value}-clusters.csv",
            threshold=0.9,
            engine=engine,
            today=date(2026, 12, 1),
            resources=SMALL,
        )
        assert result.records == 3_000
        found[engine] = _pairs_file(out)
    duck, spark = found[Engine.DUCKDB], found[Engine.SPARK]
    assert len(duck) > 300  # half the right file copies the left one
    assert all(a.startswith("a") and b.startswith("b") for a, b in spark)  # the left file's id on the left
    common = duck.keys() & spark.keys()
    assert len(common) >= 0.95 * max(len(duck), len(spark)), (len(duck), len(spark), len(common))
    assert statistics.median(abs(duck[k] - spark[k]) for k in common) < 0.01
