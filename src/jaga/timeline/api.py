"""A person's timeline over HTTP: the workbench's child timeline as JSON. (No `from __future__ import
annotations`: FastAPI reads the types from the annotations.)"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from jaga.access import Action
from jaga.access.deps import ActorDep, authenticated, guarded
from jaga.registry import REF_PATTERN, Purpose
from jaga.timeline.services import Timeline, person_timeline
from jaga.web.deps import ReasonQuery, UowDep, channel

router = APIRouter(prefix="/api/v1", dependencies=[Depends(authenticated)], tags=["timeline"])

# A ref in the path must pass the registry's ref pattern first (422, not 500).
PathRef = Annotated[str, Path(pattern=REF_PATTERN, description="the person's record reference")]


class TimelineEntryOut(BaseModel):
    kind: str = Field(
        description="person, birth, relinquishment, placement, adoption_case, adoption_step, "
        "missing_report, certificate or flag"
    )
    ref: str = Field(description="the record's ref (an adoption step: its case's ref and `#number`)")
    on: date | None = Field(description="when it happened, as far as the record says")
    region_code: str
    in_scope: bool = Field(description="false: outside your region; `facts` is empty, ask that region")
    agency: str = Field(description="the role of the account that recorded it; `operator`: the server")
    feed: str | None = Field(description="the agency system the record was transcribed from, if any")
    in_log: bool = Field(description="its event is included in the public log")
    facts: dict[str, Any] = Field(description="what the record says (its fields depend on `kind`)")


class TimelineOut(BaseModel):
    person_ref: str
    records: list[str] = Field(
        description="refs of the person records the identity linkage joins (this person's own first)"
    )
    log_size: int = Field(description="entries in the public log when this was read")
    entries: list[TimelineEntryOut] = Field(description="in the order things happened")


def timeline_out(timeline: Timeline) -> TimelineOut:
    return TimelineOut(
        person_ref=timeline.person.ref,
        records=[member.ref for member in timeline.members],
        log_size=timeline.log_size,
        entries=[
            TimelineEntryOut(
                kind=entry.kind,
                ref=entry.ref,
                on=entry.on,
                region_code=entry.region_code,
                in_scope=entry.in_scope,
                agency=entry.source.role or "operator",
                feed=entry.source.feed,
                in_log=entry.in_log,
                facts=entry.facts,
            )
            for entry in timeline.entries
        ],
    )


@router.get("/people/{ref}/timeline", response_model=TimelineOut, **guarded(Action.PEOPLE_READ))
def person_timeline_get(
    ref: PathRef, uow: UowDep, actor: ActorDep, request: Request, reason: ReasonQuery
) -> TimelineOut:
    """Everything every agency recorded about this person, in order, through the identity linkage;
    records outside your region as stubs (audited)."""
    found = person_timeline(uow, actor, ref, purpose=Purpose(reason, channel(request)))
    return timeline_out(found)
