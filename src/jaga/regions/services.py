"""Loading the shipped hierarchy into the `regions` table."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.regions.directory import RegionDirectory
from jaga.regions.models import RegionRow


def seed_regions(session: Session, directory: RegionDirectory) -> int:
    """Insert the regions the table lacks and refresh names; returns how many rows were added.

    Idempotent. Regions are never deleted: records may still point at a code a later list dropped.
    """
    existing = {row.code: row for row in session.scalars(select(RegionRow))}
    added = 0
    # Parents first, so the self-referencing foreign key holds row by row.
    for region in sorted(directory.all(), key=lambda r: (r.level, r.code)):
        row = existing.get(region.code)
        if row is None:
            session.add(
                RegionRow(
                    code=region.code,
                    level=int(region.level),
                    name=region.name,
                    kind=region.kind,
                    parent_code=region.parent_code,
                )
            )
            added += 1
        elif row.name != region.name:
            row.name = region.name
    session.flush()
    return added
