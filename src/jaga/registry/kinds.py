"""The kinds of registry record, each with its input schema, writer and read rules.

One table drives the importers, the exporters and the documentation of the file formats, so they cannot
drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from jaga.access import Action
from jaga.registry import enrich
from jaga.registry.adoption.services import open_cases, take_steps
from jaga.registry.models import (
    AdoptionCase,
    Attendant,
    Birth,
    Facility,
    Institution,
    MissingReport,
    Official,
    Person,
    Placement,
    Relinquishment,
)
from jaga.registry.schemas.adoption import AdoptionCaseIn, AdoptionCaseOut, AdoptionStepRow
from jaga.registry.schemas.births import BirthIn, BirthOut, BirthRegistrationIn
from jaga.registry.schemas.care import PlacementIn, PlacementOut, RelinquishmentIn, RelinquishmentOut
from jaga.registry.schemas.missing import MissingReportIn, MissingReportOut
from jaga.registry.schemas.people import PersonIn, PersonOut
from jaga.registry.schemas.reference import (
    AttendantIn,
    AttendantOut,
    FacilityIn,
    FacilityOut,
    InstitutionIn,
    InstitutionOut,
    OfficialIn,
    OfficialOut,
)
from jaga.registry.schemas.types import InputModel
from jaga.registry.services.batch import Batch, BatchOutcome
from jaga.registry.services.births import record_births, register_births
from jaga.registry.services.care import record_placements, record_relinquishments
from jaga.registry.services.missing import file_missing_reports
from jaga.registry.services.people import record_people
from jaga.registry.services.reads import ReadSpec
from jaga.registry.services.reference import (
    record_attendants,
    record_facilities,
    record_institutions,
    record_officials,
)

Writer = Callable[[Batch, Sequence[tuple[int, Any]]], BatchOutcome]


@dataclass(frozen=True)
class Kind:
    name: str  # as typed on the command line: `jaga import births FILE`
    schema: type[InputModel]
    write: Writer
    read: ReadSpec | None  # None: not readable on its own (adoption steps live inside their case)
    summary: str
    out: type[BaseModel] | None = None  # the API's representation
    write_action: Action | None = None
    export_enrich: Callable[..., None] | None = None

    @property
    def columns(self) -> list[str]:
        return list(self.schema.model_fields)

    @property
    def required_columns(self) -> list[str]:
        return [name for name, f in self.schema.model_fields.items() if f.is_required()]


READS: dict[str, ReadSpec] = {
    "people": ReadSpec(
        "person",
        Person,
        Action.PEOPLE_READ,
        audited=True,
        date_column="birth_date",
        filters=("source_kind", "nik", "sex"),
        enrich=enrich.people,
    ),
    "facilities": ReadSpec(
        "facility",
        Facility,
        Action.REFERENCE_READ,
        audited=False,
        region_scoped=False,
        filters=("kind", "name"),
        name_column="name",
    ),
    "attendants": ReadSpec(
        "attendant",
        Attendant,
        Action.REFERENCE_READ,
        audited=False,
        region_scoped=False,
        filters=("kind", "name"),
        name_column="name_normalised",
    ),
    "officials": ReadSpec(
        "official",
        Official,
        Action.REFERENCE_READ,
        audited=False,
        region_scoped=False,
        filters=("role", "name"),
        name_column="name_normalised",
    ),
    "institutions": ReadSpec(
        "institution",
        Institution,
        Action.REFERENCE_READ,
        audited=False,
        region_scoped=False,
        filters=("kind", "licence_status", "name"),
        enrich=enrich.institutions,
        name_column="name",
    ),
    "births": ReadSpec(
        "birth",
        Birth,
        Action.BIRTHS_READ,
        audited=True,
        date_column="born_on",
        filters=("place_kind", "birth_evidence"),
        enrich=enrich.births,
    ),
    "relinquishments": ReadSpec(
        "relinquishment",
        Relinquishment,
        Action.RELINQUISHMENTS_READ,
        audited=True,
        date_column="occurred_on",
        enrich=enrich.relinquishments,
    ),
    "placements": ReadSpec(
        "placement",
        Placement,
        Action.PLACEMENTS_READ,
        audited=True,
        date_column="from_date",
        filters=("kind",),
    ),
    "adoption-cases": ReadSpec(
        "adoption case",
        AdoptionCase,
        Action.ADOPTIONS_READ,
        audited=True,
        date_column="opened_on",
        filters=("kind", "status"),
        enrich=enrich.adoption_cases,
    ),
    "missing-reports": ReadSpec(
        "missing-child report",
        MissingReport,
        Action.MISSING_READ,
        audited=True,
        date_column="last_seen_on",
        filters=("status",),
    ),
}

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "facilities",
            FacilityIn,
            record_facilities,
            READS["facilities"],
            "birth facilities: hospitals, puskesmas, clinics, midwife practices",
            FacilityOut,
            Action.REFERENCE_WRITE,
        ),
        Kind(
            "attendants",
            AttendantIn,
            record_attendants,
            READS["attendants"],
            "birth attendants: midwives, doctors, nurses, traditional attendants",
            AttendantOut,
            Action.REFERENCE_WRITE,
        ),
        Kind(
            "officials",
            OfficialIn,
            record_officials,
            READS["officials"],
            "officials: registrars, social workers, court clerks, judges, police officers",
            OfficialOut,
            Action.REFERENCE_WRITE,
        ),
        Kind(
            "institutions",
            InstitutionIn,
            record_institutions,
            READS["institutions"],
            "child-care institutions and adoption agencies, with their licences",
            InstitutionOut,
            Action.REFERENCE_WRITE,
        ),
        Kind(
            "people",
            PersonIn,
            record_people,
            READS["people"],
            "people as one agency recorded them (mothers, fathers, adopters, reporters)",
            PersonOut,
            Action.PEOPLE_WRITE,
        ),
        Kind(
            "births",
            BirthIn,
            record_births,
            READS["births"],
            "births (creates each child's person record), optionally with civil registration",
            BirthOut,
            Action.BIRTHS_RECORD,
            export_enrich=enrich.births_for_export,
        ),
        Kind(
            "birth-registrations",
            BirthRegistrationIn,
            register_births,
            None,
            "civil registration (akta) of births already recorded",
            None,
            Action.BIRTHS_REGISTER,
        ),
        Kind(
            "relinquishments",
            RelinquishmentIn,
            record_relinquishments,
            READS["relinquishments"],
            "relinquishments of a child by its mother",
            RelinquishmentOut,
            Action.RELINQUISHMENTS_WRITE,
        ),
        Kind(
            "placements",
            PlacementIn,
            record_placements,
            READS["placements"],
            "placements of a child in an institution or family",
            PlacementOut,
            Action.PLACEMENTS_WRITE,
        ),
        Kind(
            "adoption-cases",
            AdoptionCaseIn,
            open_cases,
            READS["adoption-cases"],
            "adoption cases (each row opens a case with its application step)",
            AdoptionCaseOut,
            Action.ADOPTIONS_WRITE,
        ),
        Kind(
            "adoption-steps",
            AdoptionStepRow,
            take_steps,
            None,
            "steps taken in adoption cases, checked against the legal workflow",
            None,
            Action.ADOPTIONS_WRITE,
        ),
        Kind(
            "missing-reports",
            MissingReportIn,
            file_missing_reports,
            READS["missing-reports"],
            "missing-child reports",
            MissingReportOut,
            Action.MISSING_WRITE,
        ),
    )
}
