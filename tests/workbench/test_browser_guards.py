"""The workbench's guards in Chromium: a session that expires, a cross-site POST without the form token,
another region's records; each refused page passes axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from jaga.app import create_app
from jaga.db import create_engine_for
from jaga.flags.models import Flag
from jaga.registry import Person
from tests.browser import served
from tests.conftest import FixedClock, fast_token_hasher
from tests.portal.browser import assert_accessible, portal_pages
from tests.workbench.conftest import PASSWORD, WorkbenchRegistry

pytestmark = pytest.mark.slow


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/masuk")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-officer]")


def _set_purpose(page: Any, purpose: str) -> None:
    page.fill("#purpose", purpose)
    page.click("[data-purpose-form] button")


def _top_flag(registry: WorkbenchRegistry) -> tuple[int, str]:
    engine = create_engine_for(registry.url)
    with engine.connect() as connection:
        row = connection.execute(
            select(Flag.id, Flag.status).where(Flag.present).order_by(Flag.score.desc(), Flag.id).limit(1)
        ).one()
    engine.dispose()
    return int(row.id), str(row.status)


def _flag_status(registry: WorkbenchRegistry, flag_id: int) -> str:
    engine = create_engine_for(registry.url)
    with engine.connect() as connection:
        status = connection.execute(select(Flag.status).where(Flag.id == flag_id)).scalar_one()
    engine.dispose()
    return str(status)


@pytest.fixture
def clocked_workbench(with_passwords: WorkbenchRegistry) -> Iterator[tuple[str, FixedClock]]:
    """The real application with a clock the test moves, served on its own port."""
    if with_passwords.dialect != "sqlite":
        pytest.skip("the browser tests run once, on SQLite")
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
    app = create_app(with_passwords.settings(), clock=clock, token_hasher=fast_token_hasher())
    with served(app) as (url, _server):
        yield url, clock


def test_a_session_expires_after_30_idle_minutes_and_after_12_hours(
    clocked_workbench: tuple[str, FixedClock],
) -> None:
    base, clock = clocked_workbench
    with portal_pages() as open_page:
        page = open_page()
        _log_in(page, base, "auditor")
        clock.now += timedelta(minutes=29)
        page.goto(f"{base}/kerja")
        assert page.url == f"{base}/kerja"  # 29 idle minutes: still in, and the clock restarts
        clock.now += timedelta(minutes=31)
        page.goto(f"{base}/kerja")
        assert "/masuk" in page.url
        assert_accessible(page)
        _log_in(page, base, "auditor")
        for _ in range(28):  # active every 25 minutes: never idle, but 11 h 40 min in all
            clock.now += timedelta(minutes=25)
            page.goto(f"{base}/kerja")
            assert page.url == f"{base}/kerja"
        clock.now += timedelta(minutes=25)  # 12 h 5 min after logging in
        page.goto(f"{base}/kerja")
        assert "/masuk" in page.url


def _cross_site_page(target: str) -> Starlette:
    """Another site's page with a form that posts a flag decision to the workbench, without its token."""
    form = (
        '<!doctype html><html lang="en"><head><title>Win a prize</title></head><body><main>'
        f'<form method="post" action="{target}"><input type="hidden" name="status" value="dismissed">'
        '<input type="hidden" name="reason" value="dismissed by another site">'
        "<button>Claim</button></form></main></body></html>"
    )

    async def home(_request: object) -> HTMLResponse:
        return HTMLResponse(form)

    return Starlette(routes=[Route("/", home)])


def test_a_cross_site_post_without_the_form_token_is_refused(
    live_workbench: str, with_passwords: WorkbenchRegistry
) -> None:
    flag_id, before = _top_flag(with_passwords)
    # Another port of the same host: another origin, but the same site, so the browser sends the
    # SameSite=Lax cookie; the Origin check and the missing form token must refuse it.
    evil_site = _cross_site_page(f"{live_workbench}/kerja/flags/{flag_id}")
    with served(evil_site) as (evil, _server), portal_pages() as open_page:
        page = open_page()
        _log_in(page, live_workbench, "police")
        page.goto(evil)
        page.click("button")
        page.wait_for_selector("[data-error]")
        assert page.url == f"{live_workbench}/kerja/flags/{flag_id}"
        assert "Origin" in page.locator("[data-error]").inner_text()
        assert_accessible(page)
    assert _flag_status(with_passwords, flag_id) == before


def test_another_regions_records_are_refused(live_workbench: str, with_passwords: WorkbenchRegistry) -> None:
    from tests.served_registry import child_given_up_and_placed

    child = child_given_up_and_placed(with_passwords.url)  # in Central Java (33), like the whole registry
    flag_id, _ = _top_flag(with_passwords)
    engine = create_engine_for(with_passwords.url)
    with engine.connect() as connection:
        name = connection.execute(select(Person.full_name).where(Person.ref == child)).scalar_one()
    engine.dispose()
    with portal_pages() as open_page:
        page = open_page(phone=True)
        _log_in(page, live_workbench, "police-bali")  # scope 51: Bali
        page.goto(f"{live_workbench}/kerja/people/{child}")
        _set_purpose(page, "penyelidikan 12/2026")
        for path in (f"/kerja/people/{child}", f"/kerja/flags/{flag_id}"):
            answer = page.goto(f"{live_workbench}{path}")
            assert answer is not None and answer.status in (403, 404), path
            assert page.locator("[data-record-ref], [data-evidence], [data-timeline]").count() == 0
            shown = page.locator("main").inner_text()
            assert name not in shown and "wilayah" in shown  # "outside your region", never the record
            assert_accessible(page)
