"""`/kerja/people/{ref}`: a child's timeline across agencies (jaga.timeline), read for the task's purpose."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from jaga.db import UnitOfWork
from jaga.portal.pages import PAGE_TAG
from jaga.registry import Purpose
from jaga.timeline import person_timeline
from jaga.workbench.auth import officer
from jaga.workbench.labels import label
from jaga.workbench.queue import page

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)


@router.get("/kerja/people/{ref}", response_class=HTMLResponse)
def timeline_page(request: Request, ref: str) -> HTMLResponse:
    live = officer(request)
    if not live.purpose:
        # A child's record is never read without a purpose: ask for it, then come back here.
        return page(request, live, "kerja/purpose_needed.html", {"back": request.url.path})
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        timeline = person_timeline(
            uow, live.actor, ref[:64], purpose=Purpose(live.purpose, "workbench GET /kerja/people/{ref}")
        )
    return page(request, live, "kerja/timeline.html", {"timeline": timeline, "label": label})
