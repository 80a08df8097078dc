"""Record builders for tests: each goes through the registry's own services and returns the new ref."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import Clock, UnitOfWork, utc_now
from jaga.registry.kinds import KINDS
from jaga.registry.services import create_one

_serial = itertools.count(1)


def nik_for(birth: date, sex: str, district: str = "337401", serial: int | None = None) -> str:
    """A structurally valid NIK for the given facts (female: day + 40)."""
    day = birth.day + (40 if sex == "F" else 0)
    number = serial if serial is not None else next(_serial) % 9999 + 1
    return f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{number:04d}"


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_serial)}"


def create(
    sessions: sessionmaker[Session], actor: Actor, kind_name: str, clock: Clock = utc_now, **fields: Any
) -> str:
    spec = KINDS[kind_name]
    data = spec.schema.model_validate({k: v for k, v in fields.items() if v is not None})
    with UnitOfWork(sessions, clock) as uow:
        return create_one(uow, actor, spec.write, kind_name, data)


def facility(sessions: sessionmaker[Session], actor: Actor, **over: Any) -> str:
    fields = {
        "ref": unique("F"),
        "name": "Klinik Bunda",
        "kind": "clinic",
        "licence_number": unique("LIC"),
        "region_code": "33.74.01",
    }
    return create(sessions, actor, "facilities", **{**fields, **over})


def official(sessions: sessionmaker[Session], actor: Actor, **over: Any) -> str:
    fields = {
        "ref": unique("O"),
        "full_name": "Budi Santoso",
        "role": "registrar",
        "office": "Disdukcapil Kota Semarang",
        "region_code": "3374",
    }
    return create(sessions, actor, "officials", **{**fields, **over})


def institution(sessions: sessionmaker[Session], actor: Actor, **over: Any) -> str:
    fields = {
        "ref": unique("I"),
        "name": "LKSA Kasih Ibu",
        "kind": "lksa",
        "licence_number": unique("DINSOS"),
        "licence_issuer": "Dinas Sosial Provinsi Jawa Tengah",
        "licence_valid_from": "2020-01-01",
        "licence_valid_until": "2030-01-01",
        "region_code": "3374",
    }
    return create(sessions, actor, "institutions", **{**fields, **over})


def mother(
    sessions: sessionmaker[Session], actor: Actor, *, born: date = date(1995, 4, 12), **over: Any
) -> str:
    fields = {
        "ref": unique("M"),
        "source_kind": "facility",
        "full_name": "Siti Aminah",
        "nik": nik_for(born, "F"),
        "sex": "F",
        "birth_date": born.isoformat(),
        "region_code": "3374",
        "religion": "islam",
    }
    return create(sessions, actor, "people", **{**fields, **over})


def person(sessions: sessionmaker[Session], actor: Actor, **over: Any) -> str:
    fields = {
        "ref": unique("P"),
        "source_kind": "social_service",
        "full_name": "Andi Wijaya",
        "sex": "M",
        "birth_date": "1985-06-01",
        "region_code": "3374",
    }
    return create(sessions, actor, "people", **{**fields, **over})


def birth(sessions: sessionmaker[Session], actor: Actor, *, mother_ref: str, **over: Any) -> str:
    fields = {
        "ref": unique("B"),
        "child_ref": unique("C"),
        "child_sex": "F",
        "mother_ref": mother_ref,
        "born_on": "2025-01-10",
        "place_region_code": "337401",
        "place_kind": "home",
    }
    return create(sessions, actor, "births", **{**fields, **over})
