"""FastAPI dependencies shared by every router."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request

from jaga.db import UnitOfWork
from jaga.web.problems import route_of


def get_uow(request: Request) -> Iterator[UnitOfWork]:
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        yield uow


UowDep = Annotated[UnitOfWork, Depends(get_uow)]

LimitQuery = Annotated[int, Query(ge=1, le=500, description="records per page (1-500)")]
CursorQuery = Annotated[
    str | None,
    Query(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="`next_cursor` of the previous page (opaque)"),
]
# Reads of personal records must say why (the service checks it too, for every edge): at least four
# characters once surrounding blanks are stripped, as `jaga.access.check_reason` counts them.
REASON_PATTERN = r"^\s*[^\s\x00][^\x00]{2,}[^\s\x00]\s*$"
ReasonQuery = Annotated[
    str,
    Query(
        min_length=4,
        max_length=500,
        pattern=REASON_PATTERN,
        description="why you read these personal records (e.g. a case number), at least 4 characters; "
        "kept in the audit trail",
    ),
]


def channel(request: Request) -> str:
    """`api GET /api/v1/people/{ref}`: the route template, never the actual path (it may hold refs)."""
    return f"api {route_of(request)}"
