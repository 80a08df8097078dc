"""The birth form in Chromium: the NIK message appears as the NIK is typed (nik-check.js, under the page's CSP),
a refused form shows its errors inline, a good one lands on the child's timeline; axe-core on each."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from jaga.db import create_engine_for
from jaga.registry import Person
from tests.portal.browser import assert_accessible, portal_pages
from tests.workbench.conftest import PASSWORD, WorkbenchRegistry

pytestmark = pytest.mark.slow


def _a_mother(registry: WorkbenchRegistry) -> str:
    today = date.today()
    engine = create_engine_for(registry.url)
    with engine.connect() as connection:
        ref = connection.execute(
            select(Person.ref)
            .where(Person.sex == "F")
            .where(
                Person.birth_date.between(today - timedelta(days=35 * 365), today - timedelta(days=22 * 365))
            )
            .order_by(Person.id.desc())
            .limit(1)
        ).scalar_one()
    engine.dispose()
    return str(ref)


def test_the_birth_form_checks_the_nik_as_typed_and_shows_errors_inline(
    live_workbench: str, with_passwords: WorkbenchRegistry
) -> None:
    born = date.today() - timedelta(days=6)
    female_nik = f"337401{born.day + 40:02d}{born:%m%y}9802"
    male_nik = f"337401{born.day:02d}{born:%m%y}9802"
    with portal_pages() as open_page:
        page: Any = open_page(phone=True)
        blocked: list[str] = []
        page.on(
            "console",
            lambda message: blocked.append(message.text) if "Content Security" in message.text else None,
        )
        page.goto(f"{live_workbench}/masuk")
        page.fill("#username", "facility-semarang")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.fill("#purpose", "persalinan hari ini")
        page.click("[data-purpose-form] button")
        page.click('[data-record-link="births"]')
        page.wait_for_selector('[data-record-form="births"]')
        assert_accessible(page)

        page.select_option("#child_sex", "F")
        page.fill("#born_on", born.isoformat())
        page.locator("#child_nik").press_sequentially(male_nik, delay=20)
        page.wait_for_selector('#nik-check-child_nik [data-nik-check="inconsistent"]')
        page.locator("#child_nik").fill("")
        page.locator("#child_nik").press_sequentially(female_nik[:10], delay=20)
        page.wait_for_selector('#nik-check-child_nik [data-nik-check="invalid"]')  # too short yet
        page.locator("#child_nik").press_sequentially(female_nik[10:], delay=20)
        page.wait_for_selector('#nik-check-child_nik [data-nik-check="valid"]')
        assert "NIK sah" in page.locator("[data-nik-check]").inner_text()
        assert_accessible(page)

        page.fill("#child_name", "Sekar Ayu Lestari")
        page.fill("#mother_ref", "P-TIDAKADA")
        page.select_option("#place_kind", "home")
        page.fill("#place_region_code", "33.74")
        page.click("[data-record-submit]")
        page.wait_for_selector('[data-error="mother_ref"]')
        assert page.locator('[data-error="form"]').count() == 1
        assert page.locator("#child_name").input_value() == "Sekar Ayu Lestari"  # kept
        assert page.locator('[data-nik-check="valid"]').count() == 1  # shown again without a keystroke
        assert_accessible(page)

        page.fill("#mother_ref", _a_mother(with_passwords))
        page.click("[data-record-submit]")
        page.wait_for_selector("[data-saved]")
        assert "/kerja/people/" in page.url and page.locator('[data-kind="birth"]').count() == 1
        assert_accessible(page)
        assert not blocked, blocked


@pytest.mark.parametrize("username", ["social_worker", "registrar", "police", "admin"])
def test_every_record_form_is_accessible_blank_and_refused(live_workbench: str, username: str) -> None:
    with portal_pages() as open_page:
        page: Any = open_page()
        page.goto(f"{live_workbench}/masuk?lang=en")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.fill("#purpose", "accessibility of the forms")
        page.click("[data-purpose-form] button")
        links = page.locator("[data-record-link]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert links
        for link in links:
            page.goto(f"{live_workbench}{link}")
            assert page.locator("main h1").count() == 1
            assert_accessible(page)
            page.click("[data-record-submit]")  # blank: refused, each required field marked
            page.wait_for_selector('[data-error="form"]')
            assert page.locator("[aria-invalid=true]").count() >= 1
            assert_accessible(page)
