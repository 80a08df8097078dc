"""What happened after each birth and each intake, as one row per record, for the statistical and network
detectors: was the child relinquished, how soon did it reach a family, with or without a care permit, and
was the registration of the kind a falsified one looks like (no birth statement, no facility, registered
in another regency/city than the one the mother lives in, and late or in another province: a birth is
registered where the family lives, so a civil registry far from her home signing a self-declared birth
is what a bought child's registration looks like).

Records of one person kept by different agencies (a clinic's mother, the institution's intake form) are
joined through linkage identities when a linkage run exists, and through the NIK otherwise; a
relinquishment is tied to a birth by the child's identity, or by the mother's identity within a year.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jaga.flags.frames import Frames
from jaga.regions.adjacency import pairs as province_pairs

LATE_REGISTRATION_DAYS = 60  # UU 23/2006
RELINQUISHMENT_WINDOW_DAYS = 365  # a mother's relinquishment counts against a birth this long after it
FAST_FAMILY_DAYS = 90  # a legal adoption reaches temporary care no sooner than about 80 days after intake
FAMILY_PLACEMENTS = ("prospective_adopters", "family", "foster_family", "kinship")
# Foster and kinship care are alternative care, temporary by nature: a placement of those kinds that has
# ended (to_date given) is care while the child's future is settled, not the child's hand-over to a family.
# An open-ended one is judged as any family placement (a buyer written down as a foster family keeps the
# child). Adoption placements (prospective adopters) count whatever their end.
TEMPORARY_CARE = ("foster_family", "kinship")
CARE_PERMIT_STEP = "temporary_care"
# "3334": Jawa Tengah's facility, a mother of DI Yogyakarta (jaga.regions.adjacency, both orders).
NEIGHBOURING_PAIRS = [a + b for a, b in province_pairs()]


@dataclass(frozen=True)
class Outcomes:
    """`births`: one row per birth; `intakes`: one row per relinquishment (an institution's intake)."""

    births: pl.DataFrame
    intakes: pl.DataFrame
    identity: pl.DataFrame  # person_id -> person key (identity, NIK, or the record itself)


def person_keys(frames: Frames) -> pl.DataFrame:
    """person_id -> `key`: the linkage identity where there is one, else `nik:<NIK>`, else the record."""
    people = frames.people.select("id", "nik")
    if frames.identities.height:
        people = people.join(
            frames.identities.select(pl.col("person_id").alias("id"), "identity_id"), on="id", how="left"
        )
    else:
        people = people.with_columns(pl.lit(None, dtype=pl.Int64).alias("identity_id"))
    return people.select(
        pl.col("id").alias("person_id"),
        pl.when(pl.col("identity_id").is_not_null())
        .then(pl.format("i:{}", pl.col("identity_id")))
        .when(pl.col("nik").is_not_null())
        .then(pl.format("n:{}", pl.col("nik")))
        .otherwise(pl.format("p:{}", pl.col("id")))
        .alias("key"),
    )


def _keyed(frame: pl.DataFrame, keys: pl.DataFrame, column: str, name: str) -> pl.DataFrame:
    return frame.join(keys.rename({"person_id": column, "key": name}), on=column, how="left", coalesce=True)


def family_placements(frames: Frames, keys: pl.DataFrame) -> pl.DataFrame:
    """Each child's (person key) first placement with a family, and whether a care permit preceded it."""
    steps = frames.adoption_steps.filter(pl.col("step") == CARE_PERMIT_STEP).select(
        pl.col("case_id").alias("adoption_case_id"), pl.col("occurred_on").alias("permit_on")
    )
    placed = (
        frames.placements.filter(
            pl.col("kind").is_in(FAMILY_PLACEMENTS)
            & ~(pl.col("kind").is_in(TEMPORARY_CARE) & pl.col("to_date").is_not_null())
        )
        .join(
            steps.group_by("adoption_case_id").agg(pl.col("permit_on").min()),
            on="adoption_case_id",
            how="left",
        )
        .with_columns(
            (pl.col("permit_on").is_not_null() & (pl.col("permit_on") <= pl.col("from_date"))).alias(
                "with_permit"
            )
        )
    )
    placed = _keyed(placed, keys, "child_id", "child_key")
    return (
        placed.sort("from_date")
        .group_by("child_key")
        .agg(
            pl.col("from_date").first().alias("family_on"),
            pl.col("with_permit").first().alias("family_with_permit"),
            pl.col("ref").first().alias("family_placement_ref"),
            pl.col("carer_id").first().alias("carer_id"),
        )
    )


def unlicensed_intakes(frames: Frames) -> pl.DataFrame:
    """Relinquishment id -> `unlicensed_intake`: taken in by an institution with no operating licence on
    the day (none at all, not yet valid, or expired; foundation papers are not a licence)."""
    institutions = frames.institutions.select(
        pl.col("id").alias("institution_id"),
        "licence_number",
        "licence_valid_from",
        "licence_valid_until",
    )
    return (
        frames.relinquishments.filter(pl.col("institution_id").is_not_null())
        .select("id", "institution_id", "occurred_on")
        .join(institutions, on="institution_id", how="inner")
        .select(
            "id",
            (
                pl.col("licence_number").is_null()
                | (
                    pl.col("licence_valid_until").is_not_null()
                    & (pl.col("occurred_on") > pl.col("licence_valid_until"))
                )
                | (
                    pl.col("licence_valid_from").is_not_null()
                    & (pl.col("occurred_on") < pl.col("licence_valid_from"))
                )
            ).alias("unlicensed_intake"),
        )
    )


def compute_outcomes(frames: Frames) -> Outcomes:
    keys = person_keys(frames)
    family = family_placements(frames, keys)

    intakes = _keyed(frames.relinquishments, keys, "child_id", "child_key")
    intakes = _keyed(intakes, keys, "mother_id", "mother_key")
    intakes = intakes.join(unlicensed_intakes(frames), on="id", how="left").with_columns(
        pl.col("unlicensed_intake").fill_null(False)
    )
    intakes = intakes.join(family, on="child_key", how="left").with_columns(
        (pl.col("family_on") - pl.col("occurred_on")).dt.total_days().alias("days_to_family")
    )
    intakes = intakes.with_columns(
        (
            pl.col("family_on").is_not_null()
            & (
                ~pl.col("family_with_permit").fill_null(False)
                | (pl.col("days_to_family") <= FAST_FAMILY_DAYS)
            )
        ).alias("irregular_handover")
    )

    people = frames.people.select(
        pl.col("id").alias("mother_id"),
        pl.col("address_region_code").alias("mother_address"),
        pl.col("birth_date").alias("mother_born"),
    )
    facilities = frames.facilities.select(
        pl.col("id").alias("facility_id"),
        pl.col("region_code").alias("facility_region"),
        pl.col("kind").alias("facility_kind"),
    )
    officials = frames.officials.select(
        pl.col("id").alias("registrar_id"), pl.col("region_code").alias("registrar_region")
    )
    births = (
        frames.births.select(
            "id",
            "ref",
            "region_code",
            "child_id",
            "mother_id",
            "facility_id",
            "attendant_id",
            "registrar_id",
            "born_on",
            "registered_on",
            "birth_evidence",
            "registration_region_code",
        )
        .join(people, on="mother_id", how="left")
        .join(facilities, on="facility_id", how="left")
        .join(officials, on="registrar_id", how="left")
    )
    births = _keyed(births, keys, "child_id", "child_key")
    births = _keyed(births, keys, "mother_id", "mother_key")

    # A birth was followed by a relinquishment of the same child, or by one by the same mother soon after.
    by_child = intakes.select("child_key", pl.col("ref").alias("relinquishment_ref"), "irregular_handover")
    by_child = by_child.group_by("child_key").agg(
        pl.col("relinquishment_ref").first(), pl.col("irregular_handover").any()
    )
    by_mother = (
        births.select("id", "mother_key", "born_on")
        .join(
            intakes.select(
                "mother_key",
                pl.col("occurred_on"),
                pl.col("ref").alias("mother_relinquishment_ref"),
                pl.col("irregular_handover").alias("mother_irregular"),
            ),
            on="mother_key",
            how="inner",
        )
        .filter(
            (pl.col("occurred_on") >= pl.col("born_on"))
            & ((pl.col("occurred_on") - pl.col("born_on")).dt.total_days() <= RELINQUISHMENT_WINDOW_DAYS)
        )
        .group_by("id")
        .agg(pl.col("mother_relinquishment_ref").first(), pl.col("mother_irregular").any())
    )
    births = (
        births.join(by_child, on="child_key", how="left")
        .join(by_mother, on="id", how="left")
        .join(family.select("child_key", "family_on", "family_with_permit"), on="child_key", how="left")
    )
    registration_region = pl.coalesce("registration_region_code", "registrar_region")
    births = births.with_columns(
        pl.coalesce("relinquishment_ref", "mother_relinquishment_ref").alias("relinquishment_ref"),
        (pl.col("registered_on") - pl.col("born_on")).dt.total_days().alias("registration_delay"),
        ((pl.col("born_on") - pl.col("mother_born")).dt.total_days() / 365.25).alias("mother_age"),
    ).with_columns(
        pl.col("relinquishment_ref").is_not_null().alias("relinquished"),
        (
            pl.col("irregular_handover").fill_null(False)
            | pl.col("mother_irregular").fill_null(False)
            | (
                pl.col("family_on").is_not_null()
                & ((pl.col("family_on") - pl.col("born_on")).dt.total_days() <= FAST_FAMILY_DAYS + 30)
            )
        ).alias("irregular_handover"),
        (
            pl.col("facility_region").is_not_null()
            & pl.col("mother_address").is_not_null()
            & (pl.col("mother_address").str.slice(0, 2) != pl.col("facility_region").str.slice(0, 2))
        ).alias("mother_out_of_province"),
        # A clinic near a provincial border delivers mothers from across it as a matter of course: only a
        # mother from a province that does not border the facility's is "from far away".
        (
            pl.col("facility_region").is_not_null()
            & pl.col("mother_address").is_not_null()
            & (pl.col("mother_address").str.slice(0, 2) != pl.col("facility_region").str.slice(0, 2))
            & ~pl.concat_str(
                pl.col("facility_region").str.slice(0, 2), pl.col("mother_address").str.slice(0, 2)
            ).is_in(NEIGHBOURING_PAIRS)
        ).alias("mother_from_distant_province"),
        (
            pl.col("registrar_id").is_not_null()
            # Late, or on time but in another province than the mother's: a birth is registered where
            # the family lives, and a registry signing a home birth, without a birth statement, for a
            # mother of another province is out of its jurisdiction however soon it signs.
            & (
                (pl.col("registration_delay") > LATE_REGISTRATION_DAYS)
                | (pl.col("mother_address").str.slice(0, 2) != registration_region.str.slice(0, 2))
            )
            & (pl.col("birth_evidence") != "skl")
            & pl.col("facility_id").is_null()
            & pl.col("mother_address").is_not_null()
            & (pl.col("mother_address").str.slice(0, 4) != registration_region.str.slice(0, 4))
        ).alias("suspicious_registration"),
    )
    births = births.drop("mother_relinquishment_ref", "mother_irregular")
    return Outcomes(births=births, intakes=intakes, identity=keys)
