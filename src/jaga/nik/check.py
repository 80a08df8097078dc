"""Check a NIK against facts given alongside it (birth date, sex).

Structural problems make a NIK invalid. Disagreement with the record's own birth date or sex does not:
a NIK is lifelong and not reissued to correct a wrong date, so such records are accepted and flagged for
review instead (DOMAIN.md section 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from jaga.errors import InvalidNik
from jaga.nik.decode import DecodedNik, Sex, decode_nik
from jaga.regions import RegionDirectory


@dataclass(frozen=True)
class NikCheck:
    decoded: DecodedNik | None
    problems: list[str] = field(default_factory=list)  # the NIK is invalid
    inconsistencies: list[str] = field(default_factory=list)  # valid, but disagrees with given facts

    @property
    def valid(self) -> bool:
        return self.decoded is not None

    @property
    def consistent(self) -> bool:
        return self.valid and not self.inconsistencies


def check_nik(
    value: str,
    *,
    directory: RegionDirectory,
    today: date,
    birth_date: date | None = None,
    sex: Sex | None = None,
) -> NikCheck:
    try:
        decoded = decode_nik(value, directory=directory, today=today, birth_date_hint=birth_date)
    except InvalidNik as exc:
        return NikCheck(decoded=None, problems=exc.problems)
    inconsistencies = []
    if birth_date is not None and decoded.birth_date != birth_date:
        same_digits = (decoded.birth_date.day, decoded.birth_date.month) == (birth_date.month, birth_date.day)
        hint = " (day and month swapped)" if same_digits else ""
        inconsistencies.append(f"the NIK's date of birth differs from the given birth date{hint}")
    if sex is not None and decoded.sex != sex:
        inconsistencies.append(
            f"the NIK marks sex {decoded.sex.value} (day {'+ 40' if decoded.sex == Sex.FEMALE else 'as is'}) "
            f"but the given sex is {sex.value}"
        )
    return NikCheck(decoded=decoded, inconsistencies=inconsistencies)
