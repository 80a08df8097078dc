"""Institutions the licence check's tests need beyond what `jaga synth` makes for the portal's scenario, written
through the registry's own services (as an admin would): a licence whose row says active but whose last
valid day is past, a valid one, a revoked one, and a shelter.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import UnitOfWork
from jaga.registry.schemas.reference import InstitutionIn, LicenceChangeIn, LicenceStatus
from jaga.registry.services import Batch, create_one
from jaga.registry.services.reference import change_licence, record_institutions

# ref -> what the licence check must show for it (today, in the fixture's real time)
EXPIRED_BUT_ACTIVE = "I-LEMBAGA-EXPIRED"
EXPIRED_LAST_DAY = date(2021, 1, 3)
VALID = "I-LEMBAGA-VALID"
REVOKED = "I-LEMBAGA-REVOKED"
SHELTER = "I-LEMBAGA-SHELTER"

INSTITUTIONS = [
    InstitutionIn(
        ref=EXPIRED_BUT_ACTIVE,
        name="Yayasan Kasih Bunda Semarang",
        kind="adoption_foundation",
        licence_number="33/YPA/0701",
        licence_issuer="Kementerian Sosial",
        licence_valid_from=date(2016, 1, 4),
        licence_valid_until=EXPIRED_LAST_DAY,
        licence_status=LicenceStatus.ACTIVE,  # nobody updated the row when it lapsed
        foundation_number="AHU-0701001.AH.01.04",
        region_code="337401",
        address="Jl. Contoh No. 1",
    ),
    InstitutionIn(
        ref=VALID,
        name="LKSA Permata Hati",
        kind="lksa",
        licence_number="33/LKSA/07002",
        licence_issuer="Dinas Sosial Provinsi Jawa Tengah",
        licence_valid_from=date(2020, 2, 1),
        licence_valid_until=date(2099, 12, 31),
        region_code="337402",
    ),
    InstitutionIn(
        ref=REVOKED,
        name="Yayasan Tunas Harapan",
        kind="adoption_foundation",
        licence_number="33/YPA/0703",
        licence_issuer="Kementerian Sosial",
        licence_valid_from=date(2017, 1, 1),
        licence_valid_until=date(2099, 12, 31),
        region_code="332201",
    ),
    InstitutionIn(
        ref=SHELTER,
        name="Rumah Aman Melati",
        kind="shelter",
        licence_number="33/RA/0704",
        licence_issuer="Dinas Sosial Provinsi Jawa Tengah",
        licence_valid_from=date(2019, 5, 1),
        region_code="3374",
    ),
]


def plant_licences(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    admin = actors["admin"]
    for data in INSTITUTIONS:
        with UnitOfWork(sessions) as uow:
            create_one(uow, admin, record_institutions, "institution", data)
    with UnitOfWork(sessions) as uow:
        change_licence(Batch(uow, admin), REVOKED, LicenceChangeIn(licence_status=LicenceStatus.REVOKED))
