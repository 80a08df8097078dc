"""`/kerja`: what this officer has to do now, and the purpose of the task at hand.

What to do: open flags in the region, adoption steps waiting for the officer's role (with the law's
deadlines, `jaga.registry.adoption.deadlines`), pairs to review, and new tips. Counts need no reason (no
record is read). Listing the records behind them is a read of records that name children, so it waits
until the officer has said what the task is (`/kerja/tujuan`); the lists are audited with that purpose,
and the purpose is shown on every page while it applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jaga.access import Action
from jaga.access.logins import LiveSession, set_purpose
from jaga.db import UnitOfWork
from jaga.flags.models import FlagStatus
from jaga.flags.services import FlagFilter, count_open, list_flags
from jaga.linkage.review import pending_count
from jaga.portal.pages import PAGE_TAG, language, render
from jaga.registry import KINDS, Purpose, WaitingCount, WaitingStep, count_waiting, list_waiting
from jaga.tips import TipFilter, TipStatus, count_tips, list_tips
from jaga.workbench.auth import check_form, csrf_token, officer, session_token
from jaga.workbench.queue_sources import QueueCount, counts
from jaga.workbench.record_forms import forms_for, saved_notice

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)
# same-origin, not the portal's no-referrer: with no-referrer, browsers send `Origin: null` on form
# posts, and the workbench checks every POST's Origin.
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}
CHANNEL = "workbench GET /kerja"


LISTED = 50  # waiting adoption steps listed, nearest date first (the count says how many there are)


@dataclass
class Queue:
    flags_open: int | None = None  # None: this role does not see flags
    pairs_to_review: int | None = None
    adoptions: WaitingCount | None = None  # None: this role takes no adoption step
    tips_new: int | None = None  # None: this role does not handle tips
    sources: list[QueueCount] = field(default_factory=list)  # faces, field: registered by jaga.app
    flags: list[dict[str, Any]] = field(default_factory=list)
    steps: list[WaitingStep] = field(default_factory=list)
    tips: list[dict[str, Any]] = field(default_factory=list)


def page(request: Request, live: LiveSession, template: str, context: dict[str, Any]) -> HTMLResponse:
    """A workbench page: the officer, the purpose of the task and the CSRF token come with every one."""
    token = session_token(request) or ""
    base = {
        "officer": live,
        "csrf": csrf_token(request, token),
        "purpose": live.purpose,
        "saved": saved_notice(request),  # after a record form redirected here
        "record_forms": forms_for(live.actor),  # what this officer may record (links on the pages)
    }
    return render(request, template, {**base, **context}, headers=NO_STORE)


def _queue(request: Request, live: LiveSession) -> Queue:
    actor = live.actor
    queue = Queue()
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        if actor.can(Action.FLAGS_READ):
            queue.flags_open = count_open(uow.session, actor)
        if actor.can(Action.IDENTITIES_REVIEW):
            queue.pairs_to_review = pending_count(uow.session, actor)
        if actor.can(Action.ADOPTIONS_WRITE):
            queue.adoptions = count_waiting(uow, actor)
        if actor.can(Action.TIPS_HANDLE):
            queue.tips_new = count_tips(uow.session, actor, status=TipStatus.RECEIVED)
        queue.sources = counts(request, uow, actor)
        if live.purpose and queue.flags_open:
            listed = list_flags(
                uow,
                actor,
                wanted=FlagFilter(status=FlagStatus.OPEN),
                reason=live.purpose,
                channel=CHANNEL,
                limit=10,
            )
            queue.flags = listed.items
        if live.purpose and queue.adoptions and queue.adoptions.total:
            queue.steps = list_waiting(uow, actor, purpose=Purpose(live.purpose, CHANNEL), limit=LISTED)
        if live.purpose and queue.tips_new:
            new = list_tips(
                uow,
                actor,
                wanted=TipFilter(status=TipStatus.RECEIVED),
                reason=live.purpose,
                channel=CHANNEL,
                limit=10,
            )
            queue.tips = new.items
    return queue


@router.get("/kerja", response_class=HTMLResponse)
def work_queue(request: Request) -> HTMLResponse:
    live = officer(request)
    # the import page (jaga.workbench.imports) is for roles that may write some kind of record
    can_import = any(k.write_action and live.actor.can(k.write_action) for k in KINDS.values())
    context = {"queue": _queue(request, live), "lang": language(request), "can_import": can_import}
    return page(request, live, "kerja/queue.html", context)


@router.post("/kerja/tujuan")
def purpose_submit(
    request: Request,
    csrf: Annotated[str, Form(max_length=64)] = "",
    purpose: Annotated[str, Form(max_length=200)] = "",
    end: Annotated[str, Form(max_length=8)] = "",
    back: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """Set the purpose of the task at hand (or end it): every read until then is audited with it."""
    officer(request)
    check_form(request, csrf)
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        set_purpose(uow, session_token(request) or "", None if end else purpose)
    lang = "?lang=en" if language(request) == "en" else ""
    # Back to the page that asked for the purpose (a workbench path only: never another site).
    target = back if back.startswith("/kerja/") and "//" not in back and "\\" not in back else "/kerja"
    return RedirectResponse(f"{target}{lang}", status_code=303, headers=NO_STORE)
