"""The verify page in Debian's Chromium, on a phone and a desktop: a certificate's link verified in the
browser, with the status service reachable and blocked; an altered certificate; a revoked one; the page
without JavaScript; axe-core on each. Nothing of the payload reaches the server: not in any request the
browser makes, not in the server's log."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from PIL import Image

from jaga.certificates.payload import CertificateProof, decode, encode_fragment
from jaga.ledger import Checkpoint, EventEntry, commitment, leaf_hash
from jaga.sequencer import load_keys
from tests.portal.browser import PAGE_BUDGET, assert_accessible, portal_pages, transferred_bytes
from tests.portal.conftest import LivePortal
from tests.portal.verify_support import SIXTEEN_DIGITS, Certificate, certificates

pytestmark = pytest.mark.slow

DONE = '[data-verdict]:not([data-verdict="checking"])'


@pytest.fixture(scope="module")
def issued(live_portal: LivePortal) -> dict[str, Certificate]:
    return certificates(live_portal.registry, live_portal.url)


def _verdict(page: Any) -> tuple[str, str | None]:
    page.wait_for_selector(DONE, timeout=20000)
    verdict = page.get_attribute("[data-verdict]", "data-verdict")
    return verdict, page.get_attribute("#online", "data-online")


def _checks(page: Any) -> dict[str, str]:
    items = page.locator("#checks li")
    return {
        items.nth(i).get_attribute("data-check"): items.nth(i).get_attribute("data-ok")
        for i in range(items.count())
    }


def _block_status(page: Any) -> list[str]:
    """Block the status service and the log (as a dead network would); the blocked URLs."""
    blocked: list[str] = []

    def refuse(route: Any) -> None:
        blocked.append(route.request.url)
        route.abort()

    page.route(re.compile(r".*/(verify/v1|ledger)/.*"), refuse)
    return blocked


def test_a_genuine_certificate_verifies_in_the_browser_on_a_phone_and_a_desktop(
    live_portal: LivePortal, issued: dict[str, Certificate]
) -> None:
    valid = issued["valid"]
    with portal_pages() as open_page:
        for phone, lang in ((True, ""), (False, "?lang=en")):
            page = open_page(phone=phone)
            requests: list[str] = []
            page.on("request", lambda request, seen=requests: seen.append(request.url))
            page.goto(f"{live_portal.url}/v{lang}#{valid.fragment}")
            assert _verdict(page) == ("valid", "current")
            assert _checks(page) == {
                "format": "true",
                "log signature": "true",
                "inclusion": "true",
                "witnesses": "none",
                "record": "true",
                "status": "true",
                "log consistency": "true",
            }
            facts = page.inner_text("#facts")
            for fact in (valid.ref, valid.content["akta_number"], valid.content["born_on"], *valid.names()):
                assert fact in facts, fact
            assert not SIXTEEN_DIGITS.search(page.inner_text("main"))
            assert page.inner_text("#page-host") == live_portal.url.removeprefix("http://")
            assert page.inner_text("#origin") == "jaga.test/ledger"
            assert "#" not in page.url  # the payload is out of the address bar and the history
            assert_accessible(page)
            # The status was asked by the certificate's number alone; the payload went nowhere.
            assert any(url.endswith(f"/verify/v1/certificates/{valid.ref}") for url in requests)
            assert not any(valid.fragment[:30] in url or "JG1U" in url for url in requests)
        english = page.inner_text("#verdict")
        assert "Genuine certificate" in english
        assert transferred_bytes(open_page, f"{live_portal.url}/v#{valid.fragment}") < PAGE_BUDGET


def test_with_the_status_service_blocked_the_offline_verdict_stands_and_says_so(
    live_portal: LivePortal, issued: dict[str, Certificate]
) -> None:
    with portal_pages() as open_page:
        page = open_page(phone=True)
        blocked = _block_status(page)
        page.goto(f"{live_portal.url}/v?lang=en#{issued['valid'].fragment}")
        assert _verdict(page) == ("valid", "unavailable")
        assert blocked, "the page did not try the status service"
        assert "could not be checked" in page.inner_text("#online")
        checks = _checks(page)
        assert checks["log signature"] == "true" and checks["status"] == "none"
        assert_accessible(page)


def test_once_visited_the_page_verifies_with_no_network_at_all(
    live_portal: LivePortal, issued: dict[str, Certificate]
) -> None:
    """A phone that opened /v once (its service worker keeps the page and its files) checks a certificate
    in airplane mode: the page itself comes from the phone, and the offline verdict stands."""
    with portal_pages() as open_page:
        page = open_page(phone=True)
        page.goto(f"{live_portal.url}/v")
        ready = page.evaluate(
            "Promise.race([navigator.serviceWorker.ready.then((r) => !!r.active),"
            " new Promise((resolve) => setTimeout(() => resolve(false), 15000))])"
        )
        assert ready, "the verify page registered no service worker"
        page.context.set_offline(True)
        page.goto(f"{live_portal.url}/v#{issued['valid'].fragment}")
        assert _verdict(page) == ("valid", "unavailable")
        assert (
            "could not be checked" in page.inner_text("#online")
            or page.get_attribute("#online", "data-online") == "unavailable"
        )
        assert_accessible(page)
        page.context.set_offline(False)


def test_an_altered_certificate_is_invalid_in_the_browser_and_nothing_is_asked_online(
    live_portal: LivePortal, issued: dict[str, Certificate]
) -> None:
    valid = issued["valid"]
    proof = decode(valid.link)
    forged = replace(proof, payload=proof.payload.replace(valid.names()[0].encode(), b"Nyonya Pembeli"))
    with portal_pages() as open_page:
        page = open_page(phone=True)
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(f"{live_portal.url}/v#{encode_fragment(forged)}")
        assert _verdict(page) == ("invalid", "unavailable")
        assert _checks(page)["log signature"] == "false"
        assert page.is_hidden("#facts-section") and "Nyonya Pembeli" not in page.inner_text("body")
        assert not any("/verify/v1/" in url for url in asked)
        assert "Bukan sertifikat asli" in page.inner_text("#verdict")
        assert_accessible(page)
        damaged = open_page(phone=False)
        damaged.goto(f"{live_portal.url}/v#{valid.fragment[:-50]}")
        assert _verdict(damaged) == ("invalid", "unavailable")
        assert _checks(damaged) == {"format": "false"}
        assert_accessible(damaged)


def test_a_revoked_certificate_says_revoked(live_portal: LivePortal, issued: dict[str, Certificate]) -> None:
    with portal_pages() as open_page:
        page = open_page(phone=True)
        page.goto(f"{live_portal.url}/v?lang=en#{issued['revoked'].fragment}")
        assert _verdict(page) == ("revoked", "revoked")
        assert "Certificate revoked" in page.inner_text("#verdict")
        assert _checks(page)["log signature"] == "true" and _checks(page)["status"] == "false"
        assert_accessible(page)
        status = open_page(phone=True)
        status.goto(f"{live_portal.url}/c/{issued['revoked'].ref}")
        assert status.get_attribute("[data-online]", "data-online") == "revoked"
        assert_accessible(status)


def test_without_javascript_the_page_offers_the_upload_and_the_server_checks_the_pdf(
    live_portal: LivePortal, issued: dict[str, Certificate], tmp_path: Any
) -> None:
    pdf = tmp_path / "akta.pdf"
    pdf.write_bytes(issued["valid"].pdf)
    with portal_pages() as open_page:
        page = open_page(phone=True, java_script_enabled=False)
        page.goto(f"{live_portal.url}/v")
        assert "memerlukan JavaScript" in page.inner_text("main")
        page.set_input_files("#file", str(pdf))
        page.click("button[type=submit]")
        assert page.get_attribute("[data-verdict]", "data-verdict") == "valid"
        assert page.get_attribute("#online", "data-online") == "current"
        assert issued["valid"].names()[0] in page.inner_text("#facts")
        # axe-core is a script itself: the same pages, with scripts on (the fragment is empty, so
        # verify.js leaves the server's rendering as it is).
        for phone in (True, False):
            same = open_page(phone=phone)
            same.goto(f"{live_portal.url}/v")
            assert same.is_visible("#file") and same.is_hidden("#result")
            assert_accessible(same)
            same.set_input_files("#file", str(pdf))
            same.click("button[type=submit]")
            assert same.get_attribute("[data-verdict]", "data-verdict") == "valid"
            assert_accessible(same)
        # A file without a code: a clear page and a 422, accessible too.
        blank = tmp_path / "kosong.png"
        Image.new("RGB", (300, 300), "white").save(blank)
        refused = open_page(phone=True)
        refused.goto(f"{live_portal.url}/v")
        refused.set_input_files("#file", str(blank))
        with refused.expect_response(lambda response: response.request.method == "POST") as answer:
            refused.click("button[type=submit]")
        assert answer.value.status == 422
        assert "tidak ada kode QR sertifikat jaga" in refused.inner_text("main")
        assert_accessible(refused)


@pytest.fixture
def server_log() -> Iterator[list[str]]:
    """Every record the live server logs meanwhile, at every level (uvicorn's access log included)."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep(level=logging.DEBUG)
    loggers = [logging.getLogger(name) for name in ("", "jaga", "uvicorn", "uvicorn.access", "uvicorn.error")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        yield lines
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


def test_no_payload_reaches_the_servers_log(
    live_portal: LivePortal, issued: dict[str, Certificate], server_log: list[str], tmp_path: Any
) -> None:
    valid = issued["valid"]
    photo = tmp_path / "foto.png"
    photo.write_bytes(valid.photo())
    with portal_pages() as open_page:
        page = open_page(phone=True)
        page.goto(f"{live_portal.url}/v#{valid.fragment}")
        assert _verdict(page) == ("valid", "current")
        page.set_input_files("#file", str(photo))
        page.click("button[type=submit]")
        assert page.get_attribute("[data-verdict]", "data-verdict") == "valid"
    logged = "\n".join(server_log)
    assert "GET /v" in logged and "POST /v" in logged  # the server did log these requests
    for secret in (valid.fragment[:40], valid.fragment[-40:], "JG1U", *valid.names()):
        assert secret not in logged, secret


def test_a_nik_on_a_certificate_is_never_shown_in_full(
    live_portal: LivePortal, issued: dict[str, Certificate]
) -> None:
    """Certificates state no NIK today; should one ever carry one, the page masks it. The certificate is
    made here and signed with the test log's own key, so that it verifies offline."""
    proof = decode(issued["valid"].link)
    record = json.loads(proof.payload)
    content = json.loads(record["content"])
    content["mother_name"] = "Siti Aminah (NIK 3374015506900002)"
    record["content"] = json.dumps(content, sort_keys=True, separators=(",", ":"))
    payload = json.dumps(record, sort_keys=True, separators=(",", ":")).encode()
    salt = bytes(16)
    entry = EventEntry(1, "certificate.issued", commitment(salt, payload), proof.meta)
    log = load_keys(live_portal.registry.keys).signer
    text = Checkpoint(proof.origin, 1, leaf_hash(entry.encode())).text()
    made = CertificateProof(
        proof.origin, 1, 0, salt, proof.meta, (), ((log.key_id, log.sign(text)),), payload
    )
    with portal_pages() as open_page:
        page = open_page(phone=True)
        _block_status(page)
        page.goto(f"{live_portal.url}/v#{encode_fragment(made)}")
        assert _verdict(page) == ("valid", "unavailable")
        facts = page.inner_text("#facts")
        assert "Siti Aminah (NIK 337401********02)" in facts
        assert "3374015506900002" not in page.inner_text("body")
