"""How an agency's copy of a person differs from the truth: the errors record linkage must survive.

Each function takes a random generator and a value and returns the noisy value; `NoiseLog` counts what
was applied so that tests can compare the rates with the scenario's.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from datetime import date

from jaga.synth.names import MUHAMMAD_FORMS
from jaga.synth.rand import Rand
from jaga.synth.scenario import Noise

# Current spelling -> the older spellings still found on older documents (Soewandi 1947, EYD 1972).
_OLD_SPELLING = (("u", "oe"), ("j", "dj"), ("c", "tj"), ("y", "j"), ("ny", "nj"), ("sy", "sj"), ("kh", "ch"))
_MUHAMMAD = re.compile(r"\b(Muhammad|Muhamad|Mohammad|Mohamad|Mochamad|Moch\.|M\.|Mohd\.|Muh\.)(?=\s)")
_BIN_BINTI = re.compile(r"\s+(bin|binti)\s+\S+.*$", re.IGNORECASE)
_KEYBOARD_NEIGHBOURS = {
    "a": "sqz",
    "e": "wrd",
    "i": "uok",
    "o": "ipl",
    "u": "yij",
    "n": "bm",
    "m": "n",
    "s": "adw",
    "r": "et",
    "t": "ry",
    "h": "gj",
    "d": "sf",
    "k": "jl",
    "l": "k",
    "y": "tu",
    "w": "qe",
    "g": "fh",
    "b": "vn",
}


class NoiseLog:
    """Counts of records offered to each kind of noise and of records it changed."""

    def __init__(self) -> None:
        self.offered: Counter[str] = Counter()
        self.applied: Counter[str] = Counter()

    def roll(self, rng: Rand, kind: str, rate: float) -> bool:
        self.offered[kind] += 1
        hit = bool(rng.random() < rate)
        if hit:
            self.applied[kind] += 1
        return hit

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {k: {"offered": self.offered[k], "applied": self.applied[k]} for k in sorted(self.offered)}


def typo(rng: Rand, name: str) -> str:
    """One keyboard slip: a letter substituted, dropped, doubled, or two letters swapped."""
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    if len(letters) < 3:
        return name
    i = letters[int(rng.integers(1, len(letters)))]  # the first letter is rarely mistyped
    kind = int(rng.integers(4))
    ch = name[i]
    if kind == 0:
        pool = _KEYBOARD_NEIGHBOURS.get(ch.lower(), string.ascii_lowercase)
        new = pool[int(rng.integers(len(pool)))]
        return name[:i] + (new.upper() if ch.isupper() else new) + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i + 1 :]
    if kind == 2:
        return name[:i] + ch + name[i:]
    if i + 1 < len(name) and name[i + 1].isalpha():
        return name[:i] + name[i + 1] + ch + name[i + 2 :]
    return name[:i] + name[i + 1 :]


def old_spelling(rng: Rand, name: str) -> str:
    """Write one current-spelling pattern the old way (Suharto -> Soeharto, Joko -> Djoko)."""
    candidates = [(cur, old) for cur, old in _OLD_SPELLING if cur in name.lower()]
    if not candidates:
        return name
    current, old = candidates[int(rng.integers(len(candidates)))]
    position = name.lower().find(current)
    original = name[position : position + len(current)]
    replacement = old.capitalize() if original[0].isupper() else old
    return name[:position] + replacement + name[position + len(current) :]


def muhammad_variant(rng: Rand, name: str) -> str:
    match = _MUHAMMAD.search(name + " ")
    if not match:
        return name
    forms = [f for f in MUHAMMAD_FORMS if f != match.group(1)]
    return name[: match.start()] + forms[int(rng.integers(len(forms)))] + name[match.end() :]


def has_muhammad(name: str) -> bool:
    return _MUHAMMAD.search(name + " ") is not None


def drop_bin_binti(name: str) -> str:
    return _BIN_BINTI.sub("", name)


def has_bin_binti(name: str) -> bool:
    return _BIN_BINTI.search(name) is not None


def swap_day_month(day: date) -> date:
    """12 March written as 3 December: only possible when the day is 12 or less."""
    return date(day.year, day.day, day.month) if day.day <= 12 and day.day != day.month else day


class NameNoise:
    """Applies the scenario's name and date noise to one record at a time, logging what it did under
    `kind:tag` (the tag is the recording source, whose noise scale differs)."""

    def __init__(self, rng: Rand, rates: Noise, log: NoiseLog, tag: str) -> None:
        self.rng = rng
        self.rates = rates
        self.log = log
        self.tag = tag

    def _roll(self, kind: str, rate: float) -> bool:
        return self.log.roll(self.rng, f"{kind}:{self.tag}", rate)

    def name(self, value: str) -> str:
        rates = self.rates
        if not value:
            return value
        if has_bin_binti(value) and self._roll("drop_bin_binti", rates.drop_bin_binti):
            value = drop_bin_binti(value)
        if has_muhammad(value) and self._roll("muhammad_variant", rates.muhammad_variant):
            value = muhammad_variant(self.rng, value)
        if self._roll("old_spelling", rates.old_spelling):
            value = old_spelling(self.rng, value)
        if self._roll("typo", rates.typo):
            value = typo(self.rng, value)
        return value

    def birth_date(self, value: date | None) -> date | None:
        if value is None:
            return None
        if self._roll("missing_birth_date", self.rates.missing_birth_date):
            return None
        if (
            value.day <= 12
            and value.day != value.month
            and self._roll("swap_day_month", self.rates.swap_day_month)
        ):
            return swap_day_month(value)
        return value
