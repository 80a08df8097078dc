"""Field types shared by every registry schema: the API's bodies and the importers' rows alike.

Validation context (`model_validate(..., context={"today": date})`) supplies "today" so that dates in the
future can be refused without the domain reading the wall clock.
"""

from __future__ import annotations

import re
from datetime import date, time
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)

from jaga.errors import InvalidNik, UnknownRegion
from jaga.nik import decode_nik
from jaga.regions import CODE_PATTERN, format_code, load_directory, parse_code

REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, CR and LF allowed
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOCAL_TIME = re.compile(r"\d{2}:\d{2}(:\d{2})?")


def today_from(info: ValidationInfo) -> date:
    """The validation context's "today" (adapters pass the clock's date); the system date otherwise."""
    context = info.context  # read once: each read is a call into pydantic-core
    value = context.get("today") if isinstance(context, dict) else None
    return value if isinstance(value, date) else date.today()


def _iso_date(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if not _ISO_DATE.fullmatch(text):
            raise ValueError("expected a date written YYYY-MM-DD")
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"not a real date ({exc})") from exc
    if isinstance(value, date):
        return value
    raise ValueError("expected a date written YYYY-MM-DD")


def _local_time(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if not _LOCAL_TIME.fullmatch(text):
            raise ValueError("expected a time written HH:MM (24-hour, local time)")
        try:
            return time.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"not a real time ({exc})") from exc
    if isinstance(value, time):
        return value
    raise ValueError("expected a time written HH:MM (24-hour, local time)")


def _region(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("region code must be text such as 33.74.01")
    try:
        return load_directory().require(value).code
    except UnknownRegion as exc:
        raise ValueError(exc.message) from exc


def _region_digits(value: Any) -> Any:
    if isinstance(value, int):
        raise ValueError("region code must be text (leading zeros matter)")
    if isinstance(value, str):
        try:
            return parse_code(value)
        except ValueError:
            return value  # _region names the problem precisely
    return value


def _nik(value: str, info: ValidationInfo) -> str:
    try:
        decode_nik(value, directory=load_directory(), today=today_from(info))
    except InvalidNik as exc:
        raise ValueError("invalid NIK: " + "; ".join(exc.problems)) from exc
    return value


def _name(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("contains control characters")
    if not any(ch.isalpha() for ch in value):
        raise ValueError("must contain letters")
    return " ".join(value.split())


def _text(value: str) -> str:
    if _CONTROL_IN_TEXT.search(value):
        raise ValueError("contains control characters")
    return value


# No record in a registry of living children and their parents is dated before this; earlier dates are
# typing slips (year 1, 0202) that would otherwise pass as "not in the future".
EARLIEST_DATE = date(1900, 1, 1)


def _not_future(value: date, info: ValidationInfo) -> date:
    if value > today_from(info):
        raise ValueError("is in the future")
    if value < EARLIEST_DATE:
        raise ValueError(f"is before {EARLIEST_DATE.isoformat()}: not a plausible date for this registry")
    return value


def _digits(length: int, label: str) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, int):
            raise ValueError(f"{label} must be text (leading zeros matter)")
        if isinstance(value, str) and not (value.isascii() and value.isdigit() and len(value) == length):
            raise ValueError(f"{label} must be exactly {length} digits")
        return value

    return check


def _dotted(value: Any) -> Any:
    """A stored region code (digits) in its written form; anything else is left for the type check."""
    if isinstance(value, str) and value:
        try:
            return format_code(parse_code(value))
        except ValueError:
            return value
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
PastDate = Annotated[date, BeforeValidator(_iso_date), AfterValidator(_not_future)]
# A wall-clock time at the place of the event, as on a birth statement (SKL): no UTC offset, so not
# JSON Schema's `format: time` (RFC 3339 full-time requires one). Written HH:MM, read back HH:MM:SS.
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
LocalTime = Annotated[
    time,
    BeforeValidator(_local_time),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": LOCAL_TIME_PATTERN,
            "description": "local wall-clock time HH:MM or HH:MM:SS (24-hour), without a UTC offset",
        }
    ),
]
RegionCode = Annotated[
    str,
    BeforeValidator(_region_digits),
    AfterValidator(_region),
    # The schema names the form; the validators name the problem (and check that the region exists).
    Field(json_schema_extra={"pattern": CODE_PATTERN, "description": "Kemendagri region code, e.g. 33.74"}),
]
# The recording office's region. Required of accounts of national scope (they have no region of their
# own to default to: 422 without it); an account confined to a region may leave it out for its own.
Jurisdiction = Annotated[
    RegionCode | None,
    Field(
        description="the recording office's region, inside your scope; required when your account has "
        "national scope, otherwise it defaults to your account's region"
    ),
]
# In responses and exports: one written form, dotted (Permendagri 58/2021), whatever form went in.
DottedRegion = Annotated[
    str, BeforeValidator(_dotted), Field(description="Kemendagri region code, dotted (e.g. 33.74.01)")
]
Ref = Annotated[str, Field(pattern=REF_PATTERN, description="record reference: letters, digits, . _ : / -")]
Nik = Annotated[str, BeforeValidator(_digits(16, "NIK")), AfterValidator(_nik)]
KkNumber = Annotated[str, BeforeValidator(_digits(16, "family card (KK) number"))]
Nip = Annotated[str, BeforeValidator(_digits(18, "NIP"))]
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_name)]
ShortText = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_text)]
LongText = Annotated[str, Field(min_length=1, max_length=4000), AfterValidator(_text)]
DocumentNumber = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ./:_()-]*$")
]
Phone = Annotated[str, Field(pattern=r"^\+?[0-9][0-9 -]{5,20}$")]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3, e.g. IDN")]


class WarningOut(BaseModel):
    """Something an accepted record lacks or contradicts (`jaga.registry.record_warnings`)."""

    code: str
    field: str | None
    message: str


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"


# Validation context key set by the importers for rows read from a file, where every value is text
# and a blank cell means "not given". An API body is JSON: "not given" is a missing field (or null), an
# empty string is an invalid value, and a number is a JSON number, never text.
FROM_FILE = "from_file"


def from_file(info: ValidationInfo) -> bool:
    return isinstance(info.context, dict) and info.context.get(FROM_FILE) is True


_INTEGER = re.compile(r"\s*-?[0-9]{1,18}\s*")


@cache
def _integer_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(
        name for name, field in model.model_fields.items() if field.annotation in (int, int | None)
    )


class InputModel(BaseModel):
    """Base of every input schema: unknown fields refused, null treated as absent (and, in import files,
    blank cells too: see FROM_FILE)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, dict):
            blank_is_absent = from_file(info)  # a file's cells: see FROM_FILE
            integers = _integer_fields(cls) if blank_is_absent else frozenset()
            given: dict[str, Any] = {}
            for key, value in data.items():  # one pass: every import row comes through here
                if isinstance(value, str):
                    if "\x00" in value:
                        # PostgreSQL text cannot hold NUL, and no record field needs one.
                        raise ValueError(f"{key} contains a NUL character")
                    if blank_is_absent and not value.strip():
                        continue
                    if key in integers and _INTEGER.fullmatch(value):
                        given[key] = int(value)  # integer fields are strict: JSON must send numbers
                        continue
                    given[key] = value
                elif value is not None:
                    given[key] = value
            return given
        return data
