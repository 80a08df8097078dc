"""The workbench's fixtures: a registry filled by `jaga synth` after the whole pipeline (linkage, flags,
certificates, the log: tests/synthetic_registry.py), with a workbench password for every test account,
served through a test client with a movable clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker

from jaga.access import OPERATOR
from jaga.access.credentials import set_password
from jaga.app import create_app
from jaga.db import UnitOfWork, create_engine_for
from jaga.settings import Settings
from jaga.synth.generator import synthesise
from jaga.synth.scenario import Scenario
from tests.browser import served
from tests.conftest import ACCOUNTS, DIALECTS, FixedClock, PreparedDatabase, _require, fast_token_hasher
from tests.synthetic_registry import PIPELINE_ORIGIN, pipeline_registry

PASSWORD = "teh manis di warung pojok jam tujuh"
ORIGIN = "http://testserver"


BIRTHS = 300
SCENARIO = Scenario(name="workbench", province="33")


@dataclass
class WorkbenchRegistry:
    dialect: str
    url: str
    keys: Path
    tokens: dict[str, str]  # API tokens of the test accounts (tests/conftest.py ACCOUNTS)

    def settings(self) -> Settings:
        return Settings(
            database_url=self.url, environment="test", ledger_key_dir=self.keys, ledger_origin=PIPELINE_ORIGIN
        )


@pytest.fixture(scope="session")
def workbench_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("workbench-synth") / "synth"
    synthesise(births=BIRTHS, seed=21, out=folder, scenario=SCENARIO)
    return folder


@pytest.fixture(scope="module", params=DIALECTS)
def with_passwords(
    request: pytest.FixtureRequest,
    _databases: dict[str, PreparedDatabase | str],
    workbench_folder: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[WorkbenchRegistry]:
    database = _require(_databases, request.param)
    keys = tmp_path_factory.mktemp("workbench-keys")
    with pipeline_registry(database, workbench_folder, SCENARIO, keys, tmp_path_factory) as url:
        engine = create_engine_for(url)
        sessions = sessionmaker(engine, expire_on_commit=False)
        for username in ACCOUNTS:
            with UnitOfWork(sessions) as uow:
                set_password(uow, actor=OPERATOR, username=username, password=PASSWORD)
        engine.dispose()
        yield WorkbenchRegistry(database.dialect, url, keys, database.tokens)


@pytest.fixture
def wb_clock() -> FixedClock:
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def workbench(with_passwords: WorkbenchRegistry, wb_clock: FixedClock) -> Iterator[Callable[[], TestClient]]:
    """`workbench()`: a fresh browser-like client (its own cookie jar) on the registry."""
    app = create_app(with_passwords.settings(), clock=wb_clock, token_hasher=fast_token_hasher())
    clients: list[TestClient] = []

    def make() -> TestClient:
        client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> object:
    page = client.get("/masuk")
    token = page.text.split('name="form_token" value="')[1].split('"')[0]
    return client.post(
        "/masuk",
        data={"username": username, "password": password, "form_token": token, "next": "/kerja"},
        headers={"Origin": ORIGIN},
    )


def csrf_of(html: str) -> str:
    return html.split('name="csrf" value="')[1].split('"')[0]


@pytest.fixture(scope="module")
def live_workbench(with_passwords: WorkbenchRegistry) -> Iterator[str]:
    """The real application on a free loopback port (uvicorn in a thread), for the browser."""
    if with_passwords.dialect != "sqlite":
        pytest.skip("the browser tests run once, on SQLite")
    app = create_app(with_passwords.settings(), token_hasher=fast_token_hasher())
    with served(app) as (url, _server):
        yield url
