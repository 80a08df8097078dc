"""The conflict page for held events that depend on each other, on both databases (a small registry: the
synthetic one of test_pages.py holds no dependent): a birth held because its mother is held names the
conflict it waits for, the mother's lists it, and applying the mother's releases the birth."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import OPERATOR, Actor
from jaga.access.credentials import set_password
from jaga.app import create_app
from jaga.db import UnitOfWork
from jaga.field import Node, list_conflicts, receive_batch
from jaga.field.node import export_batch, record
from jaga.settings import Settings
from tests.conftest import FixedClock, PreparedDatabase, fast_token_hasher
from tests.factories.registry import create
from tests.field.conftest import COURIER, NOW, OFFICER, birth_row, enrol, mother_row
from tests.workbench.conftest import ORIGIN, PASSWORD, csrf_of, log_in

SUPERVISOR = "registrar-semarang"


def test_a_dependent_names_what_it_waits_for_and_is_released_when_that_is_applied(
    database: PreparedDatabase,
    sessions: sessionmaker[Session],
    actors: dict[str, Actor],
    clock: FixedClock,
    node: Node,
    tmp_path: Path,
) -> None:
    enrol(sessions, actors, node)
    row = mother_row(serial=51)
    create(sessions, actors[SUPERVISOR], "people", **{**row, "source_kind": "civil_registry"})
    (mother,) = record(node, "people", [row], officer=OFFICER, now=NOW, from_file=False)
    record(node, "births", [birth_row(mother.refs["ref"])], officer=OFFICER, now=NOW, from_file=False)
    export_batch(node, tmp_path / "batch.jaga", now=NOW + timedelta(hours=1))
    with UnitOfWork(sessions) as uow:
        receive_batch(uow, actor=actors[COURIER], data=(tmp_path / "batch.jaga").read_bytes())
    with UnitOfWork(sessions) as uow:
        held_mother, held_birth = (
            c.id for c in list_conflicts(uow, actor=actors[SUPERVISOR], reason="setup", channel="t")
        )
        set_password(uow, actor=OPERATOR, username=SUPERVISOR, password=PASSWORD)
    app = create_app(
        Settings(database_url=database.url, environment="test"),
        sessions=sessions,
        clock=clock,
        token_hasher=fast_token_hasher(),
    )
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        assert log_in(client, SUPERVISOR).status_code == 303  # type: ignore[attr-defined]
        csrf = csrf_of(client.get("/kerja").text)
        client.post(
            "/kerja/tujuan", data={"csrf": csrf, "purpose": "weekly review"}, headers={"Origin": ORIGIN}
        )
        queue = client.get("/kerja/field?kind=depends-on-held")
        assert re.findall(r'<tr data-field-conflict="(\d+)"', queue.text) == [str(held_birth)]
        birth = client.get(f"/kerja/field/conflicts/{held_birth}")
        assert birth.status_code == 200 and f'data-field-waits-for="{held_mother}"' in birth.text
        blocked = client.post(
            f"/kerja/field/conflicts/{held_birth}",
            data={"csrf": csrf, "decision": "apply", "reason": "the birth is real"},
            headers={"Origin": ORIGIN},
        )
        assert blocked.status_code == 409 and 'data-field-status="open"' in blocked.text
        page = client.get(f"/kerja/field/conflicts/{held_mother}")
        assert "data-field-dependents" in page.text and f"#{held_birth}" in page.text
        applied = client.post(
            f"/kerja/field/conflicts/{held_mother}",
            data={"csrf": csrf, "decision": "apply", "reason": "two records of one mother, KK checked"},
            headers={"Origin": ORIGIN},
        )
        assert applied.status_code == 303
        birth = client.get(f"/kerja/field/conflicts/{held_birth}")
        assert 'data-field-status="applied"' in birth.text and "data-field-record=" in birth.text
