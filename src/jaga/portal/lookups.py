"""Reference lookups for officers: regions, NIK checks, and the event log's metadata (auditors)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from jaga.access import Action
from jaga.access.deps import authenticated, guarded
from jaga.db import EventRecord
from jaga.db.pagination import decode_cursor, encode_cursor
from jaga.errors import RecordNotFound
from jaga.nik import Sex, check_nik
from jaga.regions import Region, format_code, load_directory, parse_code
from jaga.web.deps import CursorQuery, LimitQuery, UowDep

router = APIRouter(prefix="/api/v1", dependencies=[Depends(authenticated)])


class RegionOut(BaseModel):
    code: str
    dotted: str
    level: int
    kind: str
    name: str
    parent_code: str | None


def _region_out(region: Region) -> RegionOut:
    return RegionOut(
        code=region.code,
        dotted=region.dotted,
        level=int(region.level),
        kind=region.kind,
        name=region.name,
        parent_code=region.parent_code,
    )


@router.get("/regions", response_model=list[RegionOut], tags=["regions"], **guarded(Action.REFERENCE_READ))
def list_regions(
    parent: Annotated[str | None, Query(description="children of this code; omit for the provinces")] = None,
) -> list[RegionOut]:
    directory = load_directory()
    parent_code = None
    if parent:
        parent_code = directory.require(parent).code
    return [_region_out(r) for r in directory.all() if r.parent_code == parent_code]


@router.get("/regions/{code}", response_model=RegionOut, tags=["regions"], **guarded(Action.REFERENCE_READ))
def get_region(code: str) -> RegionOut:
    return _region_out(load_directory().require(code))


class NikCheckIn(BaseModel):
    nik: str = Field(description="16 digits")
    birth_date: date | None = None
    sex: Sex | None = None


class NikCheckOut(BaseModel):
    valid: bool
    consistent: bool
    decoded: dict[str, str | bool] | None
    problems: list[str]
    inconsistencies: list[str]


@router.post("/nik/check", response_model=NikCheckOut, tags=["nik"], **guarded(Action.NIK_CHECK))
def nik_check(body: NikCheckIn, uow: UowDep) -> NikCheckOut:
    """Decode a NIK and compare it with the facts given. POST, so the NIK never appears in a URL or log."""
    today = uow.clock().date()
    result = check_nik(
        body.nik, directory=load_directory(), today=today, birth_date=body.birth_date, sex=body.sex
    )
    return NikCheckOut(
        valid=result.valid,
        consistent=result.consistent,
        decoded=result.decoded.as_dict() if result.decoded else None,
        problems=result.problems,
        inconsistencies=result.inconsistencies,
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


@router.get("/events", response_model=EventPage, tags=["events"], **guarded(Action.AUDIT_READ))
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


def region_name(code: str) -> str:
    """A region's name, for pages and reports."""
    region = load_directory().get(parse_code(code))
    if region is None:
        raise RecordNotFound("region", format_code(code))
    return region.name
