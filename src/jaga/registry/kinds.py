"""The kinds of registry record, each with its input schema, writer and read rules.

One table drives the importers, the exporters and the documentation of the file formats, so they cannot
drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

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
from jaga.registry.schemas.adoption import AdoptionCaseIn, AdoptionStepRow
from jaga.registry.schemas.births import BirthIn, BirthRegistrationIn
from jaga.registry.schemas.care import PlacementIn, RelinquishmentIn
from jaga.registry.schemas.missing import MissingReportIn
from jaga.registry.schemas.people import PersonIn
from jaga.registry.schemas.reference import AttendantIn, FacilityIn, InstitutionIn, OfficialIn
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
    ),
    "facilities": ReadSpec(
        "facility", Facility, Action.REFERENCE_READ, audited=False, region_scoped=False, filters=("kind",)
    ),
    "attendants": ReadSpec(
        "attendant", Attendant, Action.REFERENCE_READ, audited=False, region_scoped=False, filters=("kind",)
    ),
    "officials": ReadSpec(
        "official", Official, Action.REFERENCE_READ, audited=False, region_scoped=False, filters=("role",)
    ),
    "institutions": ReadSpec(
        "institution",
        Institution,
        Action.REFERENCE_READ,
        audited=False,
        region_scoped=False,
        filters=("kind", "licence_status"),
        enrich=enrich.institutions,
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
        ),
        Kind(
            "attendants",
            AttendantIn,
            record_attendants,
            READS["attendants"],
            "birth attendants: midwives, doctors, nurses, traditional attendants",
        ),
        Kind(
            "officials",
            OfficialIn,
            record_officials,
            READS["officials"],
            "officials: registrars, social workers, court clerks, judges, police officers",
        ),
        Kind(
            "institutions",
            InstitutionIn,
            record_institutions,
            READS["institutions"],
            "child-care institutions and adoption agencies, with their licences",
        ),
        Kind(
            "people",
            PersonIn,
            record_people,
            READS["people"],
            "people as one agency recorded them (mothers, fathers, adopters, reporters)",
        ),
        Kind(
            "births",
            BirthIn,
            record_births,
            READS["births"],
            "births (creates each child's person record), optionally with civil registration",
            export_enrich=enrich.births_for_export,
        ),
        Kind(
            "birth-registrations",
            BirthRegistrationIn,
            register_births,
            None,
            "civil registration (akta) of births already recorded",
        ),
        Kind(
            "relinquishments",
            RelinquishmentIn,
            record_relinquishments,
            READS["relinquishments"],
            "relinquishments of a child by its mother",
        ),
        Kind(
            "placements",
            PlacementIn,
            record_placements,
            READS["placements"],
            "placements of a child in an institution or family",
        ),
        Kind(
            "adoption-cases",
            AdoptionCaseIn,
            open_cases,
            READS["adoption-cases"],
            "adoption cases (each row opens a case with its application step)",
        ),
        Kind(
            "adoption-steps",
            AdoptionStepRow,
            take_steps,
            None,
            "steps taken in adoption cases, checked against the legal workflow",
        ),
        Kind(
            "missing-reports",
            MissingReportIn,
            file_missing_reports,
            READS["missing-reports"],
            "missing-child reports",
        ),
    )
}
