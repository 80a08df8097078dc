"""Recording births and registering them with the civil registry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select

from jaga.access import Action
from jaga.db import EventKind
from jaga.names import basic_form
from jaga.regions import within
from jaga.registry.models import Attendant, Birth, Facility, Person
from jaga.registry.record_warnings import nik_warnings
from jaga.registry.schemas.births import BirthIn, BirthRegistrationIn
from jaga.registry.schemas.people import SourceKind
from jaga.registry.services.batch import (
    Batch,
    BatchOutcome,
    RowProblem,
    UniqueGuard,
    flushed_connection,
    insert_rows,
    lookup,
    missing_ref,
    new_ref,
    one_of,
    outside_scope,
)
from jaga.registry.services.officials import ActingOfficials

MIN_MOTHER_AGE = 10  # younger is not a plausible record but a data error
MAX_MOTHER_AGE = 70  # older likewise; ages near these bounds are accepted and left to the flags


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def record_births(batch: Batch, rows: Sequence[tuple[int, BirthIn]]) -> BatchOutcome:
    """Insert births and their children's person records.

    A `child_ref` that already names a person (the civil registry recorded the child first, or the
    records come from an export) is linked instead of created, provided that person has no birth yet and
    the row's child fields agree with it. Registration fields (akta) need the births:register permission.
    """
    actor = batch.actor
    actor.require(Action.BIRTHS_RECORD)
    session = batch.session
    outcome = BatchOutcome()
    datas = [d for _, d in rows]
    refs = UniqueGuard(session, Birth.ref, (d.ref for d in datas), "ref")
    aktas = UniqueGuard(session, Birth.akta_number, (d.akta_number for d in datas), "akta number")
    people = lookup(
        session,
        Person,
        [r for d in datas for r in (d.mother_ref, d.father_ref, d.child_ref)],
        Person.birth_date,
        Person.sex,
        Person.full_name,
        Person.nik,
    )
    has_birth = _children_with_births(batch, [p.id for p in people.values()])
    new_children: set[str] = set()
    facilities = lookup(session, Facility, (d.facility_ref for d in datas), Facility.region_code)
    attendants = lookup(session, Attendant, (d.attendant_ref for d in datas))
    registrars = ActingOfficials(batch, (d.registrar_ref for d in datas), "register births")

    children: list[dict[str, Any]] = []
    births: list[dict[str, Any]] = []
    for row, data in rows:
        problems: list[RowProblem] = []
        refs.claim(data.ref, row, "ref", problems)
        if data.akta_number is not None:
            aktas.claim(data.akta_number, row, "akta_number", problems)
        existing_child = people.get(data.child_ref) if data.child_ref else None
        if data.child_ref is not None and data.child_ref in (data.mother_ref, data.father_ref):
            problems.append(RowProblem(row, "child_ref", "the child cannot be its own parent"))
            existing_child = None
        elif existing_child is not None:
            problems.extend(
                _existing_child_problems(row, existing_child, data, existing_child.id in has_birth)
            )
        elif data.child_ref is not None:
            if data.child_ref in new_children:
                problems.append(
                    RowProblem(row, "child_ref", f"ref {data.child_ref!r} is already in use", "conflict")
                )
            new_children.add(data.child_ref)
        mother = people.get(data.mother_ref)
        if mother is None:
            problems.append(missing_ref(row, "mother_ref", "person", data.mother_ref))
        else:
            problems.extend(_mother_problems(row, mother, data.born_on))
        father = people.get(data.father_ref) if data.father_ref else None
        if data.father_ref and father is None:
            problems.append(missing_ref(row, "father_ref", "person", data.father_ref))
        facility = facilities.get(data.facility_ref) if data.facility_ref else None
        if data.facility_ref and facility is None:
            problems.append(missing_ref(row, "facility_ref", "facility", data.facility_ref))
        attendant = attendants.get(data.attendant_ref) if data.attendant_ref else None
        if data.attendant_ref and attendant is None:
            problems.append(missing_ref(row, "attendant_ref", "attendant", data.attendant_ref))
        region = data.place_region_code or (facility.region_code if facility else None)
        if region is not None and not within(region, actor.region_scope):
            problems.append(outside_scope(row, "place_region_code", region, actor, "a birth"))
        registration = (
            _NO_REGISTRATION
            if data.akta_number is None
            else _registration(batch, row, data, registrars, problems)
        )
        if problems or region is None or mother is None:
            outcome.problems.extend(problems)
            continue

        if existing_child is not None:
            has_birth.add(existing_child.id)
            child_id: int | None = existing_child.id
        else:
            child_id = None
            children.append(_child_values(batch, data, region))
            if data.child_nik is not None:
                outcome.warnings.extend(
                    RowProblem(row, w.field, w.message, "warning")
                    for w in nik_warnings(
                        "child_nik",
                        data.child_nik,
                        sex=data.child_sex.value,
                        birth_date=data.born_on,
                        date_field="born_on",
                    )
                )
        ref = data.ref or new_ref("B")
        births.append(
            {
                "ref": ref,
                "region_code": region,
                "created_at": batch.now,
                "child_id": child_id,
                "mother_id": mother.id,
                "father_id": father.id if father else None,
                "facility_id": facility.id if facility else None,
                "attendant_id": attendant.id if attendant else None,
                "born_on": data.born_on,
                "born_at_time": data.born_at_time,
                "birth_weight_g": data.birth_weight_g,
                "plurality": data.plurality,
                "place_kind": data.place().value,
                "birth_evidence": data.evidence().value,
                "skl_number": data.skl_number,
                **registration,
            }
        )
        outcome.refs.append(ref)

    new_ids = iter(insert_rows(batch, Person, children, EventKind.PERSON_RECORDED))
    for values in births:
        if values["child_id"] is None:
            values["child_id"] = next(new_ids)
    outcome.ids = insert_rows(batch, Birth, births, EventKind.BIRTH_RECORDED)
    return outcome


def _children_with_births(batch: Batch, person_ids: list[int]) -> set[int]:
    found: set[int] = set()
    session = batch.session
    connection = flushed_connection(session)
    for start in range(0, len(person_ids), 5000):
        chunk = person_ids[start : start + 5000]
        query = select(Birth.child_id).where(one_of(session, Birth.child_id, chunk))
        found.update(connection.scalars(query).all())
    return found


def _existing_child_problems(row: int, child: Any, data: BirthIn, has_birth: bool) -> list[RowProblem]:
    if has_birth:
        return [RowProblem(row, "child_ref", f"person {child.ref!r} already has a birth record", "conflict")]
    differing = [
        name
        for name, given, stored in (
            ("child_name", data.child_name, child.full_name or None),
            ("child_sex", data.child_sex.value, child.sex),
            ("child_nik", data.child_nik, child.nik),
        )
        if given is not None and given != stored
    ]
    if child.birth_date is not None and child.birth_date != data.born_on:
        differing.append("born_on")
    if differing:
        return [
            RowProblem(
                row,
                "child_ref",
                f"person {child.ref!r} exists with different {', '.join(differing)}; "
                "give a new child_ref or correct the row",
            )
        ]
    return []


_FACILITY, _CIVIL_REGISTRY = SourceKind.FACILITY.value, SourceKind.CIVIL_REGISTRY.value


def _child_values(batch: Batch, data: BirthIn, region: str) -> dict[str, Any]:
    return {
        "ref": data.child_ref or new_ref("P"),
        "region_code": region,
        "created_at": batch.now,
        "source_kind": _FACILITY if data.facility_ref else _CIVIL_REGISTRY,
        "source_ref": data.facility_ref or "",
        "full_name": data.child_name or "",
        "name_normalised": basic_form(data.child_name) if data.child_name else "",
        "nik": data.child_nik,
        "kk_number": None,
        "sex": data.child_sex.value,
        "birth_date": data.born_on,
        "religion": None,
        "nationality": "IDN",
        "address": None,
        "address_region_code": None,
        "phone": None,
        "mother_name": None,  # the birth names the mother's own record (linkage reads her from there)
        "mother_nik": None,
    }


def _mother_problems(row: int, mother: Any, born_on: date) -> list[RowProblem]:
    problems = []
    if mother.sex == "M":
        problems.append(RowProblem(row, "mother_ref", "the person named as mother is recorded as male"))
    if mother.birth_date is not None:
        age = age_on(mother.birth_date, born_on)
        if not MIN_MOTHER_AGE <= age <= MAX_MOTHER_AGE:
            problems.append(
                RowProblem(
                    row,
                    "mother_ref",
                    f"the mother would be {age} years old at the birth; "
                    f"accepted range is {MIN_MOTHER_AGE}-{MAX_MOTHER_AGE}",
                )
            )
    return problems


# The registration columns of a birth recorded without one (read, never changed).
_NO_REGISTRATION: dict[str, Any] = {
    "akta_number": None,
    "registrar_id": None,
    "registered_on": None,
    "registration_region_code": None,
}


def _registration(
    batch: Batch,
    row: int,
    data: BirthIn | BirthRegistrationIn,
    registrars: ActingOfficials,
    problems: list[RowProblem],
) -> dict[str, Any]:
    """Validate the civil-registration fields of a row; their column values (all None when absent).

    The registrar is the official the account acts as (or, for a feed account, the one the row names);
    the registration lies in that official's region unless the row names a district inside it.
    """
    empty = dict(_NO_REGISTRATION)
    if data.akta_number is None:
        return empty
    if not batch.actor.can(Action.BIRTHS_REGISTER):
        problems.append(
            RowProblem(
                row, "akta_number", f"role {batch.actor.role.value!r} may not register births", "forbidden"
            )
        )
        return empty
    registrar = registrars.resolve(
        row,
        "registrar_ref",
        data.registrar_ref,
        data.registration_region_code,
        problems,
        what="a registration",
        required=True,
    )
    if registrar is None:
        return empty
    region = data.registration_region_code or registrar.region_code
    if not within(region, batch.actor.region_scope):
        problems.append(outside_scope(row, "registration_region_code", region, batch.actor, "a registration"))
    return {
        "akta_number": data.akta_number,
        "registrar_id": registrar.id,
        "registered_on": data.registered_on,
        "registration_region_code": region,
    }


def register_births(batch: Batch, rows: Sequence[tuple[int, BirthRegistrationIn]]) -> BatchOutcome:
    """Civil registration (akta) of births already recorded; late registration is allowed and visible."""
    batch.actor.require(Action.BIRTHS_REGISTER)
    session = batch.session
    outcome = BatchOutcome()
    aktas = UniqueGuard(session, Birth.akta_number, (d.akta_number for _, d in rows), "akta number")
    registrars = ActingOfficials(batch, (d.registrar_ref for _, d in rows), "register births")
    wanted = sorted({d.birth_ref for _, d in rows})
    births = {b.ref: b for b in session.scalars(select(Birth).where(Birth.ref.in_(wanted)))} if wanted else {}
    for row, data in rows:
        problems: list[RowProblem] = []
        birth = births.get(data.birth_ref)
        if birth is None:
            problems.append(missing_ref(row, "birth_ref", "birth", data.birth_ref))
        elif birth.akta_number is not None:
            problems.append(
                RowProblem(row, "birth_ref", f"birth {data.birth_ref!r} is already registered", "conflict")
            )
        elif data.registered_on < birth.born_on:
            problems.append(RowProblem(row, "registered_on", "is before the birth"))
        aktas.claim(data.akta_number, row, "akta_number", problems)
        registration = _registration(batch, row, data, registrars, problems)
        if problems or birth is None:
            outcome.problems.extend(problems)
            continue
        for key, value in registration.items():
            setattr(birth, key, value)
        session.flush()
        batch.uow.record(EventKind.BIRTH_REGISTERED, birth, actor_id=batch.actor.principal_id)
        outcome.ids.append(birth.id)
        outcome.refs.append(birth.ref)
    return outcome
