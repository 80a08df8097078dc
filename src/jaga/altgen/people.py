"""True persons (mothers and their children) and the records agencies hold of them.

`generate(entities, seed)` makes `entities` persons in families (`family`), then per person a facility
(clinic) record, a civil-registry (Dukcapil) record and, for some children, a child-care home (LKSA)
record (`agencies`), each written the way that agency writes and with its own noise. The truth (record
-> person, noise applied) stays in the `Dataset` and in truth.csv, never in records.csv.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

from jaga.altgen.agencies import RECORD_COLUMNS, TRUTH_COLUMNS, Record, Truth, records_of
from jaga.altgen.family import Person, Places, make_family
from jaga.altgen.niks import NikIssuer
from jaga.files import atomic_text, private_folder


@dataclass
class Dataset:
    persons: list[Person] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    truth: list[Truth] = field(default_factory=list)


def generate(entities: int, seed: int) -> Dataset:
    """`entities` persons (about two in five mothers) and their records; the same seed, the same data."""
    if entities < 1:
        raise ValueError("entities must be at least 1")
    rng = random.Random(seed)
    places = Places()
    issuer = NikIssuer(rng)
    persons: list[Person] = []
    while len(persons) < entities:
        persons.extend(make_family(rng, places, issuer, first=len(persons) + 1, room=entities - len(persons)))
    drafts: list[tuple[Record, Truth]] = []
    by_id = {p.entity_id: p for p in persons}
    for person in persons:
        mother = by_id[person.mother_id] if person.mother_id else None
        drafts.extend(records_of(rng, person, mother, places))
    rng.shuffle(drafts)  # record ids say nothing about who is who
    dataset = Dataset(persons=persons)
    for number, (record, truth) in enumerate(drafts, start=1):
        record_id = f"AG{number:07d}"
        dataset.records.append(_with_id(record, record_id))
        dataset.truth.append(Truth(record_id, truth.entity_id, truth.role, truth.noise))
    return dataset


def write(dataset: Dataset, folder: Path) -> tuple[Path, Path]:
    """records.csv (what agencies hold) and truth.csv (who is who, noise applied) in `folder`."""
    private_folder(folder)
    records, truth = folder / "records.csv", folder / "truth.csv"
    with atomic_text(records, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(RECORD_COLUMNS)
        writer.writerows(record.row() for record in dataset.records)
    with atomic_text(truth, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TRUTH_COLUMNS)
        for t in dataset.truth:
            writer.writerow([t.record_id, t.entity_id, t.role, ";".join(t.noise), int(t.indonesian)])
    return records, truth


def _with_id(record: Record, record_id: str) -> Record:
    return Record(record_id, *record.row()[1:])
