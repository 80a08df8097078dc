"""Likely duplicates of a record about to be created: shown to the officer before it is written.

A second person record for the same child, or a second birth for the same delivery, is how a child's
story splits in two (and, on purpose, how a laundered child gets a clean record). The checks are the
blocking keys of DOMAIN.md §5, kept strict so that the list stays short: the same NIK; the same name
(Indonesian spelling and order folded by `jaga.names`) and date of birth; the same mother and date of
birth; an open missing-child report for the same child. Only records in the officer's region are
searched, and what is shown is a read of personal records: audited with the officer's purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from jaga.access import Action, Actor, check_reason
from jaga.db import UnitOfWork
from jaga.names import parse_name
from jaga.registry.models import Birth, MissingReport, Person
from jaga.registry.services.reads import Purpose
from jaga.registry.services.search import audit_listed

LIMIT = 20
SAME_DAY_LIMIT = 2000  # people born on one day in one region: compared by name in Python


@dataclass(frozen=True)
class Candidate:
    """A stored record that may be the one about to be created."""

    kind: str  # person | birth | missing_report
    ref: str
    label: str  # a name, or the record's ref when it names no one
    on: date | None  # the date of birth, or the day the child was last seen
    region_code: str
    person_ref: str  # whose timeline shows it
    matched: str  # nik | name_and_birth_date | mother_and_birth_date | open_report


@dataclass(frozen=True)
class Facts:
    """What the new record says, as far as the checks need it (any may be missing)."""

    nik: str | None = None
    name: str | None = None
    birth_date: date | None = None
    mother_ref: str | None = None
    missing_child_ref: str | None = None  # a missing-child report about to be filed for this child


def likely_duplicates(uow: UnitOfWork, actor: Actor, facts: Facts, *, purpose: Purpose) -> list[Candidate]:
    """The records in the actor's region that may already be the one `facts` describe; audited."""
    actor.require(Action.PEOPLE_READ)
    reason = check_reason(purpose.reason)
    session = uow.session
    scope = actor.region_scope
    people = select(Person).where(Person.region_code.startswith(scope, autoescape=True)).limit(LIMIT)
    found: dict[tuple[str, str], Candidate] = {}

    def add_person(person: Person, matched: str) -> None:
        label = person.full_name or person.ref
        key = ("person", person.ref)
        found.setdefault(
            key,
            Candidate(
                "person", person.ref, label, person.birth_date, person.region_code, person.ref, matched
            ),
        )

    if facts.nik:
        for person in session.scalars(people.where(Person.nik == facts.nik)):
            add_person(person, "nik")
    if facts.name and facts.birth_date:
        wanted = parse_name(facts.name)
        if wanted.tokens:  # a newborn's placeholder ("By. Ny. Yuli") names no one
            born_that_day = (
                select(Person)
                .where(Person.region_code.startswith(scope, autoescape=True))
                .where(Person.birth_date == facts.birth_date)
                .limit(SAME_DAY_LIMIT)
            )
            for person in session.scalars(born_that_day):
                parsed = parse_name(person.full_name)
                if parsed.tokens and (
                    parsed.phonetic == wanted.phonetic or parsed.sorted_key == wanted.sorted_key
                ):
                    add_person(person, "name_and_birth_date")
    if facts.mother_ref and facts.birth_date and actor.can(Action.BIRTHS_READ):
        mother = session.scalar(select(Person.id).where(Person.ref == facts.mother_ref))
        if mother is not None:
            rows = session.execute(
                select(Birth, Person.ref)
                .join(Person, Person.id == Birth.child_id)
                .where(
                    Birth.mother_id == mother,
                    Birth.born_on == facts.birth_date,
                    Birth.region_code.startswith(scope, autoescape=True),
                )
                .limit(LIMIT)
            ).all()
            for birth, child in rows:
                found.setdefault(
                    ("birth", birth.ref),
                    Candidate(
                        "birth",
                        birth.ref,
                        birth.ref,
                        birth.born_on,
                        birth.region_code,
                        child,
                        "mother_and_birth_date",
                    ),
                )
    if facts.missing_child_ref and actor.can(Action.MISSING_READ):
        reports = session.execute(
            select(MissingReport, Person.ref)
            .join(Person, Person.id == MissingReport.child_id)
            .where(
                Person.ref == facts.missing_child_ref,
                MissingReport.status == "open",
                MissingReport.region_code.startswith(scope, autoescape=True),
            )
            .limit(LIMIT)
        ).all()
        for report, child in reports:
            found.setdefault(
                ("missing_report", report.ref),
                Candidate(
                    "missing_report",
                    report.ref,
                    report.ref,
                    report.last_seen_on,
                    report.region_code,
                    child,
                    "open_report",
                ),
            )
    candidates = list(found.values())
    audit_listed(uow, actor, ((c.kind, c.ref) for c in candidates), reason, purpose.channel)
    uow.commit()
    return candidates
