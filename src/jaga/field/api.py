"""Field offices over HTTP: a device's batch posted by a courier (the same verification as `jaga field
import`), the enrolled devices, and the conflict queue. (No `from __future__ import annotations`:
FastAPI reads the body types from the annotations.)"""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from jaga.access import Action
from jaga.access.deps import ActorDep, authenticated, guarded
from jaga.errors import TooLarge
from jaga.field.conflicts import conflict_view, dependents, list_conflicts, resolve_conflict
from jaga.field.services import enrol_device, list_devices, receive_batch, revoke_device
from jaga.web.deps import ReasonQuery, UowDep, channel

router = APIRouter(prefix="/api/v1/field", dependencies=[Depends(authenticated)], tags=["field"])

MAX_BATCH_BYTES = 64 * 1024 * 1024
# The body is read as bytes whatever its Content-Type (`jaga field sync` sends application/x-ndjson); the
# OpenAPI document declares application/octet-stream, which every client generator and fuzzer can send.
BATCH_MEDIA_TYPE = "application/octet-stream"

DeviceId = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="FD-...")]


async def batch_body(request: Request) -> bytes:
    """The raw batch (JSON Lines), read once; larger than 64 MiB is refused (export several)."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BATCH_BYTES:
        raise TooLarge(f"a batch may hold at most {MAX_BATCH_BYTES} bytes; export several smaller ones")
    body = await request.body()
    if len(body) > MAX_BATCH_BYTES:
        raise TooLarge(f"a batch may hold at most {MAX_BATCH_BYTES} bytes; export several smaller ones")
    return body


class BatchEventOut(BaseModel):
    position: int = Field(description="the event's line in the batch, from 1")
    event_id: str
    seq: int = Field(description="its position in the device's chain")
    outcome: str = Field(description="applied, already-have or held (conflict queue)")
    reason: str | None = None
    record_ref: str | None = None


class BatchOut(BaseModel):
    device: str
    applied: int
    already_have: int
    held: int
    events: list[BatchEventOut]


class DeviceIn(BaseModel):
    vkey: str = Field(max_length=200, description="the device's public key (its device.vkey)")
    office: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=4, max_length=500)
    region: str | None = Field(default=None, description="the office's region (default: your scope)")


class RevokeIn(BaseModel):
    reason: str = Field(min_length=4, max_length=500)


class DeviceOut(BaseModel):
    device_id: str
    office_ref: str
    region_code: str
    enrolled_at: datetime
    revoked_at: datetime | None
    last_seq: int = Field(description="the events the server holds from this device")


class ConflictOut(BaseModel):
    id: int
    event_id: str
    device_id: str
    region_code: str
    kind: str = Field(description="nik-registered, registry-conflict, content-mismatch or depends-on-held")
    reason: str
    status: str
    created_at: datetime
    record_kind: str
    diff: list[dict[str, Any]] = Field(description="field, field_value, central_value, same, legal_status")
    resolution_note: str | None
    record_ref: str | None = Field(description="the record written when the conflict was applied")
    depends_on: str | None = Field(
        None, description="depends-on-held: the id of the held event whose record this one names"
    )


class DependentOut(BaseModel):
    id: int
    event_id: str
    kind: str
    status: str


class ResolvedOut(ConflictOut):
    dependents: list[DependentOut] = Field(
        description="the conflicts held because they depend on this one, after the decision: applying "
        "it releases them (each applied, or still open with its new reason)"
    )


class ResolveIn(BaseModel):
    decision: Literal["apply", "dismiss"]
    note: str = Field(min_length=4, max_length=500)


_BATCH_ROUTE = guarded(Action.FIELD_SYNC)
_BATCH_ROUTE["openapi_extra"]["requestBody"] = {
    "required": True,
    "content": {BATCH_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
    "description": "a batch file from `jaga field export` (JSON Lines)",
}


@router.post("/batches", response_model=BatchOut, **_BATCH_ROUTE)
def post_batch(uow: UowDep, actor: ActorDep, body: Annotated[bytes, Depends(batch_body)]) -> Any:
    """Verify a device's batch (enrolment, signatures, chain) and apply it, all or nothing."""
    return receive_batch(uow, actor=actor, data=body).as_dict()


@router.get("/devices", response_model=list[DeviceOut], **guarded(Action.FIELD_DEVICES_MANAGE))
def get_devices(uow: UowDep, actor: ActorDep) -> Any:
    return list_devices(uow, actor=actor)


@router.post("/devices", response_model=DeviceOut, status_code=201, **guarded(Action.FIELD_DEVICES_MANAGE))
def post_device(uow: UowDep, actor: ActorDep, body: DeviceIn) -> Any:
    return enrol_device(
        uow, actor=actor, vkey=body.vkey, office=body.office, reason=body.reason, region=body.region
    )


@router.post("/devices/{device_id}/revoke", response_model=DeviceOut, **guarded(Action.FIELD_DEVICES_MANAGE))
def post_revoke(uow: UowDep, actor: ActorDep, device_id: DeviceId, body: RevokeIn) -> Any:
    return revoke_device(uow, actor=actor, device_id=device_id, reason=body.reason)


@router.get("/conflicts", response_model=list[ConflictOut], **guarded(Action.FIELD_CONFLICTS_READ))
def get_conflicts(
    uow: UowDep,
    actor: ActorDep,
    request: Request,
    reason: ReasonQuery,
    status: Annotated[
        str | None, Query(pattern="^(open|applied|dismissed)$", description="default: all")
    ] = None,
) -> Any:
    """The field events held for review, with their field-by-field diffs (audited read)."""
    found = list_conflicts(uow, actor=actor, reason=reason, channel=channel(request), status=status)
    return [c.__dict__ for c in found]


ConflictId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post(
    "/conflicts/{conflict_id}/resolve", response_model=ResolvedOut, **guarded(Action.FIELD_CONFLICTS_RESOLVE)
)
def post_resolve(uow: UowDep, actor: ActorDep, conflict_id: ConflictId, body: ResolveIn) -> Any:
    """Apply a held field event as recorded (beside the central record, nothing merged), or dismiss it.
    Applying it re-applies the events held because they depended on it."""
    done = resolve_conflict(uow, actor=actor, conflict_id=conflict_id, decision=body.decision, note=body.note)
    fields = ("id", "event_id", "kind", "status")
    held = [{name: getattr(d, name) for name in fields} for d in dependents(uow, done)]
    return {**conflict_view(done).__dict__, "dependents": held}
