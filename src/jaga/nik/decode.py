"""Decode a NIK into its region, claimed date of birth and claimed sex, naming every problem."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from jaga.errors import InvalidNik
from jaga.regions import RegionDirectory, format_code

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"


@dataclass(frozen=True)
class DecodedNik:
    """What a NIK claims. The sex and birth date are *claimed*: a NIK is not reissued to fix them."""

    issued_code: str  # the 6-digit district code as written in the NIK
    district_code: str  # the district's current code (differs for regions that moved province)
    province: str
    regency: str
    district: str
    birth_date: date
    sex: Sex
    serial: str

    @property
    def former_code(self) -> bool:
        return self.issued_code != self.district_code

    def as_dict(self) -> dict[str, str | bool]:
        return {
            "issued_region": format_code(self.issued_code),
            "district_code": format_code(self.district_code),
            "province": self.province,
            "regency": self.regency,
            "district": self.district,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex.value,
            "serial": self.serial,
            "former_region_code": self.former_code,
        }


def decode_nik(
    value: str, *, directory: RegionDirectory, today: date, birth_date_hint: date | None = None
) -> DecodedNik:
    """Decode a NIK or raise InvalidNik listing every structural problem.

    The year has two digits: the century comes from `birth_date_hint` when its last two digits agree,
    otherwise it is the latest century that does not put the birth after `today`.
    Messages never repeat the NIK or the date it holds.
    """
    nik = value.strip()
    problems: list[str] = []
    if not nik.isascii() or not nik.isdigit():
        raise InvalidNik(["must contain digits only"])
    if len(nik) != NIK_LENGTH:
        raise InvalidNik([f"has {len(nik)} digits, expected {NIK_LENGTH}"])

    issued = nik[:6]
    current = directory.current_code(issued)
    province = directory.get(current[:2])
    regency = directory.get(current[:4])
    district = directory.get(current)
    if province is None:
        problems.append(f"province code {issued[:2]} does not exist")
    elif regency is None:
        problems.append(f"regency/city code {format_code(issued[:4])} does not exist")
    elif district is None:
        problems.append(f"district code {format_code(issued)} does not exist")

    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = Sex.MALE
    date_fields_ok = True
    if 41 <= day <= 71:
        sex, day = Sex.FEMALE, day - FEMALE_DAY_OFFSET
    elif not 1 <= day <= 31:
        problems.append(f"day field {nik[6:8]} is neither 01-31 (male) nor 41-71 (female)")
        date_fields_ok = False
    if not 1 <= month <= 12:
        problems.append(f"month field {nik[8:10]} is not 01-12")
        date_fields_ok = False
    serial = nik[12:]
    if serial == "0000":
        problems.append("serial 0000 is not issued (serials start at 0001)")

    birth: date | None = None
    if date_fields_ok:
        birth = _birth_date(day, month, yy, today=today, hint=birth_date_hint)
        if birth is None:
            problems.append("the date of birth it encodes does not exist")
        elif birth > today:
            problems.append("the date of birth it encodes is in the future")

    if problems:
        raise InvalidNik(problems)
    assert province is not None and regency is not None and district is not None and birth is not None
    return DecodedNik(
        issued_code=issued,
        district_code=current,
        province=province.name,
        regency=regency.name,
        district=district.name,
        birth_date=birth,
        sex=sex,
        serial=serial,
    )


def _birth_date(day: int, month: int, yy: int, *, today: date, hint: date | None) -> date | None:
    if hint is not None and hint.year % 100 == yy:
        centuries = [hint.year - yy]
    else:
        latest = (today.year // 100) * 100
        centuries = [latest, latest - 100]
    for century in centuries:
        try:
            candidate = date(century + yy, month, day)
        except ValueError:
            return None
        if candidate <= today or century == centuries[-1]:
            return candidate
    return None


def nik_birth_facts(
    value: str | None, *, today: date, birth_date_hint: date | None = None
) -> tuple[date | None, Sex | None]:
    """The date of birth and sex a NIK encodes, leniently: (None, None) for anything unreadable.

    For linkage, where a NIK is evidence, not a claim to check: no region lookup, no error raised.
    """
    nik = (value or "").strip()
    if len(nik) != NIK_LENGTH or not nik.isascii() or not nik.isdigit():
        return None, None
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = Sex.MALE
    if 41 <= day <= 71:
        sex, day = Sex.FEMALE, day - FEMALE_DAY_OFFSET
    elif not 1 <= day <= 31:
        return None, None
    if not 1 <= month <= 12:
        return None, sex
    birth = _birth_date(day, month, yy, today=today, hint=birth_date_hint)
    return (birth if birth is not None and birth <= today else None), sex
