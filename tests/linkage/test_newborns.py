"""Unnamed newborns and renamed children in registry mode, through the import runner `jaga import` uses
and the registry run `jaga link run` makes, on a registry holding a synthetic province (the model is
trained on its population; these few records are scored like any other).

A clinic writes a nameless newborn with its mother's name and NIK and the family's KK number; Dukcapil
registers the child by name; a shelter in another province holds it under another name. The three are one
child. Its elder sibling (same mother and KK, another birth date) is not, and twins (same mother, same
day) stay two children, whether a boy and a girl or two boys whom only the clinic's two records tell
apart.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.linkage.models import Identity
from jaga.linkage.runs import run_linkage
from jaga.registry.importers.reader import FileFormat
from jaga.registry.importers.runner import run_import
from jaga.registry.kinds import KINDS
from jaga.registry.models import Person
from tests.conftest import PreparedDatabase

COLUMNS = [
    "ref", "source_kind", "source_ref", "region_code", "full_name", "nik", "kk_number", "sex", "birth_date",
    "address_region_code", "mother_name", "mother_nik",
]  # fmt: skip
YULI, YULI_KK = "3374014708950002", "3374011203150004"  # mother born 7 Aug 1995; the family card
SRI, SRI_KK = "3374026201900003", "3374020506180005"
DEWI, DEWI_KK = "3374035511920006", "3374031009190007"
CLINIC = ("facility", "PKM-SEMARANG-TENGAH", "33.74")
DUKCAPIL = ("civil_registry", "DUKCAPIL-3374", "33.74")
LKSA_BALI = ("institution", "LKSA-DENPASAR-7", "51.71")

RECORDS = {
    "facility": [
        # the newborn, nameless: mother's name and NIK, the KK
        ("P-NB-CLINIC", *CLINIC, "", "", YULI_KK, "F", "2026-03-14", "33.74.01", "Yuli Astuti", YULI),
        # twins of another mother, a boy and a girl, written "By. Ny. Sri Wahyuni"
        ("P-TW-BOY-CLINIC", *CLINIC, "By. Ny. Sri Wahyuni", "", SRI_KK, "M", "2026-06-01", "33.74.02",
         "Sri Wahyuni", SRI),
        ("P-TW-GIRL-CLINIC", *CLINIC, "By. Ny. Sri Wahyuni", "", SRI_KK, "F", "2026-06-01", "33.74.02",
         "Sri Wahyuni", SRI),
        # twin boys whom only the clinic's two records tell apart
        ("P-TWB-1", *CLINIC, "By. Ny. Dewi Lestari I", "", DEWI_KK, "M", "2026-07-20", "33.74.03",
         "Dewi Lestari", DEWI),
        ("P-TWB-2", *CLINIC, "By. Ny. Dewi Lestari II", "", DEWI_KK, "M", "2026-07-20", "33.74.03",
         "Dewi Lestari", DEWI),
    ],
    "registrar": [
        ("P-NB-DUKCAPIL", *DUKCAPIL, "ANISA RAHMAWATI", "3374015403260001", YULI_KK, "F", "2026-03-14",
         "33.74.01", "YULI ASTUTI", YULI),
        # the elder brother: same mother and KK, born two years earlier
        ("P-SIBLING", *DUKCAPIL, "BAYU SAPUTRA", "3374010205240002", YULI_KK, "M", "2024-05-02",
         "33.74.01", "YULI ASTUTI", YULI),
        ("P-TW-BOY-DUKCAPIL", *DUKCAPIL, "RIZKY PRATAMA", "3374020106260003", SRI_KK, "M", "2026-06-01",
         "33.74.02", "SRI WAHYUNI", SRI),
        ("P-TW-GIRL-DUKCAPIL", *DUKCAPIL, "RINA PRATIWI", "3374024106260004", SRI_KK, "F", "2026-06-01",
         "33.74.02", "SRI WAHYUNI", SRI),
    ],
    "social_worker": [
        # the same girl in a shelter in Bali under another name, with her mother's name and the KK only
        ("P-NB-LKSA", *LKSA_BALI, "Putri Melati", "", YULI_KK, "F", "2026-03-14", "51.71.01", "Yuli Astuti",
         ""),
    ],
}  # fmt: skip


def _import(sessions: sessionmaker[Session], database: PreparedDatabase, tmp: Path) -> None:
    for account, rows in RECORDS.items():
        path = tmp / f"people-{account}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(rows)
        summary = run_import(
            sessions,
            actor=database.actors[account],
            kind=KINDS["people"],
            path=path,
            fmt=FileFormat.CSV,
            report_path=tmp / f"report-{account}.csv",
            skip_invalid=True,
            rejects_path=tmp / f"rejects-{account}.csv",
        )
        assert summary.written == len(rows), (tmp / f"rejects-{account}.csv").read_text()


def _identities(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session:
        rows = session.execute(
            select(Person.ref, Identity.identity_id)
            .join(Identity, Identity.person_id == Person.id)
            .where(Person.ref.like("P-%"))
        )
        return {
            ref: identity for ref, identity in rows if ref in {r[0] for rs in RECORDS.values() for r in rs}
        }


def test_a_nameless_newborn_is_stored_with_its_mother_and_family(
    linked_sessions: sessionmaker[Session], registry_db: tuple[PreparedDatabase, str], tmp_path: Path
) -> None:
    _import(linked_sessions, registry_db[0], tmp_path)
    with linked_sessions() as session:
        baby = session.scalars(select(Person).where(Person.ref == "P-NB-CLINIC")).one()
    assert baby.full_name == "" and baby.mother_name == "Yuli Astuti" and baby.mother_nik == YULI
    assert baby.kk_number == YULI_KK


def test_a_newborn_its_registration_and_its_renamed_shelter_record_are_one_child_and_twins_two(
    linked_sessions: sessionmaker[Session], registry_db: tuple[PreparedDatabase, str], tmp_path: Path
) -> None:
    _import(linked_sessions, registry_db[0], tmp_path)
    run_linkage(linked_sessions, match_threshold=0.9, review_threshold=0.5)
    identity = _identities(linked_sessions)
    assert len(identity) == sum(len(rows) for rows in RECORDS.values())
    # clinic (no name), Dukcapil (named), shelter in another province (renamed): one child
    assert identity["P-NB-CLINIC"] == identity["P-NB-DUKCAPIL"] == identity["P-NB-LKSA"]
    # the elder brother shares mother, KK and home, not the child
    assert identity["P-SIBLING"] != identity["P-NB-DUKCAPIL"]
    # twins: each clinic record with its own registration, the two children apart
    assert identity["P-TW-BOY-CLINIC"] == identity["P-TW-BOY-DUKCAPIL"]
    assert identity["P-TW-GIRL-CLINIC"] == identity["P-TW-GIRL-DUKCAPIL"]
    assert identity["P-TW-BOY-CLINIC"] != identity["P-TW-GIRL-CLINIC"]
    # twin boys the clinic wrote twice, identical but for the order: two children
    assert identity["P-TWB-1"] != identity["P-TWB-2"]
