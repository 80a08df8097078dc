"""Recording facilities, attendants, officials and institutions, and changing institution licences."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from jaga.access import Action
from jaga.db import Base, EventKind
from jaga.errors import InvalidInput
from jaga.names import basic_form
from jaga.registry.models import Attendant, Facility, Institution, Official
from jaga.registry.schemas.reference import (
    AttendantIn,
    FacilityIn,
    InstitutionIn,
    LicenceChangeIn,
    LicenceStatus,
    OfficialIn,
)
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


def _record_reference(
    batch: Batch,
    rows: Sequence[tuple[int, Any]],
    *,
    model: type[Base],
    prefix: str,
    what: str,
    unique: tuple[str, str] | None,
    event: EventKind,
    values: Callable[[Any], dict[str, Any]],
) -> BatchOutcome:
    """The shared shape of reference writers: refs and one number unique, jurisdiction, insert."""
    batch.actor.require(Action.REFERENCE_WRITE)
    outcome = BatchOutcome()
    refs = UniqueGuard(batch.session, model.ref, (d.ref for _, d in rows), "ref")  # type: ignore[attr-defined]
    numbers = (
        UniqueGuard(
            batch.session, getattr(model, unique[0]), (getattr(d, unique[0]) for _, d in rows), unique[1]
        )
        if unique
        else None
    )
    inserted = []
    for row, data in rows:
        problems: list[RowProblem] = []
        refs.claim(data.ref, row, "ref", problems)
        if numbers is not None and unique is not None:
            numbers.claim(getattr(data, unique[0]), row, unique[0], problems)
        region = batch.jurisdiction(data.region_code, row, problems, what)
        if problems or region is None:
            outcome.problems.extend(problems)
            continue
        ref = data.ref or new_ref(prefix)
        inserted.append({"ref": ref, "region_code": region, "created_at": batch.now, **values(data)})
        outcome.refs.append(ref)
    outcome.ids = insert_rows(batch, model, inserted, event)
    return outcome


def record_facilities(batch: Batch, rows: Sequence[tuple[int, FacilityIn]]) -> BatchOutcome:
    return _record_reference(
        batch,
        rows,
        model=Facility,
        prefix="F",
        what="a facility",
        unique=("licence_number", "licence number"),
        event=EventKind.FACILITY_REGISTERED,
        values=lambda d: {
            "name": d.name,
            "kind": d.kind.value,
            "licence_number": d.licence_number,
            "address": d.address,
        },
    )


def record_officials(batch: Batch, rows: Sequence[tuple[int, OfficialIn]]) -> BatchOutcome:
    return _record_reference(
        batch,
        rows,
        model=Official,
        prefix="O",
        what="an official",
        unique=("nip", "NIP"),
        event=EventKind.OFFICIAL_REGISTERED,
        values=lambda d: {
            "full_name": d.full_name,
            "name_normalised": basic_form(d.full_name),
            "role": d.role.value,
            "office": d.office,
            "nip": d.nip,
        },
    )


def record_institutions(batch: Batch, rows: Sequence[tuple[int, InstitutionIn]]) -> BatchOutcome:
    return _record_reference(
        batch,
        rows,
        model=Institution,
        prefix="I",
        what="an institution",
        unique=("licence_number", "licence number"),
        event=EventKind.INSTITUTION_REGISTERED,
        values=lambda d: {
            "name": d.name,
            "kind": d.kind.value,
            "licence_number": d.licence_number,
            "licence_issuer": d.licence_issuer,
            "licence_valid_from": d.licence_valid_from,
            "licence_valid_until": d.licence_valid_until,
            "licence_status": d.status().value,
            "foundation_number": d.foundation_number,
            "address": d.address,
        },
    )


def record_attendants(batch: Batch, rows: Sequence[tuple[int, AttendantIn]]) -> BatchOutcome:
    facilities = lookup(batch.session, Facility, (d.facility_ref for _, d in rows))
    problems = [
        missing_ref(row, "facility_ref", "facility", d.facility_ref)
        for row, d in rows
        if d.facility_ref and d.facility_ref not in facilities
    ]
    bad_rows = {p.row for p in problems}

    def values(d: AttendantIn) -> dict[str, Any]:
        facility = facilities.get(d.facility_ref) if d.facility_ref else None
        return {
            "full_name": d.full_name,
            "name_normalised": basic_form(d.full_name),
            "kind": d.kind.value,
            "registration_number": d.registration_number,
            "nik": d.nik,
            "facility_id": facility.id if facility else None,
        }

    outcome = _record_reference(
        batch,
        [(row, d) for row, d in rows if row not in bad_rows],
        model=Attendant,
        prefix="A",
        what="an attendant",
        unique=("registration_number", "registration number"),
        event=EventKind.ATTENDANT_REGISTERED,
        values=values,
    )
    outcome.problems = problems + outcome.problems
    return outcome


def change_licence(batch: Batch, ref: str, data: LicenceChangeIn) -> Institution:
    """Suspend, revoke, renew or expire an institution's licence (an audited event)."""
    institution = owned(batch, Institution, ref, "institution", Action.LICENCE_WRITE)
    if institution.licence_number is None and data.licence_status != LicenceStatus.NONE:
        raise InvalidInput(f"institution {ref} has no licence number; register the licence first")
    institution.licence_status = data.licence_status.value
    if data.licence_valid_until is not None:
        if institution.licence_valid_from and data.licence_valid_until < institution.licence_valid_from:
            raise InvalidInput("licence_valid_until is before the licence's licence_valid_from")
        institution.licence_valid_until = data.licence_valid_until
    batch.uow.record(EventKind.INSTITUTION_LICENCE_CHANGED, institution, actor_id=batch.actor.principal_id)
    batch.uow.commit()
    return institution


__all__ = [
    "change_licence",
    "record_attendants",
    "record_facilities",
    "record_institutions",
    "record_officials",
]
