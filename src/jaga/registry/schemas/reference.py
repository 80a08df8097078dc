"""Facilities, attendants, officials, institutions."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, model_validator

from jaga.registry.schemas.types import (
    DocumentNumber,
    DottedRegion,
    InputModel,
    IsoDate,
    Jurisdiction,
    LongText,
    Name,
    Nik,
    Nip,
    Ref,
    RegionCode,
    ShortText,
)


class FacilityKind(StrEnum):
    HOSPITAL = "hospital"
    PUSKESMAS = "puskesmas"
    CLINIC = "clinic"
    MIDWIFE_PRACTICE = "midwife_practice"


class AttendantKind(StrEnum):
    MIDWIFE = "midwife"
    DOCTOR = "doctor"
    NURSE = "nurse"
    TRADITIONAL = "traditional"  # dukun bayi: no registration number


class OfficialRole(StrEnum):
    REGISTRAR = "registrar"
    SOCIAL_WORKER = "social_worker"
    COURT_CLERK = "court_clerk"
    JUDGE = "judge"
    POLICE_OFFICER = "police_officer"
    OTHER = "other"


class InstitutionKind(StrEnum):
    LKSA = "lksa"  # Lembaga Kesejahteraan Sosial Anak
    ADOPTION_FOUNDATION = "adoption_foundation"
    SHELTER = "shelter"
    FOSTER_AGENCY = "foster_agency"


class LicenceStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NONE = "none"  # never licensed (foundation papers are not a licence)


class FacilityIn(InputModel):
    ref: Ref | None = None
    name: ShortText
    kind: FacilityKind
    licence_number: DocumentNumber
    region_code: RegionCode
    address: LongText | None = None


class AttendantIn(InputModel):
    ref: Ref | None = None
    full_name: Name
    kind: AttendantKind
    registration_number: DocumentNumber | None = None
    nik: Nik | None = None
    facility_ref: Ref | None = None
    region_code: Jurisdiction = None

    @model_validator(mode="after")
    def _registered_unless_traditional(self) -> Self:
        if self.kind != AttendantKind.TRADITIONAL and self.registration_number is None:
            raise ValueError("registration_number (STR) is required for midwives, doctors and nurses")
        return self


class OfficialIn(InputModel):
    ref: Ref | None = None
    full_name: Name
    role: OfficialRole
    office: ShortText
    nip: Nip | None = None
    region_code: Jurisdiction = None


class InstitutionIn(InputModel):
    ref: Ref | None = None
    name: ShortText
    kind: InstitutionKind
    licence_number: DocumentNumber | None = None
    licence_issuer: ShortText | None = None
    licence_valid_from: IsoDate | None = None
    licence_valid_until: IsoDate | None = None
    licence_status: LicenceStatus | None = None
    foundation_number: DocumentNumber | None = None
    region_code: RegionCode
    address: LongText | None = None

    @model_validator(mode="after")
    def _licence_consistent(self) -> Self:
        if self.licence_number is None:
            if self.licence_status not in (None, LicenceStatus.NONE):
                raise ValueError("licence_status needs a licence_number (use 'none' for unlicensed)")
            if self.licence_issuer or self.licence_valid_from or self.licence_valid_until:
                raise ValueError("licence issuer and validity dates need a licence_number")
        else:
            if self.licence_status == LicenceStatus.NONE:
                raise ValueError("licence_status 'none' contradicts the licence_number given")
            if self.licence_issuer is None or self.licence_valid_from is None:
                raise ValueError("a licence needs licence_issuer and licence_valid_from")
        if (
            self.licence_valid_from
            and self.licence_valid_until
            and self.licence_valid_until < self.licence_valid_from
        ):
            raise ValueError("licence_valid_until is before licence_valid_from")
        return self

    def status(self) -> LicenceStatus:
        if self.licence_status is not None:
            return self.licence_status
        return LicenceStatus.ACTIVE if self.licence_number else LicenceStatus.NONE


class LicenceChangeIn(InputModel):
    licence_status: LicenceStatus
    licence_valid_until: IsoDate | None = None


class FacilityOut(BaseModel):
    ref: str
    name: str
    kind: str
    licence_number: str
    region_code: DottedRegion
    address: str | None


class AttendantOut(BaseModel):
    ref: str
    full_name: str
    kind: str
    registration_number: str | None
    facility_ref: str | None
    region_code: DottedRegion


class OfficialOut(BaseModel):
    ref: str
    full_name: str
    role: str
    office: str
    nip: str | None
    region_code: DottedRegion


class InstitutionOut(BaseModel):
    ref: str
    name: str
    kind: str
    licence_number: str | None
    licence_issuer: str | None
    licence_valid_from: date | None
    licence_valid_until: date | None
    licence_status: str
    effective_licence_status: str  # "expired" once valid_until has passed, whatever is stored
    foundation_number: str | None
    region_code: DottedRegion
    address: str | None
