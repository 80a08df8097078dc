"""Canonical serialisation of records and events (RFC 8785, JSON Canonicalization Scheme).

The same state must always give the same bytes, on every database and every Python, because the ledger
commits to a hash of them forever. Values are restricted to what JCS renders unambiguously: str, int,
bool, None, lists and string-keyed dicts. Dates and times become ISO 8601 strings, enums their values;
floats are refused (their decimal rendering is a trap).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

import rfc8785

JsonValue = str | int | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


def to_json_value(value: Any) -> JsonValue:
    """Convert a column value to its canonical JSON value."""
    if value is None or isinstance(value, str | bool | int):
        return value  # type: ignore[no-any-return]
    if isinstance(value, enum.Enum):
        return to_json_value(value.value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime cannot be serialised canonically")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    raise TypeError(f"{type(value).__name__} has no canonical JSON form")


def canonical_bytes(value: JsonValue) -> bytes:
    """RFC 8785 bytes of a JSON value."""
    return rfc8785.dumps(value)  # type: ignore[no-any-return]
