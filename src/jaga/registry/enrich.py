"""Derived fields added to records as they are read (not stored, so never out of date)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.registry.adoption.workflow import RULES, CaseKind, CaseStatus, Step, sequence
from jaga.registry.models import LATE_REGISTRATION_DAYS, AdoptionStep, Official, Person, StepApproval
from jaga.registry.record_warnings import nik_warnings, relinquishment_warnings


def people(session: Session, items: list[dict[str, Any]]) -> None:
    """Where a person's NIK disagrees with the sex or birth date on the record."""
    for item in items:
        item["warnings"] = [
            asdict(w)
            for w in nik_warnings(
                "nik", item["nik"], sex=item["sex"], birth_date=item["birth_date"], date_field="birth_date"
            )
        ]


def births(session: Session, items: list[dict[str, Any]]) -> None:
    for item in items:
        registered, born = item.get("registered_on"), item["born_on"]
        delay = None if registered is None else (registered - born).days
        item["registration_delay_days"] = delay
        item["late_registration"] = delay is not None and delay > LATE_REGISTRATION_DAYS


def births_for_export(session: Session, items: list[dict[str, Any]]) -> None:
    """The child's own fields and the place, as the births import format has them."""
    births(session, items)
    refs = [i["child_ref"] for i in items]
    children = {p.ref: p for p in session.scalars(select(Person).where(Person.ref.in_(refs)))} if refs else {}
    for item in items:
        child = children[item["child_ref"]]
        item["child_name"] = child.full_name or None
        item["child_sex"] = child.sex
        item["child_nik"] = child.nik
        item["place_region_code"] = item["region_code"]


def institutions(session: Session, items: list[dict[str, Any]], today: date | None = None) -> None:
    day = today or date.today()
    for item in items:
        item["effective_licence_status"] = effective_licence_status(
            item["licence_status"], item.get("licence_valid_until"), day
        )


def effective_licence_status(stored: str, valid_until: date | None, today: date) -> str:
    """An active licence past its end date is expired, whatever the stored status says."""
    if stored == "active" and valid_until is not None and valid_until < today:
        return "expired"
    return stored


def relinquishments(session: Session, items: list[dict[str, Any]]) -> None:
    """Witnesses as a list and as the import format's columns, and the safeguards the record lacks."""
    refs = sorted({i["child_ref"] for i in items})
    born = (
        dict(session.execute(select(Person.ref, Person.birth_date).where(Person.ref.in_(refs))).all())
        if refs
        else {}
    )
    for item in items:
        witnesses = json.loads(item["witnesses"]) if isinstance(item["witnesses"], str) else item["witnesses"]
        item["witnesses"] = witnesses
        for index in (1, 2):
            witness = witnesses[index - 1] if len(witnesses) >= index else {}
            item[f"witness_{index}_name"] = witness.get("name")
            item[f"witness_{index}_nik"] = witness.get("nik")
        item["warnings"] = [
            asdict(w)
            for w in relinquishment_warnings(
                occurred_on=item["occurred_on"],
                child_born_on=born.get(item["child_ref"]),
                consent_document=item["consent_document"],
                counselled_on=item["counselled_on"],
                counselling_record=item["counselling_record"],
                witness_count=len(witnesses),
            )
        ]


def adoption_cases(session: Session, items: list[dict[str, Any]]) -> None:
    ids = [i["_id"] for i in items]
    steps_by_case: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if ids:
        joined = session.execute(
            select(AdoptionStep, StepApproval.state)
            .outerjoin(StepApproval, StepApproval.step_id == AdoptionStep.id)
            .where(AdoptionStep.case_id.in_(ids))
            .order_by(AdoptionStep.number)
        ).all()
        rows = [step for step, _ in joined]
        approvals = {step.id: state for step, state in joined}
        official_ids = {r.official_id for r in rows if r.official_id}
        # Rows unpack as tuples; `dict(result)` would not work: a Result has `keys()`, so dict() takes it
        # for a mapping (SQLAlchemy 2.1 also deprecates `Result.tuples()`).
        officials: dict[int, str] = {}
        if official_ids:
            query = select(Official.id, Official.ref).where(Official.id.in_(official_ids))
            officials = {official_id: ref for official_id, ref in session.execute(query)}
        for row in rows:
            steps_by_case[row.case_id].append(
                {
                    "number": row.number,
                    "step": row.step,
                    "occurred_on": row.occurred_on,
                    "outcome": row.outcome,
                    "documents": json.loads(row.documents),
                    "official_ref": officials.get(row.official_id) if row.official_id else None,
                    "note": row.note,
                    "approval": approvals[row.id],
                }
            )
    for item in items:
        steps = steps_by_case[item["_id"]]
        item["steps"] = steps
        item["next_steps"] = next_steps(CaseKind(item["kind"]), CaseStatus(item["status"]), steps)
        if steps:  # the application step, as the adoption-cases import format has it
            first = steps[0]
            item["applied_on"] = first["occurred_on"]
            item["documents"] = "; ".join(f"{d['kind']}={d['number']}" for d in first["documents"]) or None
            item["official_ref"] = first["official_ref"]
            item["note"] = first["note"]


def next_steps(kind: CaseKind, status: CaseStatus, steps: list[dict[str, Any]]) -> list[str]:
    """The steps that may be taken next, in order (for people, not for enforcement)."""
    if status in (CaseStatus.REFUSED, CaseStatus.WITHDRAWN):
        return []
    # A step waiting for a second officer, or rejected by one, is not in force: it is still to be taken.
    taken = {s["step"] for s in steps if s.get("approval") not in ("pending", "rejected")}
    following = [s for s in sequence(kind) if s.value not in taken or RULES[s].repeatable]
    upcoming = [following[0].value] if following else []
    if status == CaseStatus.GRANTED and Step.POST_ADOPTION_REPORT.value not in upcoming:
        upcoming.append(Step.POST_ADOPTION_REPORT.value)
    if status == CaseStatus.OPEN:
        upcoming.append(Step.WITHDRAWAL.value)
    return upcoming
