"""Certificates over HTTP: officers issue, read, print and revoke them; anyone checks one's status.

(No `from __future__ import annotations`: FastAPI reads the body types from the annotations.)
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from jaga.access import Action
from jaga.access.deps import ActorDep, authenticated, guarded
from jaga.certificates import services
from jaga.certificates.documents import LogAccess, pdf_of
from jaga.certificates.services import CertificateView
from jaga.registry import Purpose
from jaga.web.deps import ReasonQuery, UowDep, channel
from jaga.web.problems import public_base_url

router = APIRouter(prefix="/api/v1", dependencies=[Depends(authenticated)], tags=["certificates"])
public_router = APIRouter(prefix="/verify/v1", tags=["verification"])

Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class CertificateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["birth", "adoption"]
    subject_ref: Ref = Field(description="the birth's ref (birth) or the adoption case's ref (adoption)")


class RevokeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=4, max_length=200, pattern=r"^[^\x00]*$")
    ] = Field(description="why (e.g. a court order number); no personal data")


class CertificateOut(BaseModel):
    ref: str
    kind: str
    status: str
    subject_ref: str
    region_code: str
    issued_at: datetime
    revoked_at: datetime | None
    revoked_reason: str | None
    content: dict[str, Any]


class LaterEvent(BaseModel):
    seq: int
    kind: str


class PublicStatusOut(BaseModel):
    """No personal data: whether the certificate holds, and where its record sits in the public log."""

    ref: str
    status: str
    issued_at: datetime
    revoked_at: datetime | None
    superseded_by: str | None
    seq: int
    content_current: bool = Field(description="the registry still states exactly what the certificate states")
    later_events: list[LaterEvent]
    log_size: int


def _out(view: CertificateView) -> CertificateOut:
    return CertificateOut.model_validate(view, from_attributes=True)


def _log(request: Request) -> LogAccess:
    settings = request.app.state.settings
    return LogAccess(settings.key_dir, settings.ledger_origin, settings.witness_policy)


@router.post(
    "/certificates",
    status_code=201,
    response_model=CertificateOut,
    responses={404: {"description": "No birth or adoption case with this `subject_ref`."}},
    **guarded(Action.CERTIFICATES_ISSUE),
)
def issue_certificate(
    body: CertificateIn,
    uow: UowDep,
    actor: ActorDep,
    request: Request,
    response: Response,
    reason: ReasonQuery,
) -> CertificateOut:
    """Issue a certificate for a registered birth or adoption (earlier ones of the same record are
    revoked as superseded). Its PDF, with the QR proof, is at `/certificates/{ref}/pdf`."""
    view = services.issue(
        uow, actor, kind=body.kind, subject_ref=body.subject_ref, purpose=Purpose(reason, channel(request))
    )
    response.headers["Location"] = f"/api/v1/certificates/{view.ref}"
    return _out(view)


@router.get("/certificates/{ref}", response_model=CertificateOut, **guarded(Action.CERTIFICATES_READ))
def get_certificate(
    ref: str, uow: UowDep, actor: ActorDep, request: Request, reason: ReasonQuery
) -> CertificateOut:
    return _out(services.get(uow, actor, ref, purpose=Purpose(reason, channel(request))))


@router.get(
    "/certificates/{ref}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
    **guarded(Action.CERTIFICATES_READ),
)
def certificate_pdf(
    ref: str, uow: UowDep, actor: ActorDep, request: Request, reason: ReasonQuery
) -> Response:
    """The printable certificate (A4 PDF) with its QR proof."""
    view = services.get(uow, actor, ref, purpose=Purpose(reason, channel(request)))
    pdf = pdf_of(request.app.state.sessions, view, _log(request), base_url=public_base_url(request))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{view.ref}.pdf"', "Cache-Control": "no-store"},
    )


@router.post(
    "/certificates/{ref}/revoke", response_model=CertificateOut, **guarded(Action.CERTIFICATES_ISSUE)
)
def revoke_certificate(ref: str, body: RevokeIn, uow: UowDep, actor: ActorDep) -> CertificateOut:
    return _out(services.revoke(uow, actor, ref, reason=body.reason))


@public_router.get("/certificates/{ref}", response_model=PublicStatusOut)
def certificate_status(ref: str, uow: UowDep) -> PublicStatusOut:
    """Public: does this certificate still hold? (For `jaga verify --online` and the public portal.)"""
    status = services.public_status(uow, ref)
    return PublicStatusOut(
        ref=status.ref,
        status=status.status,
        issued_at=status.issued_at,
        revoked_at=status.revoked_at,
        superseded_by=status.superseded_by,
        seq=status.seq,
        content_current=status.content_current,
        later_events=[LaterEvent(seq=s, kind=k) for s, k in status.later_events],
        log_size=status.log_size,
    )
