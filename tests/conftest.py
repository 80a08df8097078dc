"""Database fixtures: every database test runs on SQLite and on PostgreSQL.

One migrated, seeded database per dialect per test run (PostgreSQL: a fresh database, dropped at the
end), with a fixed set of accounts. Each test then runs inside an outer transaction that is rolled back
(`join_transaction_mode="create_savepoint"`), so the services' own commits only release savepoints.
Tests that need real commits (the command line, crash consistency) get a throwaway copy of the
template database instead.

PostgreSQL must answer on 127.0.0.1:5432 (trust auth, user postgres). Where it does not, its tests skip
with a message, unless JAGA_REQUIRE_POSTGRES=1 (CI), which makes that a failure.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import OPERATOR, Actor, Role, TokenHasher, authenticate, create_principal
from jaga.db import UnitOfWork, create_engine_for
from jaga.regions import upgrade_and_seed
from jaga.registry.schemas.reference import OfficialIn
from jaga.registry.services import create_one
from jaga.registry.services.reference import record_officials

POSTGRES_SERVER = os.environ.get("JAGA_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("JAGA_REQUIRE_POSTGRES") == "1"
DIALECTS = ["sqlite", "postgresql"]

# Cheap argon2 parameters for the test accounts: the suite creates dozens of tokens, and the default
# profile (64 MiB, ~50 ms each) would only slow it down. tests/access checks the production defaults.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def fast_token_hasher() -> TokenHasher:
    return TokenHasher(cache_seconds=60, hasher=FAST_HASHER)


# The accounts every database is created with: name -> (role, region scope).
ACCOUNTS: dict[str, tuple[Role, str]] = {
    **{role.value: (role, "") for role in Role},
    "registrar-semarang": (Role.REGISTRAR, "3374"),
    "facility-semarang": (Role.FACILITY, "3374"),
    "facility-jateng": (Role.FACILITY, "33"),
    "social-jateng": (Role.SOCIAL_WORKER, "33"),
    "court-semarang": (Role.COURT, "3374"),
    "police-bali": (Role.POLICE, "51"),
    "admin-bali": (Role.ADMIN, "51"),
}

# Officials every database holds, for the accounts bound to them: ref -> (role, office, region).
OFFICIALS: dict[str, tuple[str, str, str]] = {
    "O-REG-SEMARANG": ("registrar", "Disdukcapil Kota Semarang", "3374"),
    "O-PN-SEMARANG": ("court_clerk", "Pengadilan Negeri Semarang", "3374"),
    "O-PEKSOS-JATENG": ("social_worker", "Dinas Sosial Provinsi Jawa Tengah", "33"),
}

# What accounts act as: (official ref, feed). The regional accounts act as one official each; the
# national ones that import whole synthetic folders are feeds, since those files transcribe the records
# of many officials, as an agency system's export would.
BINDINGS: dict[str, tuple[str | None, str | None]] = {
    "registrar-semarang": ("O-REG-SEMARANG", None),
    "court-semarang": ("O-PN-SEMARANG", None),
    "social-jateng": ("O-PEKSOS-JATENG", None),
    "registrar": (None, "test-feed"),
    "social_worker": (None, "test-feed"),
    "court": (None, "test-feed"),
}


@dataclass
class PreparedDatabase:
    dialect: str
    url: str
    engine: Engine
    tokens: dict[str, str]
    actors: dict[str, Actor]
    template_path: Path | None = None  # SQLite: the file copied for throwaway databases
    template_name: str | None = None  # PostgreSQL: the database used as TEMPLATE


def postgres_reachable() -> str | None:
    """None if the server answers, else why not."""
    try:
        engine = create_engine(POSTGRES_SERVER)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except OperationalError as exc:
        return f"PostgreSQL is not reachable at {make_url(POSTGRES_SERVER).render_as_string()}: {type(exc.orig).__name__}"


def _admin_engine() -> Engine:
    return create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")


def create_postgres_database(name: str, template: str | None = None) -> str:
    admin = _admin_engine()
    with admin.connect() as connection:
        clause = f' TEMPLATE "{template}"' if template else ""
        connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    admin.dispose()
    return make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(name: str) -> None:
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def prepare(url: str) -> tuple[dict[str, str], dict[str, Actor]]:
    """Migrate, seed the regions and create the fixed accounts; their tokens and actors."""
    engine = create_engine_for(url)
    upgrade_and_seed(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    for ref, (official_role, office, region) in OFFICIALS.items():
        data = OfficialIn(
            ref=ref, full_name="Petugas Uji", role=official_role, office=office, region_code=region
        )
        with UnitOfWork(sessions) as uow:
            create_one(uow, OPERATOR, record_officials, "official", data)
    hasher = fast_token_hasher()
    tokens: dict[str, str] = {}
    for username, (role, scope) in ACCOUNTS.items():
        official_ref, feed = BINDINGS.get(username, (None, None))
        with UnitOfWork(sessions) as uow:
            created = create_principal(
                uow,
                hasher,
                actor=OPERATOR,
                username=username,
                role=role,
                region_scope=scope,
                official_ref=official_ref,
                feed=feed,
            )
            tokens[username] = created.token
    actors = {}
    with sessions() as session:
        for username, token in tokens.items():
            actors[username] = authenticate(session, hasher, token)
    engine.dispose()
    return tokens, actors


@pytest.fixture(scope="session")
def _databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, PreparedDatabase | str]]:
    """Per dialect: the prepared database, or the reason it is unavailable."""
    found: dict[str, PreparedDatabase | str] = {}
    folder = tmp_path_factory.mktemp("sqlite-template")
    template = folder / "template.db"
    url = f"sqlite:///{template}"
    tokens, actors = prepare(url)
    # The throwaway copies need the WAL content folded into the main file.
    with closing(sqlite3.connect(template)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    working = folder / "working.db"
    shutil.copyfile(template, working)
    found["sqlite"] = PreparedDatabase(
        "sqlite",
        f"sqlite:///{working}",
        create_engine_for(f"sqlite:///{working}"),
        tokens,
        actors,
        template_path=template,
    )
    created: list[str] = []
    reason = postgres_reachable()
    if reason is None:
        name = f"jaga_test_{secrets.token_hex(4)}"
        created.append(name)
        pg_url = create_postgres_database(name)
        tokens, actors = prepare(pg_url)
        template_name = f"{name}_tpl"
        created.append(template_name)
        create_postgres_database(template_name, template=name)
        found["postgresql"] = PreparedDatabase(
            "postgresql", pg_url, create_engine_for(pg_url), tokens, actors, template_name=template_name
        )
    else:
        found["postgresql"] = reason
    yield found
    for db in found.values():
        if isinstance(db, PreparedDatabase):
            db.engine.dispose()
    for name in created:
        drop_postgres_database(name)


def _require(databases: dict[str, PreparedDatabase | str], dialect: str) -> PreparedDatabase:
    db = databases[dialect]
    if isinstance(db, str):
        if REQUIRE_POSTGRES:
            pytest.fail(f"JAGA_REQUIRE_POSTGRES=1 but {db}")
        pytest.skip(db)
    return db


@pytest.fixture(params=DIALECTS)
def database(
    request: pytest.FixtureRequest, _databases: dict[str, PreparedDatabase | str]
) -> PreparedDatabase:
    """The prepared database of one dialect (each test using it runs once per dialect)."""
    return _require(_databases, request.param)


@pytest.fixture
def sessions(database: PreparedDatabase) -> Iterator[sessionmaker[Session]]:
    """Sessions inside one outer transaction, rolled back after the test."""
    connection = database.engine.connect()
    outer = connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield factory
    outer.rollback()
    connection.close()


@pytest.fixture
def actors(database: PreparedDatabase) -> dict[str, Actor]:
    return database.actors


@pytest.fixture
def tokens(database: PreparedDatabase) -> dict[str, str]:
    return database.tokens


SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def asset() -> object:
    """`asset("vectors/...")`: a file from ../shared, or a skip with a message when it is absent."""

    def find(relative: str) -> Path:
        path = SHARED / relative
        if not path.exists():
            pytest.skip(f"{relative} is not available (../shared is absent here)")
        return path

    return find


class FixedClock:
    """A clock tests can move."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 1, 3, 0, tzinfo=UTC))


@pytest.fixture
def throwaway_url(database: PreparedDatabase, tmp_path: Path) -> Iterator[str]:
    """A database of its own (a copy of the template), for tests that commit for real."""
    if database.dialect == "sqlite":
        assert database.template_path is not None
        target = tmp_path / "throwaway.db"
        shutil.copyfile(database.template_path, target)
        yield f"sqlite:///{target}"
        return
    assert database.template_name is not None
    name = f"jaga_tmp_{secrets.token_hex(4)}"
    url = create_postgres_database(name, template=database.template_name)
    try:
        yield url
    finally:
        drop_postgres_database(name)


ClientFor = Callable[[str | None], TestClient]


@pytest.fixture
def client_for(
    database: PreparedDatabase, sessions: sessionmaker[Session], tokens: dict[str, str], clock: FixedClock
) -> Iterator[ClientFor]:
    """`client_for("police")`: a test client authenticated as that account (None: no token)."""
    from jaga.app import create_app
    from jaga.settings import Settings

    settings = Settings(database_url=database.url, environment="test", base_url="https://jaga.test")
    app = create_app(settings, sessions=sessions, token_hasher=fast_token_hasher())
    clients: list[TestClient] = []

    def make(account: str | None) -> TestClient:
        headers = {"Authorization": f"Bearer {tokens[account]}"} if account else {}
        client = TestClient(app, headers=headers, raise_server_exceptions=True)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


# The slow tier: whole modules that run real processes, browsers, other toolchains or whole pipelines.
# `scripts/test --fast` leaves them out (`-m "not slow"`); CI runs them. Tests elsewhere mark themselves.
SLOW_MODULES = {
    "tests/certificates/test_quorum.py": "two witnesses' keys and an adoption through every step, per database",
    "tests/witness/test_serve.py": "starts a real `jaga witness serve` process",
    "tests/sequencer/test_crash.py": "kill -9 of real sequencer processes, many times",
    "tests/registry/importers/test_crash.py": "kill -9 of real import processes, many times",
    "tests/faces/test_crash.py": "kill -9 of real `jaga photos add` processes (each loads dlib's models)",
    "tests/faces/test_worker.py": "kill -9 of a real `jaga faces worker` (loads dlib's models), per database",
    "tests/faces/test_pages.py": "real photos through dlib, the worker and a confirmation, per database",
    "tests/faces/test_browser.py": "a synthetic registry after the whole pipeline, real photos, and a browser",
    "tests/field/test_pages.py": "a synthetic registry after the whole pipeline and two field devices, per database",
    "tests/field/test_browser.py": "a synthetic registry after the whole pipeline, a field device, and a browser",
    "tests/sequencer/test_go_interop.py": "builds and runs a Go verifier",
    "tests/linkage/test_spark.py": "starts a JVM (Spark)",
    "tests/app/test_serve.py": "starts the real server in a subprocess",
    "tests/field/test_proxy_sync.py": "real server, a TCP proxy that cuts and stalls, `jaga field sync` runs",
    "tests/field/test_node_kill.py": "kill -9 of real `jaga field sync` processes over a slow link, per database",
    "tests/field/test_request_deadline.py": "real server, a TCP proxy that trickles the answer, `jaga field sync`",
    "tests/witness/test_push.py": "two real witness servers per test, pushed to by `jaga ledger integrate`",
    "tests/witness/test_crash.py": "kill -9 of a real witness server mid-request, many times",
    "tests/witness/test_go_cosignature.py": "builds and runs a Go verifier",
    "tests/synth/test_import.py": "imports whole synthetic provinces on both databases",
    "tests/demo/test_demo.py": "runs the whole demo and a browser",
    "tests/flags/test_evaluate.py": "synthesises, imports, links and flags a province",
    "tests/linkage/test_quality.py": "links thousands of synthetic records",
    "tests/linkage/test_identifiers.py": "trains Splink on generated files, once per identifier rule",
    "tests/portal/test_verify_corpus.py": "every corpus item through `jaga verify` and through Chromium",
    "tests/linkage/test_runs.py": "links a synthetic registry with Splink, again and again",
    "tests/linkage/test_api.py": "links a synthetic registry with Splink before each reviewer's call",
    "tests/linkage/test_newborns.py": "imports into a synthetic registry and links it with Splink, per database",
    "tests/app/test_schemathesis.py": "hundreds of generated requests against a linked, flagged registry",
    # The workbench's screens each run on a registry after the whole pipeline (Splink included), built
    # per module and database; test_login.py stays in the fast tier for the sessions and CSRF rules.
    "tests/workbench/test_timeline.py": "a synthetic registry after the whole pipeline, per database",
    "tests/evidence/test_packs.py": "a synthetic registry after the whole pipeline, per database",
    "tests/evidence/test_seal.py": "a synthetic registry after the whole pipeline, per database",
    "tests/bench/test_evidence.py": "builds a synthetic registry and packs, verifies and seals on it",
    "tests/workbench/test_flags.py": "a synthetic registry after the whole pipeline, per database",
    "tests/workbench/test_review.py": "a synthetic registry after the whole pipeline, per database",
    "tests/workbench/test_audit.py": "a synthetic registry after the whole pipeline, per database",
    "tests/workbench/test_adoption.py": "a synthetic registry after the whole pipeline, per database",
    "tests/workbench/test_search.py": "a synthetic registry after the whole pipeline, per database",
    "tests/workbench/test_ledger.py": "a synthetic registry after the whole pipeline, per database",
    "tests/workbench/test_import.py": "a synthetic registry after the whole pipeline, per database",
    "tests/workbench/test_browser_import.py": "a synthetic registry after the whole pipeline, and a browser",
    "tests/workbench/test_records.py": "a synthetic registry after the whole pipeline, per database",
    "tests/workbench/test_queue.py": "a synthetic registry after the whole pipeline, per database",
    "tests/workbench/test_queue_sources.py": "a synthetic registry, real photos through dlib and a field device, per database",
    "tests/field/test_batch_upload.py": "a synthetic registry after the whole pipeline and field devices, per database",
    "tests/timeline/test_api.py": "a synthetic registry after the whole pipeline, per database",
    "tests/bench/test_workbench.py": "builds a registry through the whole pipeline and serves it, per database",
    "tests/bench/test_linkage_cli.py": "trains and runs jaga's linkage and the Splink reference on FEBRL1 and altgen",
    "tests/faces/test_cli.py": "downloads an sdist's photos, runs dlib on a dozen photos and a flag run, per database",
    "tests/faces/test_api.py": "downloads an sdist's photos, runs dlib on photos and a flag run, per database",
    "tests/bench/test_faces.py": "runs dlib on photos and their augmentations, in one and two processes",
    "tests/altgen/test_scenarios.py": "imports a whole independent scenario world through every importer",
    "tests/bench/test_flags_quality_generators.py": "the flag bench end to end on a small case of each generator",
    "tests/bench/test_witness.py": "starts a real `jaga witness serve` process",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(__file__).resolve().parents[1]
    for item in items:
        if str(Path(item.fspath).relative_to(root)) in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
