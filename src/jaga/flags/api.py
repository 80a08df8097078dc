"""Flags over HTTP: list (filters, cursor pages), one flag with its trail, and status changes.
(No `from __future__ import annotations`: FastAPI reads the body types from the annotations.)"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from jaga.access import Action
from jaga.access.deps import ActorDep, authenticated, guarded
from jaga.flags.models import FlagStatus
from jaga.flags.services import MAX_NOTE, FlagFilter, change_status, get_flag, list_flags
from jaga.web.deps import CursorQuery, LimitQuery, ReasonQuery, UowDep, channel

router = APIRouter(prefix="/api/v1/flags", dependencies=[Depends(authenticated)], tags=["flags"])

# Ids are 64-bit in the database; a larger number is a client's mistake (422), not a driver overflow.
FlagId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the flag's id")]
KindQuery = Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_]{0,63}$", description="only this kind")]
RegionQuery = Annotated[
    str | None, Query(pattern=r"^[0-9][0-9.]{0,12}$", description="only this region and below, e.g. 33.74")
]


class StatusChange(BaseModel):
    from_status: str
    to_status: str
    note: str | None
    principal_id: int | None
    changed_at: datetime


class FlagOut(BaseModel):
    id: int
    kind: str
    subject_type: str
    subject_ref: str
    score: float = Field(description="0..1, higher is more suspicious; ranks flags across kinds")
    status: FlagStatus
    region_code: str
    evidence: dict[str, Any]
    explanation_id: str = Field(description="Bahasa Indonesia")
    explanation_en: str
    records: list[str] = Field(description="refs of the records involved")
    present: bool = Field(description="found by the latest run")
    first_seen_at: datetime
    last_seen_at: datetime
    last_run_id: int


class FlagDetailOut(FlagOut):
    history: list[StatusChange]


class FlagPageOut(BaseModel):
    items: list[FlagOut]
    next_cursor: str | None = None


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: FlagStatus
    note: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NOTE, pattern=r"^[^\x00]*$")]
        | None
    ) = Field(default=None, description="why; required to dismiss or escalate")


@router.get("", response_model=FlagPageOut, **guarded(Action.FLAGS_READ))
def flags_list(
    uow: UowDep,
    actor: ActorDep,
    request: Request,
    reason: ReasonQuery,
    kind: KindQuery = None,
    status: FlagStatus | None = None,
    region: RegionQuery = None,
    include_gone: Annotated[bool, Query(description="also flags the latest run no longer found")] = False,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> FlagPageOut:
    """Flags in your region, most suspicious first (audited)."""
    wanted = FlagFilter(kind=kind, status=status, region=region, present_only=not include_gone)
    page = list_flags(
        uow, actor, wanted=wanted, reason=reason, channel=channel(request), limit=limit, cursor=cursor
    )
    return FlagPageOut(items=[FlagOut.model_validate(i) for i in page.items], next_cursor=page.next_cursor)


@router.get("/{flag_id}", response_model=FlagDetailOut, **guarded(Action.FLAGS_READ))
def flag_get(
    flag_id: FlagId, uow: UowDep, actor: ActorDep, request: Request, reason: ReasonQuery
) -> FlagDetailOut:
    """One flag with its evidence, records and review trail (audited)."""
    return FlagDetailOut.model_validate(
        get_flag(uow, actor, flag_id, reason=reason, channel=channel(request))
    )


@router.post("/{flag_id}/status", response_model=FlagDetailOut, **guarded(Action.FLAGS_REVIEW))
def flag_status(
    flag_id: FlagId, body: StatusIn, uow: UowDep, actor: ActorDep, request: Request
) -> FlagDetailOut:
    """Move a flag (open, under_review, dismissed, escalated), with a note; ledgered."""
    done = change_status(uow, actor, flag_id, status=body.status, note=body.note, channel=channel(request))
    return FlagDetailOut.model_validate(done)
