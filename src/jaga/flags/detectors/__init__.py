"""The detectors a flag run calls, in order: `(name, detect)` with
`detect(frames: Frames, *, today: date) -> list[Candidate]`.

Each detector reads only the frames (never the database, never synthetic ground truth) and returns
candidates; the runner times each one and stores what they found in one transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from jaga.flags.candidates import Candidate
from jaga.flags.frames import Frames
from jaga.flags.network import detect as network_detect
from jaga.flags.rules import detect as rules_detect
from jaga.flags.stats import detect as stats_detect


class Detect(Protocol):
    def __call__(self, frames: Frames, *, today: date) -> list[Candidate]: ...


DETECTORS: list[tuple[str, Detect]] = [
    ("rules", rules_detect),
    ("stats", stats_detect),
    ("network", network_detect),
]

__all__ = ["DETECTORS", "Detect"]
