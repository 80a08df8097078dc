"""The linkage on synthetic records with known identities (evaluation: this test may read the truth; the
linkage runs with it locked away)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jaga.bench.linkage_data import synth_identities, synth_people
from jaga.linkage.clusters import Edge, cluster, pairwise_scores
from jaga.linkage.features import FeatureReport, feature_row, feature_table
from jaga.linkage.link import score
from jaga.linkage.sources import person_roles
from jaga.synth.generator import synthesise
from jaga.synth.isolation import guard_truth
from jaga.synth.scenario import Scenario


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("linkage") / "synth"
    synthesise(births=1500, seed=3, out=folder, scenario=Scenario(name="linkage-test", province="33"))
    return folder


def test_linkage_finds_most_identities_and_few_false_ones(synthetic: Path) -> None:
    people = synth_people(synthetic)
    with guard_truth():
        report = FeatureReport()
        table = feature_table(
            [
                feature_row(
                    p["id"], p["source_kind"], person_roles(p), today=date(2026, 11, 23), report=report
                )
                for p in people
            ]
        )
        scored = score([table], link_type="dedupe_only")
        ids = [p["id"] for p in people]
        edges = [
            Edge(a, b, p)
            for a, b, p in zip(
                scored.pairs.column("unique_id_l").to_pylist(),
                scored.pairs.column("unique_id_r").to_pylist(),
                scored.pairs.column("match_probability").to_pylist(),
                strict=True,
            )
        ]
        niks = dict(zip(table.column("unique_id").to_pylist(), table.column("nik").to_pylist(), strict=True))
        clusters = cluster(ids, edges, threshold=0.9, niks=niks)
    scores = pairwise_scores(clusters, synth_identities(synthetic))
    assert scores.true_pairs > 1000
    # Measured 0.99 / 0.92 on this data; the margins absorb model changes that are not regressions.
    assert scores.precision > 0.95, scores
    assert scores.recall > 0.85, scores
    # Every comparison of the model is explained level by level.
    assert {"name", "dob", "nik", "sex", "region"} <= set(scored.levels)
    assert scored.levels["dob"] == {
        -1: "no date of birth on one side",
        5: "same date of birth",
        4: "day and month swapped",
        3: "dates differ by one digit",
        2: "same year and month",
        1: "within a year",
        0: "different dates of birth",
    }
