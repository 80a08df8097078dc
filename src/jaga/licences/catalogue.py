"""The matching data of one registry of licence holders, kept in memory between searches.

Reading 100,000 midwives' names from the database and matching each in Python takes about a second a
search (`jaga bench licences`); the names cannot be matched in SQL (abbreviations, old spellings and
sounds are jaga.names' rules, not the database's) and a stored search key would need a migration. So
each process keeps, per database and kind, every holder's name tokens, kind and region, and an inverted
index from token to holders; a search then touches only the holders that share its words.

Kept current without trusting a clock: before each search, the table's row count and highest id are
read, and the name of the last row seen; rows with a higher id are added (registry records are appended,
never renumbered), and any other difference (a row deleted, a write rolled back and its id reused)
rebuilds the whole catalogue. What this cannot see is a name edited in place below the last row, which
no registry service does; the facts shown for each result (status, dates, issuer) are always read fresh
from the database.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jaga.licences.matching import Matcher, SearchText, licence_key

__all__ = ["Catalogue", "catalogue_for"]

_KEPT = 8  # catalogues per process (one per database and kind; tests open many databases)


@dataclass
class Catalogue:
    """Holders of one kind, by position: id, name, region code, subtype, name tokens, number key."""

    model: Any
    columns: tuple[Any, ...]  # id, name, region_code, number, subtype
    name_tokens: Callable[[str], Iterable[str]]
    context_tokens: Callable[[str, str], frozenset[str]]  # (region_code, subtype) -> kind and place words
    ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    name_sets: list[frozenset[str]] = field(default_factory=list)
    groups: list[tuple[str, str]] = field(default_factory=list)  # (region_code, subtype) of each holder
    numbers: dict[str, list[int]] = field(default_factory=dict)  # licence key -> positions
    postings: dict[str, list[int]] = field(default_factory=dict)  # name token -> positions
    members: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # group -> positions
    group_words: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # context word -> groups
    lock: threading.Lock = field(default_factory=threading.Lock)
    _vocabulary: set[str] | None = None

    def refresh(self, session: Session) -> None:
        """Add the rows written since the last search, or rebuild if rows went away or changed."""
        count, highest = session.execute(select(func.count(), func.max(self.model.id))).one()
        last = self.ids[-1] if self.ids else None
        if last is not None:
            name = session.scalar(select(self.columns[1]).where(self.model.id == last))
            if name != self.names[-1]:  # the last row seen is gone or another (a rolled-back write)
                self._clear()
                last = None
        if count == len(self.ids) and highest == last:
            return
        if last is not None and (highest is None or highest < last or count < len(self.ids)):
            self._clear()
            last = None
        query = select(*self.columns).order_by(self.model.id)
        if last is not None:
            query = query.where(self.model.id > last)
        for row_id, name, region, number, subtype in session.execute(query):
            self._add(row_id, name, region, number, subtype)
        if len(self.ids) != count:  # rows appeared below the highest id (a concurrent commit): rebuild
            self._clear()
            for row in session.execute(select(*self.columns).order_by(self.model.id)):
                self._add(*row)

    def _clear(self) -> None:
        self._vocabulary = None
        for values in (self.ids, self.names, self.regions, self.name_sets, self.groups):
            values.clear()
        for index in (self.numbers, self.postings, self.members, self.group_words):
            index.clear()

    def _add(self, row_id: int, name: str, region: str, number: str | None, subtype: str) -> None:
        position = len(self.ids)
        self._vocabulary = None
        tokens = frozenset(self.name_tokens(name))
        self.ids.append(row_id)
        self.names.append(name)
        self.regions.append(region)
        self.name_sets.append(tokens)
        self.groups.append((region, subtype))
        if number:
            self.numbers.setdefault(licence_key(number), []).append(position)
        for token in tokens:
            self.postings.setdefault(token, []).append(position)
        group = (region, subtype)
        if group not in self.members:
            self.members[group] = []
            for word in self.context_tokens(region, subtype):
                self.group_words.setdefault(word, set()).add(group)
        self.members[group].append(position)

    def vocabulary(self) -> set[str]:
        """Every word a holder's name, kind or region has (what a typed word may match)."""
        if self._vocabulary is None:
            self._vocabulary = set(self.postings) | set(self.group_words)
        return self._vocabulary

    def search(self, text: SearchText | None, regions: tuple[str, ...] | None) -> list[tuple[int, int]]:
        """(score, position) of every holder matching `text` inside `regions` (code prefixes)."""
        if text is not None and text.number is not None and text.number in self.numbers:
            found = self.numbers[text.number]
            return [(Matcher.EXACT, p) for p in found if _inside(self.regions[p], regions)]
        if text is None:
            return [(0, p) for p, region in enumerate(self.regions) if _inside(region, regions)]
        matcher = Matcher(text, self.vocabulary())
        positions: set[int] = set()
        for reading in matcher.readings:
            positions |= self._holders_with_every(reading)
        scored = []
        for position in positions:
            if not _inside(self.regions[position], regions):
                continue
            region, subtype = self.groups[position]
            score = matcher.score(self.name_sets[position], self.context_tokens(region, subtype), None)
            if score is not None:
                scored.append((score, position))
        return scored

    def _holders_with_every(self, words: list[frozenset[str]]) -> set[int]:
        """Holders having, for each token, one of the words it matches (in the name or the context)."""
        result: set[int] | None = None
        for matching in sorted(words, key=len):
            holders: set[int] = set()
            groups: set[tuple[str, str]] = set()
            for word in matching:
                holders.update(self.postings.get(word, ()))
                groups.update(self.group_words.get(word, ()))
            for group in groups:
                holders.update(self.members[group])
            result = holders if result is None else result & holders
            if not result:
                return set()
        return result or set()


def _inside(region: str, regions: tuple[str, ...] | None) -> bool:
    return regions is None or region.startswith(regions)


_catalogues: OrderedDict[tuple[str, str], Catalogue] = OrderedDict()
_catalogues_lock = threading.Lock()


def catalogue_for(session: Session, kind: str, build: Callable[[], Catalogue]) -> Catalogue:
    """This process's catalogue of `kind` for the session's database (built by `build` when new)."""
    bind = session.get_bind()
    key = (bind.engine.url.render_as_string(hide_password=True), kind)
    with _catalogues_lock:
        found = _catalogues.get(key)
        if found is None:
            found = _catalogues[key] = build()
            while len(_catalogues) > _KEPT:
                _catalogues.popitem(last=False)
        _catalogues.move_to_end(key)
    return found
