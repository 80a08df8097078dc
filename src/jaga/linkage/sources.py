"""Person records as the registry holds them, turned into role values for the linkage.

A person row is what `people` holds (name, NIK, KK number, sex, birth date, regions, and a child's
mother as the agency wrote her), plus, for a child recorded at birth, its mother's name and NIK from the
birth's mother record: an unnamed newborn ("By. Ny. Yuli", or no
name at all) is linked to its later civil-registry record through its birth date, sex, region and mother
(a newborn lives where its mother lives).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from jaga.linkage.features import FeatureReport, feature_row, feature_table
from jaga.linkage.roles import Role
from jaga.registry import Birth, Person

CHUNK = 20_000


def person_roles(row: Mapping[str, Any]) -> dict[Role, str | None]:
    birth = row.get("birth_date")
    return {
        Role.FULL_NAME: row.get("full_name") or None,
        Role.DATE_OF_BIRTH: birth.isoformat() if isinstance(birth, date) else (birth or None),
        Role.SEX: row.get("sex"),
        Role.NATIONAL_ID: row.get("nik"),
        Role.FAMILY_ID: row.get("kk_number"),  # the family's card: evidence, never an identity alone
        # Where the person lives: their own address, else (a newborn) their mother's, else where the
        # record was made (a clinic may sit in another district than the family's home).
        Role.REGION: row.get("address_region_code")
        or row.get("mother_region_code")
        or row.get("region_code"),
        Role.ADDRESS: row.get("address"),
        Role.PHONE: row.get("phone"),
        Role.MOTHER_NAME: row.get("mother_name"),
        Role.MOTHER_ID: row.get("mother_nik"),
    }


def registry_people(session: Session) -> Iterator[dict[str, Any]]:
    """Every person record with its mother's name where a birth names her, streamed by id."""
    mother = aliased(Person)
    query = (
        select(
            Person.id,
            Person.source_kind,
            Person.source_ref,
            Person.full_name,
            Person.nik,
            Person.kk_number,
            Person.sex,
            Person.birth_date,
            Person.address_region_code,
            Person.region_code,
            Person.address,
            Person.phone,
            # The birth's mother record first; else the mother as this agency wrote her on the child.
            func.coalesce(func.nullif(mother.full_name, ""), Person.mother_name).label("mother_name"),
            func.coalesce(mother.nik, Person.mother_nik).label("mother_nik"),
            mother.address_region_code.label("mother_region_code"),
        )
        .outerjoin(Birth, Birth.child_id == Person.id)
        .outerjoin(mother, mother.id == Birth.mother_id)
        .order_by(Person.id)
        .execution_options(yield_per=CHUNK)
    )
    for row in session.execute(query).mappings():
        yield dict(row)


@dataclass
class RegistryInput:
    table: pa.Table
    # Pairs of records that are two children, whatever the model says: one office's records of babies
    # born the same day to the same mother (twins). See `twins_apart`.
    apart: list[tuple[str, str]] = field(default_factory=list)


def twins_apart(table: pa.Table, offices: Mapping[str, str]) -> list[tuple[str, str]]:
    """Pairs of records of children born on the same day to the same mother (her NIK, else her name's
    canonical key) that are two children, whatever the model says: twins.

    A registrar's reading: a boy and a girl born to one mother on one day are twins, not one child with
    its sex miswritten (that happens about once in a hundred records; twins are the likelier story, and
    the stakes of merging two children are higher); and one office (`offices`: id -> its source kind and
    reference) writes each baby of a delivery once ("By. Ny. Yuli I" and "II"), so its two records of
    one mother's babies of one day are two babies even when nothing else tells them apart. At another
    office each of same-sex twins may be either twin, so that pair is left to the model. A reviewer's
    "same" still overrides, as with any rejected pair.
    """
    groups: dict[tuple[str, str], list[tuple[str, str | None, str | None]]] = {}
    columns = ("unique_id", "dob", "mother_id", "mother_canon", "sex")
    for uid, dob, mother_id, mother_canon, sex in zip(
        *(table.column(c).to_pylist() for c in columns), strict=True
    ):
        mother = mother_id or mother_canon
        if dob and mother:
            groups.setdefault((dob, mother), []).append((uid, sex, offices.get(uid)))
    return [
        (a, b)
        for members in groups.values()
        for (a, sex_a, office_a), (b, sex_b, office_b) in itertools.combinations(members, 2)
        if (sex_a and sex_b and sex_a != sex_b) or (office_a and office_a == office_b)
    ]


def registry_input(session: Session, *, today: date, report: FeatureReport) -> RegistryInput:
    rows = []
    offices: dict[str, str] = {}
    for person in registry_people(session):
        uid = str(person["id"])
        rows.append(
            feature_row(uid, str(person["source_kind"]), person_roles(person), today=today, report=report)
        )
        if person.get("source_ref"):
            offices[uid] = f"{person['source_kind']}:{person['source_ref']}"
    table = feature_table(rows)
    return RegistryInput(table, twins_apart(table, offices))


def registry_features(session: Session, *, today: date, report: FeatureReport) -> pa.Table:
    return registry_input(session, today=today, report=report).table
