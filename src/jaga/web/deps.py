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
CursorQuery = Annotated[str | None, Query(description="`next_cursor` of the previous page")]
ReasonQuery = Annotated[
    str | None,
    Query(
        min_length=4,
        max_length=500,
        description="why you read these personal records (e.g. a case number); kept in the audit trail",
    ),
]


def channel(request: Request) -> str:
    """`api GET /api/v1/people/{ref}`: the route template, never the actual path (it may hold refs)."""
    return f"api {route_of(request)}"
