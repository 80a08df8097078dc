"""Reading import files row by row in constant memory, refusing what cannot be a file of the kind.

File-level problems (not UTF-8, empty, unknown or missing columns) stop the import before any row is read;
row-level problems are the runner's business.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from jaga.errors import ImportFileInvalid
from jaga.spreadsheet import restore

# A CSV field may hold a long address, but not a whole file glued together by a stray quote.
csv.field_size_limit(1_000_000)


class FileFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


def detect_format(path: Path, given: str | None = None) -> FileFormat:
    if given:
        try:
            return FileFormat(given.lower())
        except ValueError as exc:
            raise ImportFileInvalid(f"unknown format {given!r}; use csv or jsonl") from exc
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return FileFormat.CSV
    if suffix in (".jsonl", ".ndjson"):
        return FileFormat.JSONL
    raise ImportFileInvalid(
        f"cannot tell the format of {path.name!r} from its extension; pass --format csv|jsonl"
    )


@dataclass
class RawRow:
    number: int  # 1-based data row (CSV: row after the header; JSON Lines: line number)
    values: dict[str, Any]
    problem: str | None = None  # a row that could not even be split into fields
    raw: Any = None  # the row as read, for the rejects file
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class RowSource:
    """Rows of one file, with the columns its header declared (CSV) and a progress reading."""

    path: Path
    fmt: FileFormat
    columns: list[str]
    rows: Iterator[RawRow]
    _binary: BinaryIO
    _text: io.TextIOWrapper

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def position(self) -> int:
        try:
            return self._binary.tell()
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        self._text.close()  # closes the binary file under it too


def open_rows(path: Path, fmt: FileFormat, *, allowed: Sequence[str], required: Sequence[str]) -> RowSource:
    """Open `path` and check its shape against the kind's columns; rows are read lazily."""
    if not path.exists():
        raise ImportFileInvalid(f"file {path} does not exist")
    if path.stat().st_size == 0:
        raise ImportFileInvalid(
            f"file {path.name} is empty; expected "
            + ("a header line" if fmt == FileFormat.CSV else "JSON objects")
        )
    binary = path.open("rb")
    try:
        text = _text(binary)
        if fmt == FileFormat.CSV:
            return _open_csv(path, binary, text, allowed, required)
        return RowSource(path, fmt, list(allowed), _jsonl_rows(text, allowed, required), binary, text)
    except BaseException:
        binary.close()
        raise


def _text(binary: BinaryIO) -> io.TextIOWrapper:
    # utf-8-sig: spreadsheet programs write a byte-order mark; strict: anything else than UTF-8 is refused.
    return io.TextIOWrapper(binary, encoding="utf-8-sig", errors="strict", newline="")


def _not_utf8(exc: UnicodeDecodeError, where: str) -> ImportFileInvalid:
    return ImportFileInvalid(
        f"the file is not UTF-8 text ({where}); save it as UTF-8 (in a spreadsheet: CSV UTF-8) and retry"
    )


def _open_csv(
    path: Path, binary: BinaryIO, text: io.TextIOWrapper, allowed: Sequence[str], required: Sequence[str]
) -> RowSource:
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader, None)
    except UnicodeDecodeError as exc:
        raise _not_utf8(exc, "in the header line") from exc
    except csv.Error as exc:
        raise ImportFileInvalid(f"the header line is not valid CSV: {exc}") from exc
    if header is None or not any(h.strip() for h in header):
        raise ImportFileInvalid(
            f"file {path.name} has no header line; expected columns: {', '.join(allowed)}"
        )
    columns = [h.strip() for h in header]
    check_columns(columns, allowed, required)
    return RowSource(path, FileFormat.CSV, columns, _csv_rows(reader, columns), binary, text)


def check_columns(columns: Sequence[str], allowed: Sequence[str], required: Sequence[str]) -> None:
    problems = []
    duplicates = sorted({c for c in columns if columns.count(c) > 1})
    if duplicates:
        problems.append(f"duplicate column(s): {', '.join(duplicates)}")
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        problems.append(f"unknown column(s): {', '.join(unknown)}")
    missing = [c for c in required if c not in columns]
    if missing:
        problems.append(f"missing required column(s): {', '.join(missing)}")
    if problems:
        raise ImportFileInvalid("; ".join(problems) + f" (columns of this kind: {', '.join(allowed)})")


def _csv_rows(reader: Any, columns: list[str]) -> Iterator[RawRow]:
    number = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise _not_utf8(exc, f"after data row {number}") from exc
        except csv.Error as exc:
            number += 1
            yield RawRow(number, {}, problem=f"not valid CSV: {exc}", raw=[])
            continue
        number += 1
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            number -= 1  # blank lines are not rows
            continue
        if len(fields) != len(columns):
            yield RawRow(
                number, {}, problem=f"has {len(fields)} fields but the header has {len(columns)}", raw=fields
            )
            continue
        # Cells jaga's own exports neutralised against formula injection read back as they were.
        # (Only a cell starting with a quote can have been neutralised: the others are taken as they are.)
        values = [restore(f) if f[:1] == "'" else f for f in fields]
        yield RawRow(number, dict(zip(columns, values, strict=True)), raw=fields)


def _jsonl_rows(text: io.TextIOWrapper, allowed: Sequence[str], required: Sequence[str]) -> Iterator[RawRow]:
    number = 0
    allowed_set = set(allowed)
    while True:
        try:
            line = text.readline()
        except UnicodeDecodeError as exc:
            raise _not_utf8(exc, f"after line {number}") from exc
        if not line:
            return
        number += 1
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RawRow(number, {}, problem=f"not valid JSON ({exc.msg} at column {exc.colno})", raw=line)
            continue
        except RecursionError:  # json's parser recurses per nesting level; records are nearly flat
            yield RawRow(number, {}, problem="nested too deeply to be a record of this kind", raw=line)
            continue
        except ValueError:  # Python refuses integers of more than 4,300 digits (CVE-2020-10735)
            yield RawRow(number, {}, problem="holds a number too long to be any field's value", raw=line)
            continue
        if not isinstance(value, dict):
            yield RawRow(number, {}, problem="each line must be a JSON object", raw=line)
            continue
        unknown = sorted(set(value) - allowed_set)
        if unknown:
            yield RawRow(number, {}, problem=f"unknown field(s): {', '.join(unknown)}", raw=line)
            continue
        yield RawRow(number, value, raw=line)
