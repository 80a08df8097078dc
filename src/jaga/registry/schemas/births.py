"""Births: a facility's statement, optionally with its civil registration."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, Field, model_validator

from jaga.registry.schemas.types import (
    DocumentNumber,
    DottedRegion,
    InputModel,
    LocalTime,
    Name,
    Nik,
    PastDate,
    Ref,
    RegionCode,
    Sex,
)


class PlaceKind(StrEnum):
    FACILITY = "facility"
    HOME = "home"
    OTHER = "other"


class BirthEvidence(StrEnum):
    """What proved the birth at registration (DOMAIN.md section 3)."""

    SKL = "skl"  # surat keterangan lahir from the facility or attendant
    BUKU_KIA = "buku_kia"  # signed page of the mother-and-child health book
    SPTJM = "sptjm"  # self-declaration of responsibility, in place of an SKL: the known loophole
    POLICE_REPORT = "police_report"  # foundlings
    NONE = "none"


class BirthIn(InputModel):
    """One birth. The child's person record is created from the `child_*` fields."""

    ref: Ref | None = None
    child_ref: Ref | None = None
    child_name: Name | None = None  # often not yet named on the SKL
    child_sex: Sex
    child_nik: Nik | None = None
    mother_ref: Ref
    father_ref: Ref | None = None
    born_on: PastDate
    born_at_time: LocalTime | None = None
    birth_weight_g: int | None = Field(default=None, ge=300, le=7000, strict=True)
    plurality: int = Field(default=1, ge=1, le=8, strict=True)
    place_kind: PlaceKind | None = None
    place_region_code: RegionCode | None = None
    facility_ref: Ref | None = None
    attendant_ref: Ref | None = None
    birth_evidence: BirthEvidence | None = None
    skl_number: DocumentNumber | None = None
    akta_number: DocumentNumber | None = None
    registrar_ref: Ref | None = None
    registered_on: PastDate | None = None
    registration_region_code: RegionCode | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        registration = [self.akta_number, self.registered_on]
        if any(v is not None for v in registration) and any(v is None for v in registration):
            raise ValueError("civil registration needs akta_number and registered_on together")
        if self.akta_number is None and (self.registrar_ref or self.registration_region_code):
            raise ValueError("registrar_ref and registration_region_code need akta_number (a registration)")
        if self.registered_on is not None and self.registered_on < self.born_on:
            raise ValueError("registered_on is before born_on")
        if self.place_kind == PlaceKind.FACILITY and self.facility_ref is None:
            raise ValueError("place_kind 'facility' needs facility_ref")
        if self.facility_ref is None and self.place_region_code is None:
            raise ValueError("place_region_code is required when no facility_ref is given")
        if self.birth_evidence == BirthEvidence.SKL and self.skl_number is None:
            raise ValueError("birth_evidence 'skl' needs skl_number")
        return self

    def evidence(self) -> BirthEvidence:
        if self.birth_evidence is not None:
            return self.birth_evidence
        return BirthEvidence.SKL if self.skl_number else BirthEvidence.NONE

    def place(self) -> PlaceKind:
        if self.place_kind is not None:
            return self.place_kind
        return PlaceKind.FACILITY if self.facility_ref else PlaceKind.HOME


class RegistrationIn(InputModel):
    """Civil registration of a birth already recorded (akta kelahiran issued).

    `registrar_ref` names the registrar who registered it: an account bound to an official may leave it
    out (it is that official); a feed account must give it.
    """

    akta_number: DocumentNumber
    registrar_ref: Ref | None = None
    registered_on: PastDate
    registration_region_code: RegionCode | None = None


class BirthRegistrationIn(RegistrationIn):
    """A registration as a row of an import file: the birth is named in the row."""

    birth_ref: Ref


class BirthOut(BaseModel):
    ref: str
    child_ref: str
    mother_ref: str
    father_ref: str | None
    facility_ref: str | None
    attendant_ref: str | None
    born_on: date
    born_at_time: LocalTime | None
    birth_weight_g: int | None
    plurality: int
    place_kind: str
    region_code: DottedRegion
    birth_evidence: str
    skl_number: str | None
    akta_number: str | None
    registrar_ref: str | None
    registered_on: date | None
    registration_region_code: DottedRegion | None
    registration_delay_days: int | None
    late_registration: bool
