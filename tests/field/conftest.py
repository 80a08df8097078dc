"""Field-node fixtures: one node made per test run (migrating its database is the slow part), copied
for each test, so every test starts from an empty outbox with the same device key."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import UnitOfWork
from jaga.field import Node, enrol_device, init_node, open_node
from jaga.field.node import VKEY_FILE, export_batch, record
from tests.factories.registry import nik_for

OFFICER = "facility-semarang"  # a facility account confined to Kota Semarang (3374)
COURIER = "registrar-semarang"
NOW = datetime(2026, 2, 20, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def _node_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("field-template") / "node"
    init_node(folder, server="https://jaga.test", office="PKM-TUGU", officer=OFFICER)
    return folder


@pytest.fixture
def node_dir(_node_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "node"
    shutil.copytree(_node_template, target)
    return target


@pytest.fixture
def node(node_dir: Path) -> Iterator[Node]:
    opened = open_node(node_dir)
    yield opened
    opened.close()


def mother_row(serial: int = 1, **over: Any) -> dict[str, Any]:
    born = date(1995, 4, 12)
    return {
        "source_kind": "facility",
        "full_name": "Siti Aminah",
        "nik": nik_for(born, "F", serial=serial),
        "sex": "F",
        "birth_date": born.isoformat(),
        "region_code": "3374",
        **over,
    }


def birth_row(mother_ref: str, **over: Any) -> dict[str, Any]:
    return {
        "child_sex": "F",
        "mother_ref": mother_ref,
        "born_on": "2026-02-18",
        "place_region_code": "337401",
        "place_kind": "home",
        **over,
    }


def record_family(node: Node, *, at: datetime = NOW, serial: int = 1) -> tuple[str, str]:
    """A mother and her child's birth, recorded offline; (mother ref, birth ref)."""
    (mother,) = record(node, "people", [mother_row(serial)], officer=OFFICER, now=at, from_file=False)
    (birth,) = record(
        node,
        "births",
        [birth_row(mother.refs["ref"])],
        officer=OFFICER,
        now=at + timedelta(minutes=5),
        from_file=False,
    )
    return mother.refs["ref"], birth.refs["ref"]


def enrol(
    sessions: sessionmaker[Session], actors: dict[str, Actor], node: Node, region: str = "3374"
) -> None:
    with UnitOfWork(sessions) as uow:
        enrol_device(
            uow,
            actor=actors["admin"],
            vkey=(node.folder / VKEY_FILE).read_text(),
            office="PKM-TUGU",
            reason="puskesmas outreach team",
            region=region,
        )


def field_conflict_in_registry(url: str, tokens: dict[str, str], folder: Path) -> None:
    """Through the public path, a field office's record held as a conflict in a synthetic registry: a
    device (national facility account) records, offline, a person whose NIK the civil registry already
    holds under another name; the admin enrols it, a registrar imports its batch, and the event waits in
    the conflict queue. (Used by the tests that walk a synthetic registry, so the conflict routes read a
    real row.)"""
    from sqlalchemy import select

    from jaga.db import create_engine_for
    from jaga.registry.models import Person
    from tests.cli_helpers import jaga

    engine = create_engine_for(url)
    with Session(engine) as session:
        central = session.scalars(
            select(Person)
            .where(
                Person.source_kind == "civil_registry",
                Person.nik.is_not(None),
                Person.birth_date.is_not(None),
            )
            .order_by(Person.id)
            .limit(1)
        ).one()
        row = {
            "source_kind": "facility",
            "full_name": "Nama Lapangan Berbeda",
            "nik": central.nik,
            "sex": central.sex,
            "birth_date": central.birth_date.isoformat() if central.birth_date else None,
            "region_code": central.region_code,
        }
    engine.dispose()
    node_folder = folder / "node"
    init_node(node_folder, server="https://jaga.test", office="PKM-SYNTH", officer="facility")
    node = open_node(node_folder)
    try:
        record(node, "people", [row], officer="facility", now=datetime.now(UTC), from_file=False)
        export_batch(node, folder / "batch.jaga", now=datetime.now(UTC))
    finally:
        node.close()
    enrolled = jaga(
        url, "field", "enrol", "--device-vkey", str(node_folder / VKEY_FILE), "--office", "PKM-SYNTH",
        "--reason", "synthetic outreach team", "--region", "33", token=tokens["admin"],
    )  # fmt: skip
    assert enrolled.exit_code == 0, enrolled.output
    imported = jaga(url, "field", "import", str(folder / "batch.jaga"), token=tokens["registrar"])
    assert imported.exit_code == 0 and "1 held for review" in imported.output, imported.output
