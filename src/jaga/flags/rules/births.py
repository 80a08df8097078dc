"""Record rules about births: the mother's age, the interval since her previous birth, where the birth
was registered against where she lives, births with no facility statement, and late registrations
followed quickly by a relinquishment or an adoption case."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from jaga.flags.candidates import Candidate
from jaga.flags.frames import Frames
from jaga.flags.rules.common import (
    build,
    care_records,
    clamp,
    person_keys,
    province,
    ref_map,
    refs,
    regency,
    region_label,
    same_person,
)
from jaga.registry import LATE_REGISTRATION_DAYS

YEAR_DAYS = 365.2425
YOUNG_MOTHER, OLD_MOTHER = 15, 50  # the registry accepts 10-70 and leaves these bands to the flags
# A live birth after a previous one needs a new conception plus a viable pregnancy: under about eight
# months is not plausible, under six is not possible (WHO short-interval definitions are far longer).
IMPLAUSIBLE_INTERVAL_DAYS, IMPOSSIBLE_INTERVAL_DAYS = 240, 180
SAME_DELIVERY_DAYS = 2  # twins born either side of midnight are one delivery
QUICK_HANDOVER_DAYS = 90  # relinquishment or adoption within this many days of a late registration
NO_STATEMENT = ("sptjm", "none")


def births_view(frames: Frames) -> pl.DataFrame:
    """Births with the refs and the mother's facts the rules need (computed once per frames)."""
    return frames.derived("rules.births_view", _births_view)


def _births_view(frames: Frames) -> pl.DataFrame:
    mothers = frames.people.select(
        pl.col("id").alias("mother_id"),
        pl.col("ref").alias("mother_ref"),
        pl.col("birth_date").alias("mother_birth_date"),
        pl.col("address_region_code").alias("mother_address_region"),
    )
    return (
        frames.births.select(
            pl.col("id").alias("birth_id"),
            pl.col("ref").alias("birth_ref"),
            "region_code",
            "child_id",
            "mother_id",
            "born_on",
            "birth_evidence",
            "registered_on",
            "registration_region_code",
        )
        .join(mothers, on="mother_id", how="left")
        .join(ref_map(frames.people, "child"), on="child_id", how="left")
        .with_columns(
            mother_age=((pl.col("born_on") - pl.col("mother_birth_date")).dt.total_days() / YEAR_DAYS),
            delay_days=(pl.col("registered_on") - pl.col("born_on")).dt.total_days(),
            place_region=pl.coalesce("registration_region_code", "region_code"),
        )
    )


def _records(row: dict[str, Any]) -> tuple[str, ...]:
    return refs(row["birth_ref"], row.get("child_ref"), row.get("mother_ref"))


def mother_age(frames: Frames, today: date) -> list[Candidate]:
    view = births_view(frames).filter(
        (pl.col("mother_age") < YOUNG_MOTHER) | (pl.col("mother_age") >= OLD_MOTHER)
    )

    def make(row: dict[str, Any]) -> Candidate:
        age = row["mother_age"]
        years = int(age)
        young = age < YOUNG_MOTHER
        score = (0.9 if age < 12 else 0.6) if young else (0.85 if age >= 55 else 0.55)
        band_id = f"di bawah {YOUNG_MOTHER}" if young else f"{OLD_MOTHER} atau lebih"
        band_en = f"under {YOUNG_MOTHER}" if young else f"{OLD_MOTHER} or over"
        return Candidate(
            kind="mother_age_implausible",
            subject_type="birth",
            subject_ref=row["birth_ref"],
            score=score,
            evidence={"mother_age_years": round(age, 1), "band": "young" if young else "old"},
            explanation_id=(
                f"Ibu pada kelahiran {row['birth_ref']} berusia {years} tahun saat melahirkan "
                f"({band_id}): usia yang tidak wajar untuk melahirkan."
            ),
            explanation_en=(
                f"The mother in birth {row['birth_ref']} was {years} years old at the birth "
                f"({band_en}): an implausible age to give birth."
            ),
            records=_records(row),
            region_code=row["region_code"],
        )

    return build(view, make)


def birth_interval(frames: Frames, today: date) -> list[Candidate]:
    """Two births of the same mother (same record, NIK or linkage identity) too close together."""
    keys = person_keys(frames)
    view = births_view(frames)
    # Pairs on the narrow columns first; the refs are joined to the few that are too close.
    narrow = view.select("birth_id", "mother_id", "child_id", "born_on")
    pairs = same_person(keys, narrow, "mother_id", narrow, "mother_id").with_columns(
        gap=(pl.col("born_on") - pl.col("born_on_r")).dt.total_days()
    )
    # Each later birth against each earlier one of the same mother, not the same delivery.
    pairs = pairs.filter(
        (pl.col("birth_id") != pl.col("birth_id_r"))
        & (pl.col("gap") > SAME_DELIVERY_DAYS)
        & (pl.col("gap") < IMPLAUSIBLE_INTERVAL_DAYS)
    )
    named = view.select("birth_id", "birth_ref", "region_code", "mother_ref", "child_ref")
    pairs = pairs.join(named, on="birth_id").join(named.rename(lambda name: f"{name}_r"), on="birth_id_r")
    if pairs.is_empty():
        return []
    # The same child recorded twice (two agencies' birth records) is not a second birth.
    ids = ["birth_id", "birth_id_r"]
    left = pairs.select(*ids, "child_id").join(keys, left_on="child_id", right_on="person_id")
    right = pairs.select(*ids, "child_id_r").join(keys, left_on="child_id_r", right_on="person_id")
    same_child = left.join(right, on=[*ids, "key"]).select(ids).unique()
    pairs = pairs.join(same_child, on=ids, how="anti")
    closest = pairs.sort("gap").group_by("birth_id", maintain_order=True).first()

    def make(row: dict[str, Any]) -> Candidate:
        gap = row["gap"]
        impossible = gap < IMPOSSIBLE_INTERVAL_DAYS
        word_id, word_en = ("mustahil", "impossible") if impossible else ("tidak wajar", "implausible")
        return Candidate(
            kind="birth_interval_impossible",
            subject_type="birth",
            subject_ref=row["birth_ref"],
            score=0.6 if impossible else 0.45,
            evidence={
                "interval_days": gap,
                "previous_birth": row["birth_ref_r"],
                "threshold_days": IMPOSSIBLE_INTERVAL_DAYS if impossible else IMPLAUSIBLE_INTERVAL_DAYS,
                "same_mother_record": row["mother_id"] == row["mother_id_r"],
            },
            explanation_id=(
                f"Kelahiran {row['birth_ref']} terjadi {gap} hari setelah kelahiran {row['birth_ref_r']} "
                f"dari ibu yang sama: jarak {word_id} (di bawah "
                f"{IMPOSSIBLE_INTERVAL_DAYS if impossible else IMPLAUSIBLE_INTERVAL_DAYS} hari)."
            ),
            explanation_en=(
                f"Birth {row['birth_ref']} came {gap} days after birth {row['birth_ref_r']} of the same "
                f"mother: an {word_en} interval (under "
                f"{IMPOSSIBLE_INTERVAL_DAYS if impossible else IMPLAUSIBLE_INTERVAL_DAYS} days)."
            ),
            records=refs(
                row["birth_ref"],
                row["birth_ref_r"],
                row["child_ref"],
                row["child_ref_r"],
                row["mother_ref"],
                row["mother_ref_r"],
            ),
            region_code=row["region_code"],
        )

    return build(closest, make)


def _distance(view: pl.DataFrame) -> pl.DataFrame:
    known = pl.col("mother_address_region").is_not_null() & pl.col("place_region").is_not_null()
    return view.with_columns(
        other_province=known & (province("place_region") != province("mother_address_region")),
        other_regency=known & (regency("place_region") != regency("mother_address_region")),
    )


def far_from_residence(frames: Frames, today: date) -> list[Candidate]:
    view = _distance(births_view(frames)).filter(pl.col("other_regency"))

    def make(row: dict[str, Any]) -> Candidate:
        province_id = "provinsi lain" if row["other_province"] else "kabupaten/kota lain"
        province_en = "another province" if row["other_province"] else "another regency/city"
        where = "didaftarkan" if row["registered_on"] is not None else "dicatat"
        where_en = "registered" if row["registered_on"] is not None else "recorded"
        place, home = region_label(row["place_region"]), region_label(row["mother_address_region"])
        return Candidate(
            kind="registered_far_from_residence",
            subject_type="birth",
            subject_ref=row["birth_ref"],
            score=0.5 if row["other_province"] else 0.3,
            evidence={
                "birth_region": place,
                "mother_residence_region": home,
                "other_province": row["other_province"],
                "registered": row["registered_on"] is not None,
            },
            explanation_id=(
                f"Kelahiran {row['birth_ref']} {where} di wilayah {place}, sedangkan ibu tinggal di {home} "
                f"({province_id})."
            ),
            explanation_en=(
                f"Birth {row['birth_ref']} was {where_en} in region {place}, while the mother lives in "
                f"{home} ({province_en})."
            ),
            records=_records(row),
            region_code=row["region_code"],
        )

    return build(view, make)


def no_facility_statement(frames: Frames, today: date) -> list[Candidate]:
    """SKL replaced by a self-declaration (SPTJM) or nothing; the score rises with what comes with it."""
    view = _distance(births_view(frames)).filter(pl.col("birth_evidence").is_in(NO_STATEMENT))

    def make(row: dict[str, Any]) -> Candidate:
        late = row["delay_days"] is not None and row["delay_days"] > LATE_REGISTRATION_DAYS
        age = row["mother_age"]
        odd_age = age is not None and not YOUNG_MOTHER <= age < OLD_MOTHER
        with_id, with_en = [], []
        if late:
            with_id.append(
                f"didaftarkan {row['delay_days']} hari setelah lahir (batas {LATE_REGISTRATION_DAYS})"
            )
            with_en.append(
                f"registered {row['delay_days']} days after the birth (limit {LATE_REGISTRATION_DAYS})"
            )
        if row["other_regency"]:
            with_id.append("ibu tinggal di luar kabupaten/kota pendaftaran")
            with_en.append("the mother lives outside the regency/city of registration")
        if odd_age:
            with_id.append(f"ibu berusia {int(age)} tahun")
            with_en.append(f"the mother was {int(age)} years old")
        evidence_name = {"sptjm": "SPTJM (surat pernyataan tanggung jawab mutlak)", "none": "tanpa bukti"}
        evidence_en = {"sptjm": "an SPTJM self-declaration", "none": "no evidence at all"}
        tail_id = ("; disertai: " + "; ".join(with_id)) if with_id else ""
        tail_en = ("; together with: " + "; ".join(with_en)) if with_en else ""
        return Candidate(
            kind="no_facility_statement",
            subject_type="birth",
            subject_ref=row["birth_ref"],
            score=clamp(0.3 + 0.2 * late + 0.15 * row["other_regency"] + 0.15 * odd_age),
            evidence={
                "birth_evidence": row["birth_evidence"],
                "registration_delay_days": row["delay_days"],
                "late_registration": late,
                "mother_outside_regency": row["other_regency"],
                "mother_age_out_of_band": odd_age,
            },
            explanation_id=(
                f"Kelahiran {row['birth_ref']} tidak memiliki surat keterangan lahir (SKL) dari fasilitas "
                f"atau penolong persalinan; buktinya {evidence_name[row['birth_evidence']]}{tail_id}."
            ),
            explanation_en=(
                f"Birth {row['birth_ref']} has no birth statement (SKL) from a facility or birth attendant; "
                f"its evidence is {evidence_en[row['birth_evidence']]}{tail_en}."
            ),
            records=_records(row),
            region_code=row["region_code"],
        )

    return build(view, make)


def late_then_relinquished(frames: Frames, today: date) -> list[Candidate]:
    """Registered late, then relinquished or put up for adoption within weeks of the registration."""
    keys = person_keys(frames)
    late = births_view(frames).filter(pl.col("delay_days") > LATE_REGISTRATION_DAYS)
    handovers = care_records(frames, ("relinquishment", "adoption_case"), "h")
    joined = same_person(keys, late, "child_id", handovers, "h_child_id").with_columns(
        after_registration=(pl.col("h_on") - pl.col("registered_on")).dt.total_days()
    )
    quick = (
        joined.filter(
            (pl.col("h_on") >= pl.col("born_on")) & (pl.col("after_registration") <= QUICK_HANDOVER_DAYS)
        )
        .sort("h_on")
        .group_by("birth_id", maintain_order=True)
        .first()
    )

    def make(row: dict[str, Any]) -> Candidate:
        gap = row["after_registration"]
        what_id = (
            "diserahkan (relinquishment)" if row["h_kind"] == "relinquishment" else "dibuka kasus adopsinya"
        )
        what_en = "relinquished" if row["h_kind"] == "relinquishment" else "entered in an adoption case"
        when_id = f"{gap} hari setelah pendaftaran" if gap >= 0 else f"{-gap} hari sebelum pendaftaran"
        when_en = f"{gap} days after the registration" if gap >= 0 else f"{-gap} days before the registration"
        return Candidate(
            kind="late_registration_then_relinquishment",
            subject_type="birth",
            subject_ref=row["birth_ref"],
            score=clamp(0.4 + 0.1 * (gap <= 30) + 0.05 * (gap < 0)),
            evidence={
                "registration_delay_days": row["delay_days"],
                "handover": row["h_kind"],
                "handover_ref": row["h_ref"],
                "days_after_registration": gap,
                "limit_days": LATE_REGISTRATION_DAYS,
                "window_days": QUICK_HANDOVER_DAYS,
            },
            explanation_id=(
                f"Kelahiran {row['birth_ref']} didaftarkan terlambat, {row['delay_days']} hari setelah lahir "
                f"(batas {LATE_REGISTRATION_DAYS} hari), lalu anaknya {what_id} ({row['h_ref']}) {when_id}."
            ),
            explanation_en=(
                f"Birth {row['birth_ref']} was registered late, {row['delay_days']} days after the birth "
                f"(limit {LATE_REGISTRATION_DAYS} days), and the child was then {what_en} ({row['h_ref']}) "
                f"{when_en}."
            ),
            records=refs(*_records(row), row["h_ref"]),
            region_code=row["region_code"],
        )

    return build(quick, make)


TAKING_IN_DAYS = 180  # a self-declared birth this close to the day she took in another child
# The placements that put a child with a family (an institution's is not one).
FAMILY_KINDS = ("prospective_adopters", "family", "foster_family", "kinship")


def _taken_in(frames: Frames) -> pl.DataFrame:
    """Every child a person took in: as the adopter or co-adopter of an adoption case, or the carer of a
    family placement. Columns t_person_id, t_child_id, t_ref, t_kind, t_on."""
    cases = frames.adoption_cases
    parts = [
        cases.filter(pl.col(column).is_not_null()).select(
            pl.col(column).alias("t_person_id"),
            pl.col("child_id").alias("t_child_id"),
            pl.col("ref").alias("t_ref"),
            pl.lit("adoption_case").alias("t_kind"),
            pl.col("opened_on").alias("t_on"),
        )
        for column in ("adopter_id", "co_adopter_id")
    ]
    parts.append(
        frames.placements.filter(
            pl.col("kind").is_in(FAMILY_KINDS) & pl.col("carer_id").is_not_null()
        ).select(
            pl.col("carer_id").alias("t_person_id"),
            pl.col("child_id").alias("t_child_id"),
            pl.col("ref").alias("t_ref"),
            pl.lit("placement").alias("t_kind"),
            pl.col("from_date").alias("t_on"),
        )
    )
    return pl.concat(parts)


def birth_to_adopting_mother(frames: Frames, today: date) -> list[Candidate]:
    """A birth with no facility statement registered to a woman who, within TAKING_IN_DAYS of it, took
    in another child (an adoption case, a family placement).

    A bought baby is often registered as the buyer's own: a self-declared home birth (SPTJM), with no
    midwife or clinic to contradict it (DOMAIN.md). The same woman is then on record twice with a baby of
    about the same age: once as the child's new family, once as the mother of a "home birth". A family
    that adopts a baby while giving birth at home to one of its own is rare; one baby written down twice
    is the pattern. The two children are told apart by person key (the same child twice is a record
    error, not this), and the woman is the same by record, NIK or linkage identity.
    """
    keys = person_keys(frames)
    view = births_view(frames).filter(pl.col("birth_evidence").is_in(NO_STATEMENT))
    joined = same_person(keys, view, "mother_id", _taken_in(frames), "t_person_id").with_columns(
        gap=(pl.col("t_on") - pl.col("born_on")).dt.total_days()
    )
    joined = joined.filter(pl.col("gap").abs() <= TAKING_IN_DAYS)
    if joined.height:
        same_child = (
            same_person(
                keys,
                joined.select("birth_id", "child_id", "t_ref"),
                "child_id",
                joined.select(pl.col("t_ref").alias("t_ref_2"), "t_child_id"),
                "t_child_id",
            )
            .filter(pl.col("t_ref") == pl.col("t_ref_2"))
            .select("birth_id", "t_ref", pl.lit(True).alias("same_child"))
            .unique()
        )
        joined = joined.join(same_child, on=["birth_id", "t_ref"], how="left").filter(
            pl.col("same_child").is_null()
        )
    first = joined.sort(pl.col("gap").abs()).group_by("birth_id", maintain_order=True).first()
    first = _distance(first.join(ref_map(frames.people, "t_child"), on="t_child_id", how="left"))

    def make(row: dict[str, Any]) -> Candidate:
        gap = row["gap"]
        late = row["delay_days"] is not None and row["delay_days"] > LATE_REGISTRATION_DAYS
        what_id = "membuka kasus adopsi" if row["t_kind"] == "adoption_case" else "menerima penempatan anak"
        what_en = "opened an adoption case for" if row["t_kind"] == "adoption_case" else "was placed"
        when_id = f"{gap} hari setelah" if gap >= 0 else f"{-gap} hari sebelum"
        when_en = f"{gap} days after" if gap >= 0 else f"{-gap} days before"
        evidence_en = {"sptjm": "an SPTJM self-declaration", "none": "no evidence at all"}
        if row["t_kind"] == "adoption_case":
            taken_en = f"{what_en} another child ({row['t_ref']})"
        else:
            taken_en = f"{what_en} another child ({row['t_ref']}) with her"
        return Candidate(
            kind="birth_to_adopting_mother",
            subject_type="birth",
            subject_ref=row["birth_ref"],
            # A made-up registration shows: registered late, or far from where she lives.
            score=clamp(0.85 + 0.05 * late + 0.05 * bool(row["other_regency"])),
            evidence={
                "birth_evidence": row["birth_evidence"],
                "taken_in": row["t_kind"],
                "taken_in_ref": row["t_ref"],
                "days_from_birth_to_taking_in": gap,
                "registration_delay_days": row["delay_days"],
                "late_registration": late,
                "mother_outside_regency": bool(row["other_regency"]),
                "window_days": TAKING_IN_DAYS,
            },
            explanation_id=(
                f"Kelahiran {row['birth_ref']} (tanpa SKL) dicatat atas nama ibu yang {when_id} tanggal "
                f"lahir itu {what_id} anak lain ({row['t_ref']}): satu bayi bisa tercatat dua kali, "
                "sebagai anak yang diterima dan sebagai anak kandung."
            ),
            explanation_en=(
                f"Birth {row['birth_ref']} ({evidence_en[row['birth_evidence']]}, no birth statement) is "
                f"registered to a mother who, {when_en} that birth date, {taken_en}: one baby may be on "
                "record twice, as a child taken in and as her own."
            ),
            records=refs(*_records(row), row["t_ref"], row.get("t_child_ref")),
            region_code=row["region_code"],
        )

    return build(first, make)
