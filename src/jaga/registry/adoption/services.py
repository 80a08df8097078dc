"""Opening adoption cases and taking their steps, enforcing the workflow."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from jaga.access import Action
from jaga.db import EventKind
from jaga.errors import JagaError, PermissionDenied
from jaga.regions import within
from jaga.registry.adoption.workflow import (
    CaseKind,
    CaseStatus,
    Document,
    Outcome,
    Step,
    StepRequest,
    TakenStep,
    check_step,
    status_after,
)
from jaga.registry.models import AdoptionCase, AdoptionStep, Institution, Person
from jaga.registry.schemas.adoption import AdoptionCaseIn, AdoptionStepIn, AdoptionStepRow, DocumentIn
from jaga.registry.services.batch import (
    Batch,
    BatchOutcome,
    RowProblem,
    UniqueGuard,
    insert_rows,
    lookup,
    missing_ref,
    new_ref,
    outside_scope,
)
from jaga.registry.services.officials import ActingOfficials


def _documents_json(documents: Sequence[DocumentIn]) -> str:
    return json.dumps(
        [{"kind": d.kind, "number": d.number} for d in documents], ensure_ascii=False, separators=(",", ":")
    )


def _as_problem(row: int, exc: JagaError) -> RowProblem:
    category = "forbidden" if isinstance(exc, PermissionDenied) else "conflict"
    if exc.status == 422:
        category = "invalid"
    field_name = "step" if category != "invalid" else None
    return RowProblem(row, field_name, exc.message, category, exc)  # type: ignore[arg-type]


def open_cases(batch: Batch, rows: Sequence[tuple[int, AdoptionCaseIn]]) -> BatchOutcome:
    """Open cases; each starts with its application step (by a social worker)."""
    actor = batch.actor
    actor.require(Action.ADOPTIONS_WRITE)
    session = batch.session
    outcome = BatchOutcome()
    datas = [d for _, d in rows]
    refs = UniqueGuard(session, AdoptionCase.ref, (d.ref for d in datas), "ref")
    people = lookup(
        session, Person, [r for d in datas for r in (d.child_ref, d.adopter_ref, d.co_adopter_ref)]
    )
    institutions = lookup(session, Institution, (d.institution_ref for d in datas))
    officials = ActingOfficials(batch, (d.official_ref for d in datas), "take adoption steps")
    for row, data in rows:
        problems: list[RowProblem] = []
        refs.claim(data.ref, row, "ref", problems)
        child, adopter = people.get(data.child_ref), people.get(data.adopter_ref)
        co_adopter = people.get(data.co_adopter_ref) if data.co_adopter_ref else None
        for name, ref, found in (
            ("child_ref", data.child_ref, child),
            ("adopter_ref", data.adopter_ref, adopter),
            ("co_adopter_ref", data.co_adopter_ref, co_adopter),
        ):
            if ref and found is None:
                problems.append(missing_ref(row, name, "person", ref))
        if child is not None and child.ref in (data.adopter_ref, data.co_adopter_ref):
            problems.append(RowProblem(row, "adopter_ref", "the child cannot adopt itself"))
        institution = institutions.get(data.institution_ref) if data.institution_ref else None
        if data.institution_ref and institution is None:
            problems.append(missing_ref(row, "institution_ref", "institution", data.institution_ref))
        region = batch.jurisdiction(data.region_code, row, problems, "an adoption case")
        official = officials.resolve(
            row, "official_ref", data.official_ref, region, problems, what="an adoption case", required=False
        )
        ref = data.ref or new_ref("C")
        request = StepRequest(Step.APPLICATION, data.applied_on, None, _docs(data.documents))
        try:
            check_step(
                case_ref=ref,
                kind=data.kind,
                status=CaseStatus.OPEN,
                history=[],
                request=request,
                role=actor.role,
                today=batch.today,
            )
        except JagaError as exc:
            problems.append(_as_problem(row, exc))
        if problems or region is None or child is None or adopter is None:
            outcome.problems.extend(problems)
            continue
        case = AdoptionCase(
            ref=ref,
            region_code=region,
            created_at=batch.now,
            child_id=child.id,
            kind=data.kind.value,
            adopter_id=adopter.id,
            co_adopter_id=co_adopter.id if co_adopter else None,
            institution_id=institution.id if institution else None,
            status=CaseStatus.OPEN.value,
            current_step=Step.APPLICATION.value,
            opened_on=data.applied_on,
        )
        session.add(case)
        session.flush()
        batch.uow.record(EventKind.ADOPTION_CASE_OPENED, case, actor_id=actor.principal_id)
        _insert_step(batch, case.id, 1, data, Step.APPLICATION, None, official.id if official else None)
        outcome.ids.append(case.id)
        outcome.refs.append(ref)
    return outcome


def _docs(documents: Sequence[DocumentIn]) -> tuple[Document, ...]:
    return tuple(Document(d.kind, d.number) for d in documents)


def _insert_step(
    batch: Batch,
    case_id: int,
    number: int,
    data: AdoptionCaseIn | AdoptionStepIn,
    step: Step,
    outcome: str | None,
    official_id: int | None,
) -> None:
    occurred_on = data.applied_on if isinstance(data, AdoptionCaseIn) else data.occurred_on
    insert_rows(
        batch,
        AdoptionStep,
        [
            {
                "case_id": case_id,
                "number": number,
                "step": step.value,
                "occurred_on": occurred_on,
                "outcome": outcome,
                "documents": _documents_json(data.documents),
                "note": data.note,
                "official_id": official_id,
                "actor_id": batch.actor.principal_id,
                "recorded_at": batch.now,
            }
        ],
        EventKind.ADOPTION_STEP_RECORDED,
    )


@dataclass
class _CaseState:
    case: AdoptionCase
    history: list[TakenStep] = field(default_factory=list)


def take_steps(batch: Batch, rows: Sequence[tuple[int, AdoptionStepRow]]) -> BatchOutcome:
    """Take steps in order; each is checked against the case as it stands after the rows before it."""
    actor = batch.actor
    actor.require(Action.ADOPTIONS_WRITE)
    outcome = BatchOutcome()
    officials = ActingOfficials(batch, (d.official_ref for _, d in rows), "take adoption steps")
    states = _load_cases(batch, {d.case_ref for _, d in rows})
    for row, data in rows:
        problems: list[RowProblem] = []
        state = states.get(data.case_ref)
        if state is None:
            outcome.problems.append(missing_ref(row, "case_ref", "adoption case", data.case_ref))
            continue
        case = state.case
        if not within(case.region_code, actor.region_scope):
            outcome.problems.append(outside_scope(row, "case_ref", case.region_code, actor, "the case"))
            continue
        official = officials.resolve(
            row,
            "official_ref",
            data.official_ref,
            case.region_code,
            problems,
            what="the case",
            required=False,
        )
        request = StepRequest(data.step, data.occurred_on, data.outcome, _docs(data.documents))
        try:
            check_step(
                case_ref=case.ref,
                kind=CaseKind(case.kind),
                status=CaseStatus(case.status),
                history=state.history,
                request=request,
                role=actor.role,
                today=batch.today,
            )
        except JagaError as exc:
            problems.append(_as_problem(row, exc))
        if problems:
            outcome.problems.extend(problems)
            continue
        _insert_step(
            batch,
            case.id,
            len(state.history) + 1,
            data,
            data.step,
            data.outcome.value if data.outcome else None,
            official.id if official else None,
        )
        state.history.append(TakenStep(data.step, data.occurred_on, data.outcome))
        case.status = status_after(CaseStatus(case.status), data.step, data.outcome).value
        case.current_step = data.step.value
        batch.uow.record(EventKind.ADOPTION_CASE_ADVANCED, case, actor_id=actor.principal_id)
        outcome.ids.append(case.id)
        outcome.refs.append(case.ref)
    return outcome


def _load_cases(batch: Batch, refs: set[str]) -> dict[str, _CaseState]:
    if not refs:
        return {}
    cases = batch.session.scalars(select(AdoptionCase).where(AdoptionCase.ref.in_(sorted(refs)))).all()
    states = {c.ref: _CaseState(c) for c in cases}
    by_id = {c.id: states[c.ref] for c in cases}
    steps = batch.session.scalars(
        select(AdoptionStep).where(AdoptionStep.case_id.in_(list(by_id))).order_by(AdoptionStep.number)
    )
    for step in steps:
        by_id[step.case_id].history.append(
            TakenStep(Step(step.step), step.occurred_on, Outcome(step.outcome) if step.outcome else None)
        )
    return states
