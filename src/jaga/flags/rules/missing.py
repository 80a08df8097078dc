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

Where none of that ties her, the report still describes her: a record of her sex and birth date whose
address is the district she was last seen in is taken as hers (`_described_as`), a step below.
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
    return _reappears(frames, frames.derived("rules.missing_matched", _matched))


def _matched(frames: Frames) -> pl.DataFrame:
    """Every (report, later care record) of the same child, dated after she was last seen."""
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
    direct = same_person(
        pl.concat([reported, later_keys, near]).unique(), reports, "child_id", later, "l_child_id"
    ).filter(pl.col("l_on") >= pl.col("last_seen_on"))
    # Then by her description, where her records joined nothing later: a record of her sex and birth
    # date living where she was last seen is hers (see `_described_as`), and reaches one record further.
    described = _one_hop(card_keys, _described_as(frames, reports, reach))
    by_description = (
        same_person(pl.concat([described, later_keys]).unique(), reports, "child_id", later, "l_child_id")
        .filter(pl.col("l_on") >= pl.col("last_seen_on"))
        .join(direct.select("report_ref", "l_ref"), on=["report_ref", "l_ref"], how="anti")
    )
    return pl.concat(
        [
            direct.with_columns(pl.lit(False).alias("by_description")),
            by_description.select(direct.columns).with_columns(pl.lit(True).alias("by_description")),
        ]
    )


def _described_as(frames: Frames, reports: pl.DataFrame, reach: pl.DataFrame) -> pl.DataFrame:
    """(person_id, other_id): records of the reported child's sex and birth date (as any record of hers
    gives them) whose address is the district she was last seen in.

    A report names where the child was last seen, which for a toddler is her home. The police's record
    of her may miss the linkage to her civil-registry record (a typo in the name, a stale address, no
    NIK: the linkage leaves such a pair for review, or never compares it when the addresses are in
    different regencies), and the record she turns up under may carry the NIK of the record it missed.
    The same sex and birth date in one district are rarely two children, and the flag asks a reviewer;
    it ranks below a match by papers or linkage.
    """
    people = frames.people.filter(
        pl.col("sex").is_not_null()
        & pl.col("birth_date").is_not_null()
        & pl.col("address_region_code").is_not_null()
    ).select("id", "sex", "birth_date", "address_region_code")
    told = (
        reports.select("child_id", "last_seen_region_code")
        .join(reach, left_on="child_id", right_on="person_id")
        .join(people.select(pl.col("id").alias("other_id"), "sex", "birth_date"), on="other_id")
        .select(pl.col("child_id").alias("person_id"), "sex", "birth_date", "last_seen_region_code")
        .unique()
    )
    return (
        told.join(
            people,
            left_on=["sex", "birth_date", "last_seen_region_code"],
            right_on=["sex", "birth_date", "address_region_code"],
        )
        .select("person_id", pl.col("id").alias("other_id"))
        .unique()
    )


def _by_report(later: pl.DataFrame, *extra: pl.Expr) -> pl.DataFrame:
    """One row per missing report: the report's own columns, and its later records (ref, kind, date,
    region) as lists in date order, plus the `extra` aggregations of the rule at hand."""
    return (
        later.sort("l_on")
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
            *extra,
        )
    )


def _reappears(frames: Frames, matched: pl.DataFrame) -> list[Candidate]:
    keys = person_keys(frames)
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
        _by_report(
            matched,
            pl.col("l_child_id").first().alias("later_child_id"),
            pl.col("given_up_by_another").any(),
            pl.col("by_description").all(),
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
        # Known only by her description (sex, birth date, where last seen): a step below papers or linkage.
        described = bool(row["by_description"])
        status_id = "laporannya masih terbuka" if still_open else f"laporan berstatus {row['status']}"
        status_en = "the report is still open" if still_open else f"the report is {row['status']}"
        if by_another:
            status_id += "; anak diserahkan oleh orang lain, bukan pelapor"
            status_en += "; the child was given up by someone other than the reporter"
        if described:
            status_id += (
                "; dikenali dari jenis kelamin, tanggal lahir dan kecamatan tempat terakhir terlihat "
                "(bukan dari NIK, KK atau identitas tertaut)"
            )
            status_en += (
                "; known by her sex, birth date and the district she was last seen in (not by NIK, "
                "family card or linked identity)"
            )
        seen_on, seen_in = row["last_seen_on"].isoformat(), region_label(row["last_seen_region_code"])
        return Candidate(
            kind="missing_child_reappears",
            subject_type="missing_report",
            subject_ref=row["report_ref"],
            score=clamp(
                (0.96 if still_open or by_another else 0.5) - 0.04 * described + 0.04 * other_province
            ),
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
                "matched_by": "description" if described else "papers or linkage",
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


POSSIBLE_MATCH_CLOSE_DAYS = (
    7  # a birth date this close, from whoever brings the child in, is as good as the same
)


def missing_possible_match(frames: Frames, today: date) -> list[Candidate]:
    """A child reported missing, not found, and a child with no papers taken into care after she was last
    seen, of the same sex and a birth date at most NEAR_BIRTH_DAYS apart.

    A child who reappears with neither her NIK nor her family card (whoever gives her up does not bring
    them) shares nothing with her report but her sex and her birth date, and the intake record has
    nothing that says who she is: no NIK, no family card, no birth record of her own under any linked
    record. That is rare for a child in care (a child born here was registered, or at least her mother's
    card names her) and is what an abducted child renamed looks like, so each such pair is put to a
    reviewer, ranked by how unambiguous it is: one report and one child that match only each other, with
    birth dates at most POSSIBLE_MATCH_CLOSE_DAYS apart, rank a step below the reports whose child
    reappears by her papers (with those matched by description); several candidates on either side
    rank lower. A report the rule `missing_reappears`
    already ties to a later record is left to it.
    """
    keys = person_keys(frames)
    already = frames.derived("rules.missing_matched", _matched)["report_ref"]
    reports = frames.missing_reports.filter(
        (pl.col("status") != "found") & ~pl.col("ref").is_in(already.implode())
    ).select(
        pl.col("ref").alias("report_ref"),
        "region_code",
        "child_id",
        "last_seen_on",
        "last_seen_region_code",
        "status",
    )
    people = frames.people.select("id", "sex", "birth_date", "nik", *_card_column(frames))
    # The reported child's sex and birth date: her record's, or any record of the same person's.
    described = (
        reports.join(_reach(keys, reports["child_id"]), left_on="child_id", right_on="person_id")
        .join(people.select(pl.col("id").alias("other_id"), "sex", "birth_date"), on="other_id")
        .filter(pl.col("sex").is_not_null() & pl.col("birth_date").is_not_null())
        .drop("other_id")
        .unique()
    )
    later = care_records(frames, ("relinquishment", "placement", "adoption_case"), "l", region=True)
    # A child in care with papers: a record of hers (by any key) carries a NIK or family card, or is the
    # child of a birth record.
    papered = people.filter(
        pl.col("nik").is_not_null()
        | (pl.col("kk_number").is_not_null() if "kk_number" in people.columns else pl.lit(False))
        | pl.col("id").is_in(frames.births["child_id"].implode())
    )["id"]
    later_reach = _reach(keys, later["l_child_id"])
    with_papers = later_reach.filter(pl.col("other_id").is_in(papered.implode()))["person_id"]
    unpapered = later.filter(~pl.col("l_child_id").is_in(with_papers.implode())).join(
        people.select(pl.col("id").alias("l_child_id"), "sex", pl.col("birth_date").alias("l_born")),
        on="l_child_id",
    )
    # Joined on sex only, then filtered: both sides are few (open reports; children in care without
    # any papers).
    pairs = (
        described.join(unpapered, on="sex")
        .with_columns((pl.col("birth_date") - pl.col("l_born")).dt.total_days().abs().alias("days_apart"))
        .filter((pl.col("days_apart") <= NEAR_BIRTH_DAYS) & (pl.col("l_on") >= pl.col("last_seen_on")))
    )
    # One child may have several care records (an intake, a placement): count children, not records,
    # each known by the smallest record id she reaches (the same for every record of hers).
    child_key = later_reach.group_by("person_id").agg(pl.col("other_id").min().alias("l_key"))
    pairs = pairs.join(child_key.rename({"person_id": "l_child_id"}), on="l_child_id", how="left")
    pairs = pairs.with_columns(
        pl.col("l_key").n_unique().over("report_ref").alias("children"),
        pl.col("report_ref").n_unique().over("l_key").alias("reports"),
    )
    child_refs = frames.people.select(pl.col("id").alias("child_id"), pl.col("ref").alias("child_ref"))
    grouped = _by_report(
        pairs,
        pl.col("l_child_id").unique().alias("later_child_ids"),
        pl.col("days_apart").min(),
        pl.col("children").first(),
        pl.col("reports").max(),
    ).join(child_refs, on="child_id", how="left")
    later_refs = dict(zip(child_refs["child_id"], child_refs["child_ref"], strict=True))

    def make(row: dict[str, Any]) -> Candidate:
        first_kind, first_on, first_ref = row["l_kind"][0], row["l_on"][0], row["l_ref"][0]
        days = (first_on - row["last_seen_on"]).days
        other_province = row["l_region"][0][:2] != row["last_seen_region_code"][:2]
        unique = row["children"] == 1 and row["reports"] == 1
        close = row["days_apart"] <= POSSIBLE_MATCH_CLOSE_DAYS
        # Unambiguous and close: a step below a match by papers, with a match by description (0.92), so
        # that in another province it ranks above a ring baby's single placement flag (0.95).
        base = 0.92 if unique and close else 0.8 if unique else 0.7
        if row["status"] != "open":
            base -= 0.3
        seen_on, seen_in = row["last_seen_on"].isoformat(), region_label(row["last_seen_region_code"])
        children_id = (
            "satu-satunya anak yang cocok"
            if unique
            else f"{row['children']} anak yang cocok untuk laporan ini"
        )
        children_en = (
            "the only child that matches" if unique else f"{row['children']} children match this report"
        )
        return Candidate(
            kind="missing_child_possible_match",
            subject_type="missing_report",
            subject_ref=row["report_ref"],
            score=clamp(base + 0.04 * other_province),
            evidence={
                "report_status": row["status"],
                "days_after_last_seen": days,
                "birth_dates_days_apart": row["days_apart"],
                "children_matching_report": row["children"],
                "reports_matching_child": row["reports"],
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
                f"{seen_in}) mungkin anak tanpa dokumen (tanpa NIK, KK atau akta) dalam "
                f"{WHAT_ID[first_kind]} {first_ref} di {region_label(row['l_region'][0])} {days} hari "
                f"kemudian: jenis kelamin sama, tanggal lahir selisih {row['days_apart']} hari; "
                f"{children_id}."
            ),
            explanation_en=(
                f"A child reported missing ({row['report_ref']}, last seen {seen_on} in {seen_in}) may be "
                f"the child without papers (no NIK, family card or birth record) in {WHAT_EN[first_kind]} "
                f"{first_ref} in {region_label(row['l_region'][0])} {days} days later: the same sex, birth "
                f"dates {row['days_apart']} days apart; {children_en}."
            ),
            records=refs(
                row["report_ref"],
                row["child_ref"],
                [later_refs.get(i) for i in row["later_child_ids"]],
                row["l_ref"],
            ),
            region_code=row["region_code"],
        )

    return build(grouped, make)


def _card_column(frames: Frames) -> list[str]:
    return ["kk_number"] if "kk_number" in frames.people.columns else []
