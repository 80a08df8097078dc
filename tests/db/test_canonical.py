"""Canonical serialisation: jaga's fast writer agrees byte for byte with the rfc8785 package."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
import rfc8785
from hypothesis import example, given
from hypothesis import strategies as st

from jaga.db.canonical import canonical_bytes, canonical_rows, to_json_value

ascii_keys = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12)
scalars = st.none() | st.booleans() | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1) | st.text()
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ascii_keys, children, max_size=4),
    max_leaves=20,
)


@given(values)
@example({"name": 'Siti "Nur"\n\u0001\u007f\u2028 é \U0001d538', "b": [True, None, -3], "a": {}})
def test_canonical_bytes_match_rfc8785(value: object) -> None:
    assert canonical_bytes(value) == rfc8785.dumps(value)  # type: ignore[arg-type]


class Colour(enum.Enum):
    RED = "red"


def test_column_values_have_one_canonical_form() -> None:
    moment = datetime(2025, 1, 2, 10, 30, 5, 123, tzinfo=timezone(timedelta(hours=7)))
    assert to_json_value(moment) == "2025-01-02T03:30:05.000123Z"
    assert to_json_value(date(2025, 1, 2)) == "2025-01-02"
    assert to_json_value(time(8, 5)) == "08:05:00"
    assert to_json_value(Colour.RED) == "red"
    assert to_json_value({"d": [date(2020, 2, 29)]}) == {"d": ["2020-02-29"]}


def test_naive_datetimes_and_floats_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_json_value(datetime(2025, 1, 1))
    with pytest.raises(TypeError, match="float"):
        to_json_value(1.5)


def test_aware_datetimes_in_other_zones_serialise_identically() -> None:
    utc = datetime(2025, 5, 1, 0, 0, tzinfo=UTC)
    jakarta = utc.astimezone(timezone(timedelta(hours=7)))
    assert to_json_value(utc) == to_json_value(jakarta)


zones = st.sampled_from([UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-3, minutes=-30))])
column_values = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.text()
    | st.dates()
    | st.datetimes(timezones=zones)
    | st.times()
    | st.sampled_from(Colour)
)


@given(st.data(), st.lists(ascii_keys, min_size=1, max_size=6, unique=True), st.integers(0, 6))
@example(data=None, names=["b", "a"], count=0)
def test_rows_serialised_in_bulk_are_each_rows_canonical_bytes(
    data: st.DataObject | None, names: list[str], count: int
) -> None:
    rows = [tuple(data.draw(column_values) for _ in names) for _ in range(count)] if data else []
    moment = datetime(2026, 3, 1, 10, tzinfo=UTC)
    rows.append(
        tuple([moment.astimezone(timezone(timedelta(hours=9)))] + [date(2020, 2, 29)] * (len(names) - 1))
    )
    rows.append(tuple([moment] + [None] * (len(names) - 1)))  # the same instant: the same text
    expected = [
        canonical_bytes({k: to_json_value(v) for k, v in zip(names, row, strict=True)}) for row in rows
    ]
    assert canonical_rows(names, rows) == expected


def test_bulk_serialisation_refuses_what_the_general_one_refuses() -> None:
    with pytest.raises(ValueError, match="naive"):
        canonical_rows(["at"], [(datetime(2025, 1, 1),)])
    with pytest.raises(TypeError, match="float"):
        canonical_rows(["x"], [(1.5,)])
