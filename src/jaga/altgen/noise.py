"""Generic record noise: typing and scanning errors, date formats and slips, NIK typos, address forms.

Nothing here is particular to Indonesian names; `spelling` holds what is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

# Neighbours on a QWERTY keyboard (Indonesian offices type on US layouts).
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(_ROWS):
    for _c, _ch in enumerate(_row):
        near = [_row[i] for i in (_c - 1, _c + 1) if 0 <= i < len(_row)]
        for other in (_r - 1, _r + 1):
            if 0 <= other < len(_ROWS):
                near += [_ROWS[other][i] for i in (_c - 1, _c, _c + 1) if 0 <= i < len(_ROWS[other])]
        _NEIGHBOURS[_ch] = "".join(near)
# Digits on the number row and the keypad: a slip lands on the next key.
_DIGIT_NEIGHBOURS = {str(d): "".join(str(n) for n in (d - 1, d + 1) if 0 <= n <= 9) for d in range(10)}

# What a scanner or a hurried reader turns letters and digits into.
_OCR = (
    ("rn", "m"),
    ("m", "rn"),
    ("cl", "d"),
    ("l", "I"),
    ("I", "l"),
    ("e", "c"),
    ("h", "b"),
    ("u", "v"),
    ("i", "l"),
    ("a", "o"),
    ("O", "0"),
    ("S", "5"),
    ("B", "8"),
)
_OCR_DIGITS = {"0": "O", "1": "l", "5": "S", "8": "B", "2": "Z", "6": "b"}

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def typo(rng: random.Random, text: str) -> str:
    """One keying slip: a neighbouring key, a dropped or doubled letter, or two letters swapped."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 3:
        return text
    i = rng.choice(letters[1:])  # first letters are typed with more care
    kind = rng.random()
    if kind < 0.35 and text[i].lower() in _NEIGHBOURS:
        key = rng.choice(_NEIGHBOURS[text[i].lower()])
        return text[:i] + (key.upper() if text[i].isupper() else key) + text[i + 1 :]
    if kind < 0.6:
        return text[:i] + text[i + 1 :]
    if kind < 0.8:
        return text[:i] + text[i] + text[i:]
    if i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i + 1 :]


def ocr(rng: random.Random, text: str) -> str:
    """One confusion a scanner makes; the text unchanged if none applies."""
    found = [(a, b) for a, b in _OCR if a in text]
    if not found:
        return text
    a, b = rng.choice(found)
    spots = [i for i in range(len(text)) if text.startswith(a, i)]
    i = rng.choice(spots)
    return text[:i] + b + text[i + len(a) :]


def nik_typo(rng: random.Random, nik: str) -> str:
    """A NIK keyed or read wrong: one digit off, two swapped, one dropped, or a digit read as a letter."""
    while True:  # swapping two equal digits changes nothing: slip again
        slipped = _nik_slip(rng, nik)
        if slipped != nik:
            return slipped


def _nik_slip(rng: random.Random, nik: str) -> str:
    i = rng.randrange(len(nik))
    roll = rng.random()
    if roll < 0.45:
        return nik[:i] + rng.choice(_DIGIT_NEIGHBOURS[nik[i]]) + nik[i + 1 :]
    if roll < 0.75:
        j = i + 1 if i + 1 < len(nik) else i - 1
        chars = list(nik)
        chars[i], chars[j] = chars[j], chars[i]
        return "".join(chars)
    if roll < 0.9:
        return nik[:i] + nik[i + 1 :]
    spots = [k for k, ch in enumerate(nik) if ch in _OCR_DIGITS]
    if not spots:
        return nik[:i] + nik[i + 1 :]
    k = rng.choice(spots)
    return nik[:k] + _OCR_DIGITS[nik[k]] + nik[k + 1 :]


DATE_STYLES = ("iso", "dmy_slash", "dmy_dash", "compact", "words")


def write_date(value: date, style: str) -> str:
    if style == "iso":
        return value.isoformat()
    if style == "dmy_slash":
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if style == "dmy_dash":
        return f"{value.day:02d}-{value.month:02d}-{value.year}"
    if style == "compact":
        return f"{value.day:02d}{value.month:02d}{value.year}"
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


def slip_date(rng: random.Random, value: date, *, latest: date) -> tuple[date, str]:
    """A wrong date as records get it: day and month swapped, a year digit slipped, or a day off; never
    after `latest` (a clerk notices a birth in the future)."""
    swapped = value.replace(day=value.month, month=value.day) if value.day <= 12 else value
    if swapped != value and swapped <= latest and rng.random() < 0.5:
        return swapped, "date_swapped"
    if rng.random() < 0.5:
        years = [value.year + step for step in (-10, -1, 1, 10) if value.year + step <= latest.year]
        slipped = value.replace(day=min(value.day, 28), year=rng.choice(years))
        if slipped <= latest:
            return slipped, "date_year_slip"
    return value + timedelta(days=-1 if value >= latest or rng.random() < 0.5 else 1), "date_day_slip"


@dataclass(frozen=True)
class Address:
    street: str
    number: int
    rt: int
    rw: int
    village: str
    village_kind: str  # "Desa" or "Kel."
    district: str  # kecamatan name

    def written(self, style: int) -> str:
        """The address in one of the forms agencies use; style 0 is the family card's."""
        v = f"{self.village_kind} {self.village}"
        if style == 0:
            rt_rw = f"RT {self.rt:03d}/RW {self.rw:03d}"
            return f"{self.street} No. {self.number} {rt_rw}, {v}, Kec. {self.district}"
        if style == 1:
            street = self.street.replace("Jl. ", "Jln ").replace("Dusun ", "Dsn. ")
            return f"{street} {self.number} RT{self.rt} RW{self.rw} {self.village}"
        if style == 2:
            rt_rw = f"RT.{self.rt:03d}/{self.rw:03d}"
            return f"{self.street.upper()} NO.{self.number} {rt_rw} {self.village.upper()}"
        return f"{v}, Kecamatan {self.district}"  # the village only, as rural clinics note it


STREETS = (
    "Jl. Merdeka",
    "Jl. Diponegoro",
    "Jl. Sudirman",
    "Jl. Kartini",
    "Jl. Pahlawan",
    "Jl. Mawar",
    "Jl. Melati",
    "Dusun Krajan",
    "Dusun Sumberejo",
    "Jl. Masjid",
    "Gang Kenanga",
    "Jl. Raya",
)
VILLAGES = (
    "Sukamaju",
    "Sukajadi",
    "Karanganyar",
    "Sidomulyo",
    "Tegalrejo",
    "Mekarsari",
    "Margamulya",
    "Sumberejo",
    "Tanjungsari",
    "Kebonagung",
    "Suka Makmur",
    "Tambakrejo",
    "Pasir Putih",
    "Lamtemen",
)


def make_address(rng: random.Random, district: str) -> Address:
    village = rng.choice(VILLAGES)
    return Address(
        street=rng.choice(STREETS),
        number=rng.randint(1, 120),
        rt=rng.randint(1, 12),
        rw=rng.randint(1, 9),
        village=village,
        village_kind=rng.choice(("Desa", "Desa", "Kel.")),
        district=district,
    )
