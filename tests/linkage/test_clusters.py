"""Clusters from scored pairs, with reviewers' decisions as hard constraints; pairwise scores."""

from __future__ import annotations

from jaga.linkage.clusters import Edge, PairScores, cluster, pairwise_scores

IDS = ["a", "b", "c", "d", "e"]


def test_pairs_above_the_threshold_join_their_records() -> None:
    edges = [Edge("a", "b", 0.99), Edge("b", "c", 0.95), Edge("d", "e", 0.5)]
    assert cluster(IDS, edges, threshold=0.9) == {"a": "a", "b": "a", "c": "a", "d": "d", "e": "e"}


def test_a_rejected_pair_is_never_joined_even_through_a_chain() -> None:
    edges = [Edge("a", "b", 0.99), Edge("b", "c", 0.95), Edge("a", "c", 0.92)]
    result = cluster(IDS, edges, threshold=0.9, rejected=[("a", "c")])
    assert result["a"] != result["c"]
    assert result["b"] == result["a"]  # the stronger link wins; the weaker one that would join them is cut


def test_an_accepted_pair_is_joined_whatever_the_model_says() -> None:
    result = cluster(IDS, [Edge("d", "e", 0.1)], threshold=0.9, accepted=[("d", "e")])
    assert result["d"] == result["e"] == "d"


def test_decisions_about_unknown_records_are_ignored() -> None:
    assert cluster(
        ["a"], [Edge("a", "zz", 1.0)], threshold=0.5, accepted=[("a", "yy")], rejected=[("a", "xx")]
    ) == {"a": "a"}


def test_pairwise_scores_count_pairs_not_records() -> None:
    predicted = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "3"}
    expected = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "z"}
    scores = pairwise_scores(predicted, expected)
    assert scores == PairScores(true_pairs=2, predicted_pairs=3, correct_pairs=1)
    assert (round(scores.precision, 3), round(scores.recall, 3), round(scores.f1, 3)) == (0.333, 0.5, 0.4)
    assert pairwise_scores({}, {}).f1 == 1.0


def test_records_with_different_niks_are_not_chained_into_one_person() -> None:
    # b has no NIK and looks like both a and c; a and c carry NIKs four digits apart: two people.
    niks = {"a": "1813044710890001", "b": None, "c": "1813084710890059", "d": "1813044710890002"}
    edges = [Edge("a", "b", 0.99), Edge("b", "c", 0.98), Edge("d", "a", 0.95)]
    result = cluster(["a", "b", "c", "d"], edges, threshold=0.9, niks=niks)
    assert result["a"] == result["b"] != result["c"]
    assert result["d"] == result["a"]  # one digit apart is a typo, not another person
    assert len(set(cluster(["a", "b", "c", "d"], edges, threshold=0.9).values())) == 1  # without NIKs
    # A reviewer who says "same" is obeyed: duplicate NIKs exist, and a person has looked.
    decided = cluster(["a", "b", "c", "d"], edges, threshold=0.9, niks=niks, accepted=[("b", "c")])
    assert decided["b"] == decided["c"]
