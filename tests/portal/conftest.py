from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jaga.portal.app import create_app
from jaga.settings import Settings
from tests.conftest import FixedClock, PreparedDatabase, fast_token_hasher

ClientFor = Callable[[str | None], TestClient]


@pytest.fixture
def client_for(
    database: PreparedDatabase, sessions: sessionmaker[Session], tokens: dict[str, str], clock: FixedClock
) -> Iterator[ClientFor]:
    """`client_for("police")`: a test client authenticated as that account (None: no token)."""
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
