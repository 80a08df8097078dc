"""A child reported missing whose identity turns up later in a relinquishment, an institution or family
placement, or an adoption case: the same person by linkage identity, by NIK or by a reviewer's "same
person" decision (a confirmed face-match candidate, say), dated after the child was last seen."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from jaga.flags.candidates import Candidate
from jaga.flags.frames import Frames
from jaga.flags.rules.common import build, care_records, clamp, person_keys, refs, region_label, same_person

WHAT_ID = {"relinquishment": "penyerahan anak", "placement": "penempatan", "adoption_case": "kasus adopsi"}
WHAT_EN = {
    "relinquishment": "a relinquishment",
    "placement": "a placement",
    "adoption_case": "an adoption case",
}


def missing_reappears(frames: Frames, today: date) -> list[Candidate]:
    keys = person_keys(frames)
    reports = frames.missing_reports.select(
        pl.col("ref").alias("report_ref"),
        "region_code",
        "child_id",
        "last_seen_on",
        "last_seen_region_code",
        "status",
    )
    later = care_records(frames, ("relinquishment", "placement", "adoption_case"), "l", region=True)
    matched = same_person(keys, reports, "child_id", later, "l_child_id").filter(
        pl.col("l_on") >= pl.col("last_seen_on")
    )
    child_refs = frames.people.select(pl.col("id").alias("child_id"), pl.col("ref").alias("child_ref"))
    grouped = (
        matched.sort("l_on")
        .group_by("report_ref", maintain_order=True)
        .agg(
            pl.col("region_code").first(),
            pl.col("child_id").first(),
            pl.col("last_seen_on").first(),
            pl.col("last_seen_region_code").first(),
            pl.col("status").first(),
            pl.col("l_ref"),
            pl.col("l_kind"),
            pl.col("l_on"),
            pl.col("l_region"),
            pl.col("l_child_id").first().alias("later_child_id"),
        )
        .join(child_refs, on="child_id", how="left")
        .join(
            child_refs.rename({"child_id": "later_child_id", "child_ref": "later_child_ref"}),
            on="later_child_id",
            how="left",
        )
    )

    def make(row: dict[str, Any]) -> Candidate:
        first_kind, first_on, first_ref = row["l_kind"][0], row["l_on"][0], row["l_ref"][0]
        days = (first_on - row["last_seen_on"]).days
        other_province = row["l_region"][0][:2] != row["last_seen_region_code"][:2]
        still_open = row["status"] == "open"
        status_id = "laporannya masih terbuka" if still_open else f"laporan berstatus {row['status']}"
        status_en = "the report is still open" if still_open else f"the report is {row['status']}"
        seen_on, seen_in = row["last_seen_on"].isoformat(), region_label(row["last_seen_region_code"])
        return Candidate(
            kind="missing_child_reappears",
            subject_type="missing_report",
            subject_ref=row["report_ref"],
            score=clamp((0.96 if still_open else 0.5) + 0.04 * other_province),
            evidence={
                "report_status": row["status"],
                "days_after_last_seen": days,
                "later_records": [
                    {"kind": k, "ref": r, "on": o.isoformat(), "region": region_label(g)}
                    for k, r, o, g in zip(
                        row["l_kind"], row["l_ref"], row["l_on"], row["l_region"], strict=True
                    )
                ],
                "other_province": other_province,
                "last_seen_region": region_label(row["last_seen_region_code"]),
            },
            explanation_id=(
                f"Anak yang dilaporkan hilang ({row['report_ref']}, terakhir terlihat {seen_on} di "
                f"{seen_in}) muncul lagi {days} hari kemudian dalam {WHAT_ID[first_kind]} {first_ref} di "
                f"{region_label(row['l_region'][0])}; {status_id}."
            ),
            explanation_en=(
                f"A child reported missing ({row['report_ref']}, last seen {seen_on} in {seen_in}) "
                f"turns up {days} days later in "
                f"{WHAT_EN[first_kind]} {first_ref} in {region_label(row['l_region'][0])}; {status_en}."
            ),
            records=refs(row["report_ref"], row["child_ref"], row["later_child_ref"], row["l_ref"]),
            region_code=row["region_code"],
        )

    return build(grouped, make)
