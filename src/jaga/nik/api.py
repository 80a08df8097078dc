"""`POST /api/v1/nik/check`: decode a NIK and compare it with the facts given."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from jaga.access import Action
from jaga.access.deps import authenticated, guarded
from jaga.nik import Sex, check_nik
from jaga.regions import load_directory
from jaga.web.deps import UowDep

router = APIRouter(prefix="/api/v1", dependencies=[Depends(authenticated)])


class NikCheckIn(BaseModel):
    nik: str = Field(description="16 digits")
    birth_date: date | None = None
    sex: Sex | None = None


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
