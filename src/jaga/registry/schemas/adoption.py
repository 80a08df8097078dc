"""Adoption cases and steps."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field

from jaga.registry.adoption.workflow import CaseKind, Outcome, Step
from jaga.registry.schemas.types import (
    DocumentNumber,
    DottedRegion,
    InputModel,
    Jurisdiction,
    LongText,
    PastDate,
    Ref,
)

_DOC_KIND = r"^[a-z][a-z0-9_]{1,39}$"


class DocumentIn(InputModel):
    kind: Annotated[str, Field(pattern=_DOC_KIND)]
    number: DocumentNumber


def _documents(value: Any) -> Any:
    """Accept a list of {kind, number} or, for CSV, the text `kind=number; kind=number`."""
    if value is None:
        return []
    if isinstance(value, str):
        items = []
        for part in (p.strip() for p in value.split(";")):
            if not part:
                continue
            kind, sep, number = part.partition("=")
            if not sep or not re.match(_DOC_KIND, kind.strip()):
                raise ValueError(
                    "documents must be written kind=number; kind=number (e.g. court_ruling=12/Pdt.P/2024)"
                )
            items.append({"kind": kind.strip(), "number": number.strip()})
        return items
    return value


Documents = Annotated[list[DocumentIn], BeforeValidator(_documents), Field(max_length=20)]


class AdoptionCaseIn(InputModel):
    """Opening a case records its application step."""

    ref: Ref | None = None
    child_ref: Ref
    kind: CaseKind
    adopter_ref: Ref
    co_adopter_ref: Ref | None = None
    institution_ref: Ref | None = None
    region_code: Jurisdiction = None
    applied_on: PastDate
    documents: Documents = Field(default_factory=list)
    official_ref: Ref | None = None
    note: LongText | None = None


class AdoptionStepIn(InputModel):
    step: Step
    occurred_on: PastDate
    outcome: Outcome | None = None
    documents: Documents = Field(default_factory=list)
    official_ref: Ref | None = None
    note: LongText | None = None


class AdoptionStepRow(AdoptionStepIn):
    """An adoption step as a row of an import file: the case is named in the row."""

    case_ref: Ref


class AdoptionStepOut(BaseModel):
    number: int
    step: str
    occurred_on: date
    outcome: str | None
    documents: list[dict[str, str]]
    official_ref: str | None
    note: str | None
    approval: Literal["pending", "approved", "rejected"] | None = Field(
        default=None,
        description="four eyes: a step recorded by an officer takes effect once another officer of its role "
        "approves it (pending until then); none for steps that need no second officer",
    )


class AdoptionCaseOut(BaseModel):
    ref: str
    child_ref: str
    kind: str
    adopter_ref: str
    co_adopter_ref: str | None
    institution_ref: str | None
    region_code: DottedRegion
    status: str
    current_step: str
    opened_on: date
    next_steps: list[str]
    steps: list[AdoptionStepOut]


class StepDecisionIn(InputModel):
    """A second officer's decision on a step that waits for approval (four eyes)."""

    decision: Literal["approve", "reject"]
    note: str | None = Field(default=None, max_length=500, description="why (required to reject)")
