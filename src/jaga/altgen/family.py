"""True persons: mothers and their children in families, where they live and their numbers.

People live where their naming tradition does (`naming.HOMELANDS`), at real kecamatan codes taken from
`jaga.regions`; NIKs and family-card numbers come from `niks`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from jaga.altgen.naming import HOMELANDS, Name, father_name, make_name, pick_tradition
from jaga.altgen.niks import NikIssuer
from jaga.altgen.noise import Address, make_address
from jaga.regions import Region, RegionLevel, load_directory

# The day the data set describes; fixed so that a seed always gives the same files.
REFERENCE_DAY = date(2026, 6, 30)


@dataclass(frozen=True)
class Person:
    entity_id: str
    role: str  # "mother" or "child"
    sex: str  # "M" or "F"
    birth_date: date
    name: Name
    father: str  # the father's given name (for bin/binti, and a mother known by her husband's name)
    nik: str
    kk: str  # the family card number
    district: str  # 6-digit kecamatan where the family lives
    address: Address
    mother_id: str | None = None
    moved: tuple[str, Address] | None = None  # a later kecamatan and address


class Places:
    """Real kecamatan codes (from jaga.regions) grouped by province."""

    def __init__(self) -> None:
        self.by_province: dict[str, list[Region]] = {}
        for region in load_directory().all():
            if region.level == RegionLevel.DISTRICT:
                self.by_province.setdefault(region.code[:2], []).append(region)

    def district(self, rng: random.Random, province: str) -> Region:
        return rng.choice(self.by_province.get(province) or self.by_province["33"])

    def anywhere(self, rng: random.Random) -> Region:
        return self.district(rng, rng.choice(sorted(self.by_province)))


def make_family(
    rng: random.Random, places: Places, issuer: NikIssuer, *, first: int, room: int
) -> list[Person]:
    tradition = pick_tradition(rng)
    home = places.district(rng, rng.choice(HOMELANDS[tradition]))
    address = make_address(rng, _plain(home.name))
    mother_birth = _day_between(rng, date(1978, 1, 1), date(2006, 12, 31))
    # Women often got their NIK where they grew up, not where they now live.
    issued_in = home if rng.random() < 0.75 else places.district(rng, home.code[:2])
    kk = issuer.kk(home.code, _day_between(rng, mother_birth + timedelta(days=365 * 18), REFERENCE_DAY))
    moved = None
    if rng.random() < 0.12:
        place = places.anywhere(rng) if rng.random() < 0.5 else places.district(rng, home.code[:2])
        moved = (place.code, make_address(rng, _plain(place.name)))
    mother_id = f"P{first:06d}"
    mother = Person(
        entity_id=mother_id,
        role="mother",
        sex="F",
        birth_date=mother_birth,
        name=make_name(rng, tradition, "F", birth_order=rng.randint(1, 5)),
        father=father_name(rng, tradition),
        nik=issuer.nik(issued_in.code, mother_birth, "F"),
        kk=kk,
        district=home.code,
        address=address,
        moved=moved,
    )
    family = [mother]
    children = min(room - 1, rng.choices((1, 2, 3), weights=(50, 35, 15))[0])
    earliest = max(mother_birth + timedelta(days=365 * 18), REFERENCE_DAY - timedelta(days=365 * 10))
    births = sorted(_day_between(rng, earliest, REFERENCE_DAY - timedelta(days=2)) for _ in range(children))
    if len(births) >= 2 and rng.random() < 0.04:
        births[1] = births[0]  # twins: the hard case for any linkage
    husband = father_name(rng, tradition)
    for order, birth in enumerate(births, start=1):
        sex = rng.choice("MF")
        family.append(
            Person(
                entity_id=f"P{first + order:06d}",
                role="child",
                sex=sex,
                birth_date=birth,
                name=make_name(rng, tradition, sex, birth_order=order),
                father=husband,
                nik=issuer.nik(home.code, birth, sex),
                kk=kk,
                district=home.code,
                address=address,
                mother_id=mother_id,
                moved=moved,
            )
        )
    return family


def _plain(district_name: str) -> str:
    """A kecamatan's name as people write it: "Karangpenang (Karang Penang)" -> "Karangpenang"."""
    return district_name.split("(")[0].strip().title()


def _day_between(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))
