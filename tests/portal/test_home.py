"""The landing page and what every portal page shares: language, headers, errors as pages, assets."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.portal.browser import PAGE_BUDGET, assert_accessible, portal_pages, transferred_bytes
from tests.portal.conftest import LivePortal


def test_the_landing_page_is_indonesian_by_default_and_english_on_request(portal_client: TestClient) -> None:
    indonesian = portal_client.get("/")
    assert indonesian.status_code == 200
    assert '<html lang="id">' in indonesian.text
    assert "Cek sertifikat" in indonesian.text and "Laporkan bayi yang dijual" in indonesian.text
    english = portal_client.get("/?lang=en")
    assert '<html lang="en">' in english.text
    assert "Check a certificate" in english.text and "Cek sertifikat" not in english.text
    # every link keeps the chosen language
    assert 'href="/lembaga?lang=en"' in english.text and 'href="/lapor?lang=en"' in english.text
    assert 'href="/tanya-dulu?lang=en"' in english.text
    assert 'href="/lembaga"' in indonesian.text


def test_an_unknown_language_falls_back_to_indonesian(portal_client: TestClient) -> None:
    answer = portal_client.get("/?lang=xx%3Cscript%3E")
    assert answer.status_code == 200 and '<html lang="id">' in answer.text
    assert "<script>" not in answer.text


def test_pages_carry_the_headers_of_a_public_government_page(portal_client: TestClient) -> None:
    headers = portal_client.get("/").headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in headers


def test_an_unknown_page_is_a_404_page_in_the_pages_language(portal_client: TestClient) -> None:
    answer = portal_client.get("/tidak-ada?lang=en", headers={"Accept": "text/html"})
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert 'data-status="404"' in answer.text and '<html lang="en">' in answer.text
    api = portal_client.get("/api/v1/tidak-ada", headers={"Accept": "text/html"})
    assert api.headers["content-type"] == "application/problem+json"


def test_assets_are_served_by_jaga_itself(portal_client: TestClient) -> None:
    page = portal_client.get("/").text
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    css = portal_client.get("/static/portal.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]


@pytest.mark.slow
def test_the_landing_page_in_a_phone_browser_is_accessible_and_light(live_portal: LivePortal) -> None:
    with portal_pages() as open_page:
        for lang in ("", "?lang=en"):
            for phone in (True, False):
                page = open_page(phone=phone)
                page.goto(f"{live_portal.url}/{lang}")
                assert page.locator("[data-services] li").count() == 3
                assert_accessible(page)
        assert transferred_bytes(open_page, f"{live_portal.url}/") < PAGE_BUDGET
        missing = open_page(phone=True)
        response = missing.goto(f"{live_portal.url}/tidak-ada")
        assert response is not None and response.status == 404
        assert_accessible(missing)
