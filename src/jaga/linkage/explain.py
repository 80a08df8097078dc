"""Why the model thinks two records are (or are not) the same person, in words a reviewer can check.

Each comparison contributes a match weight (log2 of its Bayes factor): positive weights are evidence for
the same person, negative against; "missing on one side" weighs nothing. The explanation lists them,
strongest first, with the level's label ("day and month swapped", "names sound alike").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Evidence:
    comparison: str
    level: str
    weight: float  # log2 Bayes factor, term-frequency adjustment included

    def as_dict(self) -> dict[str, Any]:
        return {"comparison": self.comparison, "level": self.level, "weight": round(self.weight, 2)}


def explain(pair: Mapping[str, Any], levels: Mapping[str, Mapping[int, str]]) -> list[Evidence]:
    """The evidence of one scored pair (a row of `Scored.pairs`), strongest first."""
    evidence = []
    for comparison, labels in levels.items():
        gamma = pair.get(f"gamma_{comparison}")
        if gamma is None:
            continue
        weight = float(pair.get(f"mw_{comparison}") or 0.0) + float(
            pair.get(f"mw_tf_adj_{comparison}") or 0.0
        )
        evidence.append(Evidence(comparison, labels.get(int(gamma), str(gamma)), weight))
    return sorted(evidence, key=lambda e: -abs(e.weight))


def summary(evidence: list[Evidence]) -> str:
    """`same date of birth (+12.2); same district (+8.1); different NIK (-9.4)`."""
    return "; ".join(f"{e.level} ({e.weight:+.1f})" for e in evidence if e.weight)
