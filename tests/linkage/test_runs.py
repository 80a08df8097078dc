"""Registry mode: a run links the registry's people into identities; reviewers decide the uncertain
pairs, and the identities, the ledgered events and every later run obey them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access.models import AuditEntry
from jaga.db import EventRecord, UnitOfWork
from jaga.errors import Conflict, InvalidInput, OutOfRegion, RoleNotAllowed
from jaga.linkage.agreement import agreement
from jaga.linkage.models import Identity, IdentityLink, LinkRun
from jaga.linkage.review import decide, identity_of, next_for_review
from jaga.linkage.runs import run_linkage
from jaga.registry.models import Person
from jaga.registry.services.reads import Purpose
from tests.conftest import PreparedDatabase

PURPOSE = Purpose("linkage review, case 2026/31", "test")


def _identity(sessions: sessionmaker[Session], person_id: int) -> int:
    with sessions() as session:
        row = session.get(Identity, person_id)
        assert row is not None
        return row.identity_id


def test_a_run_links_people_into_identities_and_queues_the_uncertain(
    linked_sessions: sessionmaker[Session],
) -> None:
    summary = run_linkage(linked_sessions, match_threshold=0.9, review_threshold=0.5)
    with linked_sessions() as session:
        people = session.scalar(select(func.count()).select_from(Person))
        identities = session.scalar(select(func.count(func.distinct(Identity.identity_id))))
        run = session.get(LinkRun, summary.run_id)
        links = session.scalars(select(IdentityLink).where(IdentityLink.run_id == summary.run_id)).all()
    assert summary.records == people and summary.identities == identities
    assert summary.multi_record_identities > 100  # mothers at clinic and registry, newborns named later
    assert identities < people
    assert run is not None and run.status == "done" and run.model and "comparisons" in json.loads(run.model)
    assert {link.status for link in links} <= {"linked", "review"}  # no decisions yet
    assert all(link.match_probability >= 0.5 for link in links)
    explained = json.loads(links[0].explanation)
    assert explained and {"comparison", "level", "weight"} <= set(explained[0])


def test_reviewers_see_the_least_certain_pair_in_their_region_and_it_is_audited(
    linked_sessions: sessionmaker[Session], registry_db: tuple[PreparedDatabase, str]
) -> None:
    actors = registry_db[0].actors
    run_linkage(linked_sessions, match_threshold=0.99, review_threshold=0.3)
    with UnitOfWork(linked_sessions) as uow:
        item = next_for_review(uow, actors["social_worker"], purpose=PURPOSE)
    assert item is not None and item.remaining >= 1
    assert 0.3 <= item.probability < 0.99
    assert item.left["ref"] != item.right["ref"] and item.evidence
    with linked_sessions() as session:
        audit = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert audit is not None and audit.reason == PURPOSE.reason and audit.record_count == 2
    with UnitOfWork(linked_sessions) as uow, pytest.raises(RoleNotAllowed):
        next_for_review(uow, actors["facility"], purpose=PURPOSE)
    with UnitOfWork(linked_sessions) as uow:
        bali = next_for_review(uow, actors["police-bali"], purpose=PURPOSE)
    assert bali is None  # the province is Jawa Tengah: nothing in Bali's scope
    with UnitOfWork(linked_sessions) as uow, pytest.raises(OutOfRegion):
        decide(uow, actors["police-bali"], item.link_id, same=True)


def test_decisions_take_effect_at_once_are_ledgered_and_bind_later_runs(
    linked_sessions: sessionmaker[Session], registry_db: tuple[PreparedDatabase, str]
) -> None:
    actors = registry_db[0].actors
    social = actors["social_worker"]
    run_linkage(linked_sessions, match_threshold=0.9, review_threshold=0.2)
    with linked_sessions() as session:
        linked = session.scalars(select(IdentityLink).where(IdentityLink.status == "linked")).first()
        queued = session.scalars(select(IdentityLink).where(IdentityLink.status == "review")).first()
    assert linked is not None and queued is not None
    assert _identity(linked_sessions, linked.left_id) == _identity(linked_sessions, linked.right_id)

    with UnitOfWork(linked_sessions) as uow:
        apart = decide(uow, social, linked.id, same=False, note="different mothers on the KK")
    assert apart.decision == "different" and not apart.same_identity
    assert _identity(linked_sessions, linked.left_id) != _identity(linked_sessions, linked.right_id)
    with UnitOfWork(linked_sessions) as uow:
        together = decide(uow, social, queued.id, same=True)
    assert together.same_identity
    assert _identity(linked_sessions, queued.left_id) == _identity(linked_sessions, queued.right_id)
    with UnitOfWork(linked_sessions) as uow, pytest.raises(Conflict, match="already decided as same"):
        decide(uow, social, queued.id, same=True)

    with linked_sessions() as session:
        kinds = session.scalars(
            select(EventRecord.kind)
            .where(EventRecord.aggregate == "link_decisions")
            .order_by(EventRecord.seq)
        ).all()
    assert kinds == ["link_decision.recorded", "link_decision.recorded"]

    again = run_linkage(linked_sessions, match_threshold=0.9, review_threshold=0.2)
    assert again.run_id > 0
    assert _identity(linked_sessions, linked.left_id) != _identity(linked_sessions, linked.right_id)
    assert _identity(linked_sessions, queued.left_id) == _identity(linked_sessions, queued.right_id)
    with linked_sessions() as session:
        latest = session.scalars(
            select(IdentityLink).where(
                IdentityLink.run_id == again.run_id,
                IdentityLink.left_id == linked.left_id,
                IdentityLink.right_id == linked.right_id,
            )
        ).all()
        assert [link.status for link in latest] == ["rejected"]  # scored, but never linked or offered again
        result = agreement(session)
    assert result.decided == 2 and result.same == 1
    row = next(r for r in result.table if r.threshold == 0.9)
    assert row.wrongly_linked == 1  # the model still thinks the rejected pair matches

    with UnitOfWork(linked_sessions) as uow:
        changed = decide(uow, social, linked.id, same=True, note="confirmed by NIK after all")
    assert changed.same_identity
    with linked_sessions() as session:
        assert (
            session.scalars(select(EventRecord.kind).order_by(EventRecord.seq.desc())).first()
            == "link_decision.changed"
        )


def test_the_records_of_one_identity_are_shown_within_the_actors_region(
    linked_sessions: sessionmaker[Session], registry_db: tuple[PreparedDatabase, str]
) -> None:
    actors = registry_db[0].actors
    run_linkage(linked_sessions)
    with linked_sessions() as session:
        identity = session.execute(
            select(Identity.identity_id).group_by(Identity.identity_id).having(func.count() > 1).limit(1)
        ).scalar_one()
        person = session.scalars(
            select(Person)
            .join(Identity, Identity.person_id == Person.id)
            .where(Identity.identity_id == identity)
        ).first()
    assert person is not None
    with UnitOfWork(linked_sessions) as uow:
        found = identity_of(uow, actors["police"], person.ref, purpose=PURPOSE)
    assert found["linked"] and len(found["records"]) >= 2
    assert person.ref in {r["ref"] for r in found["records"]}


def test_thresholds_are_checked(linked_sessions: sessionmaker[Session]) -> None:
    with pytest.raises(InvalidInput, match="thresholds"):
        run_linkage(linked_sessions, match_threshold=0.5, review_threshold=0.9)


def test_enough_same_decisions_retrain_the_model_from_reviewers(
    linked_sessions: sessionmaker[Session], registry_db: tuple[PreparedDatabase, str]
) -> None:
    social = registry_db[0].actors["social_worker"]
    first = run_linkage(linked_sessions, match_threshold=0.9, review_threshold=0.5)
    assert not any("reviewed pairs" in note for note in first.notes)
    with linked_sessions() as session:
        linked = session.scalars(
            select(IdentityLink).where(IdentityLink.status == "linked").order_by(IdentityLink.id).limit(30)
        ).all()
    assert len(linked) == 30
    for link in linked:
        with UnitOfWork(linked_sessions) as uow:
            decide(uow, social, link.id, same=True)
    again = run_linkage(linked_sessions, match_threshold=0.9, review_threshold=0.5)
    assert "m re-estimated from 30 reviewed pairs" in again.notes
    # The reviewed pairs stay linked whatever the retrained model says of them.
    with linked_sessions() as session:
        for link in linked:
            left, right = session.get(Identity, link.left_id), session.get(Identity, link.right_id)
            assert left is not None and right is not None and left.identity_id == right.identity_id
