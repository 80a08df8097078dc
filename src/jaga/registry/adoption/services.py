"""Opening adoption cases and taking their steps, enforcing the workflow."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.access import Action, Actor
from jaga.db import EventKind, UnitOfWork
from jaga.errors import Conflict, FourEyes, InvalidInput, JagaError, PermissionDenied, RecordNotFound
from jaga.regions import within
from jaga.registry.adoption.workflow import (
    FOUR_EYES,
    ApprovalState,
    CaseKind,
    CaseStatus,
    Document,
    Outcome,
    Step,
    StepRequest,
    TakenStep,
    check_approval,
    check_step,
    status_after,
)
from jaga.registry.models import AdoptionCase, AdoptionStep, Institution, Person, StepApproval
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
) -> int:
    occurred_on = data.applied_on if isinstance(data, AdoptionCaseIn) else data.occurred_on
    (step_id,) = insert_rows(
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
    return step_id


def needs_second_officer(step: Step, actor: Actor) -> bool:
    """Four eyes apply to an officer's own act; a feed transcribes acts already signed at their source."""
    return step in FOUR_EYES and actor.feed is None


@dataclass
class _CaseState:
    case: AdoptionCase
    history: list[TakenStep] = field(default_factory=list)
    steps: int = 0  # step rows of the case, rejected ones included (they keep their numbers)


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
        state.steps += 1
        step_id = _insert_step(
            batch,
            case.id,
            state.steps,
            data,
            data.step,
            data.outcome.value if data.outcome else None,
            official.id if official else None,
        )
        if needs_second_officer(data.step, actor):
            # Recorded, not yet in effect: the case stays as it is until a second officer approves.
            approval = StepApproval(
                step_id=step_id, state=ApprovalState.PENDING, requested_by=actor.principal_id
            )
            batch.session.add(approval)
            batch.session.flush()
            batch.uow.record(
                EventKind.ADOPTION_STEP_APPROVAL_REQUESTED, approval, actor_id=actor.principal_id
            )
            state.history.append(TakenStep(data.step, data.occurred_on, data.outcome, pending=True))
        else:
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
    rows = batch.session.execute(
        select(AdoptionStep, StepApproval.state)
        .outerjoin(StepApproval, StepApproval.step_id == AdoptionStep.id)
        .where(AdoptionStep.case_id.in_(list(by_id)))
        .order_by(AdoptionStep.number)
    ).all()
    for step, approval in rows:
        state = by_id[step.case_id]
        state.steps += 1
        if approval == ApprovalState.REJECTED:
            continue  # never took effect; the step may be recorded again
        outcome = Outcome(step.outcome) if step.outcome else None
        pending = approval == ApprovalState.PENDING
        state.history.append(TakenStep(Step(step.step), step.occurred_on, outcome, pending=pending))
    return states


def decide_step(
    uow: UnitOfWork, actor: Actor, case_ref: str, number: int, *, approve: bool, note: str | None = None
) -> StepApproval:
    """A second officer approves (the step takes effect: the case advances) or rejects a four-eyes step.

    Refused unless the step waits for approval, the actor has the step's role, acts in the case's region,
    and is not the officer who recorded it.
    """
    actor.require(Action.ADOPTIONS_WRITE)
    if actor.feed is not None:
        raise FourEyes(
            "a feed account transcribes an agency system's records; approving a step is an officer's act",
            message_id="akun umpan menyalin data sistem instansi; menyetujui tahap adalah tindakan petugas",
        )
    text = (note or "").strip() or None
    if text is not None and len(text) > 500:
        raise InvalidInput("a note holds at most 500 characters")
    if not approve and text is None:
        raise InvalidInput("rejecting a step needs a note saying why")
    session = uow.session
    case = session.scalar(select(AdoptionCase).where(AdoptionCase.ref == case_ref))
    if case is None:
        raise RecordNotFound("adoption case", case_ref)
    actor.require_region(case.region_code, what=f"adoption case {case_ref}")
    found = session.execute(
        select(AdoptionStep, StepApproval)
        .join(StepApproval, StepApproval.step_id == AdoptionStep.id)
        .where(AdoptionStep.case_id == case.id, AdoptionStep.number == number)
    ).one_or_none()
    if found is None:
        raise RecordNotFound("step awaiting approval", f"{case_ref} #{number}")
    step, approval = found
    if approval.state != ApprovalState.PENDING:
        raise Conflict(f"case {case_ref}: step #{number} is already {approval.state}")
    check_approval(
        case_ref=case_ref,
        step=Step(step.step),
        recorded_by=approval.requested_by,
        role=actor.role,
        approver=actor.principal_id,
    )
    now = uow.clock()
    approval.state = ApprovalState.APPROVED if approve else ApprovalState.REJECTED
    approval.decided_by, approval.decided_official_id = actor.principal_id, actor.official_id
    approval.decided_at, approval.note = now, text
    uow.record(EventKind.ADOPTION_STEP_DECIDED, approval, actor_id=actor.principal_id)
    if approve:
        outcome = Outcome(step.outcome) if step.outcome else None
        case.status = status_after(CaseStatus(case.status), Step(step.step), outcome).value
        case.current_step = step.step
        uow.record(EventKind.ADOPTION_CASE_ADVANCED, case, actor_id=actor.principal_id)
    uow.commit()
    return approval


@dataclass(frozen=True)
class RecordedStep:
    number: int
    step: Step
    occurred_on: date
    outcome: str | None
    documents: list[dict[str, str]]
    note: str | None
    recorded_by: int | None
    approval: str | None  # pending | approved | rejected; None: took effect as recorded


def case_steps(session: Session, case: AdoptionCase) -> list[RecordedStep]:
    """Every step row of a case, in order, with its four-eyes state (for the case's checklist)."""
    rows = session.execute(
        select(AdoptionStep, StepApproval.state)
        .outerjoin(StepApproval, StepApproval.step_id == AdoptionStep.id)
        .where(AdoptionStep.case_id == case.id)
        .order_by(AdoptionStep.number)
    ).all()
    return [
        RecordedStep(
            s.number,
            Step(s.step),
            s.occurred_on,
            s.outcome,
            json.loads(s.documents),
            s.note,
            s.actor_id,
            state,
        )
        for s, state in rows
    ]


def history_of(steps: Sequence[RecordedStep]) -> list[TakenStep]:
    """The workflow's view of recorded steps: rejected ones never took effect."""
    return [
        TakenStep(
            s.step, s.occurred_on, Outcome(s.outcome) if s.outcome else None, pending=s.approval == "pending"
        )
        for s in steps
        if s.approval != "rejected"
    ]


def take_step(uow: UnitOfWork, actor: Actor, case_ref: str, data: AdoptionStepIn) -> None:
    """Take one step in a case, all or nothing, with the workflow's own refusal if it may not be taken."""
    from jaga.registry.services import create_one  # the registry's one-record path (imports this module)

    row = AdoptionStepRow.model_validate({**data.model_dump(), "case_ref": case_ref})
    create_one(uow, actor, take_steps, f"case {case_ref} step", row)
