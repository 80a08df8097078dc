"""A relinquishment recorded without the safeguards the law and the field expect: no consent document,
no counselling, fewer than two witnesses; weighed more when it came days after the birth.

The registry accepts such records and shows their warnings (`jaga.registry.record_warnings`); this rule
is where they are ranked. The decisions and sources are in docs/registry.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from jaga.flags.candidates import Candidate
from jaga.flags.frames import Frames
from jaga.flags.rules.common import build, clamp, refs
from jaga.registry import EARLY_RELINQUISHMENT_DAYS, WITNESSES_EXPECTED

KIND = "relinquishment_safeguards_missing"
# Comparative practice, not Indonesian law: consent to adoption given in the first six weeks after the
# birth is not valid in many countries (see docs/registry.md). Days within it add a little to the score.
SIX_WEEKS_DAYS = 42

NO_CONSENT, NO_COUNSELLING, PER_MISSING_WITNESS = 0.35, 0.25, 0.1
FIRST_WEEK, FIRST_SIX_WEEKS = 0.2, 0.1

_WITNESSES = pl.List(pl.Struct({"name": pl.String(), "nik": pl.String()}))


def safeguards_missing(frames: Frames, today: date) -> list[Candidate]:
    people = frames.people
    rows = (
        frames.relinquishments.select(
            "ref",
            "region_code",
            "mother_id",
            "child_id",
            "occurred_on",
            no_consent=pl.col("consent_document").is_null(),
            no_counselling=pl.col("counselled_on").is_null() & pl.col("counselling_record").is_null(),
            witnesses=pl.col("witnesses").str.json_decode(_WITNESSES).list.len().cast(pl.Int64),
        )
        .filter(pl.col("no_consent") | pl.col("no_counselling") | (pl.col("witnesses") < WITNESSES_EXPECTED))
        .join(
            people.select(pl.col("id").alias("child_id"), pl.col("ref").alias("child_ref"), "birth_date"),
            on="child_id",
            how="left",
        )
        .join(
            people.select(pl.col("id").alias("mother_id"), pl.col("ref").alias("mother_ref")), on="mother_id"
        )
        .with_columns(days=(pl.col("occurred_on") - pl.col("birth_date")).dt.total_days())
    )
    return build(rows, _candidate)


def _candidate(row: dict[str, Any]) -> Candidate:
    witnesses = min(row["witnesses"], WITNESSES_EXPECTED)
    days: int | None = row["days"]
    missing_en, missing_id = [], []
    if row["no_consent"]:
        missing_en.append("without a consent document")
        missing_id.append("tanpa surat persetujuan")
    if row["no_counselling"]:
        missing_en.append("without counselling")
        missing_id.append("tanpa konseling")
    if witnesses < WITNESSES_EXPECTED:
        missing_en.append(f"with {witnesses} of {WITNESSES_EXPECTED} witnesses")
        missing_id.append(f"dengan {witnesses} dari {WITNESSES_EXPECTED} saksi")
    score = (
        NO_CONSENT * row["no_consent"]
        + NO_COUNSELLING * row["no_counselling"]
        + PER_MISSING_WITNESS * (WITNESSES_EXPECTED - witnesses)
    )
    when_en = when_id = ""
    if days is not None and days >= 0:
        if days < EARLY_RELINQUISHMENT_DAYS:
            score += FIRST_WEEK
        elif days < SIX_WEEKS_DAYS:
            score += FIRST_SIX_WEEKS
        when_en = f", {days} day{'' if days == 1 else 's'} after the child's birth"
        when_id = f", {days} hari setelah anak lahir"
    return Candidate(
        kind=KIND,
        subject_type="relinquishment",
        subject_ref=row["ref"],
        score=clamp(score),
        evidence={
            "consent_document": not row["no_consent"],
            "counselled": not row["no_counselling"],
            "witnesses": row["witnesses"],
            "days_after_birth": days,
        },
        explanation_id=f"Penyerahan anak {row['ref']} dicatat {_joined(missing_id, 'dan')}{when_id}.",
        explanation_en=f"Relinquishment {row['ref']} was recorded {_joined(missing_en, 'and')}{when_en}.",
        records=refs(row["ref"], row["mother_ref"], row["child_ref"]),
        region_code=row["region_code"],
    )


def _joined(parts: list[str], conjunction: str) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" {conjunction} " + parts[-1]
