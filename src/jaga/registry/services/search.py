"""One search box for officers: a name (Indonesian normalisation), a NIK or KK number, an akta number, or
any record's ref, across the people, births and adoption cases in the officer's region.

What it finds is read for the officer's purpose and audited like any list of personal records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select

from jaga.access import Action, Actor, audit_read, check_reason
from jaga.db import UnitOfWork
from jaga.errors import InvalidInput
from jaga.names import basic_form
from jaga.registry.models import AdoptionCase, Birth, MissingReport, Person
from jaga.registry.services.reads import Purpose

MIN_LENGTH = 3
MAX_LENGTH = 100
LIMIT = 30
_REF = re.compile(r"^[A-Za-z]{1,4}-[A-Za-z0-9]{4,60}$")


@dataclass(frozen=True)
class Found:
    kind: str  # person | birth | adoption_case
    ref: str
    label: str  # a name, or the record's number
    region_code: str
    person_ref: str | None  # whose timeline the result opens (the child for births and cases)
    matched: str  # name | nik | kk | ref | akta


def search_records(uow: UnitOfWork, actor: Actor, query: str, *, purpose: Purpose) -> list[Found]:
    """The records in the actor's region that `query` names, people first; audited with `purpose`."""
    actor.require(Action.PEOPLE_READ)
    reason = check_reason(purpose.reason)
    text = " ".join(query.split())[:MAX_LENGTH]
    if len(text) < MIN_LENGTH:
        raise InvalidInput(
            f"type at least {MIN_LENGTH} characters: a name, a NIK or KK number, an akta number or a ref",
            message_id=f"ketik minimal {MIN_LENGTH} karakter: nama, NIK atau nomor KK, nomor akta, atau "
            "nomor rujukan",
        )
    session = uow.session
    scope = actor.region_scope
    found: list[Found] = []
    digits = text.replace(" ", "")
    people = select(Person).where(Person.region_code.startswith(scope, autoescape=True)).limit(LIMIT)
    if digits.isdigit() and len(digits) == 16:
        for person in session.scalars(people.where(or_(Person.nik == digits, Person.kk_number == digits))):
            found.append(_person(person, "nik" if person.nik == digits else "kk"))
    elif _REF.match(text):
        for person in session.scalars(people.where(Person.ref == text)):
            found.append(_person(person, "ref"))
    else:
        for person in session.scalars(
            people.where(Person.name_normalised.contains(basic_form(text), autoescape=True))
        ):
            found.append(_person(person, "name"))
    births = session.execute(
        select(Birth, Person.ref)
        .join(Person, Person.id == Birth.child_id)
        .where(Birth.region_code.startswith(scope, autoescape=True))
        .where(or_(Birth.ref == text, Birth.akta_number == text))
        .limit(LIMIT)
    ).all()
    for birth, child in births:
        found.append(
            Found(
                "birth",
                birth.ref,
                birth.akta_number or birth.ref,
                birth.region_code,
                child,
                "akta" if birth.akta_number == text else "ref",
            )
        )
    cases = session.execute(
        select(AdoptionCase, Person.ref)
        .join(Person, Person.id == AdoptionCase.child_id)
        .where(AdoptionCase.region_code.startswith(scope, autoescape=True), AdoptionCase.ref == text)
    ).all()
    for case, child in cases:
        found.append(Found("adoption_case", case.ref, case.ref, case.region_code, child, "ref"))
    audit_listed(uow, actor, ((f.kind, f.ref) for f in found), reason, purpose.channel)
    uow.commit()
    return found


def _person(person: Person, matched: str) -> Found:
    return Found("person", person.ref, person.full_name, person.region_code, person.ref, matched)


# The tables of the kinds a search or a duplicate check lists, for auditing the listed records' reads.
_LISTED: dict[str, tuple[type[Any], str]] = {
    "person": (Person, "people"),
    "birth": (Birth, "births"),
    "adoption_case": (AdoptionCase, "adoption_cases"),
    "missing_report": (MissingReport, "missing_reports"),
}


def audit_listed(
    uow: UnitOfWork, actor: Actor, listed: Iterable[tuple[str, str]], reason: str, channel: str
) -> None:
    """Audit the reads of records shown in a list: (kind, ref) pairs, one audit row per table."""
    by_kind: dict[str, list[str]] = {}
    for kind, ref in listed:
        by_kind.setdefault(kind, []).append(ref)
    for kind, refs in by_kind.items():
        model, table = _LISTED[kind]
        ids = list(uow.session.scalars(select(model.id).where(model.ref.in_(refs))))
        audit_read(
            uow.session,
            actor=actor,
            action="list",
            resource=table,
            record_ids=ids,
            reason=reason,
            channel=channel,
            at=uow.clock(),
        )
