"""The adoption legal workflow as an explicit state machine (pure: no database, no clock of its own).

Domestic (PP 54/2007, Permensos 110/HUK/2009):
    application -> eligibility_check -> home_study -> temporary_care (>= 6 months)
    -> recommendation (Tim PIPA) -> court_ruling -> civil_registry_annotation -> post_adoption_report...
Intercountry adds residence_verification (KITAS/KITAP, police clearance) after the application and the
Social Affairs Minister's permit (ministerial_permit) before the court.

`check_step` refuses a step out of order by naming the first missing step, a step by the wrong role by
naming the role it needs, and a step whose own conditions fail by saying which.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from jaga.access.roles import Role
from jaga.errors import (
    FieldProblem,
    FourEyes,
    RecordRejected,
    RoleNotAllowed,
    StepAwaitingApproval,
    StepNotAllowed,
    StepOutOfOrder,
)


class Step(StrEnum):
    APPLICATION = "application"
    RESIDENCE_VERIFICATION = "residence_verification"
    ELIGIBILITY_CHECK = "eligibility_check"
    HOME_STUDY = "home_study"
    TEMPORARY_CARE = "temporary_care"
    RECOMMENDATION = "recommendation"
    MINISTERIAL_PERMIT = "ministerial_permit"
    COURT_RULING = "court_ruling"
    CIVIL_REGISTRY_ANNOTATION = "civil_registry_annotation"
    POST_ADOPTION_REPORT = "post_adoption_report"
    WITHDRAWAL = "withdrawal"


class CaseKind(StrEnum):
    DOMESTIC = "domestic"
    INTERCOUNTRY = "intercountry"


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    GRANTED = "granted"
    REFUSED = "refused"


class ApprovalState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class CaseStatus(StrEnum):
    OPEN = "open"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    GRANTED = "granted"  # court ruling granted; civil-registry annotation pending
    REGISTERED = "registered"  # annotated on the birth certificate


TEMPORARY_CARE_MONTHS = 6


@dataclass(frozen=True)
class StepRule:
    role: Role
    outcomes: frozenset[Outcome] = frozenset()  # empty: the step takes no outcome
    documents: tuple[str, ...] = ()  # document kinds that must be attached
    repeatable: bool = False
    intercountry_only: bool = False


RULES: dict[Step, StepRule] = {
    Step.APPLICATION: StepRule(Role.SOCIAL_WORKER),
    Step.RESIDENCE_VERIFICATION: StepRule(
        Role.SOCIAL_WORKER, documents=("residence_permit", "police_clearance"), intercountry_only=True
    ),
    Step.ELIGIBILITY_CHECK: StepRule(
        Role.SOCIAL_WORKER, outcomes=frozenset({Outcome.PASSED, Outcome.FAILED})
    ),
    Step.HOME_STUDY: StepRule(Role.SOCIAL_WORKER, documents=("home_study_report",)),
    Step.TEMPORARY_CARE: StepRule(Role.SOCIAL_WORKER, documents=("care_permit",)),
    Step.RECOMMENDATION: StepRule(
        Role.SOCIAL_WORKER,
        outcomes=frozenset({Outcome.PASSED, Outcome.FAILED}),
        documents=("pipa_recommendation",),
    ),
    Step.MINISTERIAL_PERMIT: StepRule(
        Role.SOCIAL_WORKER, documents=("ministerial_permit",), intercountry_only=True
    ),
    Step.COURT_RULING: StepRule(
        Role.COURT, outcomes=frozenset({Outcome.GRANTED, Outcome.REFUSED}), documents=("court_ruling",)
    ),
    Step.CIVIL_REGISTRY_ANNOTATION: StepRule(Role.REGISTRAR, documents=("akta_annotation",)),
    Step.POST_ADOPTION_REPORT: StepRule(Role.SOCIAL_WORKER, documents=("report",), repeatable=True),
    Step.WITHDRAWAL: StepRule(Role.SOCIAL_WORKER),
}

_DOMESTIC = (
    Step.APPLICATION,
    Step.ELIGIBILITY_CHECK,
    Step.HOME_STUDY,
    Step.TEMPORARY_CARE,
    Step.RECOMMENDATION,
    Step.COURT_RULING,
    Step.CIVIL_REGISTRY_ANNOTATION,
    Step.POST_ADOPTION_REPORT,
)
_INTERCOUNTRY = (
    Step.APPLICATION,
    Step.RESIDENCE_VERIFICATION,
    Step.ELIGIBILITY_CHECK,
    Step.HOME_STUDY,
    Step.TEMPORARY_CARE,
    Step.RECOMMENDATION,
    Step.MINISTERIAL_PERMIT,
    Step.COURT_RULING,
    Step.CIVIL_REGISTRY_ANNOTATION,
    Step.POST_ADOPTION_REPORT,
)


# Steps that change a child's legal situation take effect only once a second officer of the step's role
# approves them (placement with the prospective adopters, the court ruling, the registry's annotation).
FOUR_EYES = frozenset({Step.TEMPORARY_CARE, Step.COURT_RULING, Step.CIVIL_REGISTRY_ANNOTATION})


def sequence(kind: CaseKind) -> tuple[Step, ...]:
    """The legal order of steps for a kind of case."""
    return _INTERCOUNTRY if kind == CaseKind.INTERCOUNTRY else _DOMESTIC


# A step is "done" for ordering only if its outcome lets the case go on.
_PASSING = {None, Outcome.PASSED, Outcome.GRANTED}

# Post-adoption reports follow the court ruling; the civil-registry annotation runs alongside them.
_PREREQUISITE_OVERRIDE = {Step.POST_ADOPTION_REPORT: Step.COURT_RULING}


@dataclass(frozen=True)
class TakenStep:
    step: Step
    occurred_on: date
    outcome: Outcome | None
    pending: bool = False  # recorded, waiting for a second officer's approval (four eyes)


@dataclass(frozen=True)
class Document:
    kind: str
    number: str


@dataclass(frozen=True)
class StepRequest:
    step: Step
    occurred_on: date
    outcome: Outcome | None
    documents: tuple[Document, ...]


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def status_after(status: CaseStatus, step: Step, outcome: Outcome | None) -> CaseStatus:
    """The case status once `step` with `outcome` is taken."""
    if step == Step.WITHDRAWAL:
        return CaseStatus.WITHDRAWN
    if outcome in (Outcome.FAILED, Outcome.REFUSED):
        return CaseStatus.REFUSED
    if step == Step.COURT_RULING:
        return CaseStatus.GRANTED
    if step == Step.CIVIL_REGISTRY_ANNOTATION:
        return CaseStatus.REGISTERED
    return status


def check_step(
    *,
    case_ref: str,
    kind: CaseKind,
    status: CaseStatus,
    history: Sequence[TakenStep],
    request: StepRequest,
    role: Role,
    today: date,
) -> None:
    """Raise unless `request` may be taken now by `role`. Returns None when it may."""
    step = request.step
    rule = RULES[step]

    if status in (CaseStatus.REFUSED, CaseStatus.WITHDRAWN):
        raise StepNotAllowed(f"case {case_ref} is closed ({status.value}); no further steps can be taken")
    if rule.intercountry_only and kind != CaseKind.INTERCOUNTRY:
        raise StepNotAllowed(f"case {case_ref}: step {step.value!r} applies to intercountry cases only")
    if role != rule.role:
        raise RoleNotAllowed(
            f"case {case_ref}: step {step.value!r} must be recorded by role {rule.role.value!r}, "
            f"not {role.value!r}"
        )

    pending = {t.step for t in history if t.pending}
    if step in pending:
        raise StepAwaitingApproval(case_ref, step.value, step.value)
    done = {t.step for t in history if t.outcome in _PASSING and not t.pending}
    if step in {t.step for t in history} and not rule.repeatable:
        raise StepNotAllowed(f"case {case_ref}: step {step.value!r} is already recorded")
    if step == Step.WITHDRAWAL:
        if status != CaseStatus.OPEN:
            raise StepNotAllowed(f"case {case_ref}: a {status.value} case cannot be withdrawn")
    else:
        missing = _first_missing(kind, step, done)
        if missing is not None and missing in pending:
            raise StepAwaitingApproval(case_ref, step.value, missing.value)
        if missing is not None:
            raise StepOutOfOrder(case_ref, step.value, missing.value)

    _check_fields(case_ref, step, rule, request, today)
    _check_dates(case_ref, history, request)


def _first_missing(kind: CaseKind, step: Step, done: set[Step]) -> Step | None:
    order = sequence(kind)
    until = _PREREQUISITE_OVERRIDE.get(step, step)
    for earlier in order[: order.index(until) + (1 if until != step else 0)]:
        if earlier not in done:
            return earlier
    return None


def _check_fields(case_ref: str, step: Step, rule: StepRule, request: StepRequest, today: date) -> None:
    problems: list[FieldProblem] = []
    if rule.outcomes and request.outcome not in rule.outcomes:
        allowed = ", ".join(sorted(o.value for o in rule.outcomes))
        problems.append(FieldProblem("outcome", f"step {step.value!r} needs an outcome: one of {allowed}"))
    if not rule.outcomes and request.outcome is not None:
        problems.append(FieldProblem("outcome", f"step {step.value!r} takes no outcome"))
    present = {d.kind for d in request.documents}
    for kind in rule.documents:
        if kind not in present:
            problems.append(FieldProblem("documents", f"step {step.value!r} needs a {kind!r} document"))
    if request.occurred_on > today:
        problems.append(FieldProblem("occurred_on", "is in the future"))
    if problems:
        raise RecordRejected(f"case {case_ref} step", problems)


def _check_dates(case_ref: str, history: Sequence[TakenStep], request: StepRequest) -> None:
    if history:
        latest = max(history, key=lambda t: t.occurred_on)
        if request.occurred_on < latest.occurred_on:
            raise StepNotAllowed(
                f"case {case_ref}: step {request.step.value!r} is dated before the already recorded "
                f"step {latest.step.value!r}"
            )
    if request.step == Step.RECOMMENDATION:
        care = next(t for t in history if t.step == Step.TEMPORARY_CARE)
        ends = add_months(care.occurred_on, TEMPORARY_CARE_MONTHS)
        if request.occurred_on < ends:
            raise StepNotAllowed(
                f"case {case_ref}: step 'recommendation' needs {TEMPORARY_CARE_MONTHS} months of temporary "
                f"care; care began {care.occurred_on.isoformat()}, so the earliest date is {ends.isoformat()}"
            )


def check_approval(
    *, case_ref: str, step: Step, recorded_by: int | None, role: Role, approver: int | None
) -> None:
    """Raise unless an officer of `role` (principal `approver`) may decide on `step`: a four-eyes step,
    decided by its own role, by someone other than the officer who recorded it."""
    if step not in FOUR_EYES:
        raise StepNotAllowed(f"case {case_ref}: step {step.value!r} takes effect as recorded; no approval")
    needed = RULES[step].role
    if role != needed:
        raise RoleNotAllowed(
            f"case {case_ref}: step {step.value!r} is approved by role {needed.value!r}, not {role.value!r}"
        )
    if approver is None or approver == recorded_by:
        raise FourEyes(
            f"case {case_ref}: you recorded step {step.value!r}; another {needed.value} must approve it",
            message_id=f"perkara {case_ref}: Anda yang mencatat tahap {step.value!r}; {needed.value} lain "
            "harus menyetujuinya",
        )


@dataclass(frozen=True)
class ChecklistItem:
    step: Step
    state: str  # done | next | missing | blocked
    pending: bool = False  # recorded, waiting for a second officer (shown as the next thing to do)


def checklist(kind: CaseKind, status: CaseStatus, history: Sequence[TakenStep]) -> list[ChecklistItem]:
    """The legal steps of a case as a checklist: `done` (in effect), `next` (the first step not in effect,
    or a step waiting for approval), `missing` (not in effect although a later step is: a record that
    skipped the law), `blocked` (waits for an earlier step, or the case is closed)."""
    effective = {t.step for t in history if t.outcome in _PASSING and not t.pending}
    pending = {t.step for t in history if t.pending}
    order = [s for s in sequence(kind)]
    last_done = max((i for i, s in enumerate(order) if s in effective), default=-1)
    closed = status in (CaseStatus.REFUSED, CaseStatus.WITHDRAWN)
    items: list[ChecklistItem] = []
    next_given = False
    for index, step in enumerate(order):
        if step in effective:
            items.append(ChecklistItem(step, "done"))
        elif index < last_done:
            items.append(ChecklistItem(step, "missing"))
        elif not closed and not next_given:
            items.append(ChecklistItem(step, "next", pending=step in pending))
            next_given = True
        else:
            items.append(ChecklistItem(step, "blocked", pending=step in pending))
    return items
