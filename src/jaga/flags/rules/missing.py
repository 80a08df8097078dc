"""A child reported missing whose identity turns up later in a relinquishment, an institution or family
placement, or an adoption case: the same person by linkage identity, by NIK, by a reviewer's "same
person" decision (a confirmed face-match candidate, say), or by family card (KK) number with the same
birth date and sex, dated after the child was last seen.

A child who reappears renamed, in another province, keeps what her documents carried: the NIK, or the
family card she was entered on (DOMAIN.md section 1). A renamed child's record has no name in common
with her report, so the family card, birth date and sex are what ties the two; two children of one
family card with the same birth date and sex are twins, rare enough for a flag (a flag is not a merge).

A report that is no longer open still counts when the child was then given up by a woman other than the
one who reported her missing: whatever closed the report, a child reported missing who is relinquished
by someone else is the pattern of an abducted child sold on (DOMAIN.md section 6).
"""

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


def _family_card_keys(frames: Frames, base: pl.DataFrame) -> pl.DataFrame:
    """The person keys plus one more kind: (KK number, birth date, sex), negative so that it cannot
    collide with the others (which are non-negative)."""
    people = frames.people
    if "kk_number" not in people.columns:
        return base
    card = (
        pl.concat_str([pl.col("kk_number"), pl.col("birth_date").cast(pl.Utf8), pl.col("sex")], separator="|")
        .cast(pl.Categorical)
        .to_physical()
        .cast(pl.Int64)
    )
    by_card = people.filter(
        pl.col("kk_number").is_not_null() & pl.col("birth_date").is_not_null() & pl.col("sex").is_not_null()
    ).select(pl.col("id").alias("person_id"), (-card - 1).alias("key"))
    return pl.concat([base, by_card])


NEAR_BIRTH_DAYS = 31  # a birth date given by whoever brings a child in is often a few days off


def _near_card_keys(frames: Frames, reach: pl.DataFrame, later_ids: pl.Series) -> pl.DataFrame:
    """A shared key for a reported child and a later record of the same family card and sex whose birth
    dates are at most NEAR_BIRTH_DAYS apart (two children of one card and one sex are born at least
    months apart, twins excepted). `reach`: (person_id, other_id), every record the reported child's
    keys reach."""
    people = frames.people.filter(
        pl.col("kk_number").is_not_null() & pl.col("birth_date").is_not_null() & pl.col("sex").is_not_null()
    ).select("id", "kk_number", "sex", "birth_date")
    left = reach.join(people.rename({"id": "other_id"}), on="other_id").select(
        "person_id", "kk_number", "sex", pl.col("birth_date").alias("born_left")
    )
    right = people.filter(pl.col("id").is_in(later_ids.implode())).select(
        pl.col("id").alias("later_id"), "kk_number", "sex", pl.col("birth_date").alias("born_right")
    )
    pairs = (
        left.join(right, on=["kk_number", "sex"])
        .filter((pl.col("born_left") - pl.col("born_right")).dt.total_days().abs() <= NEAR_BIRTH_DAYS)
        .select("person_id", "later_id")
        .unique()
        .with_row_index("pair")
        .with_columns((-(pl.col("pair").cast(pl.Int64)) - 10**15).alias("key"))
    )
    return pl.concat(
        [pairs.select("person_id", "key"), pairs.select(pl.col("later_id").alias("person_id"), "key")]
    )


def _reach(keys: pl.DataFrame, ids: pl.Series) -> pl.DataFrame:
    """(person_id, other_id): every record sharing a key with one of `ids` (itself included): the
    police's record of a child (a name and a birth date) is linked to Dukcapil's (her NIK and family
    card), which names the record she turns up under; "the same person" is transitive."""
    own = keys.filter(pl.col("person_id").is_in(ids.implode()))
    return own.join(keys.rename({"person_id": "other_id"}), on="key").select("person_id", "other_id").unique()


def _one_hop(keys: pl.DataFrame, reach: pl.DataFrame) -> pl.DataFrame:
    """The keys of every record reached, as keys of the record that reached it."""
    hop = reach.join(keys.rename({"person_id": "other_id"}), on="other_id").select("person_id", "key")
    return hop.unique()


def missing_reappears(frames: Frames, today: date) -> list[Candidate]:
    keys = person_keys(frames)
    reports = frames.missing_reports.select(
        pl.col("ref").alias("report_ref"),
        "region_code",
        "child_id",
        "reporter_id",
        "last_seen_on",
        "last_seen_region_code",
        "status",
    )
    later = care_records(frames, ("relinquishment", "placement", "adoption_case"), "l", region=True)
    card_keys = _family_card_keys(frames, keys)
    reach = _reach(card_keys, reports["child_id"])
    reported = _one_hop(card_keys, reach)
    # The reported children's keys reach one record further; the later records' are their own.
    later_keys = card_keys.filter(pl.col("person_id").is_in(later["l_child_id"].implode()))
    near = _near_card_keys(frames, reach, later["l_child_id"])
    matched = same_person(
        pl.concat([reported, later_keys, near]).unique(), reports, "child_id", later, "l_child_id"
    ).filter(pl.col("l_on") >= pl.col("last_seen_on"))
    # Who gave the child up, where a later record is a relinquishment, and whether that is the person
    # who reported her missing (by any person key).
    givers = frames.relinquishments.select(
        pl.col("ref").alias("l_ref"), pl.col("mother_id").alias("giver_id")
    )
    matched = matched.join(givers, on="l_ref", how="left")
    reporters = matched.filter(pl.col("giver_id").is_not_null() & pl.col("reporter_id").is_not_null())
    same = (
        same_person(
            keys,
            reporters.select("report_ref", "reporter_id", "l_ref"),
            "reporter_id",
            reporters.select(pl.col("l_ref").alias("g_ref"), "giver_id"),
            "giver_id",
        )
        .filter(pl.col("l_ref") == pl.col("g_ref"))
        .select("l_ref", pl.lit(True).alias("giver_is_reporter"))
        .unique()
    )
    matched = matched.join(same, on="l_ref", how="left").with_columns(
        (
            pl.col("giver_id").is_not_null()
            & pl.col("reporter_id").is_not_null()
            & pl.col("giver_is_reporter").is_null()
        ).alias("given_up_by_another")
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
            pl.col("given_up_by_another").any(),
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
        # Given up by someone else after a report that was closed (not found): as strong as an open one.
        by_another = bool(row["given_up_by_another"]) and row["status"] != "found"
        status_id = "laporannya masih terbuka" if still_open else f"laporan berstatus {row['status']}"
        status_en = "the report is still open" if still_open else f"the report is {row['status']}"
        if by_another:
            status_id += "; anak diserahkan oleh orang lain, bukan pelapor"
            status_en += "; the child was given up by someone other than the reporter"
        seen_on, seen_in = row["last_seen_on"].isoformat(), region_label(row["last_seen_region_code"])
        return Candidate(
            kind="missing_child_reappears",
            subject_type="missing_report",
            subject_ref=row["report_ref"],
            score=clamp((0.96 if still_open or by_another else 0.5) + 0.04 * other_province),
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
                "given_up_by_another": bool(row["given_up_by_another"]),
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
