"""`/kerja/tips/{ref}`: one tip from the public, read as `GET /api/v1/tips/{ref}` reads it (role, region,
the task's purpose, an audit entry), with the status form of `POST /api/v1/tips/{ref}/status` for the
roles that handle tips."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jaga.access import Action
from jaga.db import UnitOfWork
from jaga.errors import JagaError
from jaga.portal.pages import PAGE_TAG, language
from jaga.tips import StatusIn, TipStatus, change_status, get_tip
from jaga.web import translations
from jaga.workbench.auth import check_form, officer
from jaga.workbench.queue import NO_STORE, page

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)
CHANNEL = "workbench GET /kerja/tips/{ref}"


def _page(request: Request, ref: str, *, error: str | None = None, status_code: int = 200) -> Response:
    live = officer(request)
    live.actor.require(Action.TIPS_READ)
    if not live.purpose:
        return page(request, live, "kerja/purpose_needed.html", {"back": request.url.path})
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        tip = get_tip(uow, live.actor, ref, reason=live.purpose, channel=CHANNEL)
    context: dict[str, Any] = {
        "tip": tip,
        "may_handle": live.actor.can(Action.TIPS_HANDLE),
        # a tip never goes back to "received" (change_status refuses it)
        "statuses": [s.value for s in TipStatus if s not in (TipStatus.RECEIVED, TipStatus(tip["status"]))],
        "error": error,
    }
    response = page(request, live, "kerja/tip.html", context)
    response.status_code = status_code
    return response


@router.get("/kerja/tips/{ref}", response_class=HTMLResponse)
def tip_page(request: Request, ref: str) -> Response:
    return _page(request, ref[:64])


@router.post("/kerja/tips/{ref}/status", response_class=HTMLResponse)
def tip_status(
    request: Request,
    ref: str,
    csrf: Annotated[str, Form(max_length=64)] = "",
    status: Annotated[str, Form(max_length=16)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Move the tip to another status with a note (required to refer or close): the API's own service."""
    live = officer(request)
    check_form(request, csrf)
    ref = ref[:64]
    try:
        data = StatusIn.model_validate({"status": status, "note": note or None})
        with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
            change_status(
                uow,
                live.actor,
                ref,
                status=data.status,
                note=data.note,
                channel="workbench POST /kerja/tips/{ref}/status",
            )
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3])
        return _page(request, ref, error=reasons, status_code=422)
    except JagaError as exc:
        if exc.status >= 500 or exc.status in (401, 403, 404):
            raise
        return _page(request, ref, error=translations.detail(exc, language(request)), status_code=exc.status)
    lang = "?lang=en" if language(request) == "en" else ""
    return RedirectResponse(f"/kerja/tips/{ref}{lang}", status_code=303, headers=NO_STORE)
