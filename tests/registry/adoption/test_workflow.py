"""The adoption workflow as a pure state machine: order, roles, durations, documents, closed cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jaga.access import Role
from jaga.errors import RecordRejected, RoleNotAllowed, StepNotAllowed, StepOutOfOrder
from jaga.registry.adoption.workflow import (
    RULES,
    CaseKind,
    CaseStatus,
    Document,
    Outcome,
    Step,
    StepRequest,
    TakenStep,
    add_months,
    check_step,
    sequence,
    status_after,
)

TODAY = date(2026, 6, 1)
START = date(2025, 1, 10)


def request(step: Step, on: date, outcome: Outcome | None = None) -> StepRequest:
    docs = tuple(Document(kind, f"{kind}-1") for kind in RULES[step].documents)
    if outcome is None and RULES[step].outcomes:
        outcome = Outcome.GRANTED if step == Step.COURT_RULING else Outcome.PASSED
    return StepRequest(step, on, outcome, docs)


def take(kind: CaseKind, history: list[TakenStep], step: Step, on: date, **kwargs: object) -> None:
    check_step(
        case_ref="C-1",
        kind=kind,
        status=kwargs.get("status", CaseStatus.OPEN),  # type: ignore[arg-type]
        history=history,
        request=kwargs.get("req", request(step, on)),  # type: ignore[arg-type]
        role=kwargs.get("role", RULES[step].role),  # type: ignore[arg-type]
        today=TODAY,
    )


def full_history(kind: CaseKind, until: Step) -> list[TakenStep]:
    history: list[TakenStep] = []
    on = START
    for step in sequence(kind):
        if step == until:
            return history
        if step == Step.RECOMMENDATION:
            on = add_months(on, 6)
        take(kind, history, step, on)
        req = request(step, on)
        history.append(TakenStep(step, on, req.outcome))
        on += timedelta(days=7)
    return history


@pytest.mark.parametrize("kind", list(CaseKind))
def test_a_case_that_follows_every_step_in_order_goes_through(kind: CaseKind) -> None:
    history = full_history(kind, until=Step.POST_ADOPTION_REPORT)
    assert [t.step for t in history] == list(sequence(kind))[:-1]


@pytest.mark.parametrize(
    ("requested", "missing"),
    [
        (Step.COURT_RULING, Step.ELIGIBILITY_CHECK),
        (Step.HOME_STUDY, Step.ELIGIBILITY_CHECK),
        (Step.CIVIL_REGISTRY_ANNOTATION, Step.ELIGIBILITY_CHECK),
        (Step.POST_ADOPTION_REPORT, Step.ELIGIBILITY_CHECK),
    ],
)
def test_a_step_out_of_order_is_refused_naming_the_first_missing_step(requested: Step, missing: Step) -> None:
    history = [TakenStep(Step.APPLICATION, START, None)]
    with pytest.raises(StepOutOfOrder) as raised:
        take(CaseKind.DOMESTIC, history, requested, START + timedelta(days=30))
    assert raised.value.missing == missing.value
    assert f"missing step {missing.value!r}" in raised.value.message


def test_court_ruling_before_recommendation_is_refused() -> None:
    history = full_history(CaseKind.DOMESTIC, until=Step.RECOMMENDATION)
    with pytest.raises(StepOutOfOrder, match="missing step 'recommendation'"):
        take(CaseKind.DOMESTIC, history, Step.COURT_RULING, date(2026, 1, 1))


def test_intercountry_cases_need_the_ministerial_permit_before_court() -> None:
    history = full_history(CaseKind.INTERCOUNTRY, until=Step.MINISTERIAL_PERMIT)
    with pytest.raises(StepOutOfOrder, match="missing step 'ministerial_permit'"):
        take(CaseKind.INTERCOUNTRY, history, Step.COURT_RULING, date(2026, 1, 1))


def test_intercountry_cases_verify_residence_before_eligibility() -> None:
    history = [TakenStep(Step.APPLICATION, START, None)]
    with pytest.raises(StepOutOfOrder, match="missing step 'residence_verification'"):
        take(CaseKind.INTERCOUNTRY, history, Step.ELIGIBILITY_CHECK, START)


def test_intercountry_steps_do_not_apply_to_domestic_cases() -> None:
    history = full_history(CaseKind.DOMESTIC, until=Step.COURT_RULING)
    with pytest.raises(StepNotAllowed, match="intercountry cases only"):
        take(CaseKind.DOMESTIC, history, Step.MINISTERIAL_PERMIT, date(2026, 1, 1))


def test_a_step_by_the_wrong_role_names_the_role_it_needs() -> None:
    history = full_history(CaseKind.DOMESTIC, until=Step.COURT_RULING)
    with pytest.raises(RoleNotAllowed, match="must be recorded by role 'court', not 'social_worker'"):
        take(CaseKind.DOMESTIC, history, Step.COURT_RULING, date(2026, 1, 1), role=Role.SOCIAL_WORKER)


def test_recommendation_needs_six_months_of_temporary_care() -> None:
    history = full_history(CaseKind.DOMESTIC, until=Step.RECOMMENDATION)
    care = next(t for t in history if t.step == Step.TEMPORARY_CARE)
    too_soon = add_months(care.occurred_on, 6) - timedelta(days=1)
    with pytest.raises(StepNotAllowed, match="needs 6 months of temporary care"):
        take(CaseKind.DOMESTIC, history, Step.RECOMMENDATION, too_soon)
    take(CaseKind.DOMESTIC, history, Step.RECOMMENDATION, add_months(care.occurred_on, 6))


def test_a_failed_eligibility_check_closes_the_case() -> None:
    assert status_after(CaseStatus.OPEN, Step.ELIGIBILITY_CHECK, Outcome.FAILED) == CaseStatus.REFUSED
    history = [
        TakenStep(Step.APPLICATION, START, None),
        TakenStep(Step.ELIGIBILITY_CHECK, START, Outcome.FAILED),
    ]
    with pytest.raises(StepNotAllowed, match="is closed"):
        take(CaseKind.DOMESTIC, history, Step.HOME_STUDY, START, status=CaseStatus.REFUSED)


def test_court_ruling_needs_its_outcome_and_its_document() -> None:
    history = full_history(CaseKind.DOMESTIC, until=Step.COURT_RULING)
    bare = StepRequest(Step.COURT_RULING, date(2026, 1, 1), None, ())
    with pytest.raises(RecordRejected) as raised:
        take(CaseKind.DOMESTIC, history, Step.COURT_RULING, date(2026, 1, 1), req=bare)
    reasons = [p.reason for p in raised.value.problems]
    assert "step 'court_ruling' needs an outcome: one of granted, refused" in reasons
    assert "step 'court_ruling' needs a 'court_ruling' document" in reasons


def test_steps_cannot_be_dated_before_the_previous_step_or_in_the_future() -> None:
    history = full_history(CaseKind.DOMESTIC, until=Step.HOME_STUDY)
    with pytest.raises(StepNotAllowed, match="dated before"):
        take(CaseKind.DOMESTIC, history, Step.HOME_STUDY, START - timedelta(days=1))
    with pytest.raises(RecordRejected, match="in the future"):
        take(CaseKind.DOMESTIC, history, Step.HOME_STUDY, TODAY + timedelta(days=1))


def test_a_step_is_not_taken_twice_but_post_adoption_reports_repeat() -> None:
    history = full_history(CaseKind.DOMESTIC, until=Step.POST_ADOPTION_REPORT)
    with pytest.raises(StepNotAllowed, match="already recorded"):
        take(CaseKind.DOMESTIC, history, Step.HOME_STUDY, date(2026, 5, 1))
    history.append(TakenStep(Step.POST_ADOPTION_REPORT, date(2026, 5, 1), None))
    take(
        CaseKind.DOMESTIC, history, Step.POST_ADOPTION_REPORT, date(2026, 5, 20), status=CaseStatus.REGISTERED
    )


def test_withdrawal_is_possible_only_while_open() -> None:
    history = [TakenStep(Step.APPLICATION, START, None)]
    take(CaseKind.DOMESTIC, history, Step.WITHDRAWAL, START)
    with pytest.raises(StepNotAllowed, match="cannot be withdrawn"):
        take(CaseKind.DOMESTIC, history, Step.WITHDRAWAL, START, status=CaseStatus.GRANTED)


def test_status_follows_the_ruling_and_the_annotation() -> None:
    assert status_after(CaseStatus.OPEN, Step.COURT_RULING, Outcome.GRANTED) == CaseStatus.GRANTED
    assert status_after(CaseStatus.OPEN, Step.COURT_RULING, Outcome.REFUSED) == CaseStatus.REFUSED
    assert status_after(CaseStatus.GRANTED, Step.CIVIL_REGISTRY_ANNOTATION, None) == CaseStatus.REGISTERED


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 1, 10), 6, date(2025, 7, 10)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_month_end(start: date, months: int, end: date) -> None:
    assert add_months(start, months) == end
