"""Pairwise precision, recall and F1 of a linkage's output against truth.csv, overall and by noise.

Reads files only (the pairs or clusters a linkage wrote, the truth the generator wrote), so the linkage
never sees the truth. A pair counts as "Indonesian" when either of its records carries Indonesian-specific
noise (names, titles, placeholders, NIK habits), "generic" when either carries other noise and neither
Indonesian noise, and "clean" otherwise.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

SUBSETS = ("all", "indonesian", "generic", "clean")


@dataclass(frozen=True)
class Score:
    subset: str
    true_pairs: int  # pairs of records of the same person
    predicted: int  # pairs the linkage joined
    correct: int  # joined and the same person

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class _Truth:
    entity: dict[str, str]
    kind: dict[str, str]  # record -> "indonesian" | "generic" | "clean"
    noise: dict[str, frozenset[str]]  # record -> the noise kinds applied to it


def _read_truth(path: Path) -> _Truth:
    entity, kind, noise = {}, {}, {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            entity[row["record_id"]] = row["entity_id"]
            noise[row["record_id"]] = frozenset(k for k in row["noise"].split(";") if k)
            if row["indonesian_noise"] == "1":
                kind[row["record_id"]] = "indonesian"
            else:
                kind[row["record_id"]] = "generic" if row["noise"] else "clean"
    return _Truth(entity, kind, noise)


def _subset_of(truth: _Truth, a: str, b: str) -> str:
    kinds = {truth.kind[a], truth.kind[b]}
    if "indonesian" in kinds:
        return "indonesian"
    return "generic" if "generic" in kinds else "clean"


def _score(truth: _Truth, predicted: set[tuple[str, str]], *, by_kind: bool) -> list[Score]:
    """By subset (SUBSETS), or by noise kind: the pairs in which either record carries that kind."""
    members: dict[str, list[str]] = defaultdict(list)
    for record, entity in truth.entity.items():
        members[entity].append(record)
    true_pairs = {(min(p), max(p)) for group in members.values() for p in combinations(group, 2)}

    def groups(a: str, b: str) -> set[str]:
        return set(truth.noise[a] | truth.noise[b]) if by_kind else {"all", _subset_of(truth, a, b)}

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # true, predicted, correct
    for a, b in true_pairs:
        for group in groups(a, b):
            counts[group][0] += 1
    for a, b in predicted:
        same = truth.entity[a] == truth.entity[b]
        for group in groups(a, b):
            counts[group][1] += 1
            counts[group][2] += same
    names = sorted(counts) if by_kind else list(SUBSETS)
    return [Score(name, *counts[name]) for name in names]


def _known(truth: _Truth, record_id: str, path: Path) -> str:
    if record_id not in truth.entity:
        raise ValueError(f"{path.name}: record {record_id!r} is not in the truth file")
    return record_id


def score_pairs(
    pairs_csv: Path, truth_csv: Path, *, threshold: float = 0.0, by_kind: bool = False
) -> list[Score]:
    """Scores of the pairs in a `jaga link csv` pairs file (`left_id,right_id,match_probability,...`) at or
    above `threshold`, as written: no transitive closure (use `score_clusters` for that). By subset
    ("all", "indonesian", "generic", "clean"), or with `by_kind` by noise kind."""
    truth = _read_truth(truth_csv)
    predicted = set()
    with pairs_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if float(row["match_probability"]) >= threshold:
                a, b = _known(truth, row["left_id"], pairs_csv), _known(truth, row["right_id"], pairs_csv)
                predicted.add((min(a, b), max(a, b)))
    return _score(truth, predicted, by_kind=by_kind)


def score_clusters(clusters_csv: Path, truth_csv: Path, *, by_kind: bool = False) -> list[Score]:
    """Scores of every pair within the clusters of a `jaga link csv --clusters` file
    (`cluster_id,file,id`)."""
    truth = _read_truth(truth_csv)
    groups: dict[str, list[str]] = defaultdict(list)
    with clusters_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            groups[row["cluster_id"]].append(_known(truth, row["id"], clusters_csv))
    predicted = {(min(p), max(p)) for group in groups.values() for p in combinations(group, 2)}
    return _score(truth, predicted, by_kind=by_kind)


def table(scores: list[Score]) -> str:
    """The scores as a plain text table."""
    lines = [
        f"{'pairs':<29} {'true':>8} {'joined':>8} {'correct':>8} {'precision':>9} {'recall':>7} {'F1':>6}"
    ]
    for s in scores:
        lines.append(
            f"{s.subset:<29} {s.true_pairs:>8,} {s.predicted:>8,} {s.correct:>8,} "
            f"{s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}"
        )
    return "\n".join(lines)
