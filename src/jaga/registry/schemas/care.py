"""Relinquishments and placements."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, Field, model_validator

from jaga.registry.schemas.types import (
    DocumentNumber,
    DottedRegion,
    InputModel,
    IsoDate,
    Jurisdiction,
    Name,
    Nik,
    PastDate,
    Ref,
    WarningOut,
)


class RelinquishmentIn(InputModel):
    ref: Ref | None = None
    mother_ref: Ref
    child_ref: Ref
    occurred_on: PastDate
    institution_ref: Ref | None = None
    counselled_on: PastDate | None = None
    counsellor_ref: Ref | None = None
    counselling_record: DocumentNumber | None = None
    consent_document: DocumentNumber | None = None
    witness_1_name: Name | None = None
    witness_1_nik: Nik | None = None
    witness_2_name: Name | None = None
    witness_2_nik: Nik | None = None
    region_code: Jurisdiction = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.counselled_on is not None and self.counselled_on > self.occurred_on:
            raise ValueError("counselled_on is after the relinquishment")
        if self.witness_1_nik and not self.witness_1_name:
            raise ValueError("witness_1_nik needs witness_1_name")
        if self.witness_2_nik and not self.witness_2_name:
            raise ValueError("witness_2_nik needs witness_2_name")
        return self

    def witnesses(self) -> list[dict[str, str | None]]:
        return [
            {"name": name, "nik": nik}
            for name, nik in (
                (self.witness_1_name, self.witness_1_nik),
                (self.witness_2_name, self.witness_2_nik),
            )
            if name
        ]


class PlacementKind(StrEnum):
    INSTITUTION = "institution"
    FOSTER_FAMILY = "foster_family"
    PROSPECTIVE_ADOPTERS = "prospective_adopters"  # temporary care under a care permit
    KINSHIP = "kinship"
    BIRTH_FAMILY = "birth_family"  # returned home


_CARER_KINDS = {PlacementKind.FOSTER_FAMILY, PlacementKind.PROSPECTIVE_ADOPTERS, PlacementKind.KINSHIP}


class PlacementIn(InputModel):
    ref: Ref | None = None
    child_ref: Ref
    kind: PlacementKind
    institution_ref: Ref | None = None
    carer_ref: Ref | None = None
    adoption_case_ref: Ref | None = None
    from_date: PastDate
    to_date: IsoDate | None = None
    region_code: Jurisdiction = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.kind == PlacementKind.INSTITUTION and self.institution_ref is None:
            raise ValueError("an institution placement needs institution_ref")
        if self.kind in _CARER_KINDS and self.carer_ref is None:
            raise ValueError(f"a {self.kind.value} placement needs carer_ref")
        if self.to_date is not None and self.to_date < self.from_date:
            raise ValueError("to_date is before from_date")
        return self


class PlacementEndIn(InputModel):
    to_date: PastDate


class RelinquishmentOut(BaseModel):
    ref: str
    mother_ref: str
    child_ref: str
    occurred_on: date
    institution_ref: str | None
    counselled_on: date | None
    counsellor_ref: str | None
    counselling_record: str | None
    consent_document: str | None
    witnesses: list[dict[str, str | None]]
    region_code: DottedRegion
    warnings: list[WarningOut] = Field(
        default_factory=list,
        description="safeguards the record lacks (no consent document, no counselling, fewer than two "
        "witnesses, given up within a week of the birth); derived on every read",
    )


class PlacementOut(BaseModel):
    ref: str
    child_ref: str
    kind: str
    institution_ref: str | None
    carer_ref: str | None
    adoption_case_ref: str | None
    from_date: date
    to_date: date | None
    region_code: DottedRegion
