"""`/kerja/cari`: one search box for names, NIK and KK numbers, akta numbers and refs (jaga.registry's
`search_records`), in the officer's region, read for the task's purpose."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from jaga.db import UnitOfWork
from jaga.portal.pages import PAGE_TAG
from jaga.registry import Purpose, search_records
from jaga.workbench.auth import officer
from jaga.workbench.labels import label
from jaga.workbench.queue import page

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)


@router.get("/kerja/cari", response_class=HTMLResponse)
def search_page(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    live = officer(request)
    if q and not live.purpose:
        return page(request, live, "kerja/purpose_needed.html", {"back": request.url.path})
    found = None
    if q:
        with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
            found = search_records(
                uow, live.actor, q, purpose=Purpose(live.purpose or "", "workbench GET /kerja/cari")
            )
    return page(request, live, "kerja/search.html", {"q": q, "found": found, "label": label})
