"""Large blocks are split, small ones are left as the rule makes them (`jaga.linkage.blocks`)."""

from __future__ import annotations

import duckdb
import pytest

from jaga.linkage import blocks
from jaga.linkage.model import blocking_rules

COLUMNS = {"name_first", "name_last", "dob", "dob_year", "postcode"}


def _table(con: duckdb.DuckDBPyConnection, name: str, rows: list[tuple[str, str, str, str | None]]) -> None:
    con.execute(
        f"CREATE TABLE {name} (unique_id VARCHAR, name_first VARCHAR, name_last VARCHAR, dob VARCHAR, "
        "dob_year VARCHAR, postcode VARCHAR)"
    )
    for uid, first, last, postcode in rows:
        con.execute(
            f"INSERT INTO {name} VALUES (?, ?, ?, '2001-02-03', '2001', ?)", [uid, first, last, postcode]
        )


def _keys(con: duckdb.DuckDBPyConnection, table: str, column: str) -> dict[str, str | None]:
    return dict(con.execute(f"SELECT unique_id, {column} FROM {table}").fetchall())


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def test_a_block_at_the_cap_is_left_whole(con: duckdb.DuckDBPyConnection) -> None:
    _table(
        con, "t", [(f"a{i}", "siti", "aminah" if i % 2 else "rahayu", None) for i in range(blocks.BLOCK_CAP)]
    )
    present = blocks.add_keys(con, ["t"], COLUMNS)
    keys = _keys(con, "t", "blk_first_dob")
    assert len(set(keys.values())) == 1  # one block, as `block_on("name_first", "dob")` makes it
    assert set(_keys(con, "t", "blk_first_dob_end").values()) == {None}
    assert "blk_first_dob" in present and "blk_first_dob_end" not in present
    assert "blk_postcode_first" not in present  # no postcode in any record


def test_a_block_over_the_cap_is_split_by_the_other_name(con: duckdb.DuckDBPyConnection) -> None:
    big = [(f"a{i}", "siti", "aminah" if i % 2 else "rahayu", "40111") for i in range(blocks.BLOCK_CAP + 1)]
    _table(con, "t", [*big, ("b0", "dewi", "lestari", "40111"), ("b1", "dewi", "lestasi", "40111")])
    present = blocks.add_keys(con, ["t"], COLUMNS)
    first = _keys(con, "t", "blk_first_dob")
    assert first["a1"] == first["a3"] != first["a0"] == first["a2"]  # initials a and r
    assert first["b0"] == first["b1"]  # the small block is untouched
    end = _keys(con, "t", "blk_first_dob_end")
    assert end["a1"] == end["a3"] != end["a0"] and end["b0"] is None
    assert "blk_first_dob_end" in present


def test_a_typo_in_the_first_letter_is_still_found_by_the_last(con: duckdb.DuckDBPyConnection) -> None:
    big = [(f"a{i}", "siti", f"x{i}z", None) for i in range(blocks.BLOCK_CAP)]
    _table(con, "t", [*big, ("p", "siti", "rahayu", None), ("q", "siti", "bahayu", None)])
    blocks.add_keys(con, ["t"], COLUMNS)
    assert _keys(con, "t", "blk_first_dob")["p"] != _keys(con, "t", "blk_first_dob")["q"]
    assert _keys(con, "t", "blk_first_dob_end")["p"] == _keys(con, "t", "blk_first_dob_end")["q"]


def test_blocks_are_counted_across_both_files_of_a_link(con: duckdb.DuckDBPyConnection) -> None:
    half = blocks.BLOCK_CAP // 2 + 1
    _table(con, "l", [(f"l{i}", "siti", "aminah" if i % 2 else "rahayu", None) for i in range(half)])
    _table(con, "r", [(f"r{i}", "siti", "aminah" if i % 2 else "rahayu", None) for i in range(half)])
    blocks.add_keys(con, ["l", "r"], COLUMNS)
    left, right = _keys(con, "l", "blk_first_dob"), _keys(con, "r", "blk_first_dob")
    assert left["l1"] == right["r1"] != right["r0"]  # split on both sides the same way


def test_the_rules_block_on_the_keys_when_they_are_made() -> None:
    def sql(columns: set[str]) -> list[str]:
        return [rule.get_blocking_rule("duckdb").blocking_rule_sql for rule in blocking_rules(columns)]  # type: ignore[union-attr]

    first_and_date = '(l."name_first" = r."name_first") AND (l."dob" = r."dob")'
    plain = sql(COLUMNS)
    assert first_and_date in plain
    keyed = sql(COLUMNS | {"blk_first_dob", "blk_last_dob", "blk_postcode_first", "blk_postcode_last"})
    assert first_and_date not in keyed
    assert sum("blk_" in r for r in keyed) == 4 and len(keyed) == len(plain)
