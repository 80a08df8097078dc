"""`POST /api/v1/evidence/packs`: an evidence pack as a zip, for police and courts. (No `from __future__
import annotations`: FastAPI reads the types from the annotations.)"""

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field, model_validator

from jaga.access import Action
from jaga.access.deps import ActorDep, authenticated, guarded
from jaga.evidence.encryption import check_recipients, encrypt_to
from jaga.evidence.services import pack_case, pack_flag, pack_person
from jaga.registry import REF_PATTERN, Purpose
from jaga.web.deps import UowDep, channel

router = APIRouter(prefix="/api/v1/evidence", dependencies=[Depends(authenticated)], tags=["evidence"])


class PackIn(BaseModel):
    person_ref: str | None = Field(None, pattern=REF_PATTERN, description="the person whose records to pack")
    case_ref: str | None = Field(
        None, pattern=REF_PATTERN, description="or: the adoption case whose child's records to pack"
    )
    flag_id: int | None = Field(
        None, ge=1, le=2**62, description="or: the flag whose records to pack (police)"
    )  # bounded: a larger number would overflow the database's integer, a 500 instead of a 404
    reason: str = Field(
        min_length=4,
        max_length=500,
        description="why (e.g. a case number); kept in the audit trail and the pack",
    )

    recipients: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="age public keys (age1...) to encrypt the pack to; empty: a plain zip",
    )

    @model_validator(mode="after")
    def _one_subject(self) -> "PackIn":
        if [self.person_ref, self.case_ref, self.flag_id].count(None) != 2:
            raise ValueError("give exactly one of person_ref, case_ref and flag_id")
        return self


@router.post(
    "/packs",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}, "application/octet-stream": {}}}},
    **guarded(Action.EVIDENCE_PACK),
)
def create_pack(body: PackIn, uow: UowDep, actor: ActorDep, request: Request) -> Response:
    """A person's records with their events, salts, proofs, checkpoints and custody record (audited;
    packing is itself logged). Verify it offline with `jaga evidence verify`."""
    if body.recipients:
        check_recipients(body.recipients)  # before anything is read or logged
    purpose = Purpose(body.reason, channel(request))
    if body.person_ref is not None:
        made = pack_person(uow, actor, body.person_ref, purpose=purpose)
    elif body.case_ref is not None:
        made = pack_case(uow, actor, body.case_ref, purpose=purpose)
    else:
        assert body.flag_id is not None  # the model's validator
        made = pack_flag(uow, actor, body.flag_id, purpose=purpose)
    if body.recipients:
        content, media, name = (
            encrypt_to(made.content, body.recipients),
            "application/octet-stream",
            ".zip.age",
        )
    else:
        content, media, name = made.content, "application/zip", ".zip"
    return Response(
        content,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="evidence-{made.pack_id}{name}"',
            "Cache-Control": "no-store",
            "X-Jaga-Manifest-Sha256": made.manifest_sha256,
        },
    )
