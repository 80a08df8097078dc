"""The same linkage on Spark (local mode) as on DuckDB: the same model settings, equal results within the
tolerance that two engines' random sampling allows."""

from __future__ import annotations

import os
import statistics
from datetime import date

import pyarrow as pa
import pytest

from jaga.bench.linkage_data import synth_people
from jaga.errors import EngineUnavailable
from jaga.linkage.clusters import Edge, cluster, pairwise_scores
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
