"""`/kerja/baru/{form}`: create a record in the browser, one generic page for every kind in
`record_forms.FORMS` (a birth, a person, a civil registration, a certificate, a relinquishment, a
placement, a missing-child report, an adoption case, a licence change).

GET shows the form (`/kerja/baru/{form}/{ref}` fills in the record it is about); POST validates the
fields with the API's own schema, looks for likely duplicates first where the form says so (shown,
audited, and created only once the officer confirms that none is the same record), then saves through
the API's own use case in one unit of work. Any refusal comes back inline: each field's problem beside
the field, the workflow's reason at the top, the officer's input kept, nothing written. On success, a
303 to the page that shows the new record, which confirms it and lists its warnings.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jaga.access.logins import LiveSession
from jaga.db import UnitOfWork
from jaga.errors import JagaError, NotFound, RecordRejected
from jaga.portal.pages import PAGE_TAG, language
from jaga.registry import FROM_FILE, REF_PATTERN, Batch, Candidate, Purpose, likely_duplicates
from jaga.web import translations
from jaga.workbench.auth import check_form, officer
from jaga.workbench.form_fields import row_of
from jaga.workbench.labels import label
from jaga.workbench.nik_check import PAIRS, nik_message
from jaga.workbench.queue import NO_STORE, page
from jaga.workbench.record_forms import FORMS, RecordForm
from jaga.workbench.record_labels import pick

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)
CHANNEL = "workbench POST /kerja/baru/{form}"
MAX_VALUE = 4000  # the longest text a record field holds

Errors = dict[str, list[str]]


def _form(name: str) -> RecordForm:
    form = FORMS.get(name)
    if form is None:
        raise NotFound(f"no record form {name!r}", message_id=f"tidak ada formulir data {name!r}")
    return form


def _confirmation(candidates: Sequence[Candidate]) -> str:
    """What the officer confirms: exactly these candidates (other input, other candidates: ask again)."""
    listed = "\n".join(sorted(f"{c.kind}:{c.ref}" for c in candidates))
    return hashlib.sha256(listed.encode()).hexdigest()[:20]


def _render(
    request: Request,
    live: LiveSession,
    form: RecordForm,
    values: dict[str, str],
    *,
    errors: Errors | None = None,
    summary: Sequence[str] = (),
    candidates: Sequence[Candidate] = (),
    status: int = 200,
) -> Response:
    lang = language(request)
    today = request.app.state.clock().date()
    names = {f.name for f in form.fields}
    checks = {
        name: nik_message(values.get(name, ""), values.get(d), values.get(s), today=today, lang=lang)
        for name, (d, s) in PAIRS.items()
        if name in names
    }
    # The fields whose change re-checks a NIK: its own, and the date of birth and sex beside it.
    nik_of = {part: name for name, pair in PAIRS.items() if name in names for part in pair}
    context: dict[str, Any] = {
        "form": form,
        "title": pick(form.title, lang),
        "fields": form.fields,
        "values": values,
        "errors": errors or {},
        "summary": summary,
        "candidates": candidates,
        "confirmation": _confirmation(candidates) if candidates else "",
        "checks": checks,
        "nik_of": nik_of,
        "today": today.isoformat(),
        "label": label,
    }
    response = page(request, live, "kerja/record_form.html", context)
    response.status_code = status
    return response


def _purpose_first(request: Request, live: LiveSession, back: str) -> Response:
    # What is recorded is read back and shown (and duplicates are looked for): a task's purpose first.
    return page(request, live, "kerja/purpose_needed.html", {"back": back})


@router.get("/kerja/baru/{name}", response_class=HTMLResponse)
def new_record(request: Request, name: str) -> Response:
    return _blank(request, name[:64], None)


@router.get("/kerja/baru/{name}/{ref:path}", response_class=HTMLResponse)
def new_record_about(request: Request, name: str, ref: str) -> Response:
    return _blank(request, name[:64], ref[:64])


def _blank(request: Request, name: str, ref: str | None) -> Response:
    live = officer(request)
    form = _form(name)
    live.actor.require(form.action)
    if not live.purpose:
        return _purpose_first(request, live, request.url.path)
    values = {f.name: f.default for f in form.fields if f.default}
    if ref and form.prefill and re.match(REF_PATTERN, ref):
        values[form.prefill] = ref
    return _render(request, live, form, values)


@router.post("/kerja/baru/{name}", response_class=HTMLResponse)
async def create_record(request: Request, name: str) -> Response:
    # The fields depend on the form, so the body is read here; the database work runs in the thread
    # pool, as a plain route's would, never on the event loop.
    posted = {k: str(v)[:MAX_VALUE] for k, v in (await request.form()).items()}
    return await run_in_threadpool(_create, request, name[:64], posted)


def _create(request: Request, name: str, posted: dict[str, str]) -> Response:
    live = officer(request)
    form = _form(name)
    check_form(request, posted.get("csrf"))
    live.actor.require(form.action)
    if not live.purpose:
        return _purpose_first(request, live, f"/kerja/baru/{name}")
    lang = language(request)
    values = {f.name: posted.get(f.name, "") for f in form.fields}
    errors: Errors = {}
    candidates: list[Candidate] = []
    refused: JagaError | None = None
    saved = None
    # The page is rendered after the unit of work ends: a refusal's transaction is rolled back first.
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        data = _validate(form, posted, errors, today=Batch(uow, live.actor).today, lang=lang)
        parent = posted.get(form.parent, "").strip() if form.parent else None
        purpose = Purpose(live.purpose, CHANNEL)
        try:
            if data is not None and not errors and form.facts is not None:
                candidates = likely_duplicates(uow, live.actor, form.facts(data), purpose=purpose)
                if posted.get("confirm_new") == _confirmation(candidates):
                    candidates = []  # the officer has seen exactly these and confirmed
            if data is not None and not errors and not candidates:
                saved = form.save(uow, live.actor, parent, data, purpose)
        except JagaError as exc:
            if exc.status >= 500:
                raise
            refused = exc
    if refused is not None:
        return _refused(request, live, form, values, refused)
    if candidates:
        return _render(request, live, form, values, candidates=candidates, status=409)
    if saved is None:  # the fields themselves are invalid
        return _render(request, live, form, values, errors=errors, status=422)
    query = {"saved": form.name, "warnings": ",".join(saved.warnings)}
    lang_part = {"lang": "en"} if lang == "en" else {}
    target = f"{saved.target}?{urlencode({**{k: v for k, v in query.items() if v}, **lang_part})}"
    return RedirectResponse(target, status_code=303, headers=NO_STORE)


def _validate(form: RecordForm, posted: dict[str, str], errors: Errors, *, today: Any, lang: str) -> Any:
    """The body as the API's schema reads it (None when invalid); every problem added to `errors`."""
    schema_fields = tuple(f for f in form.fields if f.name in form.schema.model_fields)
    data = None
    try:
        row = row_of(posted, schema_fields)
        data = form.schema.model_validate(row, context={"today": today, FROM_FILE: True})
    except ValidationError as exc:
        for error in exc.errors():
            where = error["loc"][0] if error["loc"] else ""
            reason = translations.validation_reason(error, lang)
            if isinstance(where, str) and where in form.schema.model_fields:
                errors.setdefault(where, []).append(reason)
                continue
            errors.setdefault("", []).append(reason)  # a rule across fields: at the top, and beside
            named = _field_named(str(error.get("msg", "")), form.schema.model_fields)
            if named:
                errors.setdefault(named, []).append(reason)
    if form.parent:
        given = posted.get(form.parent, "").strip()
        if not given:
            errors.setdefault(form.parent, []).append("wajib diisi" if lang == "id" else "Field required")
        elif not re.match(REF_PATTERN, given):
            reason = "bukan nomor rujukan data" if lang == "id" else "not a record reference"
            errors.setdefault(form.parent, []).append(reason)
    if data is not None and form.rule is not None:
        for name, message in form.rule(data, posted).items():
            errors.setdefault(name, []).append(pick(message, lang))
    return data


def _field_named(message: str, names: Any) -> str | None:
    """The field a rule across fields asks for: what a message "X needs Y" needs, else the first named
    ("place_region_code is required when no facility_ref is given": place_region_code)."""
    _, needs, wanted = message.partition(" needs ")
    for text in (wanted, message) if needs else (message,):
        found = [(m.start(), m.group()) for m in re.finditer(r"[a-z][a-z0-9_]+", text) if m.group() in names]
        if found:
            return min(found)[1]
    return None


def _refused(
    request: Request, live: LiveSession, form: RecordForm, values: dict[str, str], exc: JagaError
) -> Response:
    """The use case's refusal: its reason at the top, and beside each field it names."""
    lang = language(request)
    errors: Errors = {}
    if isinstance(exc, RecordRejected):
        names = {f.name for f in form.fields}
        for problem in exc.problems:
            if problem.field in names:
                reason = (
                    (translations.translate(problem.reason) or problem.reason)
                    if lang == "id"
                    else problem.reason
                )
                errors.setdefault(problem.field, []).append(reason)
    summary = [translations.detail(exc, lang)]
    return _render(request, live, form, values, errors=errors, summary=summary, status=exc.status)
