"""Identity clusters from scored pairs, respecting what reviewers decided.

Written here rather than taken from Splink's connected components because reviewers' decisions are
constraints: an accepted pair is merged whatever the model says, and a rejected pair must never end up in
one cluster, not even through a chain of other links. Edges are added strongest first (Kruskal order);
an edge that would put a rejected pair together is skipped. Union-find keeps it near-linear.

A NIK is issued once for life, so two records whose NIKs differ in more than one digit (one digit is a
typo) are two people: the model rarely links such a pair directly, but a record without a NIK can chain
them ("Nur Fitriani", born the same day in the same regency, twice). Model edges never join clusters
holding conflicting NIKs; a reviewer's "same" still does (duplicate NIKs exist, and a person decides).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Edge:
    left: str
    right: str
    probability: float


def _conflict(a: str, b: str) -> bool:
    return len(a) != len(b) or sum(x != y for x, y in zip(a, b, strict=True)) > 1


class _Sets:
    def __init__(self, ids: Iterable[str], niks: Mapping[str, str | None]) -> None:
        self.parent: dict[str, str] = {i: i for i in ids}
        self.apart: dict[str, set[str]] = {}  # root -> members' cannot-link partners (element ids)
        self.niks: dict[str, set[str]] = {i: {n} for i in self.parent if (n := niks.get(i))}

    def find(self, item: str) -> str:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:  # path compression
            parent[item], item = root, parent[item]
        return root

    def forbid(self, left: str, right: str) -> None:
        self.apart.setdefault(self.find(left), set()).add(right)
        self.apart.setdefault(self.find(right), set()).add(left)

    def may_join(self, a: str, b: str) -> bool:
        small, large = sorted((a, b), key=lambda r: len(self.apart.get(r, ())))
        return all(self.find(partner) != large for partner in self.apart.get(small, ()))

    def niks_agree(self, a: str, b: str) -> bool:
        left, right = self.niks.get(a, ()), self.niks.get(b, ())
        return not any(_conflict(x, y) for x in left for y in right)

    def join(self, a: str, b: str) -> None:
        keep, drop = (a, b) if a < b else (b, a)
        self.parent[drop] = keep
        moved = self.apart.pop(drop, None)
        if moved:
            self.apart.setdefault(keep, set()).update(moved)
        niks = self.niks.pop(drop, None)
        if niks:
            self.niks.setdefault(keep, set()).update(niks)


def cluster(
    ids: Iterable[str],
    edges: Sequence[Edge],
    *,
    threshold: float,
    accepted: Iterable[tuple[str, str]] = (),
    rejected: Iterable[tuple[str, str]] = (),
    niks: Mapping[str, str | None] | None = None,
) -> dict[str, str]:
    """Each id -> its cluster's id (the smallest id in it). Ids not in `ids` are ignored; `niks` gives
    the records' NIKs (digits), for keeping clusters with conflicting NIKs apart."""
    sets = _Sets(ids, niks or {})
    known = sets.parent
    for left, right in rejected:
        if left in known and right in known:
            sets.forbid(left, right)
    certain = [Edge(a, b, 1.0) for a, b in accepted]
    scored = sorted((e for e in edges if e.probability >= threshold), key=lambda e: -e.probability)
    for edge, decided in [*((e, True) for e in certain), *((e, False) for e in scored)]:
        if edge.left not in known or edge.right not in known:
            continue
        a, b = sets.find(edge.left), sets.find(edge.right)
        if a != b and sets.may_join(a, b) and (decided or sets.niks_agree(a, b)):
            sets.join(a, b)
    # With `join` keeping the smaller root, every root is its cluster's smallest id.
    return {item: sets.find(item) for item in known}


@dataclass(frozen=True)
class PairScores:
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def pairwise_scores(predicted: dict[str, str], expected: dict[str, str]) -> PairScores:
    """Precision and recall of the pairs two clusterings put together (over the ids both know)."""
    from collections import Counter

    common = predicted.keys() & expected.keys()
    by_predicted = Counter(predicted[i] for i in common)
    by_expected = Counter(expected[i] for i in common)
    by_both = Counter((predicted[i], expected[i]) for i in common)
    return PairScores(
        true_pairs=sum(_pairs(n) for n in by_expected.values()),
        predicted_pairs=sum(_pairs(n) for n in by_predicted.values()),
        correct_pairs=sum(_pairs(n) for n in by_both.values()),
    )
