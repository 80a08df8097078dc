"""`/kerja/audit`: who read which record, when and why; unusual access marked. Auditors and administrators
see every account in their scope; every other officer sees their own reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from jaga.access import Action
from jaga.access.audit import BULK, AuditFilter, audit_rows
from jaga.portal.pages import PAGE_TAG
from jaga.workbench.auth import officer
from jaga.workbench.queue import page

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)


def _moment(day: date | None, end: bool) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)


@router.get("/kerja/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    username: Annotated[str, Query(max_length=64)] = "",
    resource: Annotated[str, Query(max_length=64)] = "",
    since: Annotated[date | None, Query()] = None,
    until: Annotated[date | None, Query()] = None,
    unusual: Annotated[bool, Query()] = False,
    before: Annotated[int | None, Query(ge=1)] = None,
) -> HTMLResponse:
    live = officer(request)
    wanted = AuditFilter(
        username=username or None,
        resource=resource or None,
        since=_moment(since, False),
        until=_moment(until, True),
        unusual_only=unusual,
    )
    sessions = request.app.state.sessions
    with sessions() as session:
        rows, next_before = audit_rows(session, live.actor, wanted, limit=100, before=before)
    context = {
        "rows": rows,
        "next_before": next_before,
        "everyone": live.actor.can(Action.AUDIT_READ),
        "filters": {
            "username": username,
            "resource": resource,
            "since": since,
            "until": until,
            "unusual": unusual,
        },
        "bulk": BULK,
    }
    return page(request, live, "kerja/audit.html", context)
