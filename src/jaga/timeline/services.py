"""`person_timeline`: every record about one person, from every agency, in the order things happened.

The person's identity (the linkage's cluster of records that are the same person, reviewers' decisions
included) gives the person records; each kind of record that names one of them joins the timeline:
births (as the child, with the facility, attendant and registration), relinquishments, placements,
adoption cases and their steps, missing-child reports, certificates, and the flags that name any of them.

Each entry says which agency recorded it (the role of the account that wrote its first event, and the
feed it transcribed, if any) and whether the public log includes it (its event is within the log's
size). Records outside the officer's region are shown as a stub (kind, date, region, agency: who to ask)
without their content. Everything shown is audited with the officer's purpose, one entry per table.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from jaga.access import AccountBinding, Action, Actor, Principal, audit_read, check_reason
from jaga.certificates.models import Certificate
from jaga.db import EventRecord, UnitOfWork
from jaga.errors import RecordNotFound
from jaga.flags.models import Flag
from jaga.linkage.models import Identity
from jaga.regions import format_code, within
from jaga.registry import (
    AdoptionCase,
    AdoptionStep,
    Attendant,
    Birth,
    Facility,
    Institution,
    MissingReport,
    Official,
    Person,
    Placement,
    Purpose,
    Relinquishment,
)
from jaga.sequencer.models import LedgerState

# The agency each role writes for (how an officer names where a record came from).
AGENCIES = {
    "facility": ("Fasilitas kesehatan", "Health facility"),
    "registrar": ("Disdukcapil", "Civil registry (Disdukcapil)"),
    "social_worker": ("Dinas Sosial", "Social services"),
    "institution": ("LKSA", "Child-care institution (LKSA)"),
    "court": ("Pengadilan", "Court"),
    "police": ("Polri (Unit PPA)", "Police (PPA unit)"),
    "admin": ("Administrator", "Administrator"),
    "auditor": ("Auditor", "Auditor"),
}


@dataclass(frozen=True)
class Source:
    role: str | None  # None: written by the operator from the command line
    feed: str | None

    def label(self, lang: str) -> str:
        indonesian, english = AGENCIES.get(self.role or "", ("Operator server", "Server operator"))
        name = indonesian if lang == "id" else english
        return f"{name} · {self.feed}" if self.feed else name


@dataclass
class Entry:
    kind: str  # birth | relinquishment | placement | adoption_case | adoption_step | missing_report | ...
    ref: str
    on: date | None
    region_code: str
    in_scope: bool
    source: Source
    in_log: bool
    facts: dict[str, Any] = field(default_factory=dict)  # empty when out of scope

    @property
    def region(self) -> str:
        return format_code(self.region_code)


@dataclass
class Timeline:
    person: Person
    members: list[Person]  # the records the identity joins (the person's own first)
    entries: list[Entry]
    log_size: int
    read: dict[str, list[int]] = field(default_factory=dict)  # table -> row ids shown in full (audited)

    @property
    def agencies(self) -> set[str]:
        return {e.source.role or "operator" for e in self.entries}


def _members(session: Session, person: Person) -> list[Person]:
    identity = session.scalar(select(Identity.identity_id).where(Identity.person_id == person.id))
    if identity is None:
        return [person]
    ids = session.scalars(select(Identity.person_id).where(Identity.identity_id == identity)).all()
    others = session.scalars(select(Person).where(Person.id.in_(ids), Person.id != person.id)).all()
    return [person, *sorted(others, key=lambda p: p.id)]


def _sources(session: Session, table: str, ids: Iterable[int]) -> dict[int, tuple[Source, int]]:
    """Row id -> (who wrote its first event, that event's seq)."""
    wanted = list(ids)
    if not wanted:
        return {}
    first = (
        select(EventRecord.aggregate_id, func.min(EventRecord.seq).label("seq"))
        .where(EventRecord.aggregate == table, EventRecord.aggregate_id.in_(wanted))
        .group_by(EventRecord.aggregate_id)
        .subquery()
    )
    rows = session.execute(
        select(first.c.aggregate_id, first.c.seq, Principal.role, AccountBinding.feed)
        .join(EventRecord, EventRecord.seq == first.c.seq)
        .outerjoin(Principal, Principal.id == EventRecord.actor_id)
        .outerjoin(AccountBinding, AccountBinding.principal_id == Principal.id)
    ).all()
    return {row.aggregate_id: (Source(row.role, row.feed), row.seq) for row in rows}


def _names(session: Session, model: Any, ids: Iterable[int | None], column: str = "name") -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(model.id, getattr(model, column)).where(model.id.in_(wanted))).all()
    return {row[0]: row[1] for row in rows}


class _Collector:
    def __init__(self, session: Session, actor: Actor, log_size: int) -> None:
        self.session, self.actor, self.log_size = session, actor, log_size
        self.entries: list[Entry] = []
        self.read: dict[str, list[int]] = defaultdict(list)  # table -> ids shown in full (audited)

    def add(
        self,
        table: str,
        kind: str,
        rows: list[Any],
        on: Any,
        facts: Any,
        *,
        ref: Any = lambda row: row.ref,
        region: Any = lambda row: row.region_code,
    ) -> None:
        sources = _sources(self.session, table, [r.id for r in rows])
        for row in rows:
            source, seq = sources.get(row.id, (Source(None, None), 0))
            code = region(row) or ""
            in_scope = within(code, self.actor.region_scope)
            if in_scope:
                self.read[table].append(row.id)
            self.entries.append(
                Entry(
                    kind=kind,
                    ref=ref(row),
                    on=on(row),
                    region_code=code,
                    in_scope=in_scope,
                    source=source,
                    in_log=0 < seq <= self.log_size,
                    facts=facts(row) if in_scope else {},
                )
            )


def person_timeline(uow: UnitOfWork, actor: Actor, person_ref: str, *, purpose: Purpose) -> Timeline:
    """The timeline of the person `person_ref` (in the actor's region), audited with `purpose`."""
    actor.require(Action.PEOPLE_READ)
    reason = check_reason(purpose.reason)
    session = uow.session
    person = session.scalar(select(Person).where(Person.ref == person_ref))
    if person is None:
        raise RecordNotFound("person", person_ref)
    actor.require_region(person.region_code, what=f"person {person_ref}")
    members = _members(session, person) if actor.can(Action.IDENTITIES_READ) else [person]
    ids = [m.id for m in members]
    state = session.scalar(select(LedgerState))
    collector = _Collector(session, actor, state.size if state is not None else 0)
    collector.add("people", "person", members, lambda p: p.birth_date, _person_facts)
    _births(session, collector, ids)
    _care(session, collector, ids)
    _adoptions(session, collector, ids)
    if actor.can(Action.MISSING_READ):
        reports = list(session.scalars(select(MissingReport).where(MissingReport.child_id.in_(ids))))
        collector.add(
            "missing_reports",
            "missing_report",
            reports,
            lambda r: r.last_seen_on,
            lambda r: {
                "status": r.status,
                "police_unit": r.police_unit,
                "last_seen": format_code(r.last_seen_region_code),
            },
        )
    _certificates(session, collector)
    if actor.can(Action.FLAGS_READ):
        _flags(session, collector)
    for table, row_ids in collector.read.items():
        audit_read(
            session,
            actor=actor,
            action="read",
            resource=table,
            record_ids=row_ids,
            reason=reason,
            channel=purpose.channel,
            at=uow.clock(),
        )
    uow.commit()
    order = {"person": 0, "birth": 1}
    entries = sorted(collector.entries, key=lambda e: (e.on or date.max, order.get(e.kind, 2), e.ref))
    return Timeline(person, members, entries, collector.log_size, dict(collector.read))


def _person_facts(person: Person) -> dict[str, Any]:
    nik = person.nik
    return {
        "name": person.full_name,
        "sex": person.sex,
        "record_of": person.source_kind,  # which agency's register this person record comes from
        "nik": f"{nik[:6]}••••••{nik[-4:]}"
        if nik
        else None,  # enough to compare; the full NIK is one click away
    }


def _births(session: Session, collector: _Collector, ids: list[int]) -> None:
    if not collector.actor.can(Action.BIRTHS_READ):
        return
    births = list(session.scalars(select(Birth).where(Birth.child_id.in_(ids))))
    facilities = _names(session, Facility, [b.facility_id for b in births])
    attendants = _names(session, Attendant, [b.attendant_id for b in births], "full_name")
    offices = _names(session, Official, [b.registrar_id for b in births], "office")
    collector.add(
        "births",
        "birth",
        births,
        lambda b: b.born_on,
        lambda b: {
            "facility": facilities.get(b.facility_id or 0),
            "attendant": attendants.get(b.attendant_id or 0),
            "akta_number": b.akta_number,
            "registered_on": b.registered_on,
            "registrar_office": offices.get(b.registrar_id or 0),
        },
    )


def _care(session: Session, collector: _Collector, ids: list[int]) -> None:
    actor = collector.actor
    if actor.can(Action.RELINQUISHMENTS_READ):
        given = list(session.scalars(select(Relinquishment).where(Relinquishment.child_id.in_(ids))))
        institutions = _names(session, Institution, [r.institution_id for r in given])
        collector.add(
            "relinquishments",
            "relinquishment",
            given,
            lambda r: r.occurred_on,
            lambda r: {
                "institution": institutions.get(r.institution_id or 0),
                "consent_document": r.consent_document,
                "counselled_on": r.counselled_on,
                "witnesses": len(json.loads(r.witnesses)),
            },
        )
    if actor.can(Action.PLACEMENTS_READ):
        placed = list(session.scalars(select(Placement).where(Placement.child_id.in_(ids))))
        homes = _names(session, Institution, [p.institution_id for p in placed])
        collector.add(
            "placements",
            "placement",
            placed,
            lambda p: p.from_date,
            lambda p: {
                "placement_kind": p.kind,
                "institution": homes.get(p.institution_id or 0),
                "until": p.to_date,
            },
        )


def _adoptions(session: Session, collector: _Collector, ids: list[int]) -> None:
    if not collector.actor.can(Action.ADOPTIONS_READ):
        return
    cases = list(session.scalars(select(AdoptionCase).where(AdoptionCase.child_id.in_(ids))))
    collector.add(
        "adoption_cases",
        "adoption_case",
        cases,
        lambda c: c.opened_on,
        lambda c: {"case_kind": c.kind, "status": c.status, "current_step": c.current_step},
    )
    by_id = {c.id: c for c in cases}
    steps = list(session.scalars(select(AdoptionStep).where(AdoptionStep.case_id.in_(list(by_id)))))
    collector.add(
        "adoption_steps",
        "adoption_step",
        steps,
        lambda s: s.occurred_on,
        lambda s: {
            "step": s.step,
            "outcome": s.outcome,
            "documents": [d["number"] for d in json.loads(s.documents)],
        },
        # steps carry no ref or region of their own: they are their case's
        ref=lambda s: f"{by_id[s.case_id].ref} #{s.number}",
        region=lambda s: by_id[s.case_id].region_code,
    )


def _certificates(session: Session, collector: _Collector) -> None:
    if not collector.actor.can(Action.CERTIFICATES_READ):
        return
    birth_ids = [e for e in collector.read.get("births", [])]
    case_ids = [e for e in collector.read.get("adoption_cases", [])]
    if not birth_ids and not case_ids:
        return
    found = list(
        session.scalars(
            select(Certificate).where(
                or_(Certificate.birth_id.in_(birth_ids), Certificate.adoption_case_id.in_(case_ids))
            )
        )
    )
    collector.add(
        "certificates",
        "certificate",
        found,
        lambda c: c.created_at.date() if isinstance(c.created_at, datetime) else None,
        lambda c: {"certificate_kind": c.kind, "status": c.status},
    )


def _flags(session: Session, collector: _Collector) -> None:
    refs = {e.ref.split(" #")[0] for e in collector.entries}
    if not refs:
        return
    # The database narrows the flags to those whose records text holds one of the refs (JSON strings,
    # so quoted); Python then checks the parsed list. Loading every present flag instead cost about
    # 300 ms per timeline at 100k births (8k flags).
    mentions = [Flag.records.contains(json.dumps(ref), autoescape=True) for ref in sorted(refs)]
    candidates = session.scalars(
        select(Flag).where(Flag.present.is_(True), or_(Flag.subject_ref.in_(refs), *mentions))
    ).all()
    naming = [f for f in candidates if refs & set(json.loads(f.records)) or f.subject_ref in refs]
    collector.add(
        "flags",
        "flag",
        naming,
        lambda f: f.first_seen_at.date(),
        lambda f: {"flag_kind": f.kind, "score": round(f.score, 2), "status": f.status, "flag_id": f.id},
        ref=lambda f: f"F-{f.id}",
    )
