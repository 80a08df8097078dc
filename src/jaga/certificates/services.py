"""Issuing, reading and revoking certificates, and the proof that goes into each one's QR code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.access import Action, Actor, Role
from jaga.access.services import audit_read, check_reason
from jaga.certificates.content import adoption_content, birth_content, content_text
from jaga.certificates.models import Certificate
from jaga.certificates.payload import CertificateProof
from jaga.db import EventKind, EventRecord, UnitOfWork
from jaga.errors import Conflict, InvalidInput, NotYetInLog, QuorumNotMet, RecordNotFound
from jaga.ledger import LedgerError, inclusion_proof, parse_note
from jaga.ledger.policy import PolicySet
from jaga.regions import format_code
from jaga.registry import AdoptionCase, Birth, Purpose, new_ref
from jaga.sequencer import LedgerCheckpoint, LedgerState
from jaga.sequencer.store import tile_reader

CertificateKind = Literal["birth", "adoption"]
VALID, REVOKED = "valid", "revoked"
SUPERSEDED = "superseded by "  # the revocation reason when a newer certificate replaces one

# The public status check reads a child's record without an account; its audit entries name this.
PUBLIC_VERIFIER = Actor(principal_id=None, username="public-verifier", role=Role.AUDITOR, region_scope="")


@dataclass(frozen=True)
class CertificateView:
    ref: str
    kind: str
    status: str
    subject_ref: str
    region_code: str
    issued_at: datetime
    revoked_at: datetime | None
    revoked_reason: str | None
    content: dict[str, Any]


def _view(session: Session, cert: Certificate) -> CertificateView:
    subject: Birth | AdoptionCase | None
    if cert.kind == "birth":
        subject = session.get(Birth, cert.birth_id)
    else:
        subject = session.get(AdoptionCase, cert.adoption_case_id)
    assert subject is not None
    return CertificateView(
        cert.ref,
        cert.kind,
        cert.status,
        subject.ref,
        format_code(cert.region_code),  # the written (dotted) form, as every output
        cert.created_at,
        cert.revoked_at,
        cert.revoked_reason,
        json.loads(cert.content),
    )


def _subject(session: Session, kind: CertificateKind, ref: str) -> Birth | AdoptionCase:
    row: Birth | AdoptionCase | None
    if kind == "birth":
        row = session.scalar(select(Birth).where(Birth.ref == ref))
    else:
        row = session.scalar(select(AdoptionCase).where(AdoptionCase.ref == ref))
    if row is None:
        raise RecordNotFound("birth" if kind == "birth" else "adoption case", ref)
    return row


def _current_content(session: Session, cert: Certificate) -> dict[str, Any]:
    if cert.kind == "birth":
        birth = session.get(Birth, cert.birth_id)
        assert birth is not None
        return birth_content(session, birth)
    case = session.get(AdoptionCase, cert.adoption_case_id)
    assert case is not None
    return adoption_content(session, case)


def _valid_for(session: Session, kind: str, subject_id: int) -> list[Certificate]:
    column = Certificate.birth_id if kind == "birth" else Certificate.adoption_case_id
    return list(
        session.scalars(
            select(Certificate).where(
                Certificate.kind == kind, column == subject_id, Certificate.status == VALID
            )
        )
    )


def issue(
    uow: UnitOfWork, actor: Actor, *, kind: CertificateKind, subject_ref: str, purpose: Purpose
) -> CertificateView:
    """Issue a certificate for a registered birth or a registered adoption; earlier valid certificates
    of the same record are revoked as superseded (one valid certificate per record at a time)."""
    actor.require(Action.CERTIFICATES_ISSUE)
    reason = check_reason(purpose.reason)
    session = uow.session
    subject = _subject(session, kind, subject_ref)
    label = "birth" if kind == "birth" else "adoption case"
    actor.require_region(subject.region_code, what=f"{label} {subject_ref}")
    if isinstance(subject, Birth):
        content = birth_content(session, subject)
    else:
        content = adoption_content(session, subject)
    now = uow.clock()
    cert = Certificate(
        ref=new_ref("C"),
        region_code=subject.region_code,
        created_at=now,
        kind=kind,
        birth_id=subject.id if kind == "birth" else None,
        adoption_case_id=subject.id if kind == "adoption" else None,
        content=content_text(content),
        status=VALID,
    )
    for earlier in _valid_for(session, kind, subject.id):
        earlier.status, earlier.revoked_at = REVOKED, now
        earlier.revoked_reason = f"{SUPERSEDED}{cert.ref}"
        uow.record(EventKind.CERTIFICATE_REVOKED, earlier, actor_id=actor.principal_id)
    session.add(cert)
    session.flush()
    uow.record(EventKind.CERTIFICATE_ISSUED, cert, actor_id=actor.principal_id)
    audit_read(
        session,
        actor=actor,
        action="read",
        resource=subject.__tablename__,
        record_ids=[subject.id],
        reason=reason,
        channel=purpose.channel,
        at=now,
    )
    view = _view(session, cert)
    uow.commit()
    return view


def _certificate(session: Session, ref: str) -> Certificate:
    cert = session.scalar(select(Certificate).where(Certificate.ref == ref))
    if cert is None:
        raise RecordNotFound("certificate", ref)
    return cert


def get(uow: UnitOfWork, actor: Actor, ref: str, *, purpose: Purpose) -> CertificateView:
    """A certificate, for an officer whose role and region allow it (audited: it names a child)."""
    actor.require(Action.CERTIFICATES_READ)
    reason = check_reason(purpose.reason)
    cert = _certificate(uow.session, ref)
    actor.require_region(cert.region_code, what=f"certificate {ref}")
    view = _view(uow.session, cert)
    audit_read(
        uow.session,
        actor=actor,
        action="read",
        resource="certificates",
        record_ids=[cert.id],
        reason=reason,
        channel=purpose.channel,
        at=uow.clock(),
    )
    uow.commit()
    return view


def revoke(uow: UnitOfWork, actor: Actor, ref: str, *, reason: str) -> CertificateView:
    actor.require(Action.CERTIFICATES_ISSUE)
    text = reason.strip()
    if not 4 <= len(text) <= 200:
        raise InvalidInput("a revocation needs a reason of 4-200 characters (e.g. a court order number)")
    cert = _certificate(uow.session, ref)
    actor.require_region(cert.region_code, what=f"certificate {ref}")
    if cert.status == REVOKED:
        raise Conflict(f"certificate {ref} is already revoked")
    cert.status, cert.revoked_at, cert.revoked_reason = REVOKED, uow.clock(), text
    uow.record(EventKind.CERTIFICATE_REVOKED, cert, actor_id=actor.principal_id)
    view = _view(uow.session, cert)
    uow.commit()
    return view


def issued_event(session: Session, cert: Certificate) -> EventRecord:
    event = session.scalar(
        select(EventRecord).where(
            EventRecord.aggregate == Certificate.__tablename__,
            EventRecord.aggregate_id == cert.id,
            EventRecord.kind == EventKind.CERTIFICATE_ISSUED.value,
        )
    )
    assert event is not None  # written in the same transaction as the row
    return event


def pending_seq(session: Session, ref: str) -> int | None:
    """The certificate's event seq if the log does not hold it yet, else None."""
    seq = issued_event(session, _certificate(session, ref)).seq
    state = session.get(LedgerState, 1)
    return seq if state is None or state.size < seq else None


def _best_checkpoint(
    session: Session, seq: int, quorum: PolicySet | None = None, *, now: datetime | None = None
) -> LedgerCheckpoint:
    """Of the recent checkpoints that hold the event, the one with the most signatures (witnesses
    cosign later), the largest on a tie; with `quorum`, only one whose cosignatures meet the policy."""
    recent = list(
        session.scalars(
            select(LedgerCheckpoint)
            .where(LedgerCheckpoint.size >= seq)
            .order_by(LedgerCheckpoint.size.desc())
            .limit(64)
        )
    )
    if not recent:
        raise NotYetInLog(
            f"event seq {seq} is not in the log yet; it is added within seconds by the sequencer "
            "(`jaga ledger integrate`)"
        )
    if quorum is not None:
        recent = _witnessed(recent, seq, quorum, now or datetime.now(UTC))
    return max(recent, key=lambda row: (len(parse_note(row.note).signatures), row.size))


def _witnessed(
    recent: list[LedgerCheckpoint], seq: int, quorum: PolicySet, now: datetime
) -> list[LedgerCheckpoint]:
    """The checkpoints that meet the witness quorum; fail closed (QuorumNotMet) if none does: a document
    that changes a child's legal status must not rest on a checkpoint only the log vouches for."""
    met, closest = [], ""
    for row in recent:
        try:
            judgement = quorum.judge(parse_note(row.note), now=now)
        except LedgerError as exc:  # no policy in force when it was cosigned: it cannot count
            closest = closest or str(exc)
            continue
        if judgement.met:
            met.append(row)
        elif not closest:
            closest = f"checkpoint {row.size}: {judgement.describe()}"
    if not met:
        raise QuorumNotMet(
            f"no checkpoint holding event seq {seq} is cosigned by the witness quorum ({closest}); push "
            "the latest checkpoint to the witnesses (`jaga ledger witness-push`) and try again"
        )
    return met


def proof_for(
    session: Session, ref: str, *, quorum: PolicySet | None = None, now: datetime | None = None
) -> CertificateProof:
    """What the certificate's QR code carries (see jaga.certificates.payload).

    With a witness policy (`quorum`), an adoption certificate, which changes a child's legal status, is
    proven only up to a checkpoint that meets the policy's quorum, and refused (QuorumNotMet) otherwise.
    """
    cert = _certificate(session, ref)
    event = issued_event(session, cert)
    checkpoint = _best_checkpoint(session, event.seq, quorum if cert.kind == "adoption" else None, now=now)
    note = parse_note(checkpoint.note)
    origin = note.text.split("\n", 1)[0]
    entry = event.log_entry()
    return CertificateProof(
        origin=origin,
        size=checkpoint.size,
        index=event.seq - 1,
        salt=bytes.fromhex(event.salt),
        meta=entry.meta,
        proof=tuple(inclusion_proof(tile_reader(session, checkpoint.size), event.seq - 1, checkpoint.size)),
        signatures=tuple((s.key_id, s.signature) for s in note.signatures),
        payload=event.payload.encode("utf-8"),
    )


@dataclass(frozen=True)
class PublicStatus:
    ref: str
    status: str
    issued_at: datetime
    revoked_at: datetime | None
    revoked_reason: str | None
    seq: int
    content_current: bool  # the registry still states exactly what the certificate states
    later_events: list[tuple[int, str]]  # (seq, kind) of later events on the certified records
    log_size: int

    @property
    def superseded_by(self) -> str | None:
        """The certificate that replaced this one, if it was revoked for that reason."""
        reason = self.revoked_reason or ""
        return reason.removeprefix(SUPERSEDED) if reason.startswith(SUPERSEDED) else None


def _subject_aggregates(session: Session, cert: Certificate) -> list[tuple[str, int]]:
    if cert.kind == "birth":
        birth = session.get(Birth, cert.birth_id)
        assert birth is not None
        people = [birth.child_id, birth.mother_id, birth.father_id]
        return [("births", birth.id), *[("people", p) for p in people if p is not None]]
    case = session.get(AdoptionCase, cert.adoption_case_id)
    assert case is not None
    people = [case.child_id, case.adopter_id, case.co_adopter_id]
    births = session.scalars(select(Birth.id).where(Birth.child_id == case.child_id)).all()
    return [
        ("adoption_cases", case.id),
        *[("people", p) for p in people if p is not None],
        *[("births", b) for b in births],
    ]


def public_status(
    uow: UnitOfWork, ref: str, *, channel: str = "api GET /verify/v1/certificates/{ref}"
) -> PublicStatus:
    """What anyone holding a certificate may learn online: no personal data, only whether it holds.

    Each check is audited (who asked cannot be known, but that and when it was asked can, and through
    which `channel`: the API, the portal's short address, its upload); the audit entry is committed here.
    """
    session = uow.session
    cert = _certificate(session, ref)
    seq = issued_event(session, cert).seq
    try:
        current = _current_content(session, cert) == json.loads(cert.content)
    except Conflict:  # the birth or adoption no longer qualifies at all
        current = False
    later: list[tuple[int, str]] = []
    for aggregate, row_id in _subject_aggregates(session, cert):
        query = select(EventRecord.seq, EventRecord.kind).where(
            EventRecord.aggregate == aggregate,
            EventRecord.aggregate_id == row_id,
            EventRecord.seq > seq,
        )
        later.extend((event_seq, kind) for event_seq, kind in session.execute(query))
    audit_read(
        session,
        actor=PUBLIC_VERIFIER,
        action="read",
        resource="certificates",
        record_ids=[cert.id],
        reason="public certificate status check (holder of the certificate number)",
        channel=channel,
        at=uow.clock(),
    )
    state = session.get(LedgerState, 1)
    status = PublicStatus(
        ref=cert.ref,
        status=cert.status,
        issued_at=cert.created_at,
        revoked_at=cert.revoked_at,
        revoked_reason=cert.revoked_reason,
        seq=seq,
        content_current=current,
        later_events=sorted(later),
        log_size=state.size if state is not None else 0,
    )
    uow.commit()
    return status
