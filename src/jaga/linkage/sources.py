"""Person records as the registry holds them, turned into role values for the linkage.

A person row is what `people` holds (name, NIK, KK number, sex, birth date, regions), plus, for a child
recorded at birth, its mother's name from the birth record: an unnamed newborn ("By. Ny. Yuli", or no
name at all) is linked to its later civil-registry record through its birth date, sex, region and mother
(a newborn lives where its mother lives).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

import pyarrow as pa
from sqlalchemy import select
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
    }


def registry_people(session: Session) -> Iterator[dict[str, Any]]:
    """Every person record with its mother's name where a birth names her, streamed by id."""
    mother = aliased(Person)
    query = (
        select(
            Person.id,
            Person.source_kind,
            Person.full_name,
            Person.nik,
            Person.kk_number,
            Person.sex,
            Person.birth_date,
            Person.address_region_code,
            Person.region_code,
            Person.address,
            Person.phone,
            mother.full_name.label("mother_name"),
            mother.address_region_code.label("mother_region_code"),
        )
        .outerjoin(Birth, Birth.child_id == Person.id)
        .outerjoin(mother, mother.id == Birth.mother_id)
        .order_by(Person.id)
        .execution_options(yield_per=CHUNK)
    )
    for row in session.execute(query).mappings():
        yield dict(row)


def registry_features(session: Session, *, today: date, report: FeatureReport) -> pa.Table:
    rows = [
        feature_row(
            str(person["id"]), str(person["source_kind"]), person_roles(person), today=today, report=report
        )
        for person in registry_people(session)
    ]
    return feature_table(rows)
