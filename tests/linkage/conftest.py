"""A registry database holding a small synthetic province, imported once per module and dialect; each test
then works inside a transaction that is rolled back."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from jaga.db import create_engine_for
from jaga.registry.importers import FileFormat, run_import
from jaga.registry.kinds import KINDS
from jaga.synth.generator import synthesise
from jaga.synth.output import files_in_order
from jaga.synth.scenario import Scenario
from tests.conftest import (
    DIALECTS,
    PreparedDatabase,
    _require,
    create_postgres_database,
    drop_postgres_database,
)

BIRTHS = 400


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("linkage-registry") / "synth"
    synthesise(births=BIRTHS, seed=5, out=folder, scenario=Scenario(name="linkage-registry", province="33"))
    return folder


@pytest.fixture(scope="module", params=DIALECTS)
def registry_db(
    request: pytest.FixtureRequest,
    _databases: dict[str, PreparedDatabase | str],
    synthetic_folder: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[PreparedDatabase, str]]:
    """(the prepared database whose accounts to use, the URL of a copy holding the synthetic province)."""
    database = _require(_databases, request.param)
    name = None
    if database.dialect == "sqlite":
        assert database.template_path is not None
        target = tmp_path_factory.mktemp("linkage-db") / "registry.db"
        shutil.copyfile(database.template_path, target)
        url = f"sqlite:///{target}"
    else:
        assert database.template_name is not None
        name = f"jaga_link_{secrets.token_hex(4)}"
        url = create_postgres_database(name, template=database.template_name)
    engine = create_engine_for(url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    for path, kind, role in files_in_order(synthetic_folder):
        run_import(
            sessions,
            actor=database.actors[role],
            kind=KINDS[kind],
            path=path,
            fmt=FileFormat.CSV,
            report_path=None,
        )
    engine.dispose()
    try:
        yield database, url
    finally:
        if name is not None:
            drop_postgres_database(name)


@pytest.fixture
def linked_sessions(registry_db: tuple[PreparedDatabase, str]) -> Iterator[sessionmaker[Session]]:
    engine = create_engine_for(registry_db[1])
    connection = engine.connect()
    outer = connection.begin()
    yield sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    outer.rollback()
    connection.close()
    engine.dispose()
