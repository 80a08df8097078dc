"""Which steps of a case wait, for whom, and when they fall due (pure: the law's periods on a history)."""

from __future__ import annotations

from datetime import date, timedelta

from jaga.access import Role
from jaga.registry.adoption.deadlines import PERIODS, DueKind, waiting_steps
from jaga.registry.adoption.workflow import CaseKind, CaseStatus, Outcome, Step, TakenStep, sequence

CARE = date(2025, 1, 31)
RULING = date(2025, 9, 1)


def _history(kind: CaseKind, until: Step) -> list[TakenStep]:
    """Every step of `kind` before `until`, in effect; the care and the ruling on their dates, the others
    on the care's (the periods read only those two)."""
    dated = {Step.TEMPORARY_CARE: CARE, Step.COURT_RULING: RULING}
    taken = []
    for step in sequence(kind):
        if step == until:
            break
        outcome = Outcome.GRANTED if step == Step.COURT_RULING else None
        if step in (Step.ELIGIBILITY_CHECK, Step.RECOMMENDATION):
            outcome = Outcome.PASSED
        taken.append(TakenStep(step, dated.get(step, CARE), outcome))
    return taken


def test_each_period_has_a_source_and_a_length() -> None:
    for period in PERIODS:
        assert period.source and (period.months or period.days)


def test_the_registrar_has_thirty_days_from_the_court_ruling() -> None:
    waiting = waiting_steps(
        CaseKind.DOMESTIC, CaseStatus.GRANTED, _history(CaseKind.DOMESTIC, Step.CIVIL_REGISTRY_ANNOTATION)
    )
    assert [(w.step, w.role, w.approval) for w in waiting] == [
        (Step.CIVIL_REGISTRY_ANNOTATION, Role.REGISTRAR, False)
    ]
    (annotation,) = waiting
    assert annotation.due == RULING + timedelta(days=30) and annotation.due_kind == DueKind.BY
    assert not annotation.overdue(RULING + timedelta(days=30))
    assert annotation.overdue(RULING + timedelta(days=31))


def test_the_recommendation_is_possible_six_calendar_months_after_the_care_began_and_never_late() -> None:
    (waiting,) = waiting_steps(
        CaseKind.DOMESTIC, CaseStatus.OPEN, _history(CaseKind.DOMESTIC, Step.RECOMMENDATION)
    )
    assert waiting.step == Step.RECOMMENDATION and waiting.role == Role.SOCIAL_WORKER
    assert waiting.due == date(2025, 7, 31) and waiting.due_kind == DueKind.FROM
    assert not waiting.overdue(date(2030, 1, 1))


def test_a_step_the_law_gives_no_period_for_has_no_date() -> None:
    (waiting,) = waiting_steps(
        CaseKind.DOMESTIC, CaseStatus.OPEN, _history(CaseKind.DOMESTIC, Step.HOME_STUDY)
    )
    assert waiting.step == Step.HOME_STUDY and waiting.due is None and waiting.due_kind is None


def test_a_pending_four_eyes_step_waits_for_its_roles_approval() -> None:
    history = _history(CaseKind.DOMESTIC, Step.RECOMMENDATION)
    history.append(TakenStep(Step.RECOMMENDATION, date(2025, 8, 1), Outcome.PASSED))
    history.append(TakenStep(Step.COURT_RULING, RULING, Outcome.GRANTED, pending=True))
    (waiting,) = waiting_steps(CaseKind.DOMESTIC, CaseStatus.OPEN, history)
    assert (waiting.step, waiting.role, waiting.approval) == (Step.COURT_RULING, Role.COURT, True)
    assert waiting.due is None


def test_intercountry_reports_fall_due_yearly_until_the_child_is_eighteen() -> None:
    history = _history(CaseKind.INTERCOUNTRY, Step.CIVIL_REGISTRY_ANNOTATION)
    waiting = waiting_steps(
        CaseKind.INTERCOUNTRY, CaseStatus.GRANTED, history, child_born_on=date(2024, 5, 1)
    )
    assert {w.step: w.due for w in waiting} == {
        Step.CIVIL_REGISTRY_ANNOTATION: RULING + timedelta(days=30),
        Step.POST_ADOPTION_REPORT: date(2026, 9, 1),
    }
    history += [
        TakenStep(Step.CIVIL_REGISTRY_ANNOTATION, date(2025, 9, 20), None),
        TakenStep(Step.POST_ADOPTION_REPORT, date(2026, 8, 15), None),
    ]
    (report,) = waiting_steps(CaseKind.INTERCOUNTRY, CaseStatus.REGISTERED, history)
    assert report.due == date(2027, 8, 15)
    assert (
        waiting_steps(CaseKind.INTERCOUNTRY, CaseStatus.REGISTERED, history, child_born_on=date(2009, 8, 1))
        == []
    )
    # a domestic case's report has no period in the law: after the one the workflow expects, nothing waits
    domestic = _history(CaseKind.DOMESTIC, Step.POST_ADOPTION_REPORT)
    (first,) = waiting_steps(CaseKind.DOMESTIC, CaseStatus.REGISTERED, domestic)
    assert first.step == Step.POST_ADOPTION_REPORT and first.due is None
    domestic.append(TakenStep(Step.POST_ADOPTION_REPORT, date(2026, 3, 1), None))
    assert waiting_steps(CaseKind.DOMESTIC, CaseStatus.REGISTERED, domestic) == []


def test_a_closed_case_waits_for_nothing() -> None:
    history = _history(CaseKind.DOMESTIC, Step.HOME_STUDY)
    assert waiting_steps(CaseKind.DOMESTIC, CaseStatus.WITHDRAWN, history) == []
    assert waiting_steps(CaseKind.DOMESTIC, CaseStatus.REFUSED, history) == []
