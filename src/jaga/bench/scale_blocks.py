"""Candidate pairs and blocking recall of `jaga link csv`'s rules on a `jaga bench link-scale` dedupe file,
before and after large blocks are split (`jaga.linkage.blocks`):
`python -m jaga.bench.scale_blocks FILE.csv` (FILE.truth.csv beside it).

Counted by DuckDB on the file's own columns standing for the features (given name for `name_first`,
surname for `name_last`, the written date for `dob`): the features normalise names a little, so the counts
are close to, not exactly, what Splink blocks. A rule's pairs are the sum of k(k-1)/2 over its blocks (a
pair two rules bring in counts in both); a planted pair is found if any rule brings it in. The keys are
made by `blocks.add_keys` itself. For docs/linkage.md ("Why 10M was super-linear"); no thresholds.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from jaga.linkage import blocks

# The rules the keys replace, and the two of the file's rules that stay as they are.
BEFORE = {
    "postcode + first name + surname's initial": "postcode || chr(31) || name_first || chr(31) || "
    "substr(name_last, 1, 1)",
    "postcode + surname + first name's initial": "postcode || chr(31) || name_last || chr(31) || "
    "substr(name_first, 1, 1)",
    "first name + birth date": "name_first || chr(31) || dob",
    "surname + birth date": "name_last || chr(31) || dob",
}
KEPT = {"postcode + birth date": "postcode || chr(31) || dob", "social security number": "soc_sec_id"}


def measure(path: Path) -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT rec_id, given_name AS name_first, surname AS name_last, "
        "date_of_birth AS dob, substr(date_of_birth, 1, 4) AS dob_year, postcode, soc_sec_id "
        "FROM read_csv(?, all_varchar = true)",
        [str(path)],
    )
    con.execute(
        "CREATE TABLE truth AS SELECT * FROM read_csv(?, all_varchar = true)",
        [str(path.with_suffix(".truth.csv"))],
    )
    before = {**BEFORE, **KEPT}
    con.execute(
        "CREATE TABLE k0 AS SELECT rec_id, "
        + ", ".join(f"{sql} AS r{n}" for n, sql in enumerate(before.values()))
        + " FROM t"
    )
    made = sorted(blocks.add_keys(con, ["t"], {"name_first", "name_last", "dob", "dob_year", "postcode"}))
    after = {**{column: column for column in made}, **KEPT}
    con.execute(
        "CREATE TABLE k1 AS SELECT rec_id, "
        + ", ".join(f"{sql} AS r{n}" for n, sql in enumerate(after.values()))
        + " FROM t"
    )
    con.execute(
        "CREATE TABLE planted AS SELECT a.rec_id AS x, b.rec_id AS y FROM truth a JOIN truth b "
        "ON a.person = b.person AND a.rec_id < b.rec_id"
    )
    for label, table, rules in (("before", "k0", before), ("after", "k1", after)):
        total = 0
        for n, name in enumerate(rules):
            row = con.execute(
                f"SELECT sum(c * (c - 1) / 2)::BIGINT FROM (SELECT count(*) AS c FROM {table} "
                f"WHERE r{n} IS NOT NULL GROUP BY r{n})"
            ).fetchall()[0]
            pairs = int(row[0] or 0)
            total += pairs
            print(f"{label}: {name}: {pairs / 1e6:.2f}M pairs")
        found = " OR ".join(f"a.r{n} = b.r{n}" for n in range(len(rules)))
        hit, planted = con.execute(
            f"SELECT count(*) FILTER (WHERE {found}), count(*) FROM planted "
            f"JOIN {table} a ON a.rec_id = x JOIN {table} b ON b.rec_id = y"
        ).fetchall()[0]
        print(
            f"{label}: {total / 1e6:.1f}M pairs in all; blocking recall {hit / planted:.5f} "
            f"({planted - hit:,} of {planted:,} planted pairs not brought in)"
        )


if __name__ == "__main__":
    measure(Path(sys.argv[1]))
