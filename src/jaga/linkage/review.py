"""The review queue: a person decides the pairs the model is unsure about, and the identities follow.

Every read shows two people's records and is audited; every decision is a ledgered record (who, when,
why, what the model said). A decision takes effect at once on the two identities involved (they are
re-clustered from the latest run's links with all decisions as constraints) and binds every later run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from jaga.access import Action, Actor
from jaga.access.services import audit_read, check_reason
from jaga.db import EventKind, UnitOfWork
from jaga.errors import Conflict, InvalidInput, RecordNotFound
from jaga.linkage.clusters import Edge, cluster
from jaga.linkage.models import Identity, IdentityLink, LinkDecision, LinkRun
from jaga.linkage.runs import DIFFERENT, REVIEW, SAME
from jaga.regions import format_code
from jaga.registry import Birth, Person, Purpose

PERSON_FIELDS = (
    "ref",
    "source_kind",
    "full_name",
    "nik",
    "sex",
    "birth_date",
    "region_code",
    "address_region_code",
)


@dataclass(frozen=True)
class ReviewItem:
    link_id: int
    probability: float
    weight: float
    evidence: list[dict[str, Any]]
    left: dict[str, Any]
    right: dict[str, Any]
    remaining: int  # undecided pairs in the actor's scope, this one included


def latest_run(session: Session) -> LinkRun | None:
    return session.scalar(
        select(LinkRun).where(LinkRun.status == "done").order_by(LinkRun.id.desc()).limit(1)
    )


def _person_view(session: Session, person: Person) -> dict[str, Any]:
    view = {field: getattr(person, field) for field in PERSON_FIELDS}
    view["birth_date"] = person.birth_date.isoformat() if person.birth_date else None
    for field in ("region_code", "address_region_code"):  # the written (dotted) form, as every output
        view[field] = format_code(view[field]) if view[field] else view[field]
    mother = session.scalar(
        select(Person.full_name).join(Birth, Birth.mother_id == Person.id).where(Birth.child_id == person.id)
    )
    view["mother_name"] = mother
    return view


def _in_scope(actor: Actor) -> Any:
    """SQL: both people of a link inside the actor's region scope."""
    left, right = aliased(Person), aliased(Person)
    scope = actor.region_scope
    condition = and_(
        left.region_code.startswith(scope, autoescape=True),
        right.region_code.startswith(scope, autoescape=True),
    )
    return left, right, condition


def _undecided(run_id: int) -> Any:
    decided = select(LinkDecision.id).where(
        LinkDecision.left_id == IdentityLink.left_id, LinkDecision.right_id == IdentityLink.right_id
    )
    return and_(IdentityLink.run_id == run_id, IdentityLink.status == REVIEW, ~decided.exists())


def pending_count(session: Session, actor: Actor) -> int:
    """How many undecided pairs of the latest run the actor may review (a count: no record is read)."""
    actor.require(Action.IDENTITIES_REVIEW)
    run = latest_run(session)
    if run is None:
        return 0
    left, right, scoped = _in_scope(actor)
    query = (
        select(func.count(IdentityLink.id))
        .join(left, left.id == IdentityLink.left_id)
        .join(right, right.id == IdentityLink.right_id)
        .where(_undecided(run.id), scoped)
    )
    return int(session.scalar(query) or 0)


def next_for_review(
    uow: UnitOfWork, actor: Actor, *, purpose: Purpose, skip: Sequence[int] = ()
) -> ReviewItem | None:
    """The undecided pair the model is least sure about, among those the actor may see (and has not put
    aside as unsure in this sitting: `skip`)."""
    actor.require(Action.IDENTITIES_REVIEW)
    reason = check_reason(purpose.reason)
    session = uow.session
    run = latest_run(session)
    if run is None:
        return None
    left, right, scoped = _in_scope(actor)
    base = (
        select(IdentityLink)
        .join(left, left.id == IdentityLink.left_id)
        .join(right, right.id == IdentityLink.right_id)
        .where(_undecided(run.id), scoped)
    )
    remaining = int(session.scalar(select(func.count()).select_from(base.subquery())) or 0)
    if skip:
        base = base.where(IdentityLink.id.not_in(list(skip)))
    link = session.scalar(base.order_by(func.abs(IdentityLink.match_weight), IdentityLink.id).limit(1))
    if link is None:
        return None
    people = [session.get(Person, link.left_id), session.get(Person, link.right_id)]
    assert people[0] is not None and people[1] is not None
    audit_read(
        session,
        actor=actor,
        action="read",
        resource="people",
        record_ids=[link.left_id, link.right_id],
        reason=reason,
        channel=purpose.channel,
        at=uow.clock(),
    )
    item = ReviewItem(
        link_id=link.id,
        probability=link.match_probability,
        weight=link.match_weight,
        evidence=json.loads(link.explanation),
        left=_person_view(session, people[0]),
        right=_person_view(session, people[1]),
        remaining=remaining,
    )
    uow.commit()
    return item


@dataclass(frozen=True)
class Decided:
    decision: str
    left_ref: str
    right_ref: str
    same_identity: bool  # after the decision took effect


def decide(uow: UnitOfWork, actor: Actor, link_id: int, *, same: bool, note: str | None = None) -> Decided:
    actor.require(Action.IDENTITIES_REVIEW)
    if note is not None and len(note) > 500:
        raise InvalidInput("a note holds at most 500 characters")
    session = uow.session
    link = session.get(IdentityLink, link_id)
    if link is None:
        raise RecordNotFound("identity link", str(link_id))
    left, right = session.get(Person, link.left_id), session.get(Person, link.right_id)
    assert left is not None and right is not None
    for person in (left, right):
        actor.require_region(person.region_code, what=f"person {person.ref}")
    verdict = SAME if same else DIFFERENT
    existing = session.scalar(
        select(LinkDecision).where(
            LinkDecision.left_id == link.left_id, LinkDecision.right_id == link.right_id
        )
    )
    if existing is not None and existing.decision == verdict:
        raise Conflict(f"this pair is already decided as {verdict}")
    now = uow.clock()
    if existing is None:
        existing = LinkDecision(left_id=link.left_id, right_id=link.right_id)
        session.add(existing)
        kind = EventKind.LINK_DECISION_RECORDED
    else:
        kind = EventKind.LINK_DECISION_CHANGED
    existing.decision, existing.principal_id, existing.decided_at = verdict, actor.principal_id, now
    existing.note, existing.link_id = note, link.id
    existing.probability_shown = f"{link.match_probability:.6f}"
    session.flush()
    uow.record(kind, existing, actor_id=actor.principal_id)
    together = _recluster(session, link.left_id, link.right_id)
    result = Decided(verdict, left.ref, right.ref, together)
    uow.commit()
    return result


def _recluster(session: Session, left_id: int, right_id: int) -> bool:
    """Re-cluster the identities of two people from the latest run's links under all decisions."""
    run = latest_run(session)
    if run is None:
        return False
    identities = session.scalars(
        select(Identity.identity_id).where(Identity.person_id.in_((left_id, right_id)))
    ).all()
    members = set(
        session.scalars(select(Identity.person_id).where(Identity.identity_id.in_(identities))).all()
    )
    members |= {left_id, right_id}
    links = session.scalars(
        select(IdentityLink).where(
            IdentityLink.run_id == run.id,
            IdentityLink.left_id.in_(members),
            IdentityLink.right_id.in_(members),
        )
    ).all()
    found = session.scalars(
        select(LinkDecision).where(or_(LinkDecision.left_id.in_(members), LinkDecision.right_id.in_(members)))
    ).all()
    ids = [str(m) for m in sorted(members)]
    niks = {
        str(person_id): nik
        for person_id, nik in session.execute(select(Person.id, Person.nik).where(Person.id.in_(members)))
    }
    clusters = cluster(
        ids,
        [Edge(str(link.left_id), str(link.right_id), link.match_probability) for link in links],
        threshold=run.match_threshold,
        accepted=[(str(d.left_id), str(d.right_id)) for d in found if d.decision == SAME],
        rejected=[(str(d.left_id), str(d.right_id)) for d in found if d.decision == DIFFERENT],
        niks=niks,
    )
    for person_id in members:
        row = session.get(Identity, person_id)
        identity = int(clusters[str(person_id)])
        if row is None:
            session.add(Identity(person_id=person_id, identity_id=identity, run_id=run.id))
        else:
            row.identity_id = identity
    return clusters[str(left_id)] == clusters[str(right_id)]


def identity_of(uow: UnitOfWork, actor: Actor, person_ref: str, *, purpose: Purpose) -> dict[str, Any]:
    """Every record of the same person as `person_ref`, as far as the actor's region reaches."""
    actor.require(Action.IDENTITIES_READ)
    reason = check_reason(purpose.reason)
    session = uow.session
    person = session.scalar(select(Person).where(Person.ref == person_ref))
    if person is None:
        raise RecordNotFound("person", person_ref)
    actor.require_region(person.region_code, what=f"person {person_ref}")
    identity = session.get(Identity, person.id)
    member_ids = (
        session.scalars(select(Identity.person_id).where(Identity.identity_id == identity.identity_id)).all()
        if identity is not None
        else [person.id]
    )
    members = [
        p
        for p in session.scalars(select(Person).where(Person.id.in_(member_ids)).order_by(Person.id))
        if p.region_code.startswith(actor.region_scope)
    ]
    audit_read(
        session,
        actor=actor,
        action="read",
        resource="people",
        record_ids=[p.id for p in members],
        reason=reason,
        channel=purpose.channel,
        at=uow.clock(),
    )
    result = {
        "person_ref": person.ref,
        "linked": identity is not None,
        "records": [_person_view(session, p) for p in members],
        "outside_your_region": len(member_ids) - len(members),
    }
    uow.commit()
    return result


def decide_pair(
    uow: UnitOfWork, actor: Actor, left_id: int, right_id: int, *, same: bool, note: str | None = None
) -> bool:
    """A reviewer's decision on two person records that no run needs to have scored (a face-match
    candidate confirmed, say): recorded and ledgered like `decide`, in the caller's transaction (the
    caller commits). Whether the two records are one identity afterwards (False before any run: later
    runs and the flag rules obey the decision all the same)."""
    actor.require(Action.IDENTITIES_REVIEW)
    if left_id == right_id:
        raise InvalidInput("a person record is always the same person as itself")
    if note is not None and len(note) > 500:
        raise InvalidInput("a note holds at most 500 characters")
    session = uow.session
    left_id, right_id = min(left_id, right_id), max(left_id, right_id)
    for person_id in (left_id, right_id):
        person = session.get(Person, person_id)
        if person is None:
            raise RecordNotFound("person", str(person_id))
        actor.require_region(person.region_code, what=f"person {person.ref}")
    verdict = SAME if same else DIFFERENT
    existing = session.scalar(
        select(LinkDecision).where(LinkDecision.left_id == left_id, LinkDecision.right_id == right_id)
    )
    if existing is None:
        existing = LinkDecision(left_id=left_id, right_id=right_id)
        session.add(existing)
        kind = EventKind.LINK_DECISION_RECORDED
    elif existing.decision == verdict:
        return _recluster(session, left_id, right_id)
    else:
        kind = EventKind.LINK_DECISION_CHANGED
    existing.decision, existing.principal_id, existing.decided_at = verdict, actor.principal_id, uow.clock()
    existing.note, existing.link_id, existing.probability_shown = note, None, None
    session.flush()
    uow.record(kind, existing, actor_id=actor.principal_id)
    return _recluster(session, left_id, right_id)
