"""Synthetic person records for the linkage benchmark, read from `jaga synth` files, with their identity
truth kept apart (this is evaluation code: it may read `truth/`, the linkage never does).

Records are built the way the registry would hold them: people files as they are; one child record per
birth row, named or not, with its birth region (the facility's, for facility births) and its mother's
name from the mother's record.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PEOPLE_FILES = (
    "people-facility.csv",
    "people-civil-registry.csv",
    "people-institution.csv",
    "people-police.csv",
    "people-social-service.csv",
)
BIRTH_FILES = ("births-facility.csv", "births-civil-registry.csv")


def _rows(path: Path) -> Iterator[dict[str, str]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def synth_people(folder: Path) -> list[dict[str, Any]]:
    """Person rows (as `jaga.linkage.sources.person_roles` reads them), keyed by the synthetic ref."""
    people: dict[str, dict[str, Any]] = {}
    for name in PEOPLE_FILES:
        for row in _rows(folder / name):
            people[row["ref"]] = {**row, "source_kind": row["source_kind"], "id": row["ref"]}
    facility_region = {row["ref"]: row["region_code"] for row in _rows(folder / "facilities.csv")}
    children: list[dict[str, Any]] = []
    for name in BIRTH_FILES:
        for row in _rows(folder / name):
            mother = people.get(row["mother_ref"], {})
            region = row.get("place_region_code") or facility_region.get(row.get("facility_ref") or "", "")
            children.append(
                {
                    "id": row["child_ref"],
                    "source_kind": "facility" if row.get("facility_ref") else "civil_registry",
                    "full_name": row.get("child_name") or "",
                    "nik": row.get("child_nik") or None,
                    "sex": row.get("child_sex"),
                    "birth_date": row.get("born_on"),
                    "region_code": region,
                    "mother_name": mother.get("full_name"),
                    "mother_region_code": mother.get("address_region_code"),
                }
            )
    return [*people.values(), *children]


def synth_identities(folder: Path) -> dict[str, str]:
    """ref -> true identity, from the generator's truth (evaluation only)."""
    return {row["ref"]: row["true_id"] for row in _rows(folder / "truth" / "identities.csv")}
