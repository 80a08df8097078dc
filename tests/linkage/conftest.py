"""A registry database holding a small synthetic province, imported once per module and dialect; each test
then works inside a transaction that is rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from jaga.db import create_engine_for
from jaga.synth.generator import synthesise
from jaga.synth.scenario import Scenario
from tests.conftest import DIALECTS, PreparedDatabase, _require
from tests.synthetic_registry import imported_registry

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
    with imported_registry(database, synthetic_folder, tmp_path_factory) as url:
        yield database, url


@pytest.fixture
def linked_sessions(registry_db: tuple[PreparedDatabase, str]) -> Iterator[sessionmaker[Session]]:
    engine = create_engine_for(registry_db[1])
    connection = engine.connect()
    outer = connection.begin()
    yield sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    outer.rollback()
    connection.close()
    engine.dispose()
