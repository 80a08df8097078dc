"""NIK and family-card (KK) numbers built from DOMAIN.md section 1, without jaga's own NIK code.

NIK: `PP KK CC DDMMYY SSSS`: the kecamatan of first issue, the date of birth with 40 added to the day for
women, and a serial from 0001. KK number: 6-digit region of issue, the card's issue date (no +40) and a
4-digit family serial; it is also 16 digits, which is why agencies type it where a NIK belongs.
"""

from __future__ import annotations

import random
from datetime import date

FEMALE_DAY_OFFSET = 40


class NikIssuer:
    """Hands out NIKs and KK numbers that are unique within one generated data set."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._issued: set[str] = set()

    def nik(self, district: str, birth: date, sex: str) -> str:
        day = birth.day + (FEMALE_DAY_OFFSET if sex == "F" else 0)
        stem = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        return self._unique(stem)

    def kk(self, district: str, issued: date) -> str:
        stem = f"{district}{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}"
        return self._unique(stem)

    def _unique(self, stem: str) -> str:
        assert len(stem) == 12, stem
        while True:
            number = f"{stem}{self._rng.randint(1, 2999):04d}"
            if number not in self._issued:
                self._issued.add(number)
                return number
