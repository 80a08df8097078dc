"""Identity linkage over HTTP: the review queue and a person's identity. (No `from __future__ import
annotations`: FastAPI reads the body types from the annotations.)"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from jaga.access import Action
from jaga.access.deps import ActorDep, authenticated, guarded
from jaga.linkage.review import decide, identity_of, next_for_review
from jaga.registry import REF_PATTERN, Purpose
from jaga.web.deps import ReasonQuery, UowDep, channel

# A ref in the path must pass the registry's ref pattern first (422, not 500).
PathRef = Annotated[str, Path(pattern=REF_PATTERN, description="record reference")]

router = APIRouter(prefix="/api/v1", dependencies=[Depends(authenticated)], tags=["identities"])

# Ids are 64-bit in the database; a larger number is a client's mistake (422), not a driver overflow.
LinkId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the pair's id, as `review/next` shows it")]


class Evidence(BaseModel):
    comparison: str
    level: str
    weight: float = Field(description="log2 Bayes factor: above 0 for the same person, below 0 against")


class ReviewItemOut(BaseModel):
    link_id: int
    probability: float
    weight: float
    evidence: list[Evidence]
    left: dict[str, Any]
    right: dict[str, Any]
    remaining: int


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    same: StrictBool = Field(description="true: the two records are the same person; false: different people")
    note: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=500, pattern=r"^[^\x00]*$")] | None
    ) = None


class DecisionOut(BaseModel):
    decision: str
    left_ref: str
    right_ref: str
    same_identity: bool


class IdentityOut(BaseModel):
    person_ref: str
    linked: bool
    records: list[dict[str, Any]]
    outside_your_region: int


@router.get(
    "/review/next",
    response_model=ReviewItemOut,
    responses={204: {"description": "nothing left to review in your region"}},
    **guarded(Action.IDENTITIES_REVIEW),
)
def review_next(uow: UowDep, actor: ActorDep, request: Request, reason: ReasonQuery) -> Any:
    """The undecided pair the model is least sure about, with both records and the evidence (audited)."""
    item = next_for_review(uow, actor, purpose=Purpose(reason, channel(request)))
    if item is None:
        return Response(status_code=204)
    return ReviewItemOut.model_validate(item, from_attributes=True)


@router.post("/review/{link_id}/decision", response_model=DecisionOut, **guarded(Action.IDENTITIES_REVIEW))
def review_decide(link_id: LinkId, body: DecisionIn, uow: UowDep, actor: ActorDep) -> DecisionOut:
    """Decide a pair; the two identities follow at once and every later run obeys."""
    done = decide(uow, actor, link_id, same=body.same, note=body.note)
    return DecisionOut.model_validate(done, from_attributes=True)


@router.get("/people/{ref}/identity", response_model=IdentityOut, **guarded(Action.IDENTITIES_READ))
def person_identity(
    ref: PathRef, uow: UowDep, actor: ActorDep, request: Request, reason: ReasonQuery
) -> IdentityOut:
    """Every record of the same person, within your region (audited)."""
    return IdentityOut.model_validate(identity_of(uow, actor, ref, purpose=Purpose(reason, channel(request))))
