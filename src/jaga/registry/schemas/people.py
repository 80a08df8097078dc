"""People records."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from jaga.registry.schemas.types import (
    CountryCode,
    DottedRegion,
    InputModel,
    Jurisdiction,
    KkNumber,
    LongText,
    Name,
    Nik,
    PastDate,
    Phone,
    Ref,
    RegionCode,
    Sex,
    WarningOut,
    today_from,
)

MAX_AGE_YEARS = 120


class SourceKind(StrEnum):
    """Which kind of agency wrote the record."""

    CIVIL_REGISTRY = "civil_registry"
    FACILITY = "facility"
    INSTITUTION = "institution"
    SOCIAL_SERVICE = "social_service"
    POLICE = "police"
    COURT = "court"


class Religion(StrEnum):
    ISLAM = "islam"
    PROTESTANT = "protestant"
    CATHOLIC = "catholic"
    HINDU = "hindu"
    BUDDHIST = "buddhist"
    CONFUCIAN = "confucian"
    KEPERCAYAAN = "kepercayaan"  # indigenous belief, recognised since MK 97/PUU-XIV/2016
    UNKNOWN = "unknown"


class PersonIn(InputModel):
    """A person as one agency recorded them.

    `region_code` is the recording office's jurisdiction (default: the actor's own scope);
    `address_region_code` is where the person lives, anywhere in the country.
    """

    ref: Ref | None = None
    source_kind: SourceKind
    source_ref: Ref | None = None
    full_name: Name | None = None  # unnamed newborns and foundlings have none yet
    nik: Nik | None = None
    kk_number: KkNumber | None = None
    sex: Sex | None = None
    birth_date: PastDate | None = None
    religion: Religion | None = None
    nationality: CountryCode = "IDN"
    address: LongText | None = None
    address_region_code: RegionCode | None = None
    region_code: Jurisdiction = None
    phone: Phone | None = None
    mother_name: Name | None = None  # a child's mother as written here ("Yuli Astuti"); see the model
    mother_nik: Nik | None = None

    @field_validator("birth_date")
    @classmethod
    def _plausible_age(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is not None and (today_from(info) - value).days > MAX_AGE_YEARS * 366:
            raise ValueError(f"implies an age over {MAX_AGE_YEARS} years")
        return value


class PersonOut(BaseModel):
    ref: str
    source_kind: str
    source_ref: str
    full_name: str
    name_normalised: str
    nik: str | None
    kk_number: str | None
    sex: str | None
    birth_date: date | None
    religion: str | None
    nationality: str
    address: str | None
    address_region_code: DottedRegion | None
    region_code: DottedRegion
    phone: str | None
    mother_name: str | None = None
    mother_nik: str | None = None
    warnings: list[WarningOut] = Field(
        default_factory=list,
        description="where the NIK disagrees with the record's sex or birth date (accepted, and flagged "
        "as nik_mismatch); derived on every read",
    )
