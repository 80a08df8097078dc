"""`/kerja/flags` (the flags of the officer's region, filtered) and `/kerja/flags/{id}` (one flag: its
explanation, evidence, a chart against its peers or the ring's picture, a timeline of the dated events of
the records behind it and of the flag itself, those records, and the review decision with its history)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jaga.access import Action
from jaga.db import UnitOfWork
from jaga.errors import Conflict, InvalidInput
from jaga.flags.models import FlagStatus
from jaga.flags.services import FlagFilter, change_status, get_flag, list_flags
from jaga.portal.pages import PAGE_TAG, language
from jaga.registry import Purpose
from jaga.timeline import records_timeline
from jaga.workbench.auth import check_form, officer
from jaga.workbench.charts import rate_chart, ring_picture, timeline_chart
from jaga.workbench.labels import label
from jaga.workbench.queue import NO_STORE, page

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)
STATUSES = [s.value for s in FlagStatus]


def _status(value: str | None) -> FlagStatus | None:
    if not value:
        return None
    try:
        return FlagStatus(value)
    except ValueError:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}") from None


@router.get("/kerja/flags", response_class=HTMLResponse)
def flags_page(
    request: Request,
    kind: Annotated[str, Query(max_length=64)] = "",
    region: Annotated[str, Query(max_length=16)] = "",
    status: Annotated[str, Query(max_length=16)] = "open",
    min_score: Annotated[float | None, Query(ge=0, le=1)] = None,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    live = officer(request)
    live.actor.require(Action.FLAGS_READ)
    if not live.purpose:
        return page(request, live, "kerja/purpose_needed.html", {"back": request.url.path})
    wanted = FlagFilter(kind=kind or None, status=_status(status), region=region or None, min_score=min_score)
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        found = list_flags(
            uow,
            live.actor,
            wanted=wanted,
            reason=live.purpose,
            channel="workbench GET /kerja/flags",
            limit=50,
            cursor=cursor,
        )
    context = {
        "flags": found.items,
        "next_cursor": found.next_cursor,
        "filters": {"kind": kind, "region": region, "status": status, "min_score": min_score},
        "statuses": STATUSES,
    }
    return page(request, live, "kerja/flags.html", context)


def _detail(request: Request, flag_id: int, *, error: str | None = None, status_code: int = 200) -> Response:
    live = officer(request)
    live.actor.require(Action.FLAGS_READ)
    if not live.purpose:
        return page(request, live, "kerja/purpose_needed.html", {"back": request.url.path})
    channel = "workbench GET /kerja/flags/{id}"
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        flag = get_flag(uow, live.actor, flag_id, reason=live.purpose, channel=channel)
        refs = [flag["subject_ref"], *flag["records"]]
        entries = records_timeline(uow, live.actor, refs, purpose=Purpose(live.purpose, channel))
    lang = language(request)
    events = _events(flag, entries, lang)
    context: dict[str, Any] = {
        "flag": flag,
        "chart": rate_chart(flag["evidence"], lang),
        "ring": ring_picture(flag["evidence"], lang),
        "timeline": timeline_chart([(day, kind) for day, kind, _ in events], lang),
        "events": events,
        "may_review": live.actor.can(Action.FLAGS_REVIEW),
        "statuses": [s for s in STATUSES if s != flag["status"]],
        "error": error,
        "label": label,
    }
    response = page(request, live, "kerja/flag.html", context)
    response.status_code = status_code
    return response


def _events(flag: dict[str, Any], entries: list[Any], lang: str) -> list[tuple[date, str, str]]:
    """(day, kind, what) of the flag's records and of the flag itself (found, then each decision)."""
    # a person record's date is the person's date of birth
    events = [(e.on, label("birth_date" if e.kind == "person" else e.kind, lang), e.ref) for e in entries]
    events.append((flag["first_seen_at"].date(), label("flag_found", lang), f"F-{flag['id']}"))
    for change in flag["history"]:
        events.append((change["changed_at"].date(), label("flag_decision", lang), change["to_status"]))
    return sorted(events)


@router.get("/kerja/flags/{flag_id}", response_class=HTMLResponse)
def flag_page(request: Request, flag_id: int) -> Response:
    return _detail(request, flag_id)


@router.post("/kerja/flags/{flag_id}", response_class=HTMLResponse)
def flag_decision(
    request: Request,
    flag_id: int,
    csrf: Annotated[str, Form(max_length=64)] = "",
    status: Annotated[str, Form(max_length=16)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """A reviewer's decision on the flag (with the reason); an error is shown on the form, nothing lost."""
    live = officer(request)
    check_form(request, csrf)
    try:
        wanted = _status(status)
        if wanted is None:
            raise InvalidInput("choose the flag's new status")
        with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
            change_status(
                uow,
                live.actor,
                flag_id,
                status=wanted,
                note=reason,
                channel="workbench POST /kerja/flags/{id}",
            )
    except (InvalidInput, Conflict) as exc:
        from jaga.web import translations

        code = 409 if isinstance(exc, Conflict) else 422
        return _detail(request, flag_id, error=translations.detail(exc, language(request)), status_code=code)
    lang = "?lang=en" if language(request) == "en" else ""
    return RedirectResponse(f"/kerja/flags/{flag_id}{lang}", status_code=303, headers=NO_STORE)
