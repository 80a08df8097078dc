"""The records agencies hold of a person: a clinic's, the civil registry's (Dukcapil) and a child-care
home's (LKSA), each written with that agency's habits and noise, and the truth of each kept beside it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from jaga.altgen.family import REFERENCE_DAY, Person, Places
from jaga.altgen.noise import nik_typo, ocr, slip_date, typo, write_date
from jaga.altgen.spelling import Rates, render_name

RECORD_COLUMNS = (
    "record_id",
    "source",
    "full_name",
    "birth_date",
    "sex",
    "nik",
    "mother_name",
    "address",
    "region_code",
)
TRUTH_COLUMNS = ("record_id", "entity_id", "role", "noise", "indonesian_noise")

# Noise that exists because the records are Indonesian (names, titles, placeholders, NIK habits); the rest
# (typos, scanning, missing values, date slips) would be found in any country's records.
INDONESIAN_KINDS = frozenset(
    {
        "muhammad_variant",
        "arabic_spelling",
        "old_spelling",
        "lead_varied",
        "clan_form",
        "clan_dropped",
        "chinese_alias",
        "mononym_extended",
        "bin_binti",
        "nickname",
        "name_order",
        "title",
        "placeholder",
        "nik_only_dob",
        "kk_as_nik",
        "mother_by_husband_name",
    }
)


@dataclass(frozen=True)
class Record:
    record_id: str
    source: str  # clinic | dukcapil | lksa
    full_name: str
    birth_date: str
    sex: str
    nik: str
    mother_name: str
    address: str
    region_code: str

    def row(self) -> list[str]:
        return [getattr(self, column) for column in RECORD_COLUMNS]


@dataclass(frozen=True)
class Truth:
    record_id: str
    entity_id: str
    role: str
    noise: tuple[str, ...]

    @property
    def indonesian(self) -> bool:
        return any(kind.removeprefix("mother:") in INDONESIAN_KINDS for kind in self.noise)


# Per source and role: how names vary there.
_CLINIC_ADULT = Rates(title=0.3, nickname=0.03, old_spelling=0.03)
_DUKCAPIL_ADULT = Rates(title=0.08, old_spelling=0.08, bin_binti=0.05, muhammad=0.3, arabic=0.15, order=0.03)
_CLINIC_CHILD = Rates(title=0.08, nickname=0.03, old_spelling=0.0, mononym=0.03)
_DUKCAPIL_CHILD = Rates(bin_binti=0.07, muhammad=0.3, arabic=0.15, old_spelling=0.0, order=0.03, mononym=0.05)
_LKSA_CHILD = Rates(nickname=0.3, title=0.05, old_spelling=0.0, order=0.06)
_MOTHER_FIELD = Rates(title=0.2, old_spelling=0.03, order=0.03)


def records_of(
    rng: random.Random, person: Person, mother: Person | None, places: Places
) -> list[tuple[Record, Truth]]:
    out: list[tuple[Record, Truth]] = []
    if person.role == "mother":
        if rng.random() < 0.9:
            out.append(_record(rng, person, None, "clinic", places))
        if rng.random() < 0.25:
            out.append(_record(rng, person, None, "clinic", places))
        if rng.random() < 0.85 or not out:
            out.append(_record(rng, person, None, "dukcapil", places))
    else:
        if rng.random() < 0.92:
            out.append(_record(rng, person, mother, "clinic", places))
        if rng.random() < 0.85 or not out:
            out.append(_record(rng, person, mother, "dukcapil", places))
        if rng.random() < 0.08:
            out.append(_record(rng, person, mother, "lksa", places))
    return out


def _record(
    rng: random.Random, person: Person, mother: Person | None, source: str, places: Places
) -> tuple[Record, Truth]:
    noise: list[str] = []
    adult = person.role == "mother"
    newborn = source == "clinic" and not adult

    # Name
    if newborn and mother is not None and rng.random() < 0.65:
        mother_text, _ = render_name(
            rng, mother.name, sex="F", adult=True, father=mother.father, rates=Rates()
        )
        word = rng.choice(("By. Ny.", "Bayi Ny.", "By Ny", "BY. NY.", "Bayi dari", "By. Ny"))
        name, kinds = f"{word} {mother_text}", ["placeholder"]
    else:
        rates = {
            ("clinic", True): _CLINIC_ADULT,
            ("dukcapil", True): _DUKCAPIL_ADULT,
            ("clinic", False): _CLINIC_CHILD,
            ("dukcapil", False): _DUKCAPIL_CHILD,
            ("lksa", False): _LKSA_CHILD,
        }[(source, adult)]
        name, kinds = render_name(
            rng, person.name, sex=person.sex, adult=adult, father=person.father, rates=rates
        )
    noise += kinds
    name = _generic_text_noise(rng, name, source, noise, prefix="")

    # Mother's name (children only)
    mother_name = ""
    if mother is not None:
        if rng.random() < {"clinic": 0.95, "dukcapil": 0.9, "lksa": 0.5}[source]:
            if source == "lksa" and rng.random() < 0.15:
                mother_name = f"{rng.choice(('Ny.', 'Bu', 'Ibu'))} {mother.father}"
                noise.append("mother:mother_by_husband_name")  # a wife called by her husband's name
            else:
                mother_name, kinds = render_name(
                    rng, mother.name, sex="F", adult=True, father=mother.father, rates=_MOTHER_FIELD
                )
                noise += [f"mother:{kind}" for kind in kinds]
                mother_name = _generic_text_noise(rng, mother_name, source, noise, prefix="mother:")
        else:
            noise.append("missing_mother")

    # NIK (a newborn at the clinic has none yet)
    nik = ""
    has_nik = {"clinic": 0.6 if adult else 0.0, "dukcapil": 0.96, "lksa": 0.4}[source]
    if rng.random() < has_nik:
        nik = person.nik
        if rng.random() < 0.03:
            nik = person.kk  # the family card number typed where the NIK belongs
            noise.append("kk_as_nik")
        elif rng.random() < 0.04:
            nik = nik_typo(rng, nik)
            noise.append("nik_typo")
    else:
        noise.append("missing_nik")

    # Date of birth
    birth_text = ""
    present = {"clinic": 0.9, "dukcapil": 0.78, "lksa": 0.9}[source]
    if rng.random() < present:
        birth = person.birth_date
        if source == "lksa" and rng.random() < 0.3:
            birth = min(date(birth.year, rng.choice((1, 7)), 1), REFERENCE_DAY)  # age estimated on intake
            noise.append("date_estimated")
        elif rng.random() < 0.04:
            birth, kind = slip_date(rng, birth, latest=REFERENCE_DAY)
            noise.append(kind)
        date_styles = {
            "clinic": ("dmy_slash", "dmy_dash", "dmy_slash"),
            "dukcapil": ("iso",),
            "lksa": ("dmy_dash", "words", "dmy_slash"),
        }[source]
        chosen = rng.choice(date_styles)
        if chosen == "words":
            noise.append("date_in_words")
        birth_text = write_date(birth, chosen)
    elif nik and "kk_as_nik" not in noise and "nik_typo" not in noise:
        noise.append("nik_only_dob")  # the date exists only inside the NIK
    else:
        noise.append("missing_dob")

    # Sex
    sex = ""
    if rng.random() < (0.5 if adult and source == "clinic" else 0.93):
        sex = person.sex
        if rng.random() < 0.01:
            sex = "F" if sex == "M" else "M"
            noise.append("sex_wrong")
        sex = {"M": ("L", "Laki-laki", "LAKI-LAKI"), "F": ("P", "Perempuan", "PEREMPUAN")}[sex][
            {"clinic": 0, "dukcapil": 2, "lksa": 1}[source]
        ]
    else:
        noise.append("missing_sex")

    # Where
    district, address = person.district, person.address
    if person.moved is not None and rng.random() < (0.6 if source == "dukcapil" else 0.4):
        district, address = person.moved
        noise.append("moved")
    if source == "lksa" and rng.random() < 0.5:
        district = places.anywhere(rng).code  # homes take children from far away
        noise.append("other_region")
    address_style = rng.choice((0, 0, 1, 2, 3)) if source != "dukcapil" else 0
    address_text = address.written(address_style) if rng.random() < 0.9 else ""
    if not address_text:
        noise.append("missing_address")
    elif address_style:
        noise.append("address_variant")
    region = _dotted(district if source == "dukcapil" else district[:4])

    if source == "dukcapil":  # the civil registry prints in capitals
        name, mother_name, address_text = name.upper(), mother_name.upper(), address_text.upper()
    record = Record("", source, name, birth_text, sex, nik, mother_name, address_text, region)
    return record, Truth("", person.entity_id, person.role, tuple(noise))


def _generic_text_noise(rng: random.Random, text: str, source: str, noise: list[str], *, prefix: str) -> str:
    if rng.random() < {"clinic": 0.12, "dukcapil": 0.04, "lksa": 0.15}[source]:
        text = typo(rng, text)
        noise.append(f"{prefix}typo")
    if rng.random() < {"clinic": 0.0, "dukcapil": 0.06, "lksa": 0.05}[source]:
        changed = ocr(rng, text)
        if changed != text:
            text = changed
            noise.append(f"{prefix}ocr")
    return text


def _dotted(code: str) -> str:
    return ".".join(code[i : i + 2] for i in range(0, len(code), 2))
