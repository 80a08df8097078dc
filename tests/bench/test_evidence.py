"""`jaga bench evidence` end to end on a small registry: every path runs, verifies, and the figures come out."""

from __future__ import annotations

import pytest

from jaga.bench.evidence import run

pytestmark = pytest.mark.slow  # builds a synthetic registry


def test_the_evidence_bench_packs_verifies_and_seals_and_prints_its_figures() -> None:
    figures = run(births=150, repeat=1, seed=3)
    assert figures["events"] > 0
    assert all(value > 0 for value in figures.values())
    assert figures["sealed_bytes"] > figures["pack_bytes"]  # the seal adds its receipt, keeps the rest
