"""A registry filled by `jaga synth` after the whole pipeline (linkage, flags, the log), served by the real
application: the fixture body the timeline, evidence and workbench tests share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jaga.app import create_app
from jaga.db import create_engine_for
from jaga.registry import Person, Placement, Relinquishment
from jaga.settings import Settings
from jaga.synth.generator import synthesise
from jaga.synth.scenario import Scenario
from tests.conftest import PreparedDatabase, fast_token_hasher
from tests.synthetic_registry import PIPELINE_ORIGIN, pipeline_registry


def synthesised(factory: pytest.TempPathFactory, scenario: Scenario, *, seed: int, births: int = 300) -> Path:
    """A `jaga synth` folder of `births` births for `scenario` (the fixtures' registries are built from)."""
    folder = factory.mktemp(f"{scenario.name}-synth") / "synth"
    synthesise(births=births, seed=seed, out=folder, scenario=scenario)
    return folder


def child_given_up_and_placed(url: str) -> str:
    """A child with a relinquishment and a placement, as `jaga synth` plants them (ring schemes)."""
    engine = create_engine_for(url)
    with engine.connect() as connection:
        ref = connection.execute(
            select(Person.ref)
            .join(Relinquishment, Relinquishment.child_id == Person.id)
            .join(Placement, Placement.child_id == Person.id)
            .order_by(Person.id)
            .limit(1)
        ).scalar_one()
    engine.dispose()
    return str(ref)


@dataclass
class ServedRegistry:
    url: str
    tokens: dict[str, str]
    app: object
    keys: Path  # the log's key folder
    child: str  # a child given up and placed

    def client(self, account: str) -> TestClient:
        headers = {"Authorization": f"Bearer {self.tokens[account]}"}
        return TestClient(self.app, headers=headers, raise_server_exceptions=False)  # type: ignore[arg-type]


@contextmanager
def served_registry(
    database: PreparedDatabase,
    folder: Path,
    scenario: Scenario,
    tmp_path_factory: pytest.TempPathFactory,
    **settings: Any,
) -> Iterator[ServedRegistry]:
    """`folder` imported and run through the pipeline on a copy of `database`, and the application serving
    it (`settings`: more Settings fields, e.g. the witnesses it trusts)."""
    keys = tmp_path_factory.mktemp(f"{scenario.name}-keys")
    with pipeline_registry(database, folder, scenario, keys, tmp_path_factory) as url:
        configured = Settings(
            database_url=url,
            environment="test",
            ledger_key_dir=keys,
            ledger_origin=PIPELINE_ORIGIN,
            **settings,
        )
        app = create_app(configured, token_hasher=fast_token_hasher())
        yield ServedRegistry(url, database.tokens, app, keys, child_given_up_and_placed(url))
