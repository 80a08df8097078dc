"""`/kerja/review`: the linkage's uncertain pairs, side by side with the model's explanation; decide the
same person, different people, or unsure (put aside for this sitting), with keyboard shortcuts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jaga.access import Action
from jaga.db import UnitOfWork
from jaga.errors import InvalidInput
from jaga.linkage.review import decide, next_for_review
from jaga.portal.pages import PAGE_TAG, language
from jaga.registry import Purpose
from jaga.workbench.auth import check_form, officer
from jaga.workbench.labels import label
from jaga.workbench.queue import NO_STORE, page

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)
MAX_SKIPPED = 200
FIELDS = (
    "full_name",
    "nik",
    "sex",
    "birth_date",
    "mother_name",
    "region_code",
    "address_region_code",
    "source_kind",
)


def _skipped(text: str) -> list[int]:
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InvalidInput("skip must be a comma-separated list of pair numbers") from None
    return ids[-MAX_SKIPPED:]


@router.get("/kerja/review", response_class=HTMLResponse)
def review_page(request: Request, skip: Annotated[str, Query(max_length=2000)] = "") -> HTMLResponse:
    live = officer(request)
    live.actor.require(Action.IDENTITIES_REVIEW)
    if not live.purpose:
        return page(request, live, "kerja/purpose_needed.html", {"back": request.url.path})
    skipped = _skipped(skip)
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        item = next_for_review(
            uow, live.actor, purpose=Purpose(live.purpose, "workbench GET /kerja/review"), skip=skipped
        )
    context = {"item": item, "skip": ",".join(str(i) for i in skipped), "fields": FIELDS, "label": label}
    return page(request, live, "kerja/review.html", context)


@router.post("/kerja/review/{link_id}")
def review_decision(
    request: Request,
    link_id: int,
    csrf: Annotated[str, Form(max_length=64)] = "",
    decision: Annotated[str, Form(max_length=16)] = "",
    skip: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    live = officer(request)
    check_form(request, csrf)
    skipped = _skipped(skip)
    if decision == "unsure":
        skipped.append(link_id)
    elif decision in ("same", "different"):
        with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
            decide(uow, live.actor, link_id, same=decision == "same")
    else:
        raise InvalidInput("decision must be same, different or unsure")
    query = ",".join(str(i) for i in skipped[-MAX_SKIPPED:])
    params = [f"skip={query}"] if query else []
    if language(request) == "en":
        params.append("lang=en")
    target = "/kerja/review" + ("?" + "&".join(params) if params else "")
    return RedirectResponse(target, status_code=303, headers=NO_STORE)
