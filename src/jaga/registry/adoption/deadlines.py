"""Which steps of an adoption case wait, for which role, and when each falls due under the law.

The periods are one table (`PERIODS`), each row with its source as jaga's docs state it (DOMAIN.md §3-4,
docs/registry.md). A step the docs give no period for gets no date: the work queue shows it without a
deadline rather than with an invented one. Pure: no database, no clock; `today` only says what is late.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from jaga.access.roles import Role
from jaga.registry.adoption.workflow import (
    RULES,
    TEMPORARY_CARE_MONTHS,
    CaseKind,
    CaseStatus,
    Outcome,
    Step,
    TakenStep,
    add_months,
    checklist,
)


class DueKind(StrEnum):
    BY = "by"  # the step is due by this date, and late after it
    FROM = "from"  # a minimum period: the step may not be taken before this date (never late)


@dataclass(frozen=True)
class Period:
    step: Step  # the step that waits
    counted_from: Step  # the step (in effect) whose date starts the period
    kind: DueKind
    source: str
    months: int = 0
    days: int = 0
    cases: frozenset[CaseKind] = frozenset(CaseKind)
    repeats: bool = False  # due again after each time it is taken (counted from the latest)
    until_age: int | None = None  # no longer due once the child has reached this age


# The law's periods between adoption steps, as jaga's docs state them; nothing else is a deadline.
# `source` is the citation officers see (the same in both languages); the comment says what it requires.
PERIODS: tuple[Period, ...] = (
    # At least six months of supervised care under a care permit before the PIPA recommendation, and so
    # before the court (DOMAIN.md §4; docs/registry.md). A minimum, never a deadline: the workflow itself
    # refuses the recommendation before it (check_step).
    Period(
        Step.RECOMMENDATION,
        Step.TEMPORARY_CARE,
        DueKind.FROM,
        "PP 54/2007 ps. 13; Permensos 110/HUK/2009",
        months=TEMPORARY_CARE_MONTHS,
    ),
    # An adoption is reported to the civil registry within 30 days of the court ruling (DOMAIN.md §3, which
    # marks the article "(verify)"); the registrar's annotation on the birth certificate is that report.
    Period(
        Step.CIVIL_REGISTRY_ANNOTATION,
        Step.COURT_RULING,
        DueKind.BY,
        "UU 23/2006 ps. 47 jo. UU 24/2013",
        days=30,
    ),
    # Intercountry adopters promise a progress report every year until the child is 18 (DOMAIN.md §4,
    # Kemensos' adoption service unit, ULPA): due a year after the ruling, then a year after each report.
    Period(
        Step.POST_ADOPTION_REPORT,
        Step.COURT_RULING,
        DueKind.BY,
        "Kemensos ULPA",
        months=12,
        cases=frozenset({CaseKind.INTERCOUNTRY}),
        repeats=True,
        until_age=18,
    ),
)

_CLOSED = (CaseStatus.REFUSED, CaseStatus.WITHDRAWN)
_PASSING = (None, Outcome.PASSED, Outcome.GRANTED)


@dataclass(frozen=True)
class Waiting:
    step: Step
    role: Role  # the role that takes (or approves) it
    approval: bool  # recorded by one officer, waiting for a second officer of `role` (four eyes)
    due: date | None = None
    due_kind: DueKind | None = None
    source: str | None = None

    def overdue(self, today: date) -> bool:
        return self.due_kind == DueKind.BY and self.due is not None and self.due < today


def _period(step: Step, kind: CaseKind) -> Period | None:
    return next((p for p in PERIODS if p.step == step and kind in p.cases), None)


def _due(period: Period, history: Sequence[TakenStep], child_born_on: date | None) -> date | None:
    """The period's date, or None if the step it counts from is not in effect (or the child is of age)."""
    effective = [t for t in history if not t.pending and t.outcome in _PASSING]
    starts = [t.occurred_on for t in effective if t.step == period.counted_from]
    if period.repeats:
        starts += [t.occurred_on for t in effective if t.step == period.step]
    if not starts:
        return None
    due = add_months(max(starts), period.months) + timedelta(days=period.days)
    age, born = period.until_age, child_born_on
    if age is not None and born is not None and due >= add_months(born, 12 * age):
        return None  # the child is of age by then: nothing more is due
    return due


def _waiting(
    step: Step, approval: bool, kind: CaseKind, history: Sequence[TakenStep], born: date | None
) -> Waiting:
    period = _period(step, kind)
    due = _due(period, history, born) if period is not None else None
    if period is None or due is None:
        return Waiting(step, RULES[step].role, approval)
    return Waiting(step, RULES[step].role, approval, due, period.kind, period.source)


def waiting_steps(
    kind: CaseKind, status: CaseStatus, history: Sequence[TakenStep], *, child_born_on: date | None = None
) -> list[Waiting]:
    """The steps a case waits for: the checklist's next step (or its four-eyes approval), and a recurring
    step that runs alongside the rest once its period has started (the yearly intercountry report)."""
    if status in _CLOSED:
        return []
    found: list[Waiting] = []
    following = next((item for item in checklist(kind, status, history) if item.state == "next"), None)
    if following is not None:
        found.append(_waiting(following.step, following.pending, kind, history, child_born_on))
    for period in PERIODS:
        if not period.repeats or kind not in period.cases or any(w.step == period.step for w in found):
            continue
        due = _due(period, history, child_born_on)
        if due is not None:
            found.append(
                Waiting(period.step, RULES[period.step].role, False, due, period.kind, period.source)
            )
    return found
