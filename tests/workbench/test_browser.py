"""The workbench in Chromium: log in, set the purpose, see the queue, log out; throttling; axe-core on
every page, on a phone and a desktop."""

from __future__ import annotations

from typing import Any

import pytest

from tests.portal.browser import assert_accessible, portal_pages
from tests.workbench.conftest import PASSWORD

pytestmark = pytest.mark.slow


def _log_in(page: Any, base: str, username: str) -> None:
    """Log in at /masuk with the test accounts' workbench password."""
    page.goto(f"{base}/masuk")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


def test_an_officer_logs_in_works_and_logs_out(live_workbench: str) -> None:
    with portal_pages() as open_page:
        for phone in (False, True):
            page = open_page(phone=phone)
            page.goto(f"{live_workbench}/kerja")
            assert page.url.endswith("/masuk?next=/kerja")
            assert_accessible(page)
            page.fill("#username", "police")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_workbench}/kerja")
            assert page.locator("[data-officer]").inner_text() == "police"
            assert_accessible(page)
            cookies = page.context.cookies()
            assert [c["httpOnly"] for c in cookies] == [True] and cookies[0]["sameSite"] == "Lax"
            page.fill("#purpose", "perkara 9/PID/2026")
            page.click("[data-purpose-form] button")
            assert page.locator("[data-purpose-text]").inner_text() == "perkara 9/PID/2026"
            assert page.locator("[data-flag-id]").count() > 0
            assert_accessible(page)
            page.goto(f"{live_workbench}/keluar")
            assert_accessible(page)
            page.click("[data-logout]")
            page.wait_for_url(f"{live_workbench}/masuk")
            page.goto(f"{live_workbench}/kerja")
            assert "/masuk" in page.url


def test_five_failed_logins_lock_the_username_even_with_the_right_password(live_workbench: str) -> None:
    with portal_pages() as open_page:
        page = open_page()
        for _ in range(5):
            page.goto(f"{live_workbench}/masuk")
            page.fill("#username", "court-semarang")  # an account no other test logs in with
            page.fill("#password", "salah salah salah salah")
            page.click("button[type=submit]")
            assert page.locator("[data-error]").count() == 1
        page.goto(f"{live_workbench}/masuk")
        page.fill("#username", "court-semarang")  # an account no other test logs in with
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        assert "/masuk" in page.url
        assert page.locator("[data-error]").inner_text().startswith(("terlalu banyak", "too many"))
        assert_accessible(page)


def test_the_child_timeline_in_a_phone_browser(live_workbench: str, with_passwords: object) -> None:
    from tests.served_registry import child_given_up_and_placed

    ref = child_given_up_and_placed(with_passwords.url)  # type: ignore[attr-defined]  # typed `object` here
    with portal_pages() as open_page:
        page = open_page(phone=True)
        _log_in(page, live_workbench, "social_worker")
        page.goto(f"{live_workbench}/kerja/people/{ref}")
        assert_accessible(page)  # the purpose form
        page.fill("#purpose", "kasus 44/2026")
        page.click("[data-purpose-form] button")
        page.wait_for_selector("[data-timeline]")
        assert page.locator("[data-record-ref]").count() >= 3
        agencies = set(
            page.locator("[data-record-ref]").evaluate_all("els => els.map(e => e.dataset.agency)")
        )
        assert len(agencies) >= 3
        assert_accessible(page)


def test_a_flag_is_decided_in_the_browser_and_every_flag_page_is_accessible(live_workbench: str) -> None:
    with portal_pages() as open_page:
        for phone in (False, True):
            page = open_page(phone=phone)
            _log_in(page, live_workbench, "police")
            page.goto(f"{live_workbench}/kerja/flags")
            page.fill("#purpose", "telaah tanda bahaya")
            page.click("[data-purpose-form] button")
            page.wait_for_selector("[data-flag-list]")
            assert_accessible(page)
            page.locator("[data-flag-list] a").first.click()
            page.wait_for_selector("[data-evidence]")
            assert_accessible(page)
            before = page.locator("[data-status-value]").first.inner_text()
            target = "under_review" if before != "under_review" else "open"
            page.select_option("select[name=status]", target)
            page.fill("[name=reason]", "diperiksa oleh penyidik")
            page.click("[data-flag-decision] button")
            page.wait_for_selector("[data-history-entry]")
            assert page.locator("[data-status-value]").first.inner_text() == target
            assert_accessible(page)


@pytest.mark.parametrize(
    "username", ["auditor", "social_worker", "registrar", "court", "facility", "institution"]
)
def test_every_roles_screens_are_accessible(live_workbench: str, username: str) -> None:
    with portal_pages() as open_page:
        page = open_page(phone=username in ("facility", "institution"))
        page.goto(f"{live_workbench}/masuk?lang=en")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-officer]")
        page.fill("#purpose", "accessibility round")
        page.click("[data-purpose-form] button")
        links = page.locator("header nav a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert any("/kerja/audit" in link for link in links)
        for link in links:
            if "/keluar" in link:
                continue
            page.goto(f"{live_workbench}{link}")
            assert page.locator("main h1").count() == 1
            assert_accessible(page)


def test_the_adoption_case_screen_in_a_phone_browser(live_workbench: str, with_passwords: object) -> None:
    from tests.workbench.test_adoption import _case_ready_for_the_court

    case = _case_ready_for_the_court(with_passwords)  # type: ignore[arg-type]
    with portal_pages() as open_page:
        page = open_page(phone=True)
        _log_in(page, live_workbench, "registrar")
        page.goto(f"{live_workbench}/kerja/adoption-cases/{case}")
        page.fill("#purpose", "anotasi akta")
        page.click("[data-purpose-form] button")
        page.wait_for_selector("[data-checklist]")
        assert page.locator('[data-step="court_ruling"]').get_attribute("data-state") == "next"
        assert_accessible(page)
        page.select_option("select[name=step]", "civil_registry_annotation")
        page.fill("#doc-akta_annotation", "AN-77")
        page.click("[data-step-form] button[type=submit]")
        page.wait_for_selector("[data-error]")
        assert "court_ruling" in page.locator("[data-error]").inner_text()
        assert_accessible(page)


def test_the_search_page_is_accessible(live_workbench: str) -> None:
    with portal_pages() as open_page:
        page = open_page(phone=True)
        _log_in(page, live_workbench, "police")
        page.fill("#purpose", "pencarian")
        page.click("[data-purpose-form] button")
        page.goto(f"{live_workbench}/kerja/cari?q=Siti")
        page.wait_for_selector("[data-search-results], [data-empty]")
        assert_accessible(page)


def test_a_new_tip_is_opened_from_the_police_queue_and_handled(live_workbench: str) -> None:
    with portal_pages() as open_page:
        public = open_page(phone=True)
        public.goto(f"{live_workbench}/lapor")
        public.check("input[name=platform][value=instagram]")
        public.select_option("select[name=province]", "51")
        public.fill("[name=place]", "Tabanan")
        public.fill("[name=description]", "Akun menawarkan bayi baru lahir, bayar di muka, Tabanan")
        public.click("form button[type=submit]")
        public.wait_for_selector("[data-receipt]")
        for phone in (False, True):
            page = open_page(phone=phone)
            _log_in(page, live_workbench, "police-bali")
            page.fill("#purpose", "laporan masuk hari ini")
            page.click("[data-purpose-form] button")
            page.wait_for_selector('[data-queue-item="tip"]')
            assert_accessible(page)
            page.locator('[data-queue-item="tip"] a').first.click()
            page.wait_for_selector("[data-tip-ref]")
            assert_accessible(page)
            if phone:  # handled once: the tip is no longer new after it
                page.select_option("select[name=status]", "under_review")
                page.fill("[name=note]", "diperiksa Unit PPA")
                page.click("[data-tip-status-form] button")
                page.wait_for_selector("[data-history-entry]")
                assert_accessible(page)


def test_the_ledger_page_with_a_failed_audit_is_accessible(
    live_workbench: str, with_passwords: object
) -> None:
    from sqlalchemy import text
    from typer.testing import CliRunner

    from jaga.cli import app
    from jaga.db import create_engine_for
    from tests.synthetic_registry import PIPELINE_ORIGIN

    registry: Any = with_passwords
    engine = create_engine_for(registry.url)
    with engine.begin() as connection:
        row_id, name = connection.execute(text("SELECT id, name FROM facilities ORDER BY id LIMIT 1")).one()
        connection.execute(text("UPDATE facilities SET name = 'Klinik Lain' WHERE id = :i"), {"i": row_id})
    env = {
        "JAGA_DATABASE_URL": registry.url,
        "JAGA_LEDGER_KEY_DIR": str(registry.keys),
        "JAGA_LEDGER_ORIGIN": PIPELINE_ORIGIN,
    }
    try:
        assert CliRunner().invoke(app, ["ledger", "audit"], env=env).exit_code == 1
    finally:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE facilities SET name = :n WHERE id = :i"), {"n": name, "i": row_id}
            )
        engine.dispose()
    with portal_pages() as open_page:
        page = open_page(phone=True)
        _log_in(page, live_workbench, "auditor")
        page.goto(f"{live_workbench}/kerja/ledger")
        assert page.locator("[data-last-audit]").get_attribute("data-last-audit") == "failed"
        assert_accessible(page)
