"""The adoption steps waiting for an officer's role in their region, with the law's deadlines (a work queue).

Counting needs no reason (no record is shown); listing the cases shows their refs, so it needs the task's
purpose and leaves an audit entry (resource `adoption_cases`), like any read of a child's record.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.access import Action, Actor, audit_read, check_reason
from jaga.db import UnitOfWork
from jaga.regions import format_code
from jaga.registry.adoption.deadlines import Waiting, waiting_steps
from jaga.registry.adoption.workflow import ApprovalState, CaseKind, CaseStatus, Outcome, Step, TakenStep
from jaga.registry.models import AdoptionCase, AdoptionStep, Person, StepApproval
from jaga.registry.services.batch import LATEST_INDONESIAN_OFFSET
from jaga.registry.services.reads import Purpose

_LIVE = (CaseStatus.OPEN.value, CaseStatus.GRANTED.value, CaseStatus.REGISTERED.value)


@dataclass(frozen=True)
class WaitingStep:
    case_id: int
    case_ref: str
    case_kind: CaseKind
    region_code: str  # dotted, as every output
    waiting: Waiting
    overdue: bool


@dataclass(frozen=True)
class WaitingCount:
    total: int
    overdue: int


def today_of(uow: UnitOfWork) -> date:
    """Today in Indonesia's easternmost zone, as the workflow's own checks take it."""
    return (uow.clock().astimezone(UTC) + LATEST_INDONESIAN_OFFSET).date()


def _histories(session: Session, actor: Actor) -> dict[int, tuple[list[TakenStep], set[Step]]]:
    """Case id -> (its steps as the workflow sees them, the steps awaiting approval this actor recorded)."""
    rows = session.execute(
        select(AdoptionStep, StepApproval.state)
        .join(AdoptionCase, AdoptionCase.id == AdoptionStep.case_id)
        .outerjoin(StepApproval, StepApproval.step_id == AdoptionStep.id)
        .where(
            AdoptionCase.region_code.startswith(actor.region_scope, autoescape=True),
            AdoptionCase.status.in_(_LIVE),
        )
        .order_by(AdoptionStep.case_id, AdoptionStep.number)
    ).all()
    found: dict[int, tuple[list[TakenStep], set[Step]]] = defaultdict(lambda: ([], set()))
    for step, approval in rows:
        if approval == ApprovalState.REJECTED:
            continue  # never took effect
        history, own = found[step.case_id]
        pending = approval == ApprovalState.PENDING
        outcome = Outcome(step.outcome) if step.outcome else None
        history.append(TakenStep(Step(step.step), step.occurred_on, outcome, pending=pending))
        if pending and step.actor_id is not None and step.actor_id == actor.principal_id:
            own.add(Step(step.step))
    return found


def _waiting_for(session: Session, actor: Actor, today: date) -> list[WaitingStep]:
    if not actor.can(Action.ADOPTIONS_WRITE):
        return []
    histories = _histories(session, actor)
    cases = session.execute(
        select(AdoptionCase, Person.birth_date)
        .join(Person, Person.id == AdoptionCase.child_id)
        .where(
            AdoptionCase.region_code.startswith(actor.region_scope, autoescape=True),
            AdoptionCase.status.in_(_LIVE),
        )
    ).all()
    found = []
    for case, born in cases:
        history, own = histories.get(case.id, ([], set()))
        kind = CaseKind(case.kind)
        for waiting in waiting_steps(kind, CaseStatus(case.status), history, child_born_on=born):
            if waiting.role != actor.role:
                continue
            # Four eyes: the officer who recorded a step cannot approve it, and a feed account (which
            # transcribes another system's signed acts) approves nothing.
            if waiting.approval and (waiting.step in own or actor.feed is not None):
                continue
            overdue = waiting.overdue(today)
            found.append(
                WaitingStep(case.id, case.ref, kind, format_code(case.region_code), waiting, overdue)
            )
    return sorted(found, key=lambda w: (w.waiting.due or date.max, w.case_ref))


def count_waiting(uow: UnitOfWork, actor: Actor) -> WaitingCount:
    """How many adoption steps wait for the actor's role in their region, and how many are late (a count:
    no record is shown, so no reason is needed)."""
    found = _waiting_for(uow.session, actor, today_of(uow))
    return WaitingCount(len(found), sum(1 for w in found if w.overdue))


def list_waiting(uow: UnitOfWork, actor: Actor, *, purpose: Purpose, limit: int = 50) -> list[WaitingStep]:
    """The adoption steps waiting for the actor's role in their region, nearest date first (late ones
    first of all), then those the law gives no period for; audited with `purpose`."""
    actor.require(Action.ADOPTIONS_READ)
    reason = check_reason(purpose.reason)
    found = _waiting_for(uow.session, actor, today_of(uow))[:limit]
    audit_read(
        uow.session,
        actor=actor,
        action="list",
        resource=AdoptionCase.__tablename__,
        record_ids=sorted({w.case_id for w in found}),
        reason=reason,
        channel=purpose.channel,
        at=uow.clock(),
    )
    uow.commit()
    return found
