"""A tip that names what a flag already names raises that flag in the ranking (`tip_corroborates`).

Public tips are leads, not evidence: a tip alone raises no flag (officers read tips in `jaga tips list`),
and a tipster could name a rival clinic. But a tip and a registry pattern found independently of each
other are stronger together. So this rule runs after every detector, over their candidates: for each
flagged subject that a tip's registry matches name (its subject, or one of the records the flag names:
a birth flag names the mother, whose phone number a tip may give; a ring flag names its central actors,
the clinic or foundation a tip may name), it adds a `tip_corroborates`
candidate on the same subject whose score combines the flag's highest score `s` with the tips' weight
`w` as independent evidence, `1 - (1 - s)(1 - w)`. Subjects are ranked by their highest score (see
`jaga.flags.evaluate`), so the subject moves up and the flag's own score and trail stay as they were.

Each distinct tip counts once per subject, weighted by its strongest match (a phone number or a whole
name counts more than a name without its "Yayasan"): `w = 1 - prod(1 - TIP_WEIGHT * strength)`, at most
`MAX_WEIGHT`. Matches between tips (the same seller in two tips) corroborate nothing by themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import polars as pl

from jaga.flags.candidates import Candidate
from jaga.flags.frames import Frames
from jaga.flags.rules.common import clamp

KIND = "tip_corroborates"
TIP_WEIGHT = 0.5
MAX_WEIGHT = 0.8


def corroborate(frames: Frames, found: Sequence[Candidate]) -> list[Candidate]:
    """`tip_corroborates` candidates for the flagged subjects the tips name (see the module docstring)."""
    matches = frames.tip_matches.filter(pl.col("target_type") != "tip").join(
        frames.tips.select(pl.col("id").alias("tip_id"), pl.col("ref").alias("tip_ref")), on="tip_id"
    )
    if matches.is_empty():
        return []
    # registry ref -> tip ref -> the strongest match of that tip on that ref
    named: dict[str, dict[str, tuple[float, str]]] = defaultdict(dict)
    for row in matches.iter_rows(named=True):
        held = named[row["target_ref"]].get(row["tip_ref"])
        if held is None or row["strength"] > held[0]:
            named[row["target_ref"]][row["tip_ref"]] = (row["strength"], row["method"])
    subjects: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for candidate in found:
        if candidate.kind != KIND:
            subjects[(candidate.subject_type, candidate.subject_ref)].append(candidate)
    raised = []
    for (subject_type, subject_ref), flags in subjects.items():
        refs = {subject_ref, *(r for flag in flags for r in _named(flag))}
        tips: dict[str, tuple[float, str, str]] = {}
        for ref in refs & named.keys():
            for tip, (strength, method) in named[ref].items():
                if tip not in tips or strength > tips[tip][0]:
                    tips[tip] = (strength, method, ref)
        if tips:
            raised.append(_candidate(subject_type, subject_ref, flags, tips))
    return raised


def _named(flag: Candidate) -> list[str]:
    """The records a flag names, and a ring's central actors (its records are the babies' case records:
    the clinic, midwives and foundation they pass through are named in its evidence only)."""
    actors = flag.evidence.get("central_actors") or []
    return [*flag.records, *(str(a["node"]) for a in actors if isinstance(a, dict) and "node" in a)]


def _candidate(
    subject_type: str, subject_ref: str, flags: list[Candidate], tips: dict[str, tuple[float, str, str]]
) -> Candidate:
    top = max(flags, key=lambda f: f.score)
    keep = 1.0
    for strength, _, _ in tips.values():
        keep *= 1 - TIP_WEIGHT * strength
    weight = min(MAX_WEIGHT, 1 - keep)
    score = clamp(1 - (1 - top.score) * (1 - weight))
    kinds = sorted({f.kind for f in flags})
    count = len(tips)
    return Candidate(
        kind=KIND,
        subject_type=subject_type,
        subject_ref=subject_ref,
        score=score,
        evidence={
            "tips": count,
            "flag_kinds": kinds,
            "flag_score": top.score,
            "tip_weight": round(weight, 3),
            "matches": [
                {"tip": tip, "named": ref, "method": method, "strength": strength}
                for tip, (strength, method, ref) in sorted(tips.items())
            ],
        },
        explanation_id=(
            f"{count} laporan masyarakat menyebut {subject_type} {subject_ref} (atau catatannya), yang juga "
            f"ditandai oleh {', '.join(kinds)}: skor naik dari {top.score:.2f} menjadi {score:.2f}."
        ),
        explanation_en=(
            f"{count} public tip{'' if count == 1 else 's'} name{'s' if count == 1 else ''} {subject_type} "
            f"{subject_ref} (or its records), also flagged by {', '.join(kinds)}: score raised from "
            f"{top.score:.2f} to {score:.2f}."
        ),
        records=tuple(dict.fromkeys([*top.records, *sorted(tips)])),
        region_code=top.region_code,
    )
