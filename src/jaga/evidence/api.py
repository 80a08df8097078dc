"""`POST /api/v1/evidence/packs`: an evidence pack as a zip, for police and courts. (No `from __future__
import annotations`: FastAPI reads the types from the annotations.)"""

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from jaga.access import Action
from jaga.access.deps import ActorDep, authenticated, guarded
from jaga.evidence.services import pack_person
from jaga.registry import REF_PATTERN, Purpose
from jaga.web.deps import UowDep, channel

router = APIRouter(prefix="/api/v1/evidence", dependencies=[Depends(authenticated)], tags=["evidence"])


class PackIn(BaseModel):
    person_ref: str = Field(pattern=REF_PATTERN, description="the person whose records to pack")
    reason: str = Field(
        min_length=4,
        max_length=500,
        description="why (e.g. a case number); kept in the audit trail and the pack",
    )


@router.post(
    "/packs",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
    **guarded(Action.EVIDENCE_PACK),
)
def create_pack(body: PackIn, uow: UowDep, actor: ActorDep, request: Request) -> Response:
    """A person's records with their events, salts, proofs, checkpoints and custody record (audited;
    packing is itself logged). Verify it offline with `jaga evidence verify`."""
    made = pack_person(uow, actor, body.person_ref, purpose=Purpose(body.reason, channel(request)))
    return Response(
        made.content,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="evidence-{made.pack_id}.zip"',
            "Cache-Control": "no-store",
            "X-Jaga-Manifest-Sha256": made.manifest_sha256,
        },
    )
