"""Recording facilities, attendants, officials and institutions, and changing institution licences."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from jaga.access import Action
from jaga.db import EventKind
from jaga.errors import InvalidInput, RecordNotFound
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
)


def record_facilities(batch: Batch, rows: Sequence[tuple[int, FacilityIn]]) -> BatchOutcome:
    batch.actor.require(Action.REFERENCE_WRITE)
    outcome = BatchOutcome()
    refs = UniqueGuard(batch.session, Facility.ref, (d.ref for _, d in rows), "ref")
    licences = UniqueGuard(
        batch.session, Facility.licence_number, (d.licence_number for _, d in rows), "licence number"
    )
    values = []
    for row, data in rows:
        problems: list[RowProblem] = []
        refs.claim(data.ref, row, "ref", problems)
        licences.claim(data.licence_number, row, "licence_number", problems)
        region = batch.jurisdiction(data.region_code, row, problems, "a facility")
        if problems or region is None:
            outcome.problems.extend(problems)
            continue
        ref = data.ref or new_ref("F")
        values.append(
            {
                "ref": ref,
                "region_code": region,
                "created_at": batch.now,
                "name": data.name,
                "kind": data.kind.value,
                "licence_number": data.licence_number,
                "address": data.address,
            }
        )
        outcome.refs.append(ref)
    outcome.ids = insert_rows(batch, Facility, values, EventKind.FACILITY_REGISTERED)
    return outcome


def record_attendants(batch: Batch, rows: Sequence[tuple[int, AttendantIn]]) -> BatchOutcome:
    batch.actor.require(Action.REFERENCE_WRITE)
    outcome = BatchOutcome()
    refs = UniqueGuard(batch.session, Attendant.ref, (d.ref for _, d in rows), "ref")
    registrations = UniqueGuard(
        batch.session,
        Attendant.registration_number,
        (d.registration_number for _, d in rows),
        "registration number",
    )
    facilities = lookup(batch.session, Facility, (d.facility_ref for _, d in rows))
    values = []
    for row, data in rows:
        problems: list[RowProblem] = []
        refs.claim(data.ref, row, "ref", problems)
        registrations.claim(data.registration_number, row, "registration_number", problems)
        facility = facilities.get(data.facility_ref) if data.facility_ref else None
        if data.facility_ref and facility is None:
            problems.append(missing_ref(row, "facility_ref", "facility", data.facility_ref))
        region = batch.jurisdiction(data.region_code, row, problems, "an attendant")
        if problems or region is None:
            outcome.problems.extend(problems)
            continue
        ref = data.ref or new_ref("A")
        values.append(
            {
                "ref": ref,
                "region_code": region,
                "created_at": batch.now,
                "full_name": data.full_name,
                "name_normalised": basic_form(data.full_name),
                "kind": data.kind.value,
                "registration_number": data.registration_number,
                "nik": data.nik,
                "facility_id": facility.id if facility else None,
            }
        )
        outcome.refs.append(ref)
    outcome.ids = insert_rows(batch, Attendant, values, EventKind.ATTENDANT_REGISTERED)
    return outcome


def record_officials(batch: Batch, rows: Sequence[tuple[int, OfficialIn]]) -> BatchOutcome:
    batch.actor.require(Action.REFERENCE_WRITE)
    outcome = BatchOutcome()
    refs = UniqueGuard(batch.session, Official.ref, (d.ref for _, d in rows), "ref")
    nips = UniqueGuard(batch.session, Official.nip, (d.nip for _, d in rows), "NIP")
    values = []
    for row, data in rows:
        problems: list[RowProblem] = []
        refs.claim(data.ref, row, "ref", problems)
        nips.claim(data.nip, row, "nip", problems)
        region = batch.jurisdiction(data.region_code, row, problems, "an official")
        if problems or region is None:
            outcome.problems.extend(problems)
            continue
        ref = data.ref or new_ref("O")
        values.append(
            {
                "ref": ref,
                "region_code": region,
                "created_at": batch.now,
                "full_name": data.full_name,
                "name_normalised": basic_form(data.full_name),
                "role": data.role.value,
                "office": data.office,
                "nip": data.nip,
            }
        )
        outcome.refs.append(ref)
    outcome.ids = insert_rows(batch, Official, values, EventKind.OFFICIAL_REGISTERED)
    return outcome


def record_institutions(batch: Batch, rows: Sequence[tuple[int, InstitutionIn]]) -> BatchOutcome:
    batch.actor.require(Action.REFERENCE_WRITE)
    outcome = BatchOutcome()
    refs = UniqueGuard(batch.session, Institution.ref, (d.ref for _, d in rows), "ref")
    licences = UniqueGuard(
        batch.session, Institution.licence_number, (d.licence_number for _, d in rows), "licence number"
    )
    values = []
    for row, data in rows:
        problems: list[RowProblem] = []
        refs.claim(data.ref, row, "ref", problems)
        licences.claim(data.licence_number, row, "licence_number", problems)
        region = batch.jurisdiction(data.region_code, row, problems, "an institution")
        if problems or region is None:
            outcome.problems.extend(problems)
            continue
        ref = data.ref or new_ref("I")
        values.append(
            {
                "ref": ref,
                "region_code": region,
                "created_at": batch.now,
                "name": data.name,
                "kind": data.kind.value,
                "licence_number": data.licence_number,
                "licence_issuer": data.licence_issuer,
                "licence_valid_from": data.licence_valid_from,
                "licence_valid_until": data.licence_valid_until,
                "licence_status": data.status().value,
                "foundation_number": data.foundation_number,
                "address": data.address,
            }
        )
        outcome.refs.append(ref)
    outcome.ids = insert_rows(batch, Institution, values, EventKind.INSTITUTION_REGISTERED)
    return outcome


def change_licence(batch: Batch, ref: str, data: LicenceChangeIn) -> Institution:
    """Suspend, revoke, renew or expire an institution's licence (an audited event)."""
    batch.actor.require(Action.LICENCE_WRITE)
    institution = batch.session.scalar(select(Institution).where(Institution.ref == ref))
    if institution is None:
        raise RecordNotFound("institution", ref)
    batch.actor.require_region(institution.region_code, what=f"institution {ref}")
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
