"""Photos and face matching over HTTP: attach a photo, list photos, read one (audited), run matching,
read the review queue, decide a candidate. (No `from __future__ import annotations`: FastAPI reads the
body types from the annotations.) Every candidate answer carries the warning that a distance is never a
match."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from jaga.access import Action
from jaga.access.deps import ActorDep, authenticated, guarded
from jaga.errors import InvalidInput
from jaga.faces.models import Basis, SubjectKind
from jaga.faces.services import (
    MAX_BATCH,
    MAX_DISTANCE,
    TOP_PER_INTAKE,
    TOP_PER_REPORT,
    PhotoIn,
    add_photo,
    add_photos,
    decide,
    embed_missing,
    list_photos,
    match,
    pending_count,
    raise_flags,
    read_photo,
    review_queue,
)
from jaga.faces.vault import PhotoVault
from jaga.web.deps import REASON_PATTERN, LimitQuery, ReasonQuery, UowDep, channel

photos_router = APIRouter(prefix="/api/v1/photos", dependencies=[Depends(authenticated)], tags=["photos"])
faces_router = APIRouter(prefix="/api/v1/faces", dependencies=[Depends(authenticated)], tags=["faces"])

REF = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
PhotoRef = Annotated[str, Path(pattern=REF, description="the photo's ref, PH-...")]


class PhotoOut(BaseModel):
    ref: str
    kind: SubjectKind
    subject_ref: str = Field(description="the missing report's or the person's ref")
    person_ref: str = Field(description="the child's person record")
    region_code: str
    basis: Basis
    consent_by: str | None
    order_ref: str | None
    taken_by: str
    taken_on: date
    age_months: int | None = Field(description="the child's age when the photo was taken")
    sha256: str = Field(description="of the image as stored (the public log commits to it)")
    media_type: str
    width: int
    height: int
    faces_found: int
    face_number: int
    face_box: list[int] = Field(description="left, top, right, bottom")
    embedded: bool | None = Field(
        default=None,
        description="in the answer to an upload: false when the face descriptor is left to the worker "
        "(the photo is compared once it has one)",
    )


class CandidateOut(BaseModel):
    candidate_id: int
    report_ref: str
    report_photo_ref: str
    missing_child_ref: str
    intake_photo_ref: str
    intake_person_ref: str
    intake_region_code: str
    distance: float = Field(description="Euclidean distance of the two face descriptors: never a match")
    rank_for_report: int | None
    rank_for_intake: int | None
    filters: dict[str, Any] = Field(description="the filters applied and their values")
    status: str
    model_version: str
    is_match: bool = Field(description="always false: a person decides, never a distance")


class ReportCandidates(BaseModel):
    report_ref: str
    candidates: list[CandidateOut]


class IntakeCandidates(BaseModel):
    intake_photo_ref: str
    intake_person_ref: str
    candidates: list[CandidateOut]


class MatchIn(BaseModel):
    reason: str = Field(min_length=4, max_length=500, pattern=REASON_PATTERN)
    top: int = Field(default=TOP_PER_REPORT, ge=1, le=100)
    per_intake: int = Field(default=TOP_PER_INTAKE, ge=1, le=100)
    max_distance: float = Field(default=MAX_DISTANCE, gt=0, le=2)
    region: str | None = Field(default=None, pattern=r"^[0-9][0-9.]{0,12}$")


class MatchOut(BaseModel):
    warning: str
    warning_id: str
    reports: list[ReportCandidates]
    intakes: list[IntakeCandidates]
    outside_your_region: int
    settings: dict[str, Any]


class QueueOut(BaseModel):
    warning: str
    warning_id: str
    candidates: list[CandidateOut]
    outside_your_region: int


class DecisionIn(BaseModel):
    decision: Literal["confirm", "dismiss"]
    note: str | None = Field(default=None, max_length=500)


class DecisionOut(BaseModel):
    candidate_id: int
    decision: str
    report_ref: str
    missing_child_ref: str
    intake_person_ref: str
    linked_as_same_person: bool
    same_identity_now: bool
    flag: dict[str, Any] | None = Field(
        default=None, description="the report's missing_child_reappears flag after the confirmation"
    )


def _vault(request: Request) -> PhotoVault:
    settings = request.app.state.settings
    return PhotoVault.open(settings.data_dir, settings.key_dir)


@photos_router.post("", response_model=PhotoOut, status_code=201, **guarded(Action.PHOTOS_ADD))
def photo_add(
    uow: UowDep,
    actor: ActorDep,
    request: Request,
    kind: Annotated[SubjectKind, Form(description="missing_report or person")],
    ref: Annotated[str, Form(pattern=REF, description="the report's or the person's ref")],
    basis: Annotated[Basis, Form()],
    reason: Annotated[str, Form(min_length=4, max_length=500, pattern=REASON_PATTERN)],
    taken_by: Annotated[str, Form(min_length=1, max_length=200)],
    taken_on: Annotated[date, Form()],
    file: Annotated[UploadFile, File(description="JPEG, PNG or WebP")],
    consent_by: Annotated[str | None, Form(max_length=200)] = None,
    order_ref: Annotated[str | None, Form(max_length=64)] = None,
    age_months: Annotated[int | None, Form(ge=0, le=216)] = None,
    face: Annotated[int | None, Form(ge=1, le=100)] = None,
) -> dict[str, Any]:
    """Attach a child's photo to a missing report (police, with the family's consent or an order) or to
    an institution's person record; its face is found and described, the image stored encrypted."""
    limit = request.app.state.settings.photo_upload_mb * 1024 * 1024
    content = file.file.read(limit + 1)
    data = PhotoIn(
        kind=kind,
        ref=ref,
        basis=basis,
        reason=reason,
        taken_by=taken_by,
        taken_on=taken_on,
        consent_by=consent_by,
        order_ref=order_ref,
        age_months=age_months,
        face=face,
    )
    return add_photo(uow, actor, _vault(request), data, content, max_bytes=limit, channel=channel(request))


@photos_router.get("", response_model=list[PhotoOut], **guarded(Action.PHOTOS_READ))
def photos_list(
    uow: UowDep,
    actor: ActorDep,
    request: Request,
    reason: ReasonQuery,
    kind: SubjectKind | None = None,
    ref: Annotated[str | None, Query(pattern=REF)] = None,
    limit: LimitQuery = 100,
) -> list[dict[str, Any]]:
    """Photos in your region, newest first: their records and legal basis, never the images (audited)."""
    return list_photos(uow, actor, reason=reason, channel=channel(request), kind=kind, ref=ref, limit=limit)


@photos_router.get(
    "/{ref}/image",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "image/jpeg": {}}, "description": "the image"}},
    **guarded(Action.PHOTOS_READ),
)
def photo_image(
    ref: PhotoRef, uow: UowDep, actor: ActorDep, request: Request, reason: ReasonQuery
) -> Response:
    """A photo's image, decrypted (audited)."""
    media, content = read_photo(uow, actor, _vault(request), ref, reason=reason, channel=channel(request))
    return Response(content, media_type=media, headers={"Cache-Control": "no-store"})


@faces_router.post("/match", response_model=MatchOut, **guarded(Action.FACES_REVIEW))
def faces_match(body: MatchIn, uow: UowDep, actor: ActorDep, request: Request) -> dict[str, Any]:
    """For every open missing report, its nearest intake photos; for every intake photo, its nearest
    open reports. Candidates go to the review queue. A distance is never a match (audited)."""
    result = match(
        uow,
        actor,
        reason=body.reason,
        channel=channel(request),
        top=body.top,
        per_intake=body.per_intake,
        max_distance=body.max_distance,
        region=body.region,
    )
    result.pop("queue")
    return result


@faces_router.get("/candidates", response_model=QueueOut, **guarded(Action.FACES_REVIEW))
def faces_queue(
    uow: UowDep, actor: ActorDep, request: Request, reason: ReasonQuery, limit: LimitQuery = 50
) -> dict[str, Any]:
    """Pending candidates in your region, nearest first (audited)."""
    return review_queue(uow, actor, reason=reason, channel=channel(request), limit=limit)


@faces_router.post(
    "/candidates/{candidate_id}/decision", response_model=DecisionOut, **guarded(Action.FACES_REVIEW)
)
def faces_decide(
    candidate_id: Annotated[int, Path(ge=1, le=2**62)],
    body: DecisionIn,
    uow: UowDep,
    actor: ActorDep,
    request: Request,
) -> dict[str, Any]:
    """Confirm (the same child: the two person records are linked through linkage's review decisions and
    the flag rules run) or dismiss a candidate; ledgered."""
    confirm = body.decision == "confirm"
    decided = decide(uow, actor, candidate_id, confirm=confirm, note=body.note)
    if confirm:
        decided["flag"] = raise_flags(request.app.state.sessions, decided["report_ref"], clock=uow.clock)
    return decided


class BatchItem(BaseModel):
    """One photo of a batch: its record, legal basis and the name of its file among the uploaded files."""

    file: str = Field(min_length=1, max_length=255, description="the uploaded file's name")
    kind: SubjectKind
    ref: str = Field(pattern=REF)
    basis: Basis
    taken_by: str = Field(min_length=1, max_length=200)
    taken_on: date
    consent_by: str | None = Field(default=None, max_length=200)
    order_ref: str | None = Field(default=None, max_length=64)
    age_months: int | None = Field(default=None, ge=0, le=216)
    face: int | None = Field(default=None, ge=1, le=100)


BATCH = TypeAdapter(list[BatchItem])


@photos_router.post("/batch", response_model=list[PhotoOut], status_code=201, **guarded(Action.PHOTOS_ADD))
def photos_batch(
    uow: UowDep,
    actor: ActorDep,
    request: Request,
    reason: Annotated[str, Form(min_length=4, max_length=500, pattern=REASON_PATTERN)],
    manifest: Annotated[str, Form(max_length=200_000, description="JSON list of BatchItem, one per photo")],
    files: Annotated[list[UploadFile], File(description="the photos (JPEG, PNG or WebP)")],
) -> list[dict[str, Any]]:
    """Attach many photos at once, all or none (a refused batch names every refused item: 422
    photos-rejected). Faces are found now; descriptors are left to the worker (`jaga faces worker`, or
    `POST /api/v1/faces/embed`), and a photo is compared only once it has one."""
    try:
        items = BATCH.validate_json(manifest)
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
        raise InvalidInput(f"the manifest is not a valid list of photos: {where}") from None
    if len(items) > MAX_BATCH or len(files) > MAX_BATCH:
        raise InvalidInput(f"a batch holds at most {MAX_BATCH} photos")
    limit = request.app.state.settings.photo_upload_mb * 1024 * 1024
    uploaded = {f.filename or "": f for f in files}
    if len(uploaded) != len(files):
        raise InvalidInput("two uploaded files have the same name")
    named = {item.file for item in items}
    if len(named) != len(items) or named != set(uploaded):
        raise InvalidInput("the manifest must name each uploaded file exactly once (by its file name)")
    batch = [
        (
            PhotoIn(
                kind=item.kind,
                ref=item.ref,
                basis=item.basis,
                reason=reason,
                taken_by=item.taken_by,
                taken_on=item.taken_on,
                consent_by=item.consent_by,
                order_ref=item.order_ref,
                age_months=item.age_months,
                face=item.face,
            ),
            uploaded[item.file].file.read(limit + 1),
        )
        for item in items
    ]
    return add_photos(uow, actor, _vault(request), batch, max_bytes=limit, channel=channel(request))


class EmbedIn(BaseModel):
    limit: int = Field(default=20, ge=1, le=200, description="photos described in this request, at most")


class EmbedOut(BaseModel):
    computed: int
    failed: int = Field(description="photos whose stored image could not be read (jaga photos check)")
    pending: int = Field(description="photos still waiting for a descriptor of the current model")


@faces_router.post("/embed", response_model=EmbedOut, **guarded(Action.PHOTOS_ADD))
def faces_embed(body: EmbedIn, uow: UowDep, request: Request) -> dict[str, Any]:
    """Describe up to `limit` photos still waiting for the current model's descriptor, in the request
    (where no worker runs); `jaga faces worker` does the same in the background."""
    sessions = request.app.state.sessions
    result = embed_missing(sessions, _vault(request), clock=uow.clock, batch=body.limit, limit=body.limit)
    with sessions() as session:
        waiting = pending_count(session)
    return {"computed": result["computed"], "failed": result["failed"], "pending": waiting}
