from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jaga.synth.generator import SynthSummary, synthesise
from jaga.synth.scenario import Scenario

BIRTHS = 3000


@pytest.fixture(scope="session")
def synth_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SynthSummary]:
    """One all-Indonesia run with the default scenario, shared by the read-only tests."""
    out = tmp_path_factory.mktemp("synth") / "run"
    return out, synthesise(births=BIRTHS, seed=11, out=out, scenario=Scenario())


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
