"""`/kerja/adoption-cases/{ref}`: the PP 54/2007 steps of one case as a checklist; the role allowed to take
a step gets its form; four-eyes steps wait for a second officer, who gets the decision form."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select

from jaga.access import Action
from jaga.db import UnitOfWork
from jaga.errors import JagaError
from jaga.portal.pages import PAGE_TAG, language
from jaga.registry import (
    FOUR_EYES,
    READS,
    RULES,
    AdoptionCase,
    AdoptionStepIn,
    CaseKind,
    CaseStatus,
    Purpose,
    case_steps,
    checklist,
    decide_step,
    get_record,
    history_of,
    sequence,
)
from jaga.registry import (
    take_step as take_one_step,
)
from jaga.web import translations
from jaga.workbench.auth import check_form, officer
from jaga.workbench.labels import label
from jaga.workbench.queue import NO_STORE, page

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)
CHANNEL = "workbench GET /kerja/adoption-cases/{ref}"


def _page(
    request: Request,
    ref: str,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    live = officer(request)
    live.actor.require(Action.ADOPTIONS_READ)
    if not live.purpose:
        return page(request, live, "kerja/purpose_needed.html", {"back": request.url.path})
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        record = get_record(
            uow, READS["adoption-cases"], ref, actor=live.actor, purpose=Purpose(live.purpose, CHANNEL)
        )
        case = uow.session.scalars(select(AdoptionCase).where(AdoptionCase.ref == ref)).one()
        steps = case_steps(uow.session, case)
        kind, status_ = CaseKind(case.kind), CaseStatus(case.status)
    items = checklist(kind, status_, history_of(steps))
    actor = live.actor
    writes = actor.can(Action.ADOPTIONS_WRITE)
    # Every step of the officer's role is offered, not only the next: the workflow itself refuses one
    # taken out of order, naming the step that is missing.
    mine = [s for s in sequence(kind) if RULES[s].role == actor.role] if writes else []
    if mine and actor.role.value == "social_worker":
        mine.append(next(s for s in RULES if s.value == "withdrawal"))
    to_decide = [
        s
        for s in steps
        if s.approval == "pending"
        and RULES[s.step].role == actor.role
        and s.recorded_by != actor.principal_id
    ]
    context: dict[str, Any] = {
        "case": record,
        "items": items,
        "steps": steps,
        "choices": mine,
        "rules": RULES,
        "to_decide": to_decide if writes and actor.feed is None else [],
        "error": error,
        "form": form or {},
        "label": label,
        "today": date.today().isoformat(),
        "four_eyes": FOUR_EYES,
        # one field per document kind the offered steps need (the workflow checks which step needs which)
        "documents": sorted({kind for step in mine for kind in RULES[step].documents}),
    }
    response = page(request, live, "kerja/adoption_case.html", context)
    response.status_code = status
    return response


@router.get("/kerja/adoption-cases/{ref}", response_class=HTMLResponse)
def case_page(request: Request, ref: str) -> Response:
    return _page(request, ref[:64])


@router.post("/kerja/adoption-cases/{ref}/steps", response_class=HTMLResponse)
async def take_step(request: Request, ref: str) -> Response:
    """Take a step: checked by the workflow itself (order, role, documents, dates); refused inline with
    the workflow's own reason, the officer's input kept, nothing written."""
    # The form's field names depend on the step's documents, so it is read here; the database work runs
    # in the thread pool, as a plain route's would, never on the event loop.
    form = {k: str(v)[:500] for k, v in (await request.form()).items()}
    return await run_in_threadpool(_take_step, request, ref[:64], form)


def _take_step(request: Request, ref: str, form: dict[str, str]) -> Response:
    live = officer(request)
    check_form(request, form.get("csrf"))
    rule = next((r for s, r in RULES.items() if s.value == form.get("step")), None)
    documents = []
    if rule is not None:
        documents = [
            {"kind": kind, "number": form[f"doc_{kind}"]}
            for kind in rule.documents
            if form.get(f"doc_{kind}")
        ]
    body = {
        "step": form.get("step", ""),
        "occurred_on": form.get("occurred_on", ""),
        "outcome": form.get("outcome") or None,
        "documents": documents,
        "note": form.get("note") or None,
    }
    try:
        data = AdoptionStepIn.model_validate({k: v for k, v in body.items() if v is not None})
        with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
            take_one_step(uow, live.actor, ref, data)
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
        return _page(request, ref, error=reasons, form=form, status=422)
    except JagaError as exc:
        if exc.status >= 500:
            raise
        message = translations.detail(exc, language(request))
        return _page(request, ref, error=message, form=form, status=exc.status)
    lang = "?lang=en" if language(request) == "en" else ""
    return RedirectResponse(f"/kerja/adoption-cases/{ref}{lang}", status_code=303, headers=NO_STORE)


@router.post("/kerja/adoption-cases/{ref}/steps/{number}/decision", response_class=HTMLResponse)
def decide(
    request: Request,
    ref: str,
    number: int,
    csrf: Annotated[str, Form(max_length=64)] = "",
    decision: Annotated[str, Form(max_length=16)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    live = officer(request)
    check_form(request, csrf)
    try:
        with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
            decide_step(uow, live.actor, ref, number, approve=decision == "approve", note=note or None)
    except JagaError as exc:
        if exc.status >= 500:
            raise
        return _page(request, ref, error=translations.detail(exc, language(request)), status=exc.status)
    lang = "?lang=en" if language(request) == "en" else ""
    return RedirectResponse(f"/kerja/adoption-cases/{ref}{lang}", status_code=303, headers=NO_STORE)
