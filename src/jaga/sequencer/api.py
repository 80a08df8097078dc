"""The log over HTTP.

`router`: the log's public face, `/ledger/checkpoint` and `/ledger/tile/...` in the tlog-tiles layout.
Public on purpose (no account): the log holds only salted hashes, and anyone must be able to check it.
Full tiles never change, so they are cached for a year; partial tiles and the checkpoint grow.

`events_router`: `/api/v1/events`, the outbox the log is built from (metadata and commitments, never
payloads), for auditors.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import select

from jaga.access import Action
from jaga.access.deps import authenticated, guarded
from jaga.db import EventRecord
from jaga.db.pagination import decode_cursor, encode_cursor
from jaga.sequencer.services import serve_tile, state
from jaga.web.deps import CursorQuery, LimitQuery, UowDep

router = APIRouter(prefix="/ledger", tags=["ledger"])
events_router = APIRouter(prefix="/api/v1", dependencies=[Depends(authenticated)])

GROWING = "public, max-age=5"
IMMUTABLE = "public, max-age=31536000, immutable"


@router.get("/checkpoint", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
def get_checkpoint(request: Request) -> Response:
    """The latest signed checkpoint (C2SP tlog-checkpoint, signed note)."""
    with request.app.state.sessions() as session:
        note = state(session).checkpoint
    return Response(note, media_type="text/plain; charset=utf-8", headers={"Cache-Control": GROWING})


@router.get(
    "/tile/{path:path}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def get_tile(path: str, request: Request) -> Response:
    """A hash tile (`tile/L/N[.p/W]`) or entry bundle (`tile/entries/N[.p/W]`), per C2SP tlog-tiles."""
    with request.app.state.sessions() as session:
        data = serve_tile(session, f"tile/{path}")
    partial = ".p/" in path
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"Cache-Control": GROWING if partial else IMMUTABLE},
    )


class EventOut(BaseModel):
    seq: int
    kind: str
    aggregate: str
    aggregate_id: int
    recorded_at: datetime
    actor_id: int | None
    commitment: str


class EventPage(BaseModel):
    items: list[EventOut]
    next_cursor: str | None


@events_router.get("/events", response_model=EventPage, tags=["events"], **guarded(Action.AUDIT_READ))
def list_events(
    uow: UowDep,
    kind: Annotated[str | None, Query(description="e.g. birth.recorded")] = None,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> EventPage:
    """The event log in sequence order: metadata and commitments only, never payloads."""
    query = select(EventRecord).order_by(EventRecord.seq).limit(limit + 1)
    if kind:
        query = query.where(EventRecord.kind == kind)
    if cursor:
        query = query.where(EventRecord.seq > decode_cursor(cursor))
    rows = list(uow.session.scalars(query))
    more = len(rows) > limit
    items = [EventOut.model_validate(r, from_attributes=True) for r in rows[:limit]]
    return EventPage(items=items, next_cursor=encode_cursor(items[-1].seq) if more else None)
