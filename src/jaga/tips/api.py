"""Tips over HTTP, for officers: list, one tip with its follow-ups and matches, its screenshots, asking
the tipster a question and changing the status. (No `from __future__ import annotations`: FastAPI reads
the body types from the annotations.) The public sends tips through the portal's pages (`/lapor`)."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from jaga.access import Action
from jaga.access.deps import ActorDep, authenticated, guarded
from jaga.tips.models import TipStatus
from jaga.tips.schemas import QuestionIn, StatusIn
from jaga.tips.services import TipFilter, ask_question, change_status, get_screenshot, get_tip, list_tips
from jaga.web.deps import CursorQuery, LimitQuery, ReasonQuery, UowDep, channel

router = APIRouter(prefix="/api/v1/tips", dependencies=[Depends(authenticated)], tags=["tips"])

TipRef = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="the tip's ref, T-...")
]
Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="the screenshot's SHA-256 (hex)")]
RegionQuery = Annotated[
    str | None, Query(pattern=r"^[0-9][0-9.]{0,12}$", description="only this region and below, e.g. 33.74")
]


class TipOut(BaseModel):
    ref: str
    received_at: datetime
    region_code: str = Field(description="the region the tip names; empty for the national desk")
    desk: str = Field(description="regional, or national when the tip names no region")
    status: TipStatus
    platform: str
    url: str | None
    handle: str | None
    phone: str | None = Field(description="E.164")
    place: str | None = Field(description="as the tipster wrote it")
    price_rupiah: int | None
    description: str | None
    screenshot_sha256: str | None
    status_note: str | None = Field(description="the officer's note with the latest status (never shown out)")
    status_changed_at: datetime | None


class TipListItem(TipOut):
    matches: int = Field(description="registry records and other tips this tip names")


class TipPageOut(BaseModel):
    items: list[TipListItem]
    next_cursor: str | None = None


class MessageOut(BaseModel):
    id: int
    kind: str = Field(description="addition (from the tipster) or question (from an officer)")
    body: str
    reply_to: int | None
    screenshot_sha256: str | None
    principal_id: int | None
    created_at: datetime


class MatchOut(BaseModel):
    field: str = Field(description="the tip's field that matched: phone, url, handle, description, addition")
    target_type: str = Field(description="person, facility, institution, attendant, or tip")
    target_ref: str
    target_region_code: str
    method: str = Field(description="phone, url, handle, name (whole name) or name_core (without its kind)")
    strength: float = Field(description="0..1: how sure the match is")


class ScreenshotOut(BaseModel):
    sha256: str
    media_type: str
    width: int
    height: int


class HistoryOut(BaseModel):
    status: str
    note: str | None
    principal_id: int | None
    at: datetime


class TipDetailOut(TipOut):
    messages: list[MessageOut]
    matches: list[MatchOut]
    screenshots: list[ScreenshotOut]
    history: list[HistoryOut]


@router.get("", response_model=TipPageOut, **guarded(Action.TIPS_READ))
def tips_list(
    uow: UowDep,
    actor: ActorDep,
    request: Request,
    reason: ReasonQuery,
    status: TipStatus | None = None,
    region: RegionQuery = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> TipPageOut:
    """Tips in your region, newest first; the national desk (whole-country accounts) sees every tip,
    including those that name no region (audited)."""
    page = list_tips(
        uow,
        actor,
        wanted=TipFilter(status=status, region=region),
        reason=reason,
        channel=channel(request),
        limit=limit,
        cursor=cursor,
    )
    return TipPageOut(items=[TipListItem.model_validate(i) for i in page.items], next_cursor=page.next_cursor)


@router.get("/{ref}", response_model=TipDetailOut, **guarded(Action.TIPS_READ))
def tip_get(ref: TipRef, uow: UowDep, actor: ActorDep, request: Request, reason: ReasonQuery) -> TipDetailOut:
    """One tip with the tipster's additions, officers' questions, registry matches and status history
    (audited)."""
    return TipDetailOut.model_validate(get_tip(uow, actor, ref, reason=reason, channel=channel(request)))


@router.get(
    "/{ref}/screenshots/{sha256}",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}, "image/jpeg": {}, "image/webp": {}}, "description": "the image"}
    },
    **guarded(Action.TIPS_READ),
)
def tip_screenshot(
    ref: TipRef, sha256: Sha256, uow: UowDep, actor: ActorDep, request: Request, reason: ReasonQuery
) -> Response:
    """A screenshot sent with the tip, re-encoded without metadata (audited)."""
    media_type, content = get_screenshot(uow, actor, ref, sha256, reason=reason, channel=channel(request))
    return Response(content, media_type=media_type, headers={"Cache-Control": "no-store"})


@router.post("/{ref}/questions", response_model=TipDetailOut, **guarded(Action.TIPS_HANDLE))
def tip_ask(ref: TipRef, body: QuestionIn, uow: UowDep, actor: ActorDep, request: Request) -> TipDetailOut:
    """Ask the tipster a question; they see it when they open the tip with their receipt (ledgered)."""
    return TipDetailOut.model_validate(
        ask_question(uow, actor, ref, question=body.question, channel=channel(request))
    )


@router.post("/{ref}/status", response_model=TipDetailOut, **guarded(Action.TIPS_HANDLE))
def tip_status(ref: TipRef, body: StatusIn, uow: UowDep, actor: ActorDep, request: Request) -> TipDetailOut:
    """Move a tip (under_review, referred, closed), with a note (required to refer or close); ledgered."""
    return TipDetailOut.model_validate(
        change_status(uow, actor, ref, status=body.status, note=body.note, channel=channel(request))
    )
