"""Record rules: each looks at single records (or a record and its immediate neighbours) and flags what
the law or biology rules out, with a precise bilingual explanation and the figures behind it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from jaga.flags.candidates import Candidate
from jaga.flags.frames import Frames

Rule = Callable[[Frames, date], list[Candidate]]

RULES: list[tuple[str, Rule]] = []


def detect(frames: Frames, *, today: date) -> list[Candidate]:
    """Every record rule over the frames."""
    found: list[Candidate] = []
    for _name, rule in RULES:
        found.extend(rule(frames, today))
    return found
