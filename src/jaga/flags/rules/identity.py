"""A NIK that disagrees with the record it is on: the date of birth or the sex it encodes.

The registry accepts such records on purpose (a NIK is never reissued, and forged family cards carry
exactly this), so the flag is where they surface. A fast column-wise comparison picks the rows; each is
then decoded by `jaga.nik` (which settles the two-digit year) for the figures in the explanation.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from jaga.flags.candidates import Candidate
from jaga.flags.frames import Frames
from jaga.flags.rules.common import build, clamp
from jaga.nik import nik_birth_facts
from jaga.nik.decode import FEMALE_DAY_OFFSET

KIND = "nik_mismatch"
SEX_ID = {"F": "perempuan", "M": "laki-laki"}
SEX_EN = {"F": "female", "M": "male"}


def detect(frames: Frames, today: date) -> list[Candidate]:
    nik = pl.col("nik")
    day = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
    encoded = frames.people.filter(
        nik.str.contains(r"^\d{16}$") & (pl.col("birth_date").is_not_null() | pl.col("sex").is_not_null())
    ).with_columns(
        nik_sex=pl.when(day > FEMALE_DAY_OFFSET).then(pl.lit("F")).otherwise(pl.lit("M")),
        nik_day=pl.when(day > FEMALE_DAY_OFFSET).then(day - FEMALE_DAY_OFFSET).otherwise(day),
        nik_month=nik.str.slice(8, 2).cast(pl.Int32, strict=False),
        nik_yy=nik.str.slice(10, 2).cast(pl.Int32, strict=False),
    )
    born = pl.col("birth_date")
    date_differs = born.is_not_null() & (
        (born.dt.day() != pl.col("nik_day"))
        | (born.dt.month() != pl.col("nik_month"))
        | ((born.dt.year() % 100) != pl.col("nik_yy"))
    )
    sex_differs = pl.col("sex").is_not_null() & (pl.col("sex") != pl.col("nik_sex"))
    suspects = encoded.filter(date_differs | sex_differs).select(
        "ref", "region_code", "nik", "sex", "birth_date", "source_kind"
    )
    return build(suspects, lambda row: _candidate(row, today))


def _candidate(row: dict[str, Any], today: date) -> Candidate | None:
    recorded: date | None = row["birth_date"]
    claimed_date, claimed_sex = nik_birth_facts(row["nik"], today=today, birth_date_hint=recorded)
    problems_id: list[str] = []
    problems_en: list[str] = []
    evidence: dict[str, Any] = {"source_kind": row["source_kind"]}
    score = 0.0
    if row["sex"] is not None and claimed_sex is not None and claimed_sex.value != row["sex"]:
        said = row["sex"]
        problems_id.append(
            f"NIK menandakan {SEX_ID[claimed_sex.value]}, catatan menyebut {SEX_ID.get(said, said)}"
        )
        problems_en.append(
            f"the NIK encodes {SEX_EN[claimed_sex.value]}, the record says {SEX_EN.get(said, said)}"
        )
        evidence |= {"sex_differs": True, "nik_sex": claimed_sex.value, "record_sex": row["sex"]}
        score += 0.6
    if recorded is not None:
        if claimed_date is None:
            problems_id.append("tanggal lahir dalam NIK tidak dapat dibaca sebagai tanggal")
            problems_en.append("the NIK's date of birth is not a readable date")
            evidence["nik_date_unreadable"] = True
            score += 0.5
        elif claimed_date != recorded:
            gap = abs((claimed_date - recorded).days)
            swapped = (claimed_date.day, claimed_date.month) == (recorded.month, recorded.day)
            evidence |= {"date_difference_days": gap, "day_month_swapped": swapped}
            if swapped:
                problems_id.append("tanggal dan bulan lahir dalam NIK tertukar dengan catatan")
                problems_en.append("the NIK's day and month of birth are swapped against the record")
                score += 0.2  # a common clerical slip
            else:
                problems_id.append(f"tanggal lahir dalam NIK berselisih {gap} hari dengan catatan")
                problems_en.append(f"the NIK's date of birth is {gap} days from the record's")
                score += 0.7 if gap > 366 else 0.45
    if not problems_en:
        return None
    return Candidate(
        kind=KIND,
        subject_type="person",
        subject_ref=row["ref"],
        score=clamp(score),
        evidence=evidence,
        explanation_id=f"NIK tidak sesuai dengan catatan orang {row['ref']}: " + "; ".join(problems_id) + ".",
        explanation_en=f"NIK inconsistent with person record {row['ref']}: " + "; ".join(problems_en) + ".",
        records=(row["ref"],),
        region_code=row["region_code"],
    )
