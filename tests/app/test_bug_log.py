"""A bug is answered with an error id only, and its log line names the route template, never the path."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session, sessionmaker

from jaga.app import create_app
from jaga.settings import Settings
from tests.conftest import PreparedDatabase, fast_token_hasher


def test_an_unhandled_error_is_logged_with_the_route_template_not_the_ref(
    database: PreparedDatabase, sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(
        Settings(database_url=database.url, environment="test", base_url="https://jaga.test"),
        sessions=sessions,
        token_hasher=fast_token_hasher(),
    )

    # A stand-in for a bug in a real route: the ref in the path is what must not reach the log.
    @app.get("/api/v1/people/{ref}/crash", include_in_schema=False)
    def crash(ref: str) -> None:
        raise RuntimeError("bug")

    with (
        caplog.at_level(logging.ERROR, logger="jaga.web"),
        TestClient(app, raise_server_exceptions=False) as client,
    ):
        response = client.get("/api/v1/people/P-7QK2M9XR4T/crash")
    assert response.status_code == 500
    error_id = response.json()["error_id"]
    [record] = [r for r in caplog.records if r.name == "jaga.web"]
    assert error_id in record.getMessage()
    assert "GET /api/v1/people/{ref}/crash" in record.getMessage()
    assert "P-7QK2M9XR4T" not in record.getMessage()


def test_an_unhandled_database_error_is_logged_without_its_parameters(
    database: PreparedDatabase, sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(
        Settings(database_url=database.url, environment="test", base_url="https://jaga.test"),
        sessions=sessions,
        token_hasher=fast_token_hasher(),
    )

    @app.get("/api/v1/people/{ref}/crash", include_in_schema=False)
    def crash(ref: str) -> None:
        # What SQLAlchemy raises for a statement the driver refuses: its text carries the bound values.
        # (The value is bound on a line of its own: the traceback quotes the raising line.)
        bound = {"name": "Siti Aminah"}
        raise StatementError("driver refused", "SELECT :name", bound, ValueError("x"))

    with (
        caplog.at_level(logging.ERROR, logger="jaga.web"),
        TestClient(app, raise_server_exceptions=False) as client,
    ):
        assert client.get("/api/v1/people/P-1/crash").status_code == 500
    logged = caplog.text
    assert "StatementError" in logged and "SELECT :name" in logged
    assert "Siti Aminah" not in logged
