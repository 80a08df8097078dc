"""The import file formats as Markdown, generated from the schemas the importers validate with.

`python -m jaga.registry.importers.docs > docs/imports.md` regenerates the page; a test fails when the
committed page and the schemas disagree.
"""

from __future__ import annotations

from typing import Any

from jaga.registry.kinds import KINDS

_BY_NAME = {
    "nik": "NIK, 16 digits: refused when malformed (see below); accepted with a warning, and flagged, when"
    " its date or sex disagrees with `birth_date` / `sex`",
    "child_nik": "NIK, 16 digits: refused when malformed; accepted with a warning, and flagged, when its date"
    " or sex disagrees with `born_on` / `child_sex`",
    "witness_1_nik": "NIK, 16 digits",
    "witness_2_nik": "NIK, 16 digits",
    "kk_number": "family card number, 16 digits",
    "mother_name": "a child's mother as this agency wrote her (an unnamed newborn: By. Ny. Yuli, or no name)",
    "mother_nik": "the mother's NIK, 16 digits",
    "nip": "civil-servant number (NIP), 18 digits",
    "phone": "phone number, digits, spaces, '-' and a leading '+'",
    "nationality": "ISO 3166-1 alpha-3 country code (default IDN)",
    "documents": "`kind=number; kind=number` (JSON Lines: also a list of {kind, number})",
    "born_at_time": "local time HH:MM",
    "registrar_ref": "the registrar who registered it: optional for an account bound to an official (it is"
    " that official), required for a feed account (docs/access.md)",
    "official_ref": "the official who took the step: optional for an account bound to an official (it is"
    " that official); a feed account may name one",
}


def _describe(name: str, prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if name in _BY_NAME:
        return _BY_NAME[name]
    if name.endswith("region_code"):
        return "Kemendagri region code, dotted or not (e.g. 33.74.01)"
    if name == "ref":
        return "this record's reference (optional: generated when blank)"
    if name.endswith("_ref"):
        return f"ref of an existing {name.removesuffix('_ref').replace('_', ' ')} record"
    options = prop.get("anyOf", [prop])
    for option in options:
        if "$ref" in option:
            enum = defs[option["$ref"].split("/")[-1]].get("enum")
            if enum:
                return "one of: " + ", ".join(f"`{v}`" for v in enum)
        if option.get("format") == "date":
            return "date YYYY-MM-DD"
        if option.get("type") == "integer":
            low, high = option.get("minimum"), option.get("maximum")
            return f"whole number {low}-{high}" if low is not None else "whole number"
        if "enum" in option:
            return "one of: " + ", ".join(f"`{v}`" for v in option["enum"])
    return "text"


INTRO = """# Import file formats

Generated from the schemas the importer validates with (`python -m jaga.registry.importers.docs`).

`jaga import KIND FILE` reads CSV (UTF-8, header line, comma-separated) or JSON Lines (one object
per line). Columns may come in any order; optional columns may be left out or left blank; unknown
columns are refused. An import is all or nothing: one invalid row and nothing is written, with a
report naming each bad row, column and reason (`--skip-invalid --rejects FILE` writes the good rows
instead and puts the bad ones, with their reasons, in FILE). `region_code` is the record's
jurisdiction: left blank, it is your account's region; it must lie inside your account's region.
Dates are YYYY-MM-DD, none before 1900-01-01 and none in the future.

The report has a `severity` column. `error` rows are refused. `warning` rows are written, but lack or
contradict what the law or the field expects, and the flags rank them (docs/registry.md); `jaga import`
prints how many rows carry warnings:

- a NIK is refused when malformed: not 16 digits, a day neither 01-31 nor 41-71, a month outside
  01-12, a date that does not exist or lies in the future, serial 0000, a region that never existed.
  A well-formed NIK whose date of birth or sex (day + 40 for women) disagrees with the row is
  *accepted with a warning* and raises the `nik_mismatch` flag: a NIK is never reissued to correct a
  date, and a female NIK on a male record is what a forged family card shows (DOMAIN.md section 1);
- a relinquishment without a consent document, counselling or two witnesses, within 7 days of the birth,
  or dated before the child's recorded birth is accepted with a warning;
- a missing-child report whose child was last seen before the birth on the child's record is refused.

Officers can import from the workbench too, at `/kerja/impor`: they choose a kind their role may write
and a file (at most `JAGA_IMPORT_UPLOAD_MB`, 50 MB by default), and the same code runs as their account
(role, region, bound official), all or nothing. A refused file's problems are listed on the page row by
row (in Bahasa Indonesia, or English with `?lang=en`) and its bad rows can be downloaded with a
`_reasons` column, by that web session only, until it ends; a problem with the whole file (not UTF-8,
empty, wrong columns) is one message at the top. The upload goes to a private temporary file, removed
once the import has run.

Import kinds in this order, since later kinds refer to earlier ones by `*_ref`:
"""


def render_markdown() -> str:
    lines = [*INTRO.splitlines(), ""]
    lines += [f"1. `{kind.name}`: {kind.summary}" for kind in KINDS.values()]
    for kind in KINDS.values():
        schema = kind.schema.model_json_schema()
        defs = schema.get("$defs", {})
        required = set(schema.get("required", []))
        lines += [
            "",
            f"## {kind.name}",
            "",
            kind.summary[0].upper() + kind.summary[1:] + ".",
            "",
            "| column | required | format |",
            "|---|---|---|",
        ]
        for name, prop in schema["properties"].items():
            lines.append(
                f"| `{name}` | {'yes' if name in required else ''} | {_describe(name, prop, defs)} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
