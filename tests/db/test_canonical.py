"""Canonical serialisation: jaga's fast writer agrees byte for byte with the rfc8785 package."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
import rfc8785
from hypothesis import example, given
from hypothesis import strategies as st

from jaga.db.canonical import canonical_bytes, to_json_value

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
