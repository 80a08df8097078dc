"""The hand-maintained province adjacency table: complete, symmetric, and right on pairs anyone can check."""

from __future__ import annotations

import pytest

from jaga.regions.adjacency import PROVINCES, adjacent, neighbours, pairs
from jaga.regions.codes import RegionLevel
from jaga.regions.directory import load_directory


def test_every_province_of_the_directory_has_a_neighbour_and_no_other_code_appears() -> None:
    provinces = {r.code for r in load_directory().all() if r.level is RegionLevel.PROVINCE}
    assert len(provinces) == 38
    assert provinces == PROVINCES
    assert all(neighbours(code) for code in provinces)


def test_the_relation_is_symmetric_and_irreflexive() -> None:
    rows = pairs()
    assert rows
    assert all((b, a) in rows for a, b in rows)
    assert all(a != b for a, b in rows)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("33", "34"),  # Jawa Tengah - DI Yogyakarta
        ("33", "35"),  # Jawa Tengah - Jawa Timur
        ("33", "32"),  # Jawa Tengah - Jawa Barat
        ("31", "36"),  # Jakarta - Banten
        ("51", "52"),  # Bali - NTB, by sea
        ("35", "51"),  # Jawa Timur - Bali, by sea
        ("18", "36"),  # Lampung - Banten, Sunda Strait
        ("11", "12"),  # Aceh - Sumatera Utara
        ("73", "76"),  # Sulawesi Selatan - Sulawesi Barat
        ("64", "65"),  # Kalimantan Timur - Kalimantan Utara
    ],
)
def test_neighbours_anyone_can_check(a: str, b: str) -> None:
    assert adjacent(a, b)
    assert adjacent(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("34", "35"),  # DI Yogyakarta is enclosed by Jawa Tengah
        ("34", "32"),
        ("11", "31"),  # Aceh - Jakarta
        ("51", "53"),  # Bali - NTT: NTB lies between
        ("33", "33"),  # a province is not its own neighbour
        ("32", "51"),
    ],
)
def test_non_neighbours(a: str, b: str) -> None:
    assert not adjacent(a, b)


def test_any_code_level_is_read_by_its_province() -> None:
    assert adjacent("3374", "3404")  # Kota Semarang - Sleman
    assert adjacent("3374011001", "35")
    assert not adjacent("3374", "3301")  # the same province
    assert neighbours("99") == frozenset()  # unknown code: no neighbours, no error
