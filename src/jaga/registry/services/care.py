"""Recording relinquishments and placements, and ending placements."""

from __future__ import annotations

import json
from collections.abc import Sequence

from jaga.access import Action
from jaga.db import EventKind
from jaga.errors import InvalidInput
from jaga.registry.models import AdoptionCase, Institution, Official, Person, Placement, Relinquishment
from jaga.registry.record_warnings import relinquishment_warnings
from jaga.registry.schemas.care import PlacementEndIn, PlacementIn, RelinquishmentIn
from jaga.registry.services.batch import (
    Batch,
    BatchOutcome,
    RowProblem,
    UniqueGuard,
    insert_rows,
    lookup,
    missing_ref,
    new_ref,
    owned,
)


def record_relinquishments(batch: Batch, rows: Sequence[tuple[int, RelinquishmentIn]]) -> BatchOutcome:
    batch.actor.require(Action.RELINQUISHMENTS_WRITE)
    session = batch.session
    outcome = BatchOutcome()
    datas = [d for _, d in rows]
    refs = UniqueGuard(session, Relinquishment.ref, (d.ref for d in datas), "ref")
    people = lookup(
        session,
        Person,
        [r for d in datas for r in (d.mother_ref, d.child_ref)],
        Person.sex,
        Person.birth_date,
    )
    institutions = lookup(session, Institution, (d.institution_ref for d in datas))
    counsellors = lookup(session, Official, (d.counsellor_ref for d in datas))
    values = []
    for row, data in rows:
        problems: list[RowProblem] = []
        refs.claim(data.ref, row, "ref", problems)
        mother, child = people.get(data.mother_ref), people.get(data.child_ref)
        if mother is None:
            problems.append(missing_ref(row, "mother_ref", "person", data.mother_ref))
        elif mother.sex == "M":
            problems.append(RowProblem(row, "mother_ref", "the person named as mother is recorded as male"))
        if child is None:
            problems.append(missing_ref(row, "child_ref", "person", data.child_ref))
        if data.mother_ref == data.child_ref:
            problems.append(RowProblem(row, "child_ref", "mother and child are the same record"))
        institution = institutions.get(data.institution_ref) if data.institution_ref else None
        if data.institution_ref and institution is None:
            problems.append(missing_ref(row, "institution_ref", "institution", data.institution_ref))
        counsellor = counsellors.get(data.counsellor_ref) if data.counsellor_ref else None
        if data.counsellor_ref and counsellor is None:
            problems.append(missing_ref(row, "counsellor_ref", "official", data.counsellor_ref))
        region = batch.jurisdiction(data.region_code, row, problems, "a relinquishment")
        if problems or region is None or mother is None or child is None:
            outcome.problems.extend(problems)
            continue
        ref = data.ref or new_ref("R")
        outcome.warnings.extend(
            RowProblem(row, w.field, w.message, "warning")
            for w in relinquishment_warnings(
                occurred_on=data.occurred_on,
                child_born_on=child.birth_date,
                consent_document=data.consent_document,
                counselled_on=data.counselled_on,
                counselling_record=data.counselling_record,
                witness_count=len(data.witnesses()),
            )
        )
        values.append(
            {
                "ref": ref,
                "region_code": region,
                "created_at": batch.now,
                "mother_id": mother.id,
                "child_id": child.id,
                "occurred_on": data.occurred_on,
                "institution_id": institution.id if institution else None,
                "counselled_on": data.counselled_on,
                "counsellor_id": counsellor.id if counsellor else None,
                "counselling_record": data.counselling_record,
                "consent_document": data.consent_document,
                "witnesses": json.dumps(data.witnesses(), ensure_ascii=False, separators=(",", ":")),
            }
        )
        outcome.refs.append(ref)
    outcome.ids = insert_rows(batch, Relinquishment, values, EventKind.RELINQUISHMENT_RECORDED)
    return outcome


def record_placements(batch: Batch, rows: Sequence[tuple[int, PlacementIn]]) -> BatchOutcome:
    batch.actor.require(Action.PLACEMENTS_WRITE)
    session = batch.session
    outcome = BatchOutcome()
    datas = [d for _, d in rows]
    refs = UniqueGuard(session, Placement.ref, (d.ref for d in datas), "ref")
    people = lookup(session, Person, [r for d in datas for r in (d.child_ref, d.carer_ref)])
    institutions = lookup(session, Institution, (d.institution_ref for d in datas))
    cases = lookup(session, AdoptionCase, (d.adoption_case_ref for d in datas), AdoptionCase.child_id)
    values = []
    for row, data in rows:
        problems: list[RowProblem] = []
        refs.claim(data.ref, row, "ref", problems)
        child = people.get(data.child_ref)
        if child is None:
            problems.append(missing_ref(row, "child_ref", "person", data.child_ref))
        carer = people.get(data.carer_ref) if data.carer_ref else None
        if data.carer_ref and carer is None:
            problems.append(missing_ref(row, "carer_ref", "person", data.carer_ref))
        institution = institutions.get(data.institution_ref) if data.institution_ref else None
        if data.institution_ref and institution is None:
            problems.append(missing_ref(row, "institution_ref", "institution", data.institution_ref))
        case = cases.get(data.adoption_case_ref) if data.adoption_case_ref else None
        if data.adoption_case_ref and case is None:
            problems.append(missing_ref(row, "adoption_case_ref", "adoption case", data.adoption_case_ref))
        elif case is not None and child is not None and case.child_id != child.id:
            problems.append(RowProblem(row, "adoption_case_ref", "the adoption case is about another child"))
        region = batch.jurisdiction(data.region_code, row, problems, "a placement")
        if problems or region is None or child is None:
            outcome.problems.extend(problems)
            continue
        ref = data.ref or new_ref("L")
        values.append(
            {
                "ref": ref,
                "region_code": region,
                "created_at": batch.now,
                "child_id": child.id,
                "kind": data.kind.value,
                "institution_id": institution.id if institution else None,
                "carer_id": carer.id if carer else None,
                "adoption_case_id": case.id if case else None,
                "from_date": data.from_date,
                "to_date": data.to_date,
            }
        )
        outcome.refs.append(ref)
    outcome.ids = insert_rows(batch, Placement, values, EventKind.PLACEMENT_STARTED)
    return outcome


def end_placement(batch: Batch, ref: str, data: PlacementEndIn) -> Placement:
    placement = owned(batch, Placement, ref, "placement", Action.PLACEMENTS_WRITE)
    if placement.to_date is not None:
        raise InvalidInput(f"placement {ref} has already ended")
    if data.to_date < placement.from_date:
        raise InvalidInput(f"placement {ref}: to_date is before from_date")
    placement.to_date = data.to_date
    batch.uow.record(EventKind.PLACEMENT_ENDED, placement, actor_id=batch.actor.principal_id)
    batch.uow.commit()
    return placement
