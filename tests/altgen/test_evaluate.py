"""Scoring a linkage's pairs and clusters against the alternative generator's truth, on files made by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from jaga.altgen.evaluate import Score, score_clusters, score_pairs

TRUTH = """record_id,entity_id,role,noise,indonesian_noise
a1,E1,child,placeholder;missing_nik,1
a2,E1,child,typo,0
a3,E1,child,,0
b1,E2,mother,,0
b2,E2,mother,,0
c1,E3,mother,,0
"""
PAIRS = """left_id,right_id,match_probability,match_weight,explanation
a2,a1,0.950000,5.0,x
a3,a2,0.920000,4.0,x
b1,c1,0.910000,3.9,x
b1,b2,0.500000,0.1,x
"""


def _files(tmp_path: Path) -> tuple[Path, Path]:
    truth, pairs = tmp_path / "truth.csv", tmp_path / "pairs.csv"
    truth.write_text(TRUTH, encoding="utf-8")
    pairs.write_text(PAIRS, encoding="utf-8")
    return pairs, truth


def _by_name(scores: list[Score]) -> dict[str, tuple[int, int, int]]:
    return {s.subset: (s.true_pairs, s.predicted, s.correct) for s in scores}


def test_pairs_above_the_threshold_are_scored_overall_and_by_kind_of_noise(tmp_path: Path) -> None:
    pairs, truth = _files(tmp_path)
    scores = score_pairs(pairs, truth, threshold=0.9)
    # true pairs: a1-a2 and a1-a3 (Indonesian noise on a1), a2-a3 (generic), b1-b2 (clean)
    assert _by_name(scores) == {
        "all": (4, 3, 2),
        "indonesian": (2, 1, 1),
        "generic": (1, 1, 1),
        "clean": (1, 1, 0),
    }
    overall = scores[0]
    assert overall.precision == pytest.approx(2 / 3)
    assert overall.recall == pytest.approx(0.5)
    assert overall.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert _by_name(score_pairs(pairs, truth))["all"] == (4, 4, 3)  # threshold 0 keeps every written pair
    kinds = _by_name(score_pairs(pairs, truth, threshold=0.9, by_kind=True))
    assert kinds["placeholder"] == (2, 1, 1)
    assert kinds["typo"] == (2, 2, 2)


def test_clusters_count_every_pair_inside_a_cluster(tmp_path: Path) -> None:
    _, truth = _files(tmp_path)
    clusters = tmp_path / "clusters.csv"
    clusters.write_text(
        "cluster_id,file,id\n1,left,a1\n1,left,a2\n1,left,a3\n2,left,b1\n2,left,b2\n2,left,c1\n",
        encoding="utf-8",
    )
    assert _by_name(score_clusters(clusters, truth))["all"] == (4, 6, 4)


def test_a_record_missing_from_the_truth_is_refused(tmp_path: Path) -> None:
    pairs, truth = _files(tmp_path)
    pairs.write_text(PAIRS + "a1,zz,0.99,6.0,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'zz' is not in the truth file"):
        score_pairs(pairs, truth)
