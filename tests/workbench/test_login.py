"""Logging in and out of the workbench, sessions' limits, CSRF and Origin checks, the task's purpose."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jaga.access.models import AuditEntry
from jaga.db import create_engine_for
from tests.conftest import FixedClock
from tests.workbench.conftest import ORIGIN, PASSWORD, WorkbenchRegistry, csrf_of, log_in

Workbench = Callable[[], TestClient]


def test_the_work_queue_sends_a_stranger_to_the_login_page(workbench: Workbench) -> None:
    answer = workbench().get("/kerja")
    assert answer.status_code == 303 and answer.headers["location"] == "/masuk?next=/kerja"
    login = workbench().get("/masuk")
    assert login.status_code == 200 and 'name="password"' in login.text and "set-cookie" not in login.headers


def test_a_wrong_password_and_an_unknown_user_get_the_same_page(workbench: Workbench) -> None:
    wrong = log_in(workbench(), "police", "bukan kata sandinya sama sekali")
    unknown = log_in(workbench(), "tidak.ada.orangnya")
    assert wrong.status_code == unknown.status_code == 401  # type: ignore[attr-defined]
    message = 'data-error="login">'
    assert wrong.text.split(message)[1].split("<")[0] == unknown.text.split(message)[1].split("<")[0]  # type: ignore[attr-defined]
    assert "set-cookie" not in wrong.headers  # type: ignore[attr-defined]


def test_login_sets_a_safe_cookie_and_opens_the_work_queue(workbench: Workbench) -> None:
    client = workbench()
    answer = log_in(client, "police")
    assert answer.status_code == 303 and answer.headers["location"] == "/kerja"  # type: ignore[attr-defined]
    cookie = answer.headers["set-cookie"].lower()  # type: ignore[attr-defined]
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    queue = client.get("/kerja")
    assert queue.status_code == 200
    assert "data-officer>police<" in queue.text
    assert "data-purpose-form" in queue.text  # no purpose yet: asked for, never defaulted
    assert 'data-queue-item="flags"' in queue.text and "data-flag-id" not in queue.text
    assert "frame-ancestors 'none'" in queue.headers["content-security-policy"]


def test_the_purpose_is_asked_once_then_lists_are_read_and_audited_with_it(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    client = workbench()
    log_in(client, "police")
    csrf = csrf_of(client.get("/kerja").text)
    set_it = client.post(
        "/kerja/tujuan", data={"csrf": csrf, "purpose": "perkara 7/PID/2026"}, headers={"Origin": ORIGIN}
    )
    assert set_it.status_code == 303
    queue = client.get("/kerja")
    assert "data-purpose-text>perkara 7/PID/2026<" in queue.text
    assert "data-flag-id" in queue.text
    engine = create_engine_for(with_passwords.url)
    with engine.connect() as connection:
        reasons = connection.execute(
            select(AuditEntry.reason, AuditEntry.channel).where(AuditEntry.resource == "flags")
        ).all()
    engine.dispose()
    assert ("perkara 7/PID/2026", "workbench GET /kerja") in [tuple(r) for r in reasons]


@pytest.mark.parametrize("headers", [{}, {"Origin": "https://evil.example"}])
def test_a_cross_site_post_is_refused(workbench: Workbench, headers: dict[str, str]) -> None:
    client = workbench()
    log_in(client, "police")
    csrf = csrf_of(client.get("/kerja").text)
    answer = client.post("/kerja/tujuan", data={"csrf": csrf, "purpose": "forged purpose"}, headers=headers)
    assert answer.status_code == 403 and "Origin" in answer.text


def test_a_post_without_the_forms_token_is_refused(workbench: Workbench) -> None:
    client = workbench()
    log_in(client, "police")
    answer = client.post("/kerja/tujuan", data={"purpose": "no token"}, headers={"Origin": ORIGIN})
    assert answer.status_code == 403 and 'data-status="403"' in answer.text


def test_logging_out_ends_the_session_on_the_server(workbench: Workbench) -> None:
    client = workbench()
    log_in(client, "police")
    stolen = dict(client.cookies)
    csrf = csrf_of(client.get("/keluar").text)
    out = client.post("/keluar", data={"csrf": csrf}, headers={"Origin": ORIGIN})
    assert out.status_code == 303 and out.headers["location"] == "/masuk"
    assert client.get("/kerja").status_code == 303
    replay = workbench()
    replay.cookies.update(stolen)  # a copied cookie is worth nothing after logout
    assert replay.get("/kerja").status_code == 303


def test_a_session_idle_for_30_minutes_ends(workbench: Workbench, wb_clock: FixedClock) -> None:
    client = workbench()
    log_in(client, "social_worker")
    assert client.get("/kerja").status_code == 200
    wb_clock.now += timedelta(minutes=31)
    assert client.get("/kerja").status_code == 303


def test_the_login_never_logs_the_password_the_session_or_the_csrf_token(
    workbench: Workbench, caplog: pytest.LogCaptureFixture
) -> None:
    client = workbench()
    with caplog.at_level(logging.DEBUG):
        log_in(client, "police")
        page = client.get("/kerja").text
        log_in(workbench(), "police", "kata sandi yang salah sekali")
    session = next(iter(client.cookies.values()))
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert PASSWORD not in text and "kata sandi yang salah" not in text
    assert session not in text and csrf_of(page) not in text
