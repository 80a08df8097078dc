"""HTML form fields derived from a registry input schema: one field per import column, same names.

The schema's JSON Schema says what each column is: an enum becomes a select, a date a date input, a
whole number a number input with its bounds, long text a textarea; a wall-clock time (a `time` in the
model) a time input; a field without a default is required. Labels and help come from `record_labels`
in both languages and, in English, from the schema's own description where the table says nothing.

Posted values are read back as an import row is (`FROM_FILE`): every value is text and a blank field
means "not given", so the API's own schema validates the form exactly as it validates a file.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import time
from functools import cache
from typing import Any

from pydantic import BaseModel

from jaga.workbench.record_labels import COLUMNS, HINTS, OPTIONS, pick

LONG_TEXT = 500  # a column allowing more characters than this gets a textarea


@dataclass(frozen=True)
class FormField:
    name: str  # the import column's name
    input: str  # text | date | time | number | select | textarea | checkbox
    required: bool
    options: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    default: str = ""
    description: str | None = None  # the schema's own (English)

    @property
    def nik(self) -> bool:
        return self.name == "nik" or self.name.endswith("_nik")

    def label(self, lang: str) -> str:
        pair = COLUMNS.get(self.name)
        return pick(pair, lang) if pair else self.name

    def hint(self, lang: str) -> str | None:
        for key in (self.name, self._hint_kind()):
            if key in HINTS:
                return pick(HINTS[key], lang)
        return self.description if lang == "en" else None

    def _hint_kind(self) -> str | None:
        if self.name == "child_ref" and not self.required:
            return "new-child"  # a birth: the child's record is created unless it exists
        if self.nik:
            return "nik" if self.name in ("nik", "child_nik") else "witness-nik"
        if self.name == "region_code" and not self.required:
            return "jurisdiction"
        if self.name.endswith("region_code"):
            return "region"
        if self.name.endswith("_ref"):
            return "ref-field"
        if self.input == "time":
            return "time"
        return None

    def option_label(self, value: str, lang: str) -> str:
        pair = OPTIONS.get(value)
        return f"{pick(pair, lang)} ({value})" if pair else value


def _options(prop: dict[str, Any], defs: dict[str, Any]) -> list[dict[str, Any]]:
    """The alternatives of a property, with `$ref`s resolved and `null` (optional) left out."""
    found = []
    for option in prop.get("anyOf", [prop]):
        if "$ref" in option:
            option = {
                **defs[option["$ref"].split("/")[-1]],
                **{k: v for k, v in option.items() if k != "$ref"},
            }
        if option.get("type") != "null":
            found.append(option)
    return found


def _types(annotation: Any) -> list[Any]:
    """The plain types an annotation admits: `Annotated` unwrapped, unions taken apart."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _types(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [plain for arg in typing.get_args(annotation) for plain in _types(arg)]
    return [annotation]


def _is_time(model: type[BaseModel], name: str) -> bool:
    return time in _types(model.model_fields[name].annotation)


@cache
def fields_of(model: type[BaseModel], *, leave_out: tuple[str, ...] = ("ref",)) -> tuple[FormField, ...]:
    """The form fields of `model`, in the schema's order, without the columns `leave_out` names (a new
    record's own `ref` is generated, never typed)."""
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    fields = []
    for name, prop in schema["properties"].items():
        if name in leave_out:
            continue
        [option, *_] = _options(prop, defs) or [{}]
        description = prop.get("description") or option.get("description")
        default = prop.get("default")
        common: dict[str, Any] = {
            "required": name in required,
            "default": "" if default is None or isinstance(default, list) else str(default),
            "description": description,
        }
        if "enum" in option:
            fields.append(FormField(name, "select", options=tuple(option["enum"]), **common))
        elif option.get("format") == "date":
            fields.append(FormField(name, "date", **common))
        elif _is_time(model, name):
            fields.append(FormField(name, "time", **common))
        elif option.get("type") == "integer":
            minimum, maximum = option.get("minimum"), option.get("maximum")
            fields.append(FormField(name, "number", minimum=minimum, maximum=maximum, **common))
        else:
            length = option.get("maxLength")
            kind = "textarea" if length and length > LONG_TEXT else "text"
            fields.append(FormField(name, kind, max_length=length, **common))
    return tuple(fields)


def row_of(posted: dict[str, str], fields: tuple[FormField, ...]) -> dict[str, str]:
    """The posted values of `fields` that are not blank: the record as an import row."""
    return {f.name: posted[f.name] for f in fields if posted.get(f.name, "").strip()}
