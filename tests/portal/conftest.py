"""The portal's fixtures: a registry filled by `jaga synth` (certificates issued, one revoked, the log
integrated), served by the real application, through a test client or a live server for the browser.

    portal_registry   (per dialect, module scope)  the registry's URL, keys and real refs
    portal_client     a TestClient on it (no token: the public's view)
    live_portal       (session scope, SQLite) a uvicorn server in a thread: `.url`, `.registry`
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.app import create_app
from jaga.db import UnitOfWork, create_engine_for
from jaga.settings import Settings
from jaga.synth.generator import synthesise
from jaga.synth.scenario import Scenario
from tests.browser import served
from tests.conftest import DIALECTS, PreparedDatabase, _require, fast_token_hasher
from tests.portal.licence_rows import plant_licences
from tests.synthetic_registry import PIPELINE_ORIGIN, imported_registry

BIRTHS = 300
SEED = 14
SCENARIO = Scenario(name="portal", province="33")
REASON = "portal test fixture"


@dataclass
class PortalRegistry:
    dialect: str
    url: str
    keys: Path
    actors: dict[str, Actor]
    certificates: dict[str, str] = field(default_factory=dict)  # "valid" / "revoked" -> certificate ref
    births: list[str] = field(default_factory=list)  # refs of registered births

    def settings(self, **overrides: object) -> Settings:
        values: dict[str, object] = {
            "database_url": self.url,
            "environment": "test",
            "ledger_key_dir": self.keys,
            "ledger_origin": PIPELINE_ORIGIN,
        }
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]


def _issue_and_integrate(keys: Path, actors: dict[str, Actor], holder: PortalRegistry) -> object:
    """After the import: two birth certificates (the second revoked), and the log integrated."""

    def run(sessions: sessionmaker[Session]) -> None:
        from jaga.certificates import services as certificates
        from jaga.registry import Birth, Purpose
        from jaga.sequencer import init_keys, integrate

        plant_licences(sessions, actors)  # the licence check's institutions (tests/portal/licence_rows.py)
        with sessions() as session:
            births = session.scalars(
                select(Birth.ref).where(Birth.akta_number.is_not(None)).order_by(Birth.id).limit(3)
            ).all()
        holder.births = list(births)
        purpose = Purpose(REASON, "test")
        issued = []
        for birth in births[:2]:
            with UnitOfWork(sessions) as uow:
                issued.append(
                    certificates.issue(
                        uow, actors["registrar"], kind="birth", subject_ref=birth, purpose=purpose
                    )
                )
        with UnitOfWork(sessions) as uow:
            certificates.revoke(uow, actors["registrar"], issued[1].ref, reason="issued in error (fixture)")
        holder.certificates = {"valid": issued[0].ref, "revoked": issued[1].ref}
        integrate(sessions, init_keys(keys, PIPELINE_ORIGIN), origin=PIPELINE_ORIGIN)

    return run


@pytest.fixture(scope="session")
def portal_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("portal-synth") / "synth"
    synthesise(births=BIRTHS, seed=SEED, out=folder, scenario=SCENARIO)
    return folder


def _registry(
    database: PreparedDatabase, folder: Path, factory: pytest.TempPathFactory
) -> Iterator[PortalRegistry]:
    keys = factory.mktemp(f"portal-keys-{database.dialect}")
    holder = PortalRegistry(database.dialect, "", keys, database.actors)
    then = _issue_and_integrate(keys, database.actors, holder)
    with imported_registry(database, folder, factory, then=then) as url:  # type: ignore[arg-type]
        holder.url = url
        yield holder


@pytest.fixture(scope="module", params=DIALECTS)
def portal_registry(
    request: pytest.FixtureRequest,
    _databases: dict[str, PreparedDatabase | str],
    portal_folder: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[PortalRegistry]:
    yield from _registry(_require(_databases, request.param), portal_folder, tmp_path_factory)


@pytest.fixture(scope="module")
def portal_client(portal_registry: PortalRegistry) -> Iterator[TestClient]:
    app = create_app(portal_registry.settings(), token_hasher=fast_token_hasher())
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@dataclass
class LivePortal:
    url: str
    registry: PortalRegistry
    server: uvicorn.Server


@pytest.fixture(scope="session")
def live_portal(
    _databases: dict[str, PreparedDatabase | str],
    portal_folder: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LivePortal]:
    """The real application on a free loopback port, on a SQLite registry filled by `jaga synth`."""
    for registry in _registry(_require(_databases, "sqlite"), portal_folder, tmp_path_factory):
        app = create_app(registry.settings(), token_hasher=fast_token_hasher())
        with served(app) as (url, server):
            yield LivePortal(url, registry, server)  # type: ignore[arg-type]
        create_engine_for(registry.url).dispose()
