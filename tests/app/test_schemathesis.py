"""Property-based API testing with Schemathesis: whatever a client sends that the OpenAPI document allows
(and a good deal it does not), no route answers with a server error.

Every operation is exercised as a national registrar (the widest writer) on both databases, inside the
test's rolled-back transaction. Answers must be 2xx/4xx problem documents, never 500.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy.orm import Session, sessionmaker

from jaga.app import create_app
from jaga.settings import Settings
from tests.conftest import PreparedDatabase, fast_token_hasher


@pytest.fixture
def api(
    database: PreparedDatabase, sessions: sessionmaker[Session], tokens: dict[str, str]
) -> Iterator[object]:
    settings_ = Settings(database_url=database.url, environment="test", base_url="https://jaga.test")
    app = create_app(settings_, sessions=sessions, token_hasher=fast_token_hasher())
    yield schemathesis.openapi.from_asgi("/openapi.json", app), tokens["registrar"]


def test_no_operation_answers_with_a_server_error(api: tuple[object, str]) -> None:
    schema, token = api
    operations = list(schema.get_all_operations())  # type: ignore[attr-defined]
    assert len(operations) > 40
    failures: list[str] = []
    for result in operations:
        operation = result.ok()

        @settings(
            max_examples=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,  # the same examples every run: CI's verdict must not depend on luck
        )
        @given(case=operation.as_strategy())
        def check(case: object) -> None:
            response = case.call(headers={"Authorization": f"Bearer {token}"})  # type: ignore[attr-defined]
            case.validate_response(response, checks=[not_a_server_error])  # type: ignore[attr-defined]

        try:
            check()
        except Exception as exc:  # collect every failing operation, not just the first
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert not failures, "\n\n".join(failures)
