"""The face pages in Chromium on a registry filled by `jaga synth` (after the whole pipeline), with real
photos of one man on a missing-child report and on another child's record: the review queue by report,
a candidate with both photos (served through the audited route), a confirmation with its reason, and an
upload that shows two faces for the officer to pick from. In Indonesian and English, on a phone and a
desktop; axe-core finds no serious or critical violation on any of them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from jaga.access import AuditEntry
from jaga.app import create_app
from jaga.db import create_engine_for
from jaga.faces import FaceCandidate
from jaga.settings import Settings
from tests.browser import served
from tests.conftest import fast_token_hasher
from tests.faces.conftest import photograph_registry
from tests.portal.browser import assert_accessible, portal_pages
from tests.synthetic_registry import PIPELINE_ORIGIN
from tests.workbench.conftest import (  # noqa: F401 (fixtures)
    PASSWORD,
    WorkbenchRegistry,
    with_passwords,
    workbench_folder,
)

pytestmark = pytest.mark.slow
PURPOSE = "LP/B/77/IX/2026 Unit PPA"


@pytest.fixture(scope="module")
def faces_site(
    with_passwords: WorkbenchRegistry,  # noqa: F811
    face_images: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    if with_passwords.dialect != "sqlite":
        pytest.skip("the browser tests run once, on SQLite")
    data_dir = tmp_path_factory.mktemp("faces-browser-data")
    candidates = photograph_registry(
        with_passwords.url, data_dir, with_passwords.tokens, face_images, reason=PURPOSE
    )
    assert candidates, "the two photos of one man must come back as a candidate"
    settings = Settings(
        database_url=with_passwords.url,
        environment="test",
        data_dir=data_dir,  # its keys/ holds the photo store's key, as for `jaga photos add` above
        ledger_origin=PIPELINE_ORIGIN,
    )
    app = create_app(settings, token_hasher=fast_token_hasher())
    with served(app) as (url, _server):
        yield url, with_passwords.url, candidates


def _log_in(page: Any, base: str, username: str, target: str) -> None:
    page.goto(f"{base}{target}")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-officer]")
    if page.locator("[data-purpose-form]").count():
        page.fill("#purpose", PURPOSE)
        page.click("[data-purpose-form] button")
        page.wait_for_selector("[data-purpose-text]")


def _images_loaded(page: Any) -> list[bool]:
    page.wait_for_load_state("load")
    return list(
        page.eval_on_selector_all(
            "img[data-face-photo]", "images => images.map(i => i.complete && i.naturalWidth > 0)"
        )
    )


def test_an_officer_reviews_and_confirms_a_face_candidate_on_a_phone(
    faces_site: tuple[str, str, list[dict[str, Any]]],
) -> None:
    base, url, candidates = faces_site
    first = candidates[0]
    with portal_pages() as open_page:
        page = open_page(phone=True)
        _log_in(page, base, "police", "/kerja/faces")
        assert page.url.startswith(f"{base}/kerja/faces")
        row = page.locator(f'[data-face-candidate="{first["candidate_id"]}"]')
        assert row.count() == 1
        assert row.get_attribute("data-face-distance") == f"{first['distance']:.4f}"
        assert row.get_attribute("data-face-rank") == str(first["rank_for_report"])
        assert "dilatih dengan wajah orang dewasa" in page.locator("[data-face-warning]").inner_text()
        assert page.locator("[data-face-settings]").count() == 1
        assert_accessible(page)

        row.locator("a").click()
        page.wait_for_selector("[data-face-decision-form]")
        assert _images_loaded(page) == [True, True]  # both photos, through the audited route
        facts = page.locator("[data-face-facts]").inner_text()
        assert "bukan kecocokan" in facts and "cocok" not in facts.replace("kecocokan", "")
        assert_accessible(page)

        page.goto(page.url + "?lang=en")
        assert "trained on adults" in page.locator("[data-face-warning]").inner_text()
        assert "match" not in page.locator("[data-face-facts]").inner_text().replace("not a match", "")
        assert_accessible(page)

        page.click("[data-face-confirm]")  # no reason yet: the browser keeps the form
        assert page.locator('[data-face-status="pending"]').count() == 1
        page.fill("#reason", "same scar above the left eye; dates and places agree")
        page.click("[data-face-confirm]")
        page.wait_for_selector('[data-face-status="confirmed"]')
        assert page.locator('[data-face-review="confirmed"]').count() == 1
        assert_accessible(page)

    engine = create_engine_for(url)
    with engine.connect() as connection:
        status = connection.execute(
            select(FaceCandidate.status).where(FaceCandidate.id == first["candidate_id"])
        ).scalar_one()
        views = connection.execute(
            select(AuditEntry.reason).where(AuditEntry.channel == "workbench GET /kerja/faces/photos/{ref}")
        ).all()
    engine.dispose()
    assert status == "confirmed"
    assert len(views) >= 2 and {v.reason for v in views} == {PURPOSE}


def test_an_upload_with_two_faces_lets_the_officer_pick_one(
    faces_site: tuple[str, str, list[dict[str, Any]]], two_faces: Path
) -> None:
    base, _url, candidates = faces_site
    report_ref = candidates[0]["report_ref"]
    with portal_pages() as open_page:
        page = open_page()
        _log_in(page, base, "police", "/kerja/faces/upload")
        page.goto(f"{base}/kerja/faces/upload?lang=en")
        assert_accessible(page)
        page.select_option("#kind", "missing_report")
        page.fill("#ref", report_ref)
        page.select_option("#basis", "consent")
        page.fill("#consent_by", "mother")
        page.fill("#taken_by", "Unit PPA")
        page.fill("#taken_on", (date.today() - timedelta(days=10)).isoformat())
        page.fill("#reason", PURPOSE)
        page.set_input_files("#file", str(two_faces))
        page.click("[data-face-upload]")
        page.wait_for_selector('[data-error="several-faces"]')
        assert page.locator("[data-face-thumb]").count() == 2
        assert page.locator("#ref").input_value() == report_ref  # what was typed is kept
        assert_accessible(page)
        page.check("#face-1")
        page.set_input_files("#file", str(two_faces))
        page.click("[data-face-upload]")
        page.wait_for_selector("[data-face-uploaded]")
        assert page.locator("[data-error]").count() == 0
        assert_accessible(page)
