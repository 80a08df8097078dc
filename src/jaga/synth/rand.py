"""Per-record randomness: the standard library's Mersenne Twister behind numpy's method names.

The generator draws a few dozen numbers for every record it writes. numpy's Generator is built for
arrays, and one scalar call costs about ten times a `random.Random` call, which made scalar draws the
largest cost of a million-birth run. Weighted choices use precomputed cumulative weights. Deterministic
for a seed, like numpy.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence


class Rand:
    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)
        self.random = self._random.random  # the hottest call, bound once

    def integers(self, low: int, high: int | None = None) -> int:
        """An int in [low, high) (or [0, low) with one argument), like numpy's."""
        if high is None:
            low, high = 0, low
        return low + int(self._random.random() * (high - low))

    def choice(self, n: int, p: Sequence[float] | None = None) -> int:
        """An index in [0, n), with probabilities `p` when given (prefer `weighted` in loops)."""
        if p is None:
            return self.integers(n)
        return self.weighted(cumulative(p))

    def weighted(self, cum: Sequence[float]) -> int:
        """An index drawn with the weights whose running sums are `cum` (see `cumulative`)."""
        return min(bisect.bisect_right(cum, self._random.random() * cum[-1]), len(cum) - 1)

    def normal(self, mean: float, sd: float) -> float:
        return self._random.gauss(mean, sd)

    def gamma(self, shape: float, scale: float) -> float:
        return self._random.gammavariate(shape, scale)

    def lognormal(self, mu: float, sigma: float) -> float:
        return self._random.lognormvariate(mu, sigma)

    def permutation(self, n: int) -> list[int]:
        order = list(range(n))
        self._random.shuffle(order)
        return order


def cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(float(w) for w in weights))
