"""Issuing, reading and revoking certificates through the services: roles, regions, rules, events, audit."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.access.models import AuditEntry
from jaga.certificates import services
from jaga.db import EventRecord, UnitOfWork
from jaga.errors import Conflict, InvalidInput, OutOfRegion, RecordNotFound, RoleNotAllowed
from jaga.registry.services.reads import Purpose
from tests.certificates.conftest import REASON, registered_adoption, registered_birth
from tests.factories.registry import birth, mother

PURPOSE = Purpose(REASON, "test")


def _issue(sessions: sessionmaker[Session], actor: Actor, kind: str, ref: str) -> services.CertificateView:
    with UnitOfWork(sessions) as uow:
        return services.issue(uow, actor, kind=kind, subject_ref=ref, purpose=PURPOSE)  # type: ignore[arg-type]


def test_a_registrar_issues_a_birth_certificate_stating_the_registered_facts(
    sessions: sessionmaker[Session], actors: dict[str, Actor], birth_ref: str
) -> None:
    registrar = actors["registrar"]
    view = _issue(sessions, registrar, "birth", birth_ref)
    assert view.ref.startswith("C-") and view.status == "valid" and view.subject_ref == birth_ref
    content = view.content
    assert content["child_name"] == "Putri Ayu Lestari"
    assert content["mother_name"] == "Siti Aminah binti Abdullah"
    assert content["born_on"] == "2025-01-10"
    assert content["registered_on"] == "2025-01-20"
    assert content["registrar_office"] == "Disdukcapil Kota Semarang"
    assert content["place_of_birth"].endswith("(33.74.01)")
    with sessions() as session:
        event = session.scalars(
            select(EventRecord)
            .where(EventRecord.aggregate == "certificates")
            .order_by(EventRecord.seq.desc())
        ).first()
        assert event is not None and event.kind == "certificate.issued"
        assert json.loads(json.loads(event.payload)["content"]) == content  # the log commits what is printed
        audit = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert audit is not None and audit.resource == "births" and audit.reason == REASON


def test_certificates_need_a_registered_record_the_right_role_and_region(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    unregistered = birth(sessions, actors["facility"], mother_ref=mother(sessions, actors["facility"]))
    with pytest.raises(Conflict, match="no civil registration"):
        _issue(sessions, actors["registrar"], "birth", unregistered)
    registered = registered_birth(sessions, actors)
    with pytest.raises(RoleNotAllowed, match="may not certificates:issue"):
        _issue(sessions, actors["social_worker"], "birth", registered)
    with pytest.raises(RecordNotFound):
        _issue(sessions, actors["registrar"], "birth", "B-NOPE")
    elsewhere = registered_birth(sessions, actors, place_region_code="517101")
    with pytest.raises(OutOfRegion):
        _issue(sessions, actors["registrar-semarang"], "birth", elsewhere)
    with UnitOfWork(sessions) as uow, pytest.raises(InvalidInput, match="reason"):
        services.issue(
            uow, actors["registrar"], kind="birth", subject_ref=registered, purpose=Purpose(None, "test")
        )


def test_a_new_certificate_supersedes_the_earlier_one(
    sessions: sessionmaker[Session], actors: dict[str, Actor], birth_ref: str
) -> None:
    first = _issue(sessions, actors["registrar"], "birth", birth_ref)
    second = _issue(sessions, actors["registrar"], "birth", birth_ref)
    with UnitOfWork(sessions) as uow:
        earlier = services.get(uow, actors["auditor"], first.ref, purpose=PURPOSE)
    assert earlier.status == "revoked" and earlier.revoked_reason == f"superseded by {second.ref}"
    with sessions() as session:
        kinds = session.scalars(
            select(EventRecord.kind).where(EventRecord.aggregate == "certificates").order_by(EventRecord.seq)
        ).all()
    assert kinds[-3:] == ["certificate.issued", "certificate.revoked", "certificate.issued"]


def test_revoking_needs_a_reason_and_happens_once(
    sessions: sessionmaker[Session], actors: dict[str, Actor], birth_ref: str
) -> None:
    view = _issue(sessions, actors["registrar"], "birth", birth_ref)
    with UnitOfWork(sessions) as uow, pytest.raises(InvalidInput, match="reason"):
        services.revoke(uow, actors["registrar"], view.ref, reason="no")
    with UnitOfWork(sessions) as uow:
        revoked = services.revoke(uow, actors["registrar"], view.ref, reason="court order 12/Pdt.P/2026")
    assert revoked.status == "revoked"
    with UnitOfWork(sessions) as uow, pytest.raises(Conflict, match="already revoked"):
        services.revoke(uow, actors["registrar"], view.ref, reason="again please")
    with UnitOfWork(sessions) as uow, pytest.raises(RoleNotAllowed):
        services.revoke(uow, actors["court"], view.ref, reason="court order")


def test_an_adoption_certificate_needs_the_ruling_and_the_annotation(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    from tests.registry.adoption.test_cases import open_case

    unfinished = open_case(sessions, actors)
    with pytest.raises(Conflict, match="civil_registry_annotation"):
        _issue(sessions, actors["registrar"], "adoption", unfinished)
    case = registered_adoption(sessions, actors)
    view = _issue(sessions, actors["registrar"], "adoption", case)
    content = view.content
    assert content["type"] == "adoption" and content["case_ref"] == case
    assert content["adopter_name"] == "Hendra Gunawan" and content["child_name"] == "Anak A"
    assert content["court_documents"] == [{"kind": "court_ruling", "number": "COURT_RULING-1"}]
    assert content["akta_number"] is None  # the child has no birth record in this registry
