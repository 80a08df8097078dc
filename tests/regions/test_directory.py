from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaga.errors import UnknownRegion
from jaga.regions import RegionLevel, format_code, load_directory, parse_code


def test_the_shipped_hierarchy_has_every_province_regency_and_district() -> None:
    regions = load_directory().all()
    counts = {level: sum(1 for r in regions if r.level == level) for level in RegionLevel}
    assert counts[RegionLevel.PROVINCE] == 38
    assert counts[RegionLevel.REGENCY] == 514
    assert counts[RegionLevel.DISTRICT] == 7277
    assert all(r.parent_code is None or load_directory().get(r.parent_code) for r in regions)


def test_lookup_by_dotted_or_plain_code() -> None:
    directory = load_directory()
    assert directory.require("33.74").name == "Kota Semarang"
    assert directory.require("3374").kind == "kota"
    assert directory.require("33.74.01").level == RegionLevel.DISTRICT
    assert directory.require("3301").kind == "kabupaten"


def test_a_village_code_is_accepted_when_its_district_exists() -> None:
    village = load_directory().require("33.74.01.1001")
    assert village.level == RegionLevel.VILLAGE
    assert village.parent_code == "337401"
    with pytest.raises(UnknownRegion, match="village type digit"):
        load_directory().require("3374015001")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("99", "no province 99"),
        ("33.99", "no regency/city 33.99"),
        ("33.74.99", "no district 33.74.99"),
        ("337", "has 3 digits"),
        ("33-74", "only digits and dots"),
        ("3.374", "dots are misplaced"),
        ("", "empty"),
    ],
)
def test_unknown_codes_are_refused_with_the_reason(code: str, message: str) -> None:
    with pytest.raises(UnknownRegion, match=message):
        load_directory().require(code)


def test_former_papuan_codes_point_to_the_new_provinces() -> None:
    directory = load_directory()
    with pytest.raises(UnknownRegion, match="former code; the region is now 93.01"):
        directory.require("91.01")
    assert directory.require("91.01", allow_former=True).name == "Kab. Merauke"
    assert directory.require("9201", allow_former=True).code == "9601"


@given(st.sampled_from([r.code for r in load_directory().all()]))
def test_dotted_form_parses_back(code: str) -> None:
    assert parse_code(format_code(code)) == code
