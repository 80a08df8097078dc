"""`/tanya-dulu`: the families' guide, Indonesian first and English on request; and the licence check's and
the guide's messages all translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jaga.portal.i18n import messages
from jaga.portal.lembaga import FIELD_PROBLEMS
from tests.portal.browser import PAGE_BUDGET, assert_accessible, portal_pages, transferred_bytes
from tests.portal.conftest import LivePortal

TEMPLATES = Path(__file__).parents[2] / "src" / "jaga" / "portal" / "templates"
SECTIONS = ["summary", "legal-path", "no-payment", "red-flags", "questions", "mothers", "report", "laws"]
STEPS = ["application", "home-visit", "pipa", "temporary-care", "six-months", "court", "registration"]
# The warning signs the issue names, by their hooks: "free delivery" offers, requests for money, no
# court ruling, "we will handle the papers".
ISSUE_FLAGS = ["free-delivery", "money", "no-court", "papers"]


def _hooks(html: str, name: str) -> list[str]:
    return re.findall(rf'data-{name}="([^"]+)"', html)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_guide_has_every_section_step_and_warning_sign(portal_client: TestClient, lang: str) -> None:
    page = portal_client.get("/tanya-dulu", params={"lang": lang})
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    assert f'data-guide="{lang}"' in page.text
    assert _hooks(page.text, "section") == SECTIONS
    assert _hooks(page.text, "step") == STEPS
    assert set(ISSUE_FLAGS) <= set(_hooks(page.text, "flag"))
    assert "<script" not in page.text


def test_the_guide_is_indonesian_by_default_and_english_on_request(portal_client: TestClient) -> None:
    indonesian = portal_client.get("/tanya-dulu").text
    english = portal_client.get("/tanya-dulu?lang=en").text
    assert "Tanya dulu: adopsi yang sah dan tanda bahaya" in indonesian
    assert "Tidak seorang pun boleh membayar atau dibayar untuk seorang anak." in indonesian
    assert "Ask first: legal adoption and the warning signs" in english
    assert "Nobody may pay or be paid for a child." in english
    assert "Tidak seorang pun boleh membayar" not in english
    # the chrome follows the language too, and every link keeps it
    assert "Cek lembaga" in indonesian and "Check an agency" in english
    assert 'href="/lembaga?lang=en"' in english and 'href="/lapor?lang=en"' in english
    assert 'href="/lembaga"' in indonesian and 'href="/lapor"' in indonesian


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_guide_cites_the_laws_by_number_and_marks_what_is_unconfirmed(
    portal_client: TestClient, lang: str
) -> None:
    page = portal_client.get("/tanya-dulu", params={"lang": lang}).text
    for law in ("PP 54/2007", "110/HUK/2009", "23/2002", "35/2014", "76F", "SEMA 6/1983"):
        assert law in page, law
    marker = "perlu dipastikan" if lang == "id" else "to be confirmed"
    # DOMAIN.md marks the 30-day registration rule (UU 23/2006 art 47) "(verify)": so does the guide
    assert page.count('class="uncertain"') == 2 and marker in page


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_guide_gives_no_phone_number(portal_client: TestClient, lang: str) -> None:
    page = portal_client.get("/tanya-dulu", params={"lang": lang}).text
    assert not re.search(r"\b(?:\+?62|0)[\d\s-]{6,}\d\b", page)
    assert "tel:" not in page


def test_every_message_of_the_licence_check_is_translated() -> None:
    catalog = messages("id")
    ids: list[str] = list(FIELD_PROBLEMS.values())
    for name in ("lembaga.html", "lembaga_detail.html", "lembaga_macros.html"):
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        ids += re.findall(r'_\(\s*"((?:[^"\\]|\\.)*)"', text) + re.findall(r"_\(\s*'((?:[^'\\]|\\.)*)'", text)
    assert len(ids) > 60
    missing = [message for message in ids if not catalog.get(message)]
    assert not missing, f"not in any Indonesian catalog: {missing}"


@pytest.mark.slow
def test_the_guide_is_accessible_and_light_on_a_phone_and_a_desktop(live_portal: LivePortal) -> None:
    with portal_pages() as open_page:
        for lang in ("id", "en"):
            url = f"{live_portal.url}/tanya-dulu?lang={lang}"
            for phone in (True, False):
                page = open_page(phone=phone)
                page.goto(url)
                assert page.locator("[data-section]").count() == len(SECTIONS)
                page.locator("details summary").first.click()  # folded parts open without JavaScript
                assert page.locator("details").first.get_attribute("open") is not None
                assert_accessible(page)
            assert transferred_bytes(open_page, url) < PAGE_BUDGET
        page = open_page(phone=True)
        page.goto(f"{live_portal.url}/tanya-dulu")
        page.click("a[href='#tanda-bahaya']")
        assert page.locator("#tanda-bahaya").is_visible()
        page.locator("#pertanyaan a[href='/lembaga']").click()
        page.wait_for_url("**/lembaga")
        assert page.locator("[data-licence-search]").count() == 1
