"""Regions as people write them: codes at any level, names with or without Kab./Kota, unknown ones refused."""

from __future__ import annotations

import pytest

from jaga.errors import UnknownRegion
from jaga.licences import resolve_region
from jaga.licences.places import region_names, region_tokens
from jaga.names import organisation_tokens


@pytest.mark.parametrize(
    ("written", "codes"),
    [
        ("33", ("33",)),
        ("33.74", ("3374",)),
        ("3374", ("3374",)),
        (" 33.74.01 ", ("337401",)),
        ("Semarang", ("3322", "3374")),  # Kab. Semarang and Kota Semarang
        ("kota semarang", ("3374",)),
        ("Kab. Semarang", ("3322",)),
        ("Kabupaten Semarang", ("3322",)),
        ("Jawa Tengah", ("33",)),
        ("JAWA  TENGAH", ("33",)),
        ("Jakarta", ("31",)),  # DKI Jakarta
        ("Yogyakarta", ("34",)),  # DI Yogyakarta, which holds Kota Yogyakarta
        ("Semarang Tengah", ("337401",)),  # no province or regency of that name: the district
    ],
)
def test_a_region_is_a_code_or_a_name(written: str, codes: tuple[str, ...]) -> None:
    assert resolve_region(written).codes == codes


def test_the_regions_found_are_named() -> None:
    assert resolve_region("Semarang").names == ("Kab. Semarang", "Kota Semarang")


@pytest.mark.parametrize("written", ["99", "33.99", "3", "33.7", "Atlantis", "Kota", "!!!", "33.74.99"])
def test_an_unknown_region_is_refused(written: str) -> None:
    with pytest.raises(UnknownRegion):
        resolve_region(written)


def test_the_refusal_does_not_repeat_the_name_typed() -> None:
    with pytest.raises(UnknownRegion) as refused:
        resolve_region("Desa Rahasia Saya")
    assert "Rahasia" not in refused.value.message and "Rahasia" not in str(refused.value.message_id)


def test_a_records_region_reads_as_its_names_innermost_first() -> None:
    assert region_names("337401") == ("Semarang Tengah", "Kota Semarang", "Jawa Tengah")
    assert region_names("3322") == ("Kab. Semarang", "Jawa Tengah")
    words = organisation_tokens("Semarang Tengah Kota Jawa")  # as matching keys ("jawa" is "yawa")
    assert set(words) <= region_tokens("337401")
