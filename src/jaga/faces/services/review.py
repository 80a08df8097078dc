"""The review of candidates: the queue, one candidate with its trail, a person's decision (a
confirmation is linkage's review decision for the two records) and the flag it may raise."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Action, Actor, check_reason
from jaga.db import Clock, EventKind, UnitOfWork
from jaga.errors import Conflict, InvalidInput, RecordNotFound
from jaga.faces.embedding import MODEL_VERSION
from jaga.faces.models import CandidateStatus, FaceCandidate, FaceReview, Photo
from jaga.faces.services.common import WARNING, WARNING_ID, audit
from jaga.flags.models import Flag
from jaga.flags.runs import refresh_one
from jaga.linkage.review import decide_pair
from jaga.regions import format_code
from jaga.registry import MissingReport, Person


def _candidate_view(
    c: FaceCandidate, photos: dict[int, Photo], refs: dict[int, str], reports: dict[int, str]
) -> dict[str, Any]:
    report_photo, intake_photo = photos[c.report_photo_id], photos[c.intake_photo_id]
    return {
        "candidate_id": c.id,
        "report_ref": reports[c.missing_report_id],
        "report_photo_ref": report_photo.ref,
        "missing_child_ref": refs[report_photo.person_id],
        "intake_photo_ref": intake_photo.ref,
        "intake_person_ref": refs[intake_photo.person_id],
        "intake_region_code": format_code(intake_photo.region_code),
        "distance": round(c.distance, 4),
        "rank_for_report": c.rank_for_report,
        "rank_for_intake": c.rank_for_intake,
        "filters": json.loads(c.filters),
        "status": c.status,
        "model_version": c.model_version,
        "is_match": False,  # never: a person decides
    }


def candidate_listing(
    session: Session, actor: Actor, *, pending_only: bool, limit: int | None = None
) -> dict[str, Any]:
    query = select(FaceCandidate).where(FaceCandidate.model_version == MODEL_VERSION)
    if pending_only:
        query = query.where(FaceCandidate.status == CandidateStatus.PENDING.value)
    candidates = list(session.scalars(query.order_by(FaceCandidate.distance, FaceCandidate.id)))
    photo_ids = {c.report_photo_id for c in candidates} | {c.intake_photo_id for c in candidates}
    photos = {p.id: p for p in session.scalars(select(Photo).where(Photo.id.in_(photo_ids)))}
    visible, hidden = [], 0
    for c in candidates:
        if photos[c.report_photo_id].region_code.startswith(actor.region_scope) and c.region_code.startswith(
            actor.region_scope
        ):
            visible.append(c)
        else:
            hidden += 1
    if limit is not None:
        visible = visible[:limit]
    refs = {
        p.id: p.ref
        for p in session.scalars(
            select(Person).where(Person.id.in_({photos[i].person_id for i in photo_ids}))
        )
    }
    reports = {
        r.id: r.ref
        for r in session.scalars(
            select(MissingReport).where(MissingReport.id.in_({c.missing_report_id for c in visible}))
        )
    }
    views = [_candidate_view(c, photos, refs, reports) for c in visible]
    by_report: dict[str, list[dict[str, Any]]] = {}
    by_intake: dict[str, list[dict[str, Any]]] = {}
    for view in views:
        if view["rank_for_report"] is not None:
            by_report.setdefault(view["report_ref"], []).append(view)
        if view["rank_for_intake"] is not None:
            by_intake.setdefault(view["intake_photo_ref"], []).append(view)
    ids = sorted({p.id for c in visible for p in (photos[c.report_photo_id], photos[c.intake_photo_id])})
    return {
        "warning": WARNING,
        "warning_id": WARNING_ID,
        "reports": [
            {"report_ref": ref, "candidates": sorted(items, key=lambda v: v["rank_for_report"])}
            for ref, items in sorted(by_report.items())
        ],
        "intakes": [
            {
                "intake_photo_ref": ref,
                "intake_person_ref": items[0]["intake_person_ref"],
                "candidates": sorted(items, key=lambda v: v["rank_for_intake"]),
            }
            for ref, items in sorted(by_intake.items())
        ],
        "queue": views,
        "outside_your_region": hidden,
        "_ids": ids,
    }


def count_pending_candidates(uow: UnitOfWork, actor: Actor) -> int:
    """How many candidates of the current model wait for a review in the actor's region: both the report's
    photo and the intake (the candidate's region) inside it, as the review queue shows them. Reads no
    photo or record, so it is not audited."""
    actor.require(Action.FACES_REVIEW)
    scope = actor.region_scope
    query = (
        select(func.count())
        .select_from(FaceCandidate)
        .join(Photo, Photo.id == FaceCandidate.report_photo_id)
        .where(
            FaceCandidate.model_version == MODEL_VERSION,
            FaceCandidate.status == CandidateStatus.PENDING.value,
            Photo.region_code.startswith(scope, autoescape=True),
            FaceCandidate.region_code.startswith(scope, autoescape=True),
        )
    )
    return int(uow.session.scalar(query) or 0)


def review_queue(
    uow: UnitOfWork, actor: Actor, *, reason: str | None, channel: str, limit: int = 50
) -> dict[str, Any]:
    """Pending candidates in the actor's region, nearest first (audited)."""
    actor.require(Action.FACES_REVIEW)
    why = check_reason(reason)
    if not 1 <= limit <= 500:
        raise InvalidInput("limit must be between 1 and 500", message_id="limit harus antara 1 dan 500")
    listing = candidate_listing(uow.session, actor, pending_only=True, limit=limit)
    audit(uow, actor, listing.pop("_ids"), why, channel)
    uow.commit()
    return {
        "warning": listing["warning"],
        "warning_id": listing["warning_id"],
        "candidates": listing["queue"],
        "outside_your_region": listing["outside_your_region"],
    }


def get_candidate(
    uow: UnitOfWork, actor: Actor, candidate_id: int, *, reason: str | None, channel: str
) -> dict[str, Any]:
    """One candidate (any status), with its review trail, for a reviewer in both photos' region; the
    warning comes with it. Audited as a read of both photos' records."""
    actor.require(Action.FACES_REVIEW)
    why = check_reason(reason)
    session = uow.session
    candidate = session.get(FaceCandidate, candidate_id)
    if candidate is None:
        raise RecordNotFound("face candidate", str(candidate_id))
    photos = {
        p.id: p
        for p in session.scalars(
            select(Photo).where(Photo.id.in_((candidate.report_photo_id, candidate.intake_photo_id)))
        )
    }
    for photo in photos.values():
        actor.require_region(photo.region_code, what=f"face candidate {candidate_id}")
    refs = {
        p.id: p.ref
        for p in session.scalars(select(Person).where(Person.id.in_({p.person_id for p in photos.values()})))
    }
    report = session.get(MissingReport, candidate.missing_report_id)
    assert report is not None
    view = _candidate_view(candidate, photos, refs, {report.id: report.ref})
    view["report_status"] = report.status
    view["reviews"] = [
        {
            "decision": r.decision,
            "note": r.note,
            "decided_at": r.decided_at,
            "distance_shown": r.distance_shown,
        }
        for r in session.scalars(
            select(FaceReview).where(FaceReview.candidate_id == candidate.id).order_by(FaceReview.id)
        )
    ]
    view["warning"], view["warning_id"] = WARNING, WARNING_ID
    audit(uow, actor, sorted(photos), why, channel)
    uow.commit()
    return view


def decide(
    uow: UnitOfWork, actor: Actor, candidate_id: int, *, confirm: bool, note: str | None = None
) -> dict[str, Any]:
    """A person's decision on a candidate, recorded and ledgered. Confirming says the two records are
    the same child: it records linkage's review decision for the two person records (so identities,
    later linkage runs and the flag rules follow it). Dismissing says only that the reviewer did not find
    them the same; it does not declare two different children."""
    actor.require(Action.FACES_REVIEW)
    if note is not None and len(note) > 500:
        raise InvalidInput(
            "a note holds at most 500 characters", message_id="catatan paling banyak 500 karakter"
        )
    session = uow.session
    candidate = session.get(FaceCandidate, candidate_id)
    if candidate is None:
        raise RecordNotFound("face candidate", str(candidate_id))
    report_photo = session.get(Photo, candidate.report_photo_id)
    intake_photo = session.get(Photo, candidate.intake_photo_id)
    report = session.get(MissingReport, candidate.missing_report_id)
    assert report_photo is not None and intake_photo is not None and report is not None
    for photo in (report_photo, intake_photo):
        actor.require_region(photo.region_code, what=f"photo {photo.ref}")
    decision = CandidateStatus.CONFIRMED if confirm else CandidateStatus.DISMISSED
    if candidate.status == decision.value:
        raise Conflict(
            f"face candidate {candidate_id} is already {decision.value}",
            message_id=f"kandidat wajah {candidate_id} sudah "
            f"{'dikonfirmasi' if decision.value == 'confirmed' else 'ditolak'}",
        )
    now = uow.clock()
    review = FaceReview(
        candidate_id=candidate.id,
        missing_report_id=report.id,
        report_photo_id=report_photo.id,
        intake_photo_id=intake_photo.id,
        decision=decision.value,
        distance_shown=f"{candidate.distance:.4f}",
        model_version=candidate.model_version,
        note=note,
        principal_id=actor.principal_id,
        decided_at=now,
    )
    session.add(review)
    candidate.status = decision.value
    session.flush()
    uow.record(EventKind.FACE_REVIEW_RECORDED, review, actor_id=actor.principal_id)
    linked = False
    if confirm:
        note_text = f"face candidate {candidate.id} confirmed by a reviewer" + (f": {note}" if note else "")
        linked = decide_pair(
            uow, actor, report_photo.person_id, intake_photo.person_id, same=True, note=note_text[:500]
        )
    people = {
        p.id: p.ref
        for p in session.scalars(
            select(Person).where(Person.id.in_((report_photo.person_id, intake_photo.person_id)))
        )
    }
    result = {
        "candidate_id": candidate.id,
        "decision": decision.value,
        "report_ref": report.ref,
        "missing_child_ref": people[report_photo.person_id],
        "intake_person_ref": people[intake_photo.person_id],
        "linked_as_same_person": confirm,
        "same_identity_now": linked,
    }
    uow.commit()
    return result


def forget_candidates(session: Session) -> None:
    """Remove every pending candidate (tests and re-runs under a new model version)."""
    session.execute(delete(FaceCandidate).where(FaceCandidate.status == CandidateStatus.PENDING.value))


def raise_flags(sessions: sessionmaker[Session], report_ref: str, *, clock: Clock) -> dict[str, Any] | None:
    """After a confirmation: run the `missing_child_reappears` rule and store only this report's flag
    (jaga.flags.runs.refresh_one: no other detector, no other flag), and say what the flag is now (None:
    the rule did not fire, e.g. the intake record has no relinquishment, placement or adoption case dated
    after the child was last seen). The reviewer's decision is already committed: the rule reads it."""
    refreshed = refresh_one(
        sessions,
        kind="missing_child_reappears",
        subject_type="missing_report",
        subject_ref=report_ref,
        clock=clock,
    )
    if refreshed.flag_id is None:
        return None
    with sessions() as session:
        flag = session.get(Flag, refreshed.flag_id)
        assert flag is not None
        return {
            "flag_id": flag.id,
            "score": round(flag.score, 4),
            "status": flag.status,
            "present": flag.present,
            "new": refreshed.new,
        }
