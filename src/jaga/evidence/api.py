"""`POST /api/v1/evidence/packs`: an evidence pack as a zip, for police and courts; `POST
/api/v1/evidence/seals`: its seal (the log's proof that the registry made it), once the log holds it
under a witnessed checkpoint. (No `from __future__ import annotations`: FastAPI reads the types from the
annotations.)"""

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field, model_validator

from jaga.access import Action
from jaga.access.deps import ActorDep, authenticated, guarded
from jaga.evidence.encryption import check_recipients, encrypt_to
from jaga.evidence.sealing import seal_receipt
from jaga.evidence.services import pack_case, pack_flag, pack_person
from jaga.evidence.trust import WitnessTrust
from jaga.evidence.witnessed import PackOptions, server_trust
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
    require_witnessed: bool = Field(
        False,
        description="refuse (409) unless every event is in a checkpoint the server's witnesses verifiably "
        "cosigned, rather than pack it with the header X-Jaga-Witnessed: no",
    )

    @model_validator(mode="after")
    def _one_subject(self) -> "PackIn":
        if [self.person_ref, self.case_ref, self.flag_id].count(None) != 2:
            raise ValueError("give exactly one of person_ref, case_ref and flag_id")
        return self


@router.post(
    "/packs",
    response_class=Response,
    responses={
        200: {"content": {"application/zip": {}, "application/octet-stream": {}}},
        404: {"description": "No person, adoption case or flag with that reference."},
        409: {
            "description": "With `require_witnessed`: not every event is in a checkpoint the server's "
            "witnesses verifiably cosigned (witness-quorum-not-met)."
        },
    },
    **guarded(Action.EVIDENCE_PACK),
)
def create_pack(body: PackIn, uow: UowDep, actor: ActorDep, request: Request) -> Response:
    """A person's records with their events, salts, proofs, checkpoints and custody record (audited;
    packing is itself logged). Verify it offline with `jaga evidence verify`."""
    if body.recipients:
        check_recipients(body.recipients)  # before anything is read or logged
    purpose = Purpose(body.reason, channel(request))
    options = PackOptions(_trust(request), body.require_witnessed)
    if body.person_ref is not None:
        made = pack_person(uow, actor, body.person_ref, purpose=purpose, options=options)
    elif body.case_ref is not None:
        made = pack_case(uow, actor, body.case_ref, purpose=purpose, options=options)
    else:
        assert body.flag_id is not None  # the model's validator
        made = pack_flag(uow, actor, body.flag_id, purpose=purpose, options=options)
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
            "X-Jaga-Packing-Seq": str(made.packing_seq),
            # whose cosignatures the server verified (names of its configured witnesses), or "no"
            "X-Jaga-Witnessed": ", ".join(made.witnesses) if made.witnessed else "no",
        },
    )


def _trust(request: Request) -> WitnessTrust:
    settings = request.app.state.settings
    return server_trust(list(settings.witness_vkeys), settings.witness_policy)


class SealIn(BaseModel):
    manifest_sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="the pack's manifest SHA-256 (X-Jaga-Manifest-Sha256)"
    )
    from_size: int = Field(
        ge=1, le=2**62, description="the size of the pack's latest checkpoint (in its manifest.json)"
    )


class SealOut(BaseModel):
    packing: dict[str, Any] = Field(description="the packing event: the pack's packing.json")
    seal: dict[str, Any] = Field(description="the receipt: the pack's seal.json")
    pack_id: int
    checkpoint_size: int
    witnesses: list[str]


@router.post(
    "/seals",
    responses={
        404: {"description": "The registry made no evidence pack with this manifest SHA-256."},
        409: {
            "description": "Not sealable yet (evidence-not-sealable): the pack's own event is not in the "
            "log, or no checkpoint holding it is cosigned as the server's witnesses require."
        },
    },
    **guarded(Action.EVIDENCE_PACK),
)
def create_seal(body: SealIn, uow: UowDep, actor: ActorDep, request: Request) -> SealOut:
    """The seal of a pack made here: its packing event's inclusion proof up to a checkpoint the server's
    witnesses verifiably cosigned, and consistency from the pack's own checkpoint (409 until the log holds
    it witnessed). Add it with `jaga evidence seal PACK --receipt FILE --out SEALED`."""
    receipt = seal_receipt(
        uow.session,
        actor,
        body.manifest_sha256,
        from_size=body.from_size,
        trust=_trust(request),
        now=uow.clock(),
    )
    return SealOut(
        packing=receipt.packing,
        seal=receipt.seal,
        pack_id=receipt.pack_id,
        checkpoint_size=receipt.checkpoint_size,
        witnesses=receipt.witnesses,
    )
