"""Canonical serialisation of records and events (RFC 8785, JSON Canonicalization Scheme).

The same state must always give the same bytes, on every database and every Python, because the ledger
commits to a hash of them forever. Values are restricted to what JCS renders unambiguously: str, int,
bool, None, lists and string-keyed dicts. Dates and times become ISO 8601 strings, enums their values;
floats are refused (their decimal rendering is a trap).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any

JsonValue = str | int | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


_PLAIN = frozenset({str, int, bool, type(None)})


def to_json_value(value: Any) -> JsonValue:
    """Convert a column value to its canonical JSON value."""
    # Exact type first: this runs for every column of every event (millions in a bulk import).
    if type(value) in _PLAIN or isinstance(value, str | bool | int):
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
    """RFC 8785 bytes of a JSON value built by `to_json_value` (ASCII keys, no floats).

    Written with the standard library rather than the `rfc8785` package, which is pure Python and was
    the single largest cost of a bulk import (two thirds of it). For this value domain the two agree
    byte for byte: keys sort identically when ASCII, strings escape the same characters (`"`, `\\` and
    controls below U+0020, with the same short forms), and integers, booleans and null print alike.
    tests/db/test_canonical.py checks the equivalence against `rfc8785` with Hypothesis.
    """
    return _ENCODER.encode(value).encode("utf-8")


# json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False), built once.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _row_encoder() -> Callable[[Any, int], Sequence[str]]:
    """`_ENCODER`'s own C encoder, made once: `"".join(encode(value, 0)) == _ENCODER.encode(value)`.

    `JSONEncoder.encode` makes a new C encoder object for every call, which cost as much as encoding a
    row. The one made here has the same settings but no circular-reference bookkeeping (`markers=None`):
    it only encodes rows that `to_json_value` made, which are never circular.
    """
    make: Any = getattr(json.encoder, "c_make_encoder", None)  # CPython's C accelerator (not in typeshed)
    if make is None:  # a Python without the C accelerator: the encoder's own path
        return lambda value, _level: [_ENCODER.encode(value)]
    return make(  # type: ignore[no-any-return]
        None,
        _ENCODER.default,
        json.encoder.encode_basestring,  # ensure_ascii=False
        None,  # indent
        ":",
        ",",
        True,  # sort_keys
        False,  # skipkeys
        False,  # allow_nan
    )


_ROW_ENCODER = _row_encoder()


def canonical_rows(names: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[bytes]:
    """`canonical_bytes` of `{name: to_json_value(value)}` for each row of column values, in bulk."""
    return list(iter_canonical_rows(names, rows))


def iter_canonical_rows(names: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """`canonical_rows`, made as they are consumed. The values are converted at once (a value without a
    canonical form is refused here, not later); the bytes are made as the iterator is read.

    The bulk import serialises two rows per birth, so the per-row work is kept to one string formatting.
    The rows are taken apart into columns and the keys put in sorted order once; only the columns holding
    something other than str, int, bool or None are converted, with the dates and timestamps that repeat
    across rows (a batch's creation time, days of birth) converted once each, as `to_json_value` converts
    them. Then each column is encoded to JSON text at once, with the encoder's own C function for strings,
    and each row is its texts put into a template of the sorted keys: the bytes of `canonical_bytes`, in
    two thirds of the time of encoding a dict per row with the C encoder.
    """
    order = sorted(range(len(names)), key=names.__getitem__)
    keys = [names[index] for index in order]
    rows = list(rows)
    if not names:
        return iter([b"{}" for _ in rows])
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    if not columns:
        return iter([])
    ordered = [columns[index] for index in order]
    for position, column in enumerate(ordered):
        if not set(map(type, column)) <= _PLAIN:
            ordered[position] = [value if type(value) in _PLAIN else _remembered(value) for value in column]
    # "%" in a key must not be read as a placeholder; a value's "%" is an argument, never read.
    template = "{" + ",".join(f"{_encode_string(key).replace('%', '%%')}:%s" for key in keys) + "}"
    texts = [_encoded_column(column) for column in ordered]
    return ((template % values).encode("utf-8") for values in zip(*texts, strict=True))


# What the encoder itself uses for strings (the C function; no ASCII escaping).
_encode_string: Callable[[str], str] = json.encoder.encode_basestring
_NoneType = type(None)


def _encoded_column(column: Sequence[Any]) -> list[str]:
    """The JSON text of each value of a column, as `_ROW_ENCODER` writes it inside a row."""
    kinds = set(map(type, column))
    encode, null = _encode_string, "null"
    if kinds <= {str}:
        return list(map(encode, column))
    if kinds <= {str, _NoneType}:
        return [null if value is None else encode(value) for value in column]
    if kinds <= {int, _NoneType}:  # exactly int: a bool prints otherwise
        return [null if value is None else int.__repr__(value) for value in column]
    # bool, lists, dicts, mixtures: the encoder itself, value by value.
    return ["".join(_ROW_ENCODER(value, 0)) for value in column]


def _remembered(value: Any) -> JsonValue:
    kind = type(value)
    if kind is not date and kind is not datetime:
        return to_json_value(value)
    return _date_json(value)


# Equal dates have equal text, and so have equal aware datetimes (both become UTC); naive datetimes raise,
# and exceptions are not remembered. typed: a date never equals a datetime, but keep them apart anyway.
_date_json = lru_cache(maxsize=65_536, typed=True)(to_json_value)
