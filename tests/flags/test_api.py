"""/api/v1/flags: list, one flag, status changes; precise 4xx answers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from jaga.flags.runs import run_flags
from tests.conftest import ClientFor, FixedClock
from tests.factories.flags import Rows
from tests.flags.conftest import TODAY
from tests.flags.test_runs import RULES_ONLY


@pytest.fixture
def flag_id(sessions: sessionmaker[Session], rows: Rows, clock: FixedClock) -> int:
    rows.birth(rows.mother(date(1970, 1, 1)), date(2024, 6, 1))
    rows.session.commit()
    run_flags(sessions, today=TODAY, clock=clock, detectors=RULES_ONLY)
    with sessions() as session:
        from jaga.flags.models import Flag

        return session.query(Flag.id).scalar()  # type: ignore[no-any-return]


def test_police_list_and_read_a_flag_with_its_evidence(client_for: ClientFor, flag_id: int) -> None:
    police = client_for("police")
    listed = police.get("/api/v1/flags", params={"reason": "LP/9/2026", "kind": "mother_age_implausible"})
    assert listed.status_code == 200
    [item] = listed.json()["items"]
    assert item["id"] == flag_id and item["evidence"]["mother_age_years"] == 54.4
    one = police.get(f"/api/v1/flags/{flag_id}", params={"reason": "LP/9/2026"})
    assert one.status_code == 200 and one.json()["history"] == []
    assert one.json()["explanation_id"].startswith("Ibu pada kelahiran")


def test_a_status_change_returns_the_trail(client_for: ClientFor, flag_id: int) -> None:
    social = client_for("social_worker")
    moved = social.post(
        f"/api/v1/flags/{flag_id}/status", json={"status": "escalated", "note": "to Unit PPA"}
    )
    assert moved.status_code == 200
    assert moved.json()["status"] == "escalated"
    assert moved.json()["history"][0]["note"] == "to Unit PPA"
    again = social.post(f"/api/v1/flags/{flag_id}/status", json={"status": "escalated", "note": "again"})
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("account", "method", "path", "body", "status"),
    [
        (None, "get", "/api/v1/flags?reason=abcd", None, 401),
        ("registrar", "get", "/api/v1/flags?reason=abcd", None, 403),
        ("auditor", "post", "/api/v1/flags/{id}/status", {"status": "dismissed", "note": "x"}, 403),
        ("police", "get", "/api/v1/flags", None, 422),  # no reason
        ("police", "get", "/api/v1/flags?reason=abcd&cursor=bm9wZQ", None, 422),
        ("police", "get", "/api/v1/flags?reason=abcd&status=closed", None, 422),
        ("police", "get", "/api/v1/flags/99999999?reason=abcd", None, 404),
        ("police", "get", "/api/v1/flags/99999999999999999999?reason=abcd", None, 422),
        ("police", "post", "/api/v1/flags/{id}/status", {"status": "dismissed"}, 422),  # no note
        ("police-bali", "get", "/api/v1/flags/{id}?reason=abcd", None, 403),
    ],
)
def test_bad_requests_get_precise_answers(
    client_for: ClientFor,
    flag_id: int,
    account: str | None,
    method: str,
    path: str,
    body: object,
    status: int,
) -> None:
    client = client_for(account)
    url = path.replace("{id}", str(flag_id))
    answer = client.get(url) if method == "get" else client.post(url, json=body)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
