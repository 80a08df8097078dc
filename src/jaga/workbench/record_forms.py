"""The records an officer creates in the workbench: one table, one generic form (`jaga.workbench.records`).

Each entry names the input schema the API and the importers validate with, the permission its use case
checks, and how to save it: through the very use case the JSON API calls (`write_one` over the kinds
table, the licence change, certificate issuing), so the workflow's rules apply identically. What it
adds is only what a form needs: which page shows the new record, which facts to look for duplicates
with, and a form-only rule (a relinquishment's counselling must be accounted for).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from pydantic import BaseModel

from jaga.access import Action, Actor
from jaga.certificates import services as certificates
from jaga.certificates.api import CertificateIn
from jaga.db import UnitOfWork
from jaga.portal.pages import language
from jaga.registry import (
    AFTER_WRITE,
    KINDS,
    READS,
    RULES,
    Batch,
    Facts,
    LicenceChangeIn,
    Purpose,
    Step,
    change_licence,
    get_record,
    write_one,
)
from jaga.workbench.form_fields import FormField, fields_of
from jaga.workbench.record_labels import COUNSELLING_REQUIRED, WARNINGS, Pair, pick


@dataclass(frozen=True)
class Saved:
    ref: str
    target: str  # the workbench page that shows the new record
    warnings: tuple[str, ...] = ()  # codes of `jaga.registry.record_warnings`


# (unit of work, actor, parent ref or None, validated body, the session's purpose) -> what was saved
Save = Callable[[UnitOfWork, Actor, str | None, Any, Purpose], Saved]


@dataclass(frozen=True)
class RecordForm:
    name: str  # the page: /kerja/baru/{name}
    title: Pair
    schema: type[BaseModel]
    action: Action
    save: Save
    prefill: str | None = None  # the field a ref in the page's path fills in (/kerja/baru/{name}/{ref})
    parent: str | None = None  # an action on a record: the field naming it, outside the schema
    facts: Callable[[Any], Facts] | None = None  # look for likely duplicates before creating
    rule: Callable[[Any, dict[str, str]], dict[str, Pair]] | None = None  # form-only: field -> message
    extra: tuple[FormField, ...] = field(default=())  # form-only fields (after the schema's)
    offered: Callable[[Actor], bool] | None = None  # beyond the permission: whom the form is for

    @property
    def fields(self) -> tuple[FormField, ...]:
        own = fields_of(self.schema)
        if self.parent:
            own = (FormField(self.parent, "text", required=True, max_length=64), *own)
        first = [f for f in own if f.name == self.prefill]
        return (*first, *[f for f in own if f.name != self.prefill], *self.extra)


def _child_page(item: dict[str, Any]) -> str:
    return f"/kerja/people/{item['child_ref']}"


def _after_write(uow: UnitOfWork, actor: Actor, kind: str, ref: str) -> dict[str, Any]:
    # As the API hands a written record back: read under the writer's own rule, audited as such.
    purpose = Purpose(AFTER_WRITE, "workbench POST /kerja/baru/{form}")
    return get_record(uow, READS[kind], ref, actor=actor, purpose=purpose, enforce_scope=False)


def _codes(item: dict[str, Any]) -> tuple[str, ...]:
    return tuple(w["code"] for w in item.get("warnings", []))


def _record(kind_name: str, page: Callable[[dict[str, Any]], str], read: str | None = None) -> Save:
    """Save through the kinds table's batch use case (the API's `POST /api/v1/<kind>`)."""
    kind = KINDS[kind_name]
    label = kind.read.label if kind.read else kind_name

    def save(uow: UnitOfWork, actor: Actor, _parent: str | None, data: Any, _purpose: Purpose) -> Saved:
        ref = write_one(uow, actor, kind.write, label, data).refs[0]
        item = _after_write(uow, actor, read or kind_name, ref)
        warnings = _codes(item)
        if kind_name == "births":  # the NIK's warnings are the child's person record's
            warnings += _codes(_after_write(uow, actor, "people", item["child_ref"]))
        return Saved(ref, page(item), warnings)

    return save


def _licence(uow: UnitOfWork, actor: Actor, parent: str | None, data: Any, _purpose: Purpose) -> Saved:
    """The API's `POST /api/v1/institutions/{ref}/licence`."""
    assert parent is not None
    change_licence(Batch(uow, actor), parent, data)
    return Saved(parent, f"/kerja/baru/licences/{parent}")


def _certificate(uow: UnitOfWork, actor: Actor, _parent: str | None, data: Any, purpose: Purpose) -> Saved:
    """The API's `POST /api/v1/certificates` (and `jaga certificate issue`)."""
    view = certificates.issue(uow, actor, kind=data.kind, subject_ref=data.subject_ref, purpose=purpose)
    if data.kind == "adoption":
        return Saved(view.ref, f"/kerja/adoption-cases/{data.subject_ref}")
    return Saved(view.ref, _child_page(_after_write(uow, actor, "births", data.subject_ref)))


def _counselling(data: Any, posted: dict[str, str]) -> dict[str, Pair]:
    """The form asks for the counselling record: the registry keeps a relinquishment without one (it is
    evidence, docs/registry.md), so the officer who has none must say so, and the record is warned
    about and flagged; it is never left out by oversight."""
    if data.counselled_on or data.counselling_record or posted.get("no_counselling"):
        return {}
    return {"counselling_record": COUNSELLING_REQUIRED}


FORMS: dict[str, RecordForm] = {
    form.name: form
    for form in (
        RecordForm(
            "births",
            ("Kelahiran", "Birth"),
            KINDS["births"].schema,
            Action.BIRTHS_RECORD,
            _record("births", _child_page),
            prefill="mother_ref",
            facts=lambda d: Facts(
                nik=d.child_nik, name=d.child_name, birth_date=d.born_on, mother_ref=d.mother_ref
            ),
        ),
        RecordForm(
            "people",
            ("Data orang", "Person record"),
            KINDS["people"].schema,
            Action.PEOPLE_WRITE,
            _record("people", lambda item: f"/kerja/people/{item['ref']}"),
            facts=lambda d: Facts(nik=d.nik, name=d.full_name, birth_date=d.birth_date),
        ),
        RecordForm(
            "birth-registrations",
            ("Pencatatan kelahiran (akta)", "Civil registration of a birth (akta)"),
            KINDS["birth-registrations"].schema,
            Action.BIRTHS_REGISTER,
            _record("birth-registrations", _child_page, read="births"),
            prefill="birth_ref",
        ),
        RecordForm(
            "certificates",
            ("Penerbitan sertifikat", "Issuing a certificate"),
            CertificateIn,
            Action.CERTIFICATES_ISSUE,
            _certificate,
            prefill="subject_ref",
        ),
        RecordForm(
            "relinquishments",
            ("Penyerahan anak", "Relinquishment"),
            KINDS["relinquishments"].schema,
            Action.RELINQUISHMENTS_WRITE,
            _record("relinquishments", _child_page),
            prefill="child_ref",
            rule=_counselling,
            extra=(FormField("no_counselling", "checkbox", required=False),),
        ),
        RecordForm(
            "placements",
            ("Pengasuhan", "Placement"),
            KINDS["placements"].schema,
            Action.PLACEMENTS_WRITE,
            _record("placements", _child_page),
            prefill="child_ref",
        ),
        RecordForm(
            "missing-reports",
            ("Laporan anak hilang", "Missing-child report"),
            KINDS["missing-reports"].schema,
            Action.MISSING_WRITE,
            _record("missing-reports", _child_page),
            prefill="child_ref",
            facts=lambda d: Facts(missing_child_ref=d.child_ref),
        ),
        RecordForm(
            "adoption-cases",
            ("Perkara pengangkatan anak", "Adoption case"),
            KINDS["adoption-cases"].schema,
            Action.ADOPTIONS_WRITE,
            _record("adoption-cases", lambda item: f"/kerja/adoption-cases/{item['ref']}"),
            prefill="child_ref",
            # opening a case records its application, a step one role takes (the workflow's table)
            offered=lambda actor: RULES[Step.APPLICATION].role == actor.role,
        ),
        RecordForm(
            "licences",
            ("Perubahan izin lembaga", "Change of an institution's licence"),
            LicenceChangeIn,
            Action.LICENCE_WRITE,
            _licence,
            prefill="institution_ref",
            parent="institution_ref",
        ),
    )
}


def forms_for(actor: Actor) -> list[RecordForm]:
    """The forms whose permission the actor's role has (the use case checks again, with the region)."""
    return [f for f in FORMS.values() if actor.can(f.action) and (f.offered is None or f.offered(actor))]


def saved_notice(request: Request) -> dict[str, Any] | None:
    """The confirmation a page shows after a record form redirected to it (`?saved=<form>`)."""
    form = FORMS.get(request.query_params.get("saved", ""))
    if form is None:
        return None
    lang = language(request)
    codes = request.query_params.get("warnings", "").split(",")
    return {
        "title": pick(form.title, lang),
        "warnings": [pick(WARNINGS[code], lang) for code in codes if code in WARNINGS],
    }
