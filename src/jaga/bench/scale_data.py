"""Person files of any size for `jaga bench link-scale`, made column-wise (numpy and polars), not row by row.

FEBRL-shaped columns (given name, surname, street number and name, suburb, postcode, state, date of birth
as YYYYMMDD, a social security number), with names drawn from syllables under a Zipf law so that some
names are very common and most are rare, as in real registers. Duplicates are planted with the noise of
typed records: a character substituted, given name and surname swapped, a digit of the date changed, day
and month swapped, the identifier, street number or postcode missing, a street misspelt. The truth
(record -> person) is written beside the file, for scoring; the linkage never reads it.
This is a load generator, not a realism claim: accuracy is judged on FEBRL and `jaga altgen` elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

_GIVEN = [
    "a",
    "i",
    "u",
    "e",
    "o",
    "ka",
    "ri",
    "na",
    "ti",
    "sa",
    "ma",
    "la",
    "ra",
    "wa",
    "ya",
    "di",
    "ni",
    "si",
    "dewi",
    "putri",
    "agus",
    "budi",
    "eka",
    "joko",
    "sri",
    "nur",
    "lan",
    "tin",
    "yu",
]
_SUR = [
    "har",
    "san",
    "to",
    "wi",
    "jaya",
    "kus",
    "ma",
    "di",
    "no",
    "ra",
    "ti",
    "pra",
    "set",
    "ya",
    "wan",
    "sa",
    "li",
    "ng",
    "ha",
    "su",
    "tan",
    "go",
    "lim",
    "wi",
    "ja",
    "ta",
]
_STREETS = [
    "melati",
    "mawar",
    "kenanga",
    "cempaka",
    "merdeka",
    "sudirman",
    "diponegoro",
    "gajah",
    "mada",
    "pemuda",
    "veteran",
]
_STATES = np.array(["nsw", "vic", "qld", "wa", "sa", "tas", "act", "nt"])
_LETTERS = np.array(list("abcdefghijklmnopqrstuvwxyz"))


def _names(rng: np.random.Generator, syllables: list[str], count: int, size: int) -> np.ndarray:
    """`count` distinct-ish names of two or three syllables, drawn `size` times under a Zipf law."""
    parts = np.array(syllables)
    two = rng.integers(0, len(parts), (count, 3))
    vocabulary = np.char.add(np.char.add(parts[two[:, 0]], parts[two[:, 1]]), parts[two[:, 2]])
    short = rng.random(count) < 0.5
    vocabulary[short] = np.char.add(parts[two[short, 0]], parts[two[short, 1]])
    ranks = np.minimum(rng.zipf(1.3, size), count) - 1
    chosen: np.ndarray = vocabulary[ranks]
    return chosen


def _people(rng: np.random.Generator, size: int, first_id: int) -> pl.DataFrame:
    suburbs = max(50, size // 300)
    suburb = rng.integers(0, suburbs, size)
    days = rng.integers(0, 365 * 85, size)
    born = np.datetime64("1935-01-01") + days.astype("timedelta64[D]")
    return pl.DataFrame(
        {
            "person": np.arange(first_id, first_id + size),
            "given_name": _names(rng, _GIVEN, 20_000, size),
            "surname": _names(rng, _SUR, 50_000, size),
            "street_number": rng.integers(1, 400, size).astype(str),
            "address_1": np.char.add(np.array(_STREETS)[rng.integers(0, len(_STREETS), size)], " street"),
            "suburb": np.char.add("suburb", suburb.astype(str)),
            "postcode": (1000 + suburb % 8999).astype(str),
            "state": _STATES[suburb % len(_STATES)],
            "date_of_birth": np.datetime_as_string(born).astype("U10"),
            "soc_sec_id": rng.integers(1_000_000, 9_999_999, size).astype(str),
        }
    ).with_columns(pl.col("date_of_birth").str.replace_all("-", ""))


def _typo(column: str, rng: np.random.Generator, rows: int, rate: float) -> pl.Expr:
    """One character of `column` replaced by a random letter, on `rate` of the rows."""
    hit = pl.Series(rng.random(rows) < rate)
    at = pl.Series(rng.integers(0, 6, rows))
    letter = pl.Series(_LETTERS[rng.integers(0, 26, rows)])
    text = pl.col(column)
    position = pl.min_horizontal(at, text.str.len_chars() - 1).clip(0)
    changed = text.str.slice(0, position) + pl.lit(letter) + text.str.slice(position + 1)
    return pl.when(pl.lit(hit)).then(changed).otherwise(text).alias(column)


def _noisy(copies: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    rows = copies.height

    def chance(rate: float) -> pl.Expr:
        return pl.lit(pl.Series(rng.random(rows) < rate))

    swap = chance(0.05)
    dob = pl.col("date_of_birth")
    return copies.with_columns(
        pl.when(swap).then(pl.col("surname")).otherwise(pl.col("given_name")).alias("given_name"),
        pl.when(swap).then(pl.col("given_name")).otherwise(pl.col("surname")).alias("surname"),
    ).with_columns(
        _typo("given_name", rng, rows, 0.25),
        _typo("surname", rng, rows, 0.25),
        _typo("address_1", rng, rows, 0.2),
        pl.when(chance(0.05))
        .then(dob.str.slice(0, 4) + dob.str.slice(6, 2) + dob.str.slice(4, 2))
        .when(chance(0.1))
        .then(dob.str.slice(0, 7) + pl.lit(pl.Series(rng.integers(0, 10, rows).astype(str))))
        .otherwise(dob)
        .alias("date_of_birth"),
        pl.when(chance(0.2)).then(None).otherwise(pl.col("soc_sec_id")).alias("soc_sec_id"),
        pl.when(chance(0.1)).then(None).otherwise(pl.col("street_number")).alias("street_number"),
        pl.when(chance(0.05)).then(None).otherwise(pl.col("postcode")).alias("postcode"),
    )


COLUMNS = [
    "rec_id",
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
]


def _write(frame: pl.DataFrame, prefix: str, path: Path) -> None:
    frame = frame.with_columns((pl.lit(prefix) + pl.int_range(0, frame.height).cast(pl.Utf8)).alias("rec_id"))
    frame.select(COLUMNS).write_csv(path)
    frame.select("rec_id", "person").write_csv(path.with_suffix(".truth.csv"))


def dedupe_file(records: int, path: Path, *, seed: int = 7, duplicates: float = 0.2) -> Path:
    """One file of `records` rows, `duplicates` of them noisy copies of others (shuffled in)."""
    rng = np.random.default_rng(seed)
    copies = int(records * duplicates)
    people = _people(rng, records - copies, 0)
    noisy = _noisy(people.sample(copies, with_replacement=True, seed=seed), rng)
    _write(pl.concat([people, noisy]).sample(fraction=1.0, shuffle=True, seed=seed), "r", path)
    return path


def link_files(records: int, left: Path, right: Path, *, seed: int = 7, shared: float = 0.5) -> None:
    """Two files of `records` rows each; `shared` of the right file are noisy copies of left records."""
    rng = np.random.default_rng(seed)
    people = _people(rng, records, 0)
    copies = int(records * shared)
    chosen = people.sample(copies, with_replacement=False, seed=seed)
    other = _people(rng, records - copies, records)
    _write(people, "a", left)
    _write(pl.concat([_noisy(chosen, rng), other]).sample(fraction=1.0, shuffle=True, seed=seed), "b", right)
