"""Kemendagri region codes: parsing and formatting (no data needed).

Levels (Permendagri 58/2021): province 2 digits, regency/city 4, district (kecamatan) 6, village 10.
Written with dots (`33.74.01.1001`); stored as digits only (`3374011001`).
"""

from __future__ import annotations

from enum import IntEnum

LEVEL_BY_LENGTH = {2: 1, 4: 2, 6: 3, 10: 4}

# What `parse_code` accepts, as a regular expression for schemas (OpenAPI, JSON Schema): 2, 4, 6 or 10
# digits, or the same with the dots of `format_code`; surrounding blanks are stripped. Keep the two in step.
CODE_PATTERN = (
    r"^\s*([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10}"
    r"|[0-9]{2}\.[0-9]{2}|[0-9]{2}\.[0-9]{2}\.[0-9]{2}|[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4})\s*$"
)


class RegionLevel(IntEnum):
    PROVINCE = 1
    REGENCY = 2
    DISTRICT = 3
    VILLAGE = 4


def parse_code(text: str) -> str:
    """Digits of a region code, dotted or not. Raises ValueError naming the problem."""
    raw = text.strip()
    digits = raw.replace(".", "")
    if not digits:
        raise ValueError("region code is empty")
    if not digits.isascii() or not digits.isdigit():
        raise ValueError("region code must contain only digits and dots")
    if len(digits) not in LEVEL_BY_LENGTH:
        raise ValueError(
            f"region code has {len(digits)} digits; expected 2 (province), 4 (regency/city), "
            "6 (district) or 10 (village)"
        )
    if "." in raw and raw != format_code(digits):
        raise ValueError("region code dots are misplaced; write it as PP.KK.CC.DDDD")
    return digits


def format_code(digits: str) -> str:
    """`3374011001` -> `33.74.01.1001`."""
    parts = [digits[0:2], digits[2:4], digits[4:6], digits[6:10]]
    return ".".join(p for p in parts if p)


def level_of(digits: str) -> RegionLevel:
    return RegionLevel(LEVEL_BY_LENGTH[len(digits)])


def regency_kind(regency_code: str) -> str:
    """`kabupaten` for digits 3-4 in 01-69, `kota` for 71-99 (Permendagri 58/2021)."""
    return "kota" if int(regency_code[2:4]) >= 71 else "kabupaten"


def within(code: str, scope: str) -> bool:
    """Whether region `code` lies inside `scope` (a shorter or equal code; "" is the whole country)."""
    return code.startswith(scope)
