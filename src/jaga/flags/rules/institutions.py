"""Children taken in by an institution that had no operating licence on the day, or whose licence had
expired (or not yet begun). Foundation papers are not a licence (PP 54/2007 art 1; DOMAIN.md section 4).
One flag per institution, naming every such intake."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from jaga.flags.candidates import Candidate
from jaga.flags.frames import Frames
from jaga.flags.rules.common import clamp, refs

MAX_RECORDS = 200  # refs listed in one flag; the count is always complete


def unlicensed_intake(frames: Frames, today: date) -> list[Candidate]:
    intakes = pl.concat(
        [
            frames.relinquishments.filter(pl.col("institution_id").is_not_null()).select(
                "institution_id", pl.col("ref").alias("intake_ref"), pl.col("occurred_on").alias("on")
            ),
            frames.placements.filter(pl.col("institution_id").is_not_null()).select(
                "institution_id", pl.col("ref").alias("intake_ref"), pl.col("from_date").alias("on")
            ),
        ]
    )
    institutions = frames.institutions.select(
        pl.col("id").alias("institution_id"),
        pl.col("ref").alias("institution_ref"),
        "region_code",
        "licence_number",
        "licence_valid_from",
        "licence_valid_until",
        "foundation_number",
    )
    joined = intakes.join(institutions, on="institution_id", how="inner").with_columns(
        reason=pl.when(pl.col("licence_number").is_null())
        .then(pl.lit("no_licence"))
        .when(pl.col("licence_valid_until").is_not_null() & (pl.col("on") > pl.col("licence_valid_until")))
        .then(pl.lit("expired"))
        .when(pl.col("licence_valid_from").is_not_null() & (pl.col("on") < pl.col("licence_valid_from")))
        .then(pl.lit("not_yet_valid"))
        .otherwise(None)
    )
    bad = joined.filter(pl.col("reason").is_not_null()).sort("on")
    grouped = bad.group_by("institution_ref", maintain_order=True).agg(
        pl.col("region_code").first(),
        pl.col("licence_number").first(),
        pl.col("licence_valid_until").first(),
        pl.col("foundation_number").first().is_not_null().alias("has_foundation_papers"),
        pl.col("intake_ref"),
        pl.col("on").min().alias("first_on"),
        pl.col("on").max().alias("last_on"),
        pl.col("reason").value_counts().alias("reasons"),
    )
    return [_candidate(row) for row in grouped.iter_rows(named=True)]


def _candidate(row: dict[str, Any]) -> Candidate:
    count = len(row["intake_ref"])
    reasons = {item["reason"]: item["count"] for item in row["reasons"]}
    unlicensed = row["licence_number"] is None
    if unlicensed:
        state_id = "tidak pernah memiliki izin operasional Dinas Sosial"
        state_en = "it never held a Dinas Sosial operating licence"
        if row["has_foundation_papers"]:
            state_id += " (hanya akta yayasan, yang bukan izin)"
            state_en += " (foundation papers only, which are not a licence)"
    else:
        until = row["licence_valid_until"]
        state_id = f"izinnya {row['licence_number']} tidak berlaku pada tanggal itu (berlaku s.d. {until})"
        state_en = f"its licence {row['licence_number']} was not valid on the day (valid until {until})"
    period = f"{row['first_on'].isoformat()} - {row['last_on'].isoformat()}"
    return Candidate(
        kind="institution_unlicensed",
        subject_type="institution",
        subject_ref=row["institution_ref"],
        score=clamp((0.75 if unlicensed else 0.55) + 0.05 * min(count, 5)),
        evidence={
            "intakes": count,
            "reasons": reasons,
            "first_intake_on": row["first_on"],
            "last_intake_on": row["last_on"],
            "licence_number": row["licence_number"],
            "licence_valid_until": row["licence_valid_until"],
            "foundation_papers": row["has_foundation_papers"],
        },
        explanation_id=(
            f"Lembaga {row['institution_ref']} menerima {count} anak ({period}) padahal {state_id}."
        ),
        explanation_en=(
            f"Institution {row['institution_ref']} took in {count} children ({period}) although {state_en}."
        ),
        records=refs(row["institution_ref"], row["intake_ref"][:MAX_RECORDS]),
        region_code=row["region_code"],
    )
