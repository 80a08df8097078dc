"""Matching what a person typed against the names and numbers of licence holders.

A query is read two ways, because nobody says whether they typed an organisation or a person: as an
organisation's name (`organisation_tokens`: "Yay. Kasih Bunda", "RSIA Permata", "Bd. Siti") and as a
person's name (`parse_name`: titles and degrees dropped, "Hj. Siti Aminah, S.Keb."). A record matches a
reading when every token of the reading matches one of the record's tokens: exactly, as the start of a
word (three letters or more: "kas" finds "Kasih"), or by its Indonesian sound (four letters or more, and
three consonants: "Permatha" finds "Permata", "Nurhalisa" finds "Nurhaliza"). The record's tokens are
its name's, its kind's ("bidan" for a midwife) and its region's ("Semarang"), so "bidan semarang" finds
the midwives of Semarang.

Why not the database's full-text search: SQLite and PostgreSQL each have their own, neither knows
Indonesian abbreviations or old spellings, and the registry stores names as written. The candidates are
narrowed in SQL (kind, region) and matched here; `jaga bench licences` measures it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from jaga.names import organisation_tokens, parse_name, phonetic_key

__all__ = ["EXACT_NUMBER", "Matcher", "SearchText", "licence_key", "person_tokens"]

EXACT_NUMBER = 1000  # a licence or registration number typed in full outranks any name
_NAME_EXACT, _NAME_NEAR, _ELSEWHERE = 3, 2, 1
_PREFIX_MIN, _SOUND_MIN = 3, 4
_NOT_KEY = re.compile(r"[^0-9A-Z]")


@lru_cache(maxsize=1 << 17)
def licence_key(number: str) -> str:
    """A licence or registration number compared exactly, ignoring case, spaces and punctuation:
    `"33/LKSA/00012"`, `"33 lksa 00012"` -> `"33LKSA00012"`."""
    return _NOT_KEY.sub("", number.upper())


@lru_cache(maxsize=1 << 17)
def person_tokens(name: str) -> tuple[str, ...]:
    """A person's own name and father's name as tokens, titles and degrees dropped."""
    parsed = parse_name(name)
    return parsed.tokens + parsed.patronym


@dataclass(frozen=True)
class SearchText:
    """What a person typed, read for matching."""

    readings: tuple[tuple[str, ...], ...]  # token readings, none empty, no two alike
    number: str | None  # the licence-number key, when the text could be one (has a digit)

    @classmethod
    def read(cls, text: str) -> SearchText:
        readings: list[tuple[str, ...]] = []
        for reading in (organisation_tokens(text), person_tokens(text)):
            unique = tuple(dict.fromkeys(reading))
            if unique and set(unique) not in [set(r) for r in readings]:
                readings.append(unique)
        key = licence_key(text)
        number = key if any(ch.isdigit() for ch in key) else None
        return cls(tuple(readings), number)

    @property
    def empty(self) -> bool:
        return not self.readings and self.number is None


@dataclass(frozen=True)
class _Token:
    exact: str
    near: frozenset[str]  # other words of the vocabulary it matches by prefix or sound


class Matcher:
    """A query's readings resolved against the words the candidates use (built once per search)."""

    EXACT = EXACT_NUMBER

    def __init__(self, text: SearchText, vocabulary: Iterable[str]) -> None:
        self._number = text.number
        words = vocabulary if isinstance(vocabulary, set | frozenset) else set(vocabulary)
        wanted = {token for reading in text.readings for token in reading}
        near = {token: _near(token, words) for token in wanted}
        self._readings = [tuple(_Token(t, near[t]) for t in reading) for reading in text.readings]

    @property
    def readings(self) -> list[list[frozenset[str]]]:
        """For each reading, for each of its tokens: every word of the vocabulary it matches."""
        return [[token.near | {token.exact} for token in reading] for reading in self._readings]

    def score(self, name: frozenset[str], context: frozenset[str], number: str | None) -> int | None:
        """How well a record matches (higher is better), or None. `name` holds its name's tokens,
        `context` its kind's and region's; `number` its licence or registration number."""
        if self._number is not None and number is not None and licence_key(number) == self._number:
            return EXACT_NUMBER
        best: int | None = None
        for reading in self._readings:
            total = 0
            for token in reading:
                if token.exact in name:
                    total += _NAME_EXACT
                elif not token.near.isdisjoint(name):
                    total += _NAME_NEAR
                elif token.exact in context or not token.near.isdisjoint(context):
                    total += _ELSEWHERE
                else:
                    break
            else:
                best = total if best is None else max(best, total)
        return best


def _near(token: str, words: set[str] | frozenset[str]) -> frozenset[str]:
    prefix = len(token) >= _PREFIX_MIN
    sound = phonetic_key(token) if len(token) >= _SOUND_MIN else None
    if sound is not None and len(sound) < 3:
        sound = None  # "kasih" is k-s: too many words share two consonants
    return frozenset(
        word
        for word in words
        if word != token
        and ((prefix and word.startswith(token)) or (sound is not None and phonetic_key(word) == sound))
    )
