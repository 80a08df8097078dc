"""Missing-child reports."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel

from jaga.registry.schemas.types import (
    DocumentNumber,
    DottedRegion,
    InputModel,
    LongText,
    PastDate,
    Ref,
    RegionCode,
    ShortText,
)


class MissingStatus(StrEnum):
    OPEN = "open"
    FOUND = "found"
    CLOSED = "closed"


class MissingReportIn(InputModel):
    ref: Ref | None = None
    child_ref: Ref
    reporter_ref: Ref | None = None
    report_number: DocumentNumber | None = None
    police_unit: ShortText
    last_seen_on: PastDate
    last_seen_region_code: RegionCode
    last_seen_place: LongText | None = None
    description: LongText | None = None
    status: MissingStatus = MissingStatus.OPEN
    region_code: RegionCode | None = None  # defaults to last_seen_region_code


class MissingStatusIn(InputModel):
    status: MissingStatus
    changed_on: PastDate


class MissingReportOut(BaseModel):
    ref: str
    child_ref: str
    reporter_ref: str | None
    report_number: str | None
    police_unit: str
    last_seen_on: date
    last_seen_region_code: DottedRegion
    last_seen_place: str | None
    description: str | None
    status: str
    status_changed_on: date | None
    region_code: DottedRegion
