"""What the record rules share: who is the same person, region levels, and building candidates."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import polars as pl

from jaga.flags.candidates import Candidate
from jaga.flags.frames import Frames
from jaga.regions import format_code

DAY = 1


def person_keys(frames: Frames) -> pl.DataFrame:
    """(person_id, key): records sharing a key are taken as the same person.

    Keys are the record itself, its linkage identity (when a linkage run exists) and its NIK: a NIK is
    the strongest clue two agencies' records are one person even before any linkage run. Computed once
    per frames (several rules ask).
    """
    return frames.derived("rules.person_keys", _person_keys)


def _person_keys(frames: Frames) -> pl.DataFrame:
    # Integer keys (joins on them are several times cheaper than on strings), one namespace per kind of
    # key by the remainder mod 4: the record (id), its NIK (its code among the NIKs), its linkage identity,
    # and a reviewer's "same person" decision (keyed by the pair's smaller id). A reviewer's decision
    # counts before any linkage run and whatever the latest run clustered (a face-match confirmation
    # names two records no run may have scored). A record has one id, one NIK and one identity; decisions
    # may repeat a record, hence the final de-duplication.
    people = frames.people.select("id", "nik")
    own = people.select(pl.col("id").alias("person_id"), (pl.col("id") * 4).alias("key"))
    nik_code = pl.col("nik").cast(pl.Categorical).to_physical().cast(pl.Int64)
    by_nik = people.filter(pl.col("nik").is_not_null()).select(
        pl.col("id").alias("person_id"), (nik_code * 4 + 1).alias("key")
    )
    by_identity = frames.identities.select("person_id", (pl.col("identity_id") * 4 + 2).alias("key"))
    same = frames.link_decisions.filter(pl.col("decision") == "same")
    pair_key = (pl.min_horizontal("left_id", "right_id") * 4 + 3).alias("key")
    by_decision = pl.concat(
        [
            same.select(pl.col("left_id").alias("person_id"), pair_key),
            same.select(pl.col("right_id").alias("person_id"), pair_key),
        ]
    ).unique()
    return pl.concat([own, by_nik, by_identity, by_decision.cast({"person_id": pl.Int64, "key": pl.Int64})])


def same_person(
    keys: pl.DataFrame, left: pl.DataFrame, left_on: str, right: pl.DataFrame, right_on: str
) -> pl.DataFrame:
    """Join `left` and `right` where their person columns are the same person (by any key): each pair of
    rows once, right columns whose names clash with left ones suffixed `_r`."""
    left = left.with_row_index("_left_row")
    right = right.with_row_index("_right_row")
    left_keys = left.select("_left_row", left_on).join(keys, left_on=left_on, right_on="person_id")
    right_keys = right.select("_right_row", right_on).join(keys, left_on=right_on, right_on="person_id")
    pairs = left_keys.join(right_keys, on="key").select("_left_row", "_right_row").unique()
    joined = pairs.join(left, on="_left_row").join(right, on="_right_row", suffix="_r")
    return joined.drop("_left_row", "_right_row")


def regency(column: str) -> pl.Expr:
    return pl.col(column).str.slice(0, 4)


def province(column: str) -> pl.Expr:
    return pl.col(column).str.slice(0, 2)


def region_label(code: str | None) -> str:
    return format_code(code) if code else "?"


def iso(day: date | None) -> str:
    return day.isoformat() if day is not None else "-"


def build(frame: pl.DataFrame, make: Callable[[dict[str, Any]], Candidate | None]) -> list[Candidate]:
    """One candidate per row (rows are few by the time a rule has filtered them)."""
    found = []
    for row in frame.iter_rows(named=True):
        candidate = make(row)
        if candidate is not None:
            found.append(candidate)
    return found


def refs(*values: Iterable[str | None] | str | None) -> tuple[str, ...]:
    """The distinct, non-empty refs among `values` (strings or iterables of strings), in order."""
    seen: dict[str, None] = {}
    for value in values:
        items = [value] if value is None or isinstance(value, str) else list(value)
        for item in items:
            if item:
                seen.setdefault(item, None)
    return tuple(seen)


def ref_map(frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
    """id -> ref of a table, renamed `<prefix>_id`, `<prefix>_ref` for joining."""
    return frame.select(pl.col("id").alias(f"{prefix}_id"), pl.col("ref").alias(f"{prefix}_ref"))


def clamp(score: float) -> float:
    return round(max(0.0, min(1.0, score)), 3)


# The care records a child can turn up in, with the date each one starts.
_CARE = {
    "relinquishment": ("relinquishments", "occurred_on"),
    "placement": ("placements", "from_date"),
    "adoption_case": ("adoption_cases", "opened_on"),
}


def care_records(frames: Frames, kinds: Iterable[str], prefix: str, *, region: bool = False) -> pl.DataFrame:
    """The child, ref, start date (and region) of every care record of `kinds`, columns `<prefix>_...`."""
    parts: list[pl.DataFrame] = []
    for kind in kinds:
        table, start = _CARE[kind]
        columns = [
            pl.col("child_id").alias(f"{prefix}_child_id"),
            pl.col("ref").alias(f"{prefix}_ref"),
            pl.col(start).alias(f"{prefix}_on"),
        ]
        if region:
            columns.append(pl.col("region_code").alias(f"{prefix}_region"))
        source: pl.DataFrame = getattr(frames, table)
        parts.append(source.select(*columns, pl.lit(kind).alias(f"{prefix}_kind")))
    return pl.concat(parts)
