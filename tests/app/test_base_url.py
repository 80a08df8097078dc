"""Problem `type` links point at the server actually answering, unless a public address is configured."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jaga.app import create_app
from jaga.settings import Settings
from tests.conftest import PreparedDatabase, fast_token_hasher


def _client(
    database: PreparedDatabase, sessions: sessionmaker[Session], base_url: str | None, served: str
) -> TestClient:
    settings = Settings(database_url=database.url, environment="test", base_url=base_url)
    app = create_app(settings, sessions=sessions, token_hasher=fast_token_hasher())
    return TestClient(app, base_url=served)


def test_without_a_configured_base_url_problem_links_follow_the_host_and_port_served(
    database: PreparedDatabase, sessions: sessionmaker[Session]
) -> None:
    with _client(database, sessions, None, "http://registry.example:8123") as client:
        body = client.get("/api/v1/me").json()
    assert body["type"] == "http://registry.example:8123/problems/not-authenticated"
    assert client.get(body["type"].removeprefix("http://registry.example:8123")).status_code == 200


def test_a_configured_base_url_wins_over_the_request(
    database: PreparedDatabase, sessions: sessionmaker[Session]
) -> None:
    with _client(database, sessions, "https://jaga.example.go.id/", "http://10.1.2.3:8123") as client:
        body = client.get("/api/v1/me").json()
    assert body["type"] == "https://jaga.example.go.id/problems/not-authenticated"


def test_the_default_settings_configure_no_base_url() -> None:
    assert Settings(database_url="sqlite://").base_url is None
    assert Settings(database_url="sqlite://", port=8123).served_url == "http://127.0.0.1:8123"
