"""`POST /api/v1/nik/check`: decode a NIK and compare it with the facts given."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from jaga.access import Action
from jaga.access.deps import authenticated, guarded
from jaga.nik import Sex, check_nik
from jaga.regions import load_directory
from jaga.web.deps import UowDep


def _written_date(value: object) -> object:
    # JSON carries a date as YYYY-MM-DD text; a number is refused (pydantic would read it as Unix time).
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return value
    raise ValueError("expected a date written YYYY-MM-DD")


WrittenDate = Annotated[date, BeforeValidator(_written_date)]

router = APIRouter(prefix="/api/v1", dependencies=[Depends(authenticated)])


class NikCheckIn(BaseModel):
    """Strict: the schema's types are the only ones accepted (no number taken as a date, no empty NIK).
    A NIK of the wrong length or with letters is not refused here: the check reports what is wrong."""

    model_config = ConfigDict(extra="forbid")

    nik: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\x00]*$")] = Field(
        description="the NIK to check (16 digits; anything else is reported as a problem)"
    )
    birth_date: WrittenDate | None = Field(default=None, description="YYYY-MM-DD, compared with the NIK's")
    sex: Sex | None = Field(default=None, description="compared with the sex the NIK encodes")


class NikCheckOut(BaseModel):
    valid: bool
    consistent: bool
    decoded: dict[str, str | bool] | None
    problems: list[str]
    inconsistencies: list[str]


@router.post("/nik/check", response_model=NikCheckOut, tags=["nik"], **guarded(Action.NIK_CHECK))
def nik_check(body: NikCheckIn, uow: UowDep) -> NikCheckOut:
    """Decode a NIK and compare it with the facts given. POST, so the NIK never appears in a URL or log."""
    today = uow.clock().date()
    result = check_nik(
        body.nik, directory=load_directory(), today=today, birth_date=body.birth_date, sex=body.sex
    )
    return NikCheckOut(
        valid=result.valid,
        consistent=result.consistent,
        decoded=result.decoded.as_dict() if result.decoded else None,
        problems=result.problems,
        inconsistencies=result.inconsistencies,
    )
