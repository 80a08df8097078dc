"""Blocking keys that split large blocks, so that a rule's pairs stop growing with the square of the file.

A rule such as "same first name and same birth date" pairs every record of a block with every other: a
block of k records makes k(k-1)/2 pairs. Birth dates are few (about 31,000 in 85 years) and names repeat
as names do, so at a fixed share of the people these blocks grow with the file and their pairs with its
square: on the scale generator's files (docs/linkage.md "Scale") the first-name-and-date rule made
1.4M pairs at 1M records and 20M at 4M. Such a rule is made here a key column: the rule's own
values where its block holds at most `BLOCK_CAP` records (so a small file, and every small block of a
large one, is blocked exactly as before), and in a larger block the same values with a little more of
the record, which splits it. A second key splits each large block another way (the other name's last
letter rather than its first, or the birth year), so that a pair one split loses to a typo the other
still finds. The split is one level deep: a part of a split block may still exceed the cap (names of
one syllable family end in few letters), which is why the pairs fall by a third at 10M, not more.

The keys are computed by DuckDB over all the input tables at once (a block is counted across both
files of a link), before Splink sees the tables; `model.blocking_rules` blocks on them when present.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

# Records in a block before it is split: a block of 20 makes 190 pairs. The benchmark sets' blocks are all
# smaller, so their blocking is unchanged; see docs/linkage.md "Scale" for the blocking recall at 1M-10M.
BLOCK_CAP = 20
KEY_PREFIX = "blk_"
_SEP = "chr(31)"  # never in a normalised value: "ab"+"c" and "a"+"bc" stay apart


@dataclass(frozen=True)
class CappedKey:
    column: str  # the key column added to the feature tables
    on: tuple[str, ...]  # SQL over the feature columns: the rule as it is for a small block
    split: str  # SQL added to the key in a block of more than BLOCK_CAP records
    big_only: bool = False  # NULL in small blocks: a second split of the large blocks only
    needs: tuple[str, ...] = ()  # feature columns that must hold data for the key to be made

    @property
    def base(self) -> str:
        return f" || {_SEP} || ".join(self.on)


_POSTCODE_FIRST = ("postcode", "name_first", "substr(name_last, 1, 1)")
_POSTCODE_LAST = ("postcode", "name_last", "substr(name_first, 1, 1)")
_NAMES = ("name_first", "name_last")
KEYS = (
    CappedKey("blk_postcode_first", _POSTCODE_FIRST, "right(name_last, 1)", needs=("postcode", *_NAMES)),
    CappedKey(
        "blk_postcode_first_year", _POSTCODE_FIRST, "dob_year", True, needs=("postcode", *_NAMES, "dob_year")
    ),
    CappedKey("blk_postcode_last", _POSTCODE_LAST, "right(name_first, 1)", needs=("postcode", *_NAMES)),
    CappedKey(
        "blk_postcode_last_year", _POSTCODE_LAST, "dob_year", True, needs=("postcode", *_NAMES, "dob_year")
    ),
    CappedKey("blk_first_dob", ("name_first", "dob"), "substr(name_last, 1, 1)", needs=(*_NAMES, "dob")),
    CappedKey("blk_first_dob_end", ("name_first", "dob"), "right(name_last, 1)", True, (*_NAMES, "dob")),
    CappedKey("blk_last_dob", ("name_last", "dob"), "substr(name_first, 1, 1)", needs=(*_NAMES, "dob")),
    CappedKey("blk_last_dob_end", ("name_last", "dob"), "right(name_first, 1)", True, (*_NAMES, "dob")),
)


def add_keys(con: duckdb.DuckDBPyConnection, tables: Sequence[str], columns: set[str]) -> set[str]:
    """Each key of `KEYS` whose columns hold data, added to every one of `tables` (blocks counted over all
    of them); the names of the key columns that hold a value somewhere."""
    keys = [key for key in KEYS if set(key.needs) <= columns]
    if not keys:
        return set()
    bases = list(dict.fromkeys(key.base for key in keys))
    big = {}
    for number, base in enumerate(bases):
        big[base] = f"blk_big_{number}"
        union = " UNION ALL ".join(f"SELECT {base} AS k FROM {table}" for table in tables)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {big[base]} AS SELECT k FROM ({union}) WHERE k IS NOT NULL "
            f"GROUP BY k HAVING count(*) > {BLOCK_CAP}"
        )
    made = []
    for key in keys:
        small = "NULL" if key.big_only else key.base
        made.append(
            f"CASE WHEN {key.base} IN (SELECT k FROM {big[key.base]}) "
            f"THEN {key.base} || {_SEP} || coalesce({key.split}, '') ELSE {small} END AS {key.column}"
        )
    for table in tables:
        con.execute(f"CREATE TABLE {table}_keyed AS SELECT *, {', '.join(made)} FROM {table}")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE {table}_keyed RENAME TO {table}")
    for table in big.values():
        con.execute(f"DROP TABLE {table}")
    counts = con.execute(
        "SELECT "
        + ", ".join(f"count({key.column})" for key in keys)
        + " FROM ("
        + " UNION ALL ".join(f"SELECT {', '.join(k.column for k in keys)} FROM {t}" for t in tables)
        + ")"
    ).fetchall()[0]
    return {key.column for key, count in zip(keys, counts, strict=True) if count}
