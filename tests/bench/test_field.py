"""`jaga bench field` end to end on a few records: every path runs and the figures come out."""

from __future__ import annotations

import pytest

from jaga.bench.field import run

pytestmark = pytest.mark.slow  # serves the application in a process of its own


def test_the_field_bench_syncs_every_record_and_prints_its_figures() -> None:
    figures = run(records=25, chunk=10)
    assert figures["records"] == 25
    assert all(value > 0 for value in figures.values())
