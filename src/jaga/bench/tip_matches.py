"""How the synthetic tips fared once sent: for each kind of tip (about a planted scheme, about an innocent
place or a look-alike, vague), how many named a registry entity, how many of those `jaga.tips.matching`
matched to that entity, and how many matched some other entity (a namesake, or words that happen to
spell a clinic's name). Read against `truth/tip_subjects.csv`, after the flags ran.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.flags.evaluate import read_tip_truth
from jaga.tips import Submitted, Tip, TipMatch


@dataclass
class TipCounts:
    tips: int = 0
    naming: int = 0  # tips that name a registry entity (as the tipster typed it)
    matched_named: int = 0  # ... that matching tied to that entity
    matched_other: int = 0  # tips matched to an entity they were not about
    schemes: set[str] = field(default_factory=set)  # planted schemes these tips are about


def tip_matches(sessions: sessionmaker[Session], folder: Path, sent: list[Submitted]) -> dict[str, TipCounts]:
    """Counts per kind of tip (`scheme`, `innocent`, `lookalike`, `vague`). Tips were sent in file order,
    so the n-th receipt is row n of `tips.csv`."""
    truth = read_tip_truth(folder)
    refs = [s.ref for s in sent]
    with sessions() as session:
        ids = {ref: id_ for ref, id_ in session.execute(select(Tip.ref, Tip.id).where(Tip.ref.in_(refs)))}
        found: dict[int, set[str]] = defaultdict(set)
        rows = session.execute(
            select(TipMatch.tip_id, TipMatch.target_ref).where(
                TipMatch.tip_id.in_(ids.values()), TipMatch.target_type != "tip"
            )
        )
        for tip_id, target in rows:
            found[tip_id].add(target)
    counts: dict[str, TipCounts] = defaultdict(TipCounts)
    for row, ref in zip(truth, refs, strict=True):
        entry = counts[row["about"]]
        matched = found[ids[ref]]
        entry.tips += 1
        entry.naming += bool(row["named_ref"])
        entry.matched_named += row["named_ref"] in matched
        entry.matched_other += bool(matched - {row["named_ref"]})
        if row["scheme_id"]:
            entry.schemes.add(row["scheme_id"])
    return dict(sorted(counts.items()))
