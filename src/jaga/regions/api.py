"""`/api/v1/regions`: the Kemendagri region directory, for officers' forms and checks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from jaga.access import Action
from jaga.access.deps import authenticated, guarded
from jaga.regions import CODE_PATTERN, Region, load_directory

router = APIRouter(prefix="/api/v1", dependencies=[Depends(authenticated)])


class RegionOut(BaseModel):
    code: str
    dotted: str
    level: int
    kind: str
    name: str
    parent_code: str | None


def _region_out(region: Region) -> RegionOut:
    return RegionOut(
        code=region.code,
        dotted=region.dotted,
        level=int(region.level),
        kind=region.kind,
        name=region.name,
        parent_code=region.parent_code,
    )


@router.get("/regions", response_model=list[RegionOut], tags=["regions"], **guarded(Action.REFERENCE_READ))
def list_regions(
    parent: Annotated[
        str | None,
        Query(pattern=CODE_PATTERN, description="children of this code; omit for the provinces"),
    ] = None,
) -> list[RegionOut]:
    directory = load_directory()
    parent_code = None
    if parent:
        parent_code = directory.require(parent).code
    return [_region_out(r) for r in directory.all() if r.parent_code == parent_code]


@router.get("/regions/{code}", response_model=RegionOut, tags=["regions"], **guarded(Action.REFERENCE_READ))
def get_region(
    code: Annotated[str, Path(pattern=CODE_PATTERN, description="region code, e.g. 33.74")],
) -> RegionOut:
    return _region_out(load_directory().require(code))
