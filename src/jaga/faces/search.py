"""Exact 1:N search over float32 face vectors with numpy, narrowed by what the records say.

Exact, not approximate: an approximate index loses true matches, and exact search over a million
vectors is a matrix-vector product (milliseconds). Distances are Euclidean, as dlib's descriptor is
trained for. A distance is never a match: it orders candidates for a person to look at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

Vectors = np.ndarray[Any, np.dtype[np.float32]]


def distances(query: Vectors, stored: Vectors, stored_sq: Vectors | None = None) -> Vectors:
    """Euclidean distance from `query` (128,) to each row of `stored` (n, 128)."""
    if stored.shape[0] == 0:
        return np.zeros(0, dtype=np.float32)
    sq = stored_sq if stored_sq is not None else np.einsum("ij,ij->i", stored, stored)
    # einsum, not `stored @ query`: BLAS's threaded matrix-vector product was slower on a busy 2-core
    # machine (measured with `jaga bench faces`), and one query is one pass over memory either way.
    products: Vectors = np.einsum("ij,j->i", stored, query)
    squared = sq - 2.0 * products + float(query @ query)
    return np.sqrt(np.maximum(squared, 0.0)).astype(np.float32)


def top_k(values: Vectors, mask: np.ndarray[Any, np.dtype[np.bool_]], k: int) -> list[int]:
    """Indices of the `k` smallest values where `mask` holds, smallest first (ties by index)."""
    allowed = np.flatnonzero(mask)
    if allowed.size == 0 or k <= 0:
        return []
    chosen = values[allowed]
    if allowed.size > k:
        part = np.argpartition(chosen, k - 1)[:k]
        allowed, chosen = allowed[part], chosen[part]
    order = np.lexsort((allowed, chosen))
    return [int(i) for i in allowed[order]]


@dataclass(frozen=True)
class AgeBand:
    """How far a child's age at a later photo may be from the age the earlier photo implies: at least
    `floor_months`, or `share` of the expected age (estimates of young children's ages are rough)."""

    floor_months: int = 12
    share: float = 0.25

    def expected(self, age_months: int, taken_on: date, later_on: date) -> int:
        return age_months + round((later_on - taken_on).days / 30.4375)

    def allows(self, expected: int, seen: int) -> bool:
        return abs(seen - expected) <= max(self.floor_months, self.share * abs(expected))
