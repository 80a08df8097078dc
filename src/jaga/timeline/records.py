"""`records_timeline`: the dated events of a set of records named by their refs (the records behind a flag).

Each record kind gives the dates it holds: a person's birth date, a birth and its registration, a
relinquishment, a placement's start and end, an adoption case's opening and each of its steps, a
missing-child report, a tip's arrival. Records of other kinds (facilities, institutions...) have no date
of their own and are left out. As in a person's timeline, records outside the officer's region are
stubs (kind, date, region) and everything shown in full is audited with the officer's purpose.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from jaga.access import Action, audit_read, check_reason
from jaga.access.roles import Actor
from jaga.db import UnitOfWork
from jaga.registry import (
    AdoptionCase,
    AdoptionStep,
    Birth,
    MissingReport,
    Person,
    Placement,
    Purpose,
    Relinquishment,
)
from jaga.sequencer.models import LedgerState
from jaga.timeline.services import Entry, _Collector
from jaga.tips import Tip


def _none(_row: Any) -> dict[str, Any]:
    return {}


def records_timeline(
    uow: UnitOfWork,
    actor: Actor,
    refs: Sequence[str],
    *,
    purpose: Purpose,
    read: dict[str, list[int]] | None = None,
) -> list[Entry]:
    """The dated events of the records `refs` names that the actor's role may read, oldest first.
    `read`, if given, receives the row ids shown in full, by table (what was audited)."""
    reason = check_reason(purpose.reason)
    session = uow.session
    wanted = sorted(set(refs))
    state = session.scalar(select(LedgerState))
    collector = _Collector(session, actor, state.size if state is not None else 0)

    def rows(model: Any, action: Action) -> list[Any]:
        if not wanted or not actor.can(action):
            return []
        return list(session.scalars(select(model).where(model.ref.in_(wanted)).order_by(model.id)))

    collector.add("people", "person", rows(Person, Action.PEOPLE_READ), lambda p: p.birth_date, _none)
    births = rows(Birth, Action.BIRTHS_READ)
    collector.add("births", "birth", births, lambda b: b.born_on, _none)
    registered = [b for b in births if b.registered_on is not None]
    collector.add("births", "birth_registration", registered, lambda b: b.registered_on, _none)
    given = rows(Relinquishment, Action.RELINQUISHMENTS_READ)
    collector.add("relinquishments", "relinquishment", given, lambda r: r.occurred_on, _none)
    placed = rows(Placement, Action.PLACEMENTS_READ)
    collector.add("placements", "placement", placed, lambda p: p.from_date, _none)
    ended = [p for p in placed if p.to_date is not None]
    collector.add("placements", "placement_end", ended, lambda p: p.to_date, _none)
    cases = rows(AdoptionCase, Action.ADOPTIONS_READ)
    collector.add("adoption_cases", "adoption_case", cases, lambda c: c.opened_on, _none)
    by_id = {c.id: c for c in cases}
    steps = list(session.scalars(select(AdoptionStep).where(AdoptionStep.case_id.in_(list(by_id)))))
    collector.add(
        "adoption_steps",
        "adoption_step",
        steps,
        lambda s: s.occurred_on,
        lambda s: {"step": s.step},
        ref=lambda s: f"{by_id[s.case_id].ref} #{s.number}",
        region=lambda s: by_id[s.case_id].region_code,
    )
    reports = rows(MissingReport, Action.MISSING_READ)
    collector.add("missing_reports", "missing_report", reports, lambda r: r.last_seen_on, _none)
    tips = rows(Tip, Action.TIPS_READ)
    collector.add("tips", "tip", tips, lambda t: t.created_at.date(), _none)
    for table, ids in collector.read.items():
        audit_read(
            session,
            actor=actor,
            action="read",
            resource=table,
            record_ids=sorted(set(ids)),
            reason=reason,
            channel=purpose.channel,
            at=uow.clock(),
        )
    uow.commit()
    if read is not None:
        read.update({table: sorted(set(ids)) for table, ids in collector.read.items()})
    dated = [e for e in collector.entries if e.on is not None]
    return sorted(dated, key=lambda e: (e.on, e.kind, e.ref))
