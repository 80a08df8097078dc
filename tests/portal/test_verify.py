"""The verify pages over HTTP, on both databases: `/v` pins the log's keys and works without JavaScript
through the upload, `POST /v` checks a PDF or photo on the server and stores nothing, `/c/{ref}` gives the
status alone; bad input gets a clear page and a 4xx, never a 500."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from jaga.certificates.payload import decode, encode_fragment
from tests.portal.conftest import PortalRegistry
from tests.portal.verify_support import SIXTEEN_DIGITS, Certificate, certificates, pinned, vkey

BASE = "http://testserver"


@pytest.fixture(scope="module")
def issued(portal_registry: PortalRegistry) -> dict[str, Certificate]:
    return certificates(portal_registry, BASE)


def _token(client: TestClient) -> str:
    match = re.search(r'name="token" value="([^"]+)"', client.get("/v").text)
    assert match
    return match.group(1)


def _upload(client: TestClient, data: bytes, *, name: str = "akta.pdf", lang: str = "") -> object:
    return client.post(
        f"/v{lang}", data={"token": _token(client)}, files={"file": (name, data, "application/octet-stream")}
    )


def _attr(html: str, name: str) -> str | None:
    match = re.search(rf'{name}="([^"]*)"', html)
    return match.group(1) if match else None


def _checks(html: str) -> dict[str, str]:
    return dict(re.findall(r'<li data-check="([^"]+)" data-ok="([^"]+)"', html))


def test_the_page_pins_the_logs_key_and_works_without_javascript_through_the_upload(
    portal_client: TestClient, portal_registry: PortalRegistry
) -> None:
    page = portal_client.get("/v")
    assert page.status_code == 200 and '<html lang="id">' in page.text
    data = pinned(page.text)
    assert data["log_keys"] == [vkey(portal_registry).read_text().strip()]
    assert data["witness_keys"] == [] and data["min_witnesses"] == 0
    assert data["words"]["verdicts"]["valid"][0] == "Sertifikat asli"
    # No executable inline script (the CSP forbids it): the data block is JSON, the code a file.
    scripts = re.findall(r"<script([^>]*)>", page.text)
    assert scripts and all('src="/static/verify.js' in s or 'type="application/json"' in s for s in scripts)
    # Without JavaScript: the page says so and offers the upload, with its form token.
    assert "<noscript>" in page.text and "memerlukan JavaScript" in page.text
    assert 'enctype="multipart/form-data"' in page.text and 'name="token"' in page.text
    assert page.headers["cache-control"] == "no-store" and "set-cookie" not in page.headers
    english = portal_client.get("/v?lang=en")
    assert pinned(english.text)["words"]["verdicts"]["valid"][0] == "Genuine certificate"
    assert 'action="/v?lang=en"' in english.text
    assert portal_client.get("/static/verify.js").status_code == 200


def test_junk_in_the_query_string_is_ignored_not_echoed(portal_client: TestClient) -> None:
    answer = portal_client.get("/v?lang=xx&p=%3Cscript%3Ealert(1)%3C/script%3E&p=&%%%")
    assert answer.status_code == 200 and "alert(1)" not in answer.text


def test_an_uploaded_pdf_is_verified_on_the_server_and_shows_what_the_paper_states(
    portal_client: TestClient, issued: dict[str, Certificate]
) -> None:
    valid = issued["valid"]
    answer = _upload(portal_client, valid.pdf, lang="?lang=en")
    assert answer.status_code == 200, answer.text
    html = answer.text
    assert _attr(html, "data-verdict") == "valid" and _attr(html, "data-online") == "current"
    assert _checks(html) == {
        "format": "true",
        "log signature": "true",
        "inclusion": "true",
        "witnesses": "none",
        "record": "true",
        "status": "true",
        "log consistency": "true",
    }
    assert "Genuine certificate" in html and valid.ref in html
    for fact in (valid.content["akta_number"], valid.content["born_on"], *valid.names()):
        assert fact in html, fact
    assert "jaga.test/ledger" in html and "testserver" in html  # the log's origin and the page's host
    assert not SIXTEEN_DIGITS.search(html)  # never a NIK in full


def test_a_photo_of_a_revoked_certificates_code_says_revoked(
    portal_client: TestClient, issued: dict[str, Certificate]
) -> None:
    answer = _upload(portal_client, issued["revoked"].photo(), name="foto.png")
    assert answer.status_code == 200
    assert _attr(answer.text, "data-verdict") == "revoked" and _attr(answer.text, "data-online") == "revoked"
    assert "Sertifikat dicabut" in answer.text
    assert _checks(answer.text)["log signature"] == "true"  # authentic: issued, then revoked


def test_an_altered_certificate_is_invalid_and_its_facts_are_not_shown(
    portal_client: TestClient, issued: dict[str, Certificate]
) -> None:
    valid = issued["valid"]
    proof = decode(valid.link)
    forged = proof.payload.replace(valid.names()[0].encode(), b"Nyonya Pembeli")
    assert forged != proof.payload
    from dataclasses import replace

    link = f"{BASE}/v#{encode_fragment(replace(proof, payload=forged))}"
    answer = _upload(portal_client, link.encode(), name="link.txt")
    assert answer.status_code == 200
    assert (
        _attr(answer.text, "data-verdict") == "invalid" and _attr(answer.text, "data-online") == "unavailable"
    )
    assert _checks(answer.text)["log signature"] == "false"
    assert "Nyonya Pembeli" not in answer.text and "status" not in _checks(answer.text)


def test_malformed_payloads_and_files_without_a_code_get_a_clear_page_and_a_422(
    portal_client: TestClient, issued: dict[str, Certificate]
) -> None:
    truncated = issued["valid"].link[:-40]
    answer = _upload(portal_client, truncated.encode(), name="link.txt")
    assert answer.status_code == 422
    assert _attr(answer.text, "data-verdict") == "invalid" and _checks(answer.text) == {"format": "false"}
    for data, words in (
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "bukan PDF, bukan gambar"),
        (b"%PDF-1.7 broken", "bukan PDF yang dapat dibaca"),
        (b"hello", "bukan PDF, bukan gambar"),
    ):
        refused = _upload(portal_client, data, name="putri-ayu.png")
        assert refused.status_code == 422, refused.text
        assert 'data-status="422"' in refused.text and words in refused.text
        assert "putri-ayu" not in refused.text  # the file's own name is never echoed
    from PIL import Image

    blank = __import__("io").BytesIO()
    Image.new("RGB", (300, 300), "white").save(blank, format="PNG")
    none = _upload(portal_client, blank.getvalue(), name="blank.png")
    assert none.status_code == 422 and "tidak ada kode QR sertifikat jaga" in none.text
    empty = _upload(portal_client, b"", name="empty.png")
    assert empty.status_code == 422 and "pilih foto" in empty.text


def test_a_huge_upload_is_refused_with_a_413_page(portal_client: TestClient) -> None:
    huge = b"\xff" * (11 * 1024 * 1024)
    answer = _upload(portal_client, huge, name="huge.jpg", lang="?lang=en")
    assert answer.status_code == 413
    assert 'data-status="413"' in answer.text and "larger than 10 MB" in answer.text
    # Announced far beyond the limit: refused before the body is read.
    declared = portal_client.post(
        "/v",
        content=b"x",
        headers={"content-type": "multipart/form-data; boundary=x", "content-length": "99999999"},
    )
    assert declared.status_code == 413


def test_the_upload_needs_its_form_token_once_and_a_multipart_form(
    portal_client: TestClient, issued: dict[str, Certificate]
) -> None:
    pdf = ("akta.pdf", issued["valid"].pdf, "application/pdf")
    missing = portal_client.post("/v", files={"file": pdf})
    assert missing.status_code == 422 and "token keamanan" in missing.text
    token = _token(portal_client)
    assert portal_client.post("/v", data={"token": token}, files={"file": pdf}).status_code == 200
    again = portal_client.post("/v", data={"token": token}, files={"file": pdf})
    assert again.status_code == 422 and "sudah pernah dikirim" in again.text
    plain = portal_client.post("/v", data={"token": _token(portal_client), "file": "x"})
    assert plain.status_code == 422 and "multipart/form-data" in plain.text


def test_the_short_address_gives_the_status_alone(
    portal_client: TestClient, issued: dict[str, Certificate]
) -> None:
    valid, revoked = issued["valid"], issued["revoked"]
    current = portal_client.get(f"/c/{valid.ref}")
    assert current.status_code == 200 and _attr(current.text, "data-online") == "current"
    gone = portal_client.get(f"/c/{revoked.ref}?lang=en")
    assert _attr(gone.text, "data-online") == "revoked" and "Revoked on" in gone.text
    for page in (current.text, gone.text):
        assert not any(name in page for name in (*valid.names(), *revoked.names()))  # no personal data
        assert valid.content["akta_number"] not in page
    unknown = portal_client.get("/c/C-NOTHING1", headers={"Accept": "text/html"})
    assert unknown.status_code == 404 and 'data-status="404"' in unknown.text
    junk = portal_client.get("/c/%3Cscript%3E", headers={"Accept": "text/html"})
    assert junk.status_code == 422 and "<script>" not in junk.text


@pytest.fixture
def every_log_record(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.DEBUG):
        yield caplog


def test_no_payload_or_name_reaches_the_servers_log(
    portal_client: TestClient, issued: dict[str, Certificate], every_log_record: pytest.LogCaptureFixture
) -> None:
    valid = issued["valid"]
    assert _upload(portal_client, valid.pdf).status_code == 200
    assert _upload(portal_client, valid.link.encode(), name="link.txt").status_code == 200
    assert _upload(portal_client, valid.link[:-40].encode(), name="link.txt").status_code == 422
    logged = every_log_record.text
    assert "POST /v 200" in logged  # the access log ran, and names the route only
    for secret in (valid.fragment[:40], valid.fragment[-40:], *valid.names(), valid.content["akta_number"]):
        assert secret not in logged


def test_every_word_verify_js_shows_is_in_indonesian_with_its_placeholders(portal_client: TestClient) -> None:
    indonesian = pinned(portal_client.get("/v").text)["words"]
    english = pinned(portal_client.get("/v?lang=en").text)["words"]
    pairs = [
        *(
            (english[part][key], indonesian[part][key])
            for part in ("checks", "messages", "online", "facts")
            for key in english[part]
        ),
        *(
            (english["verdicts"][key][i], indonesian["verdicts"][key][i])
            for key in english["verdicts"]
            for i in (0, 1)
        ),
    ]
    assert len(pairs) > 40
    untranslated = [en for en, id_ in pairs if en == id_]
    assert not untranslated, untranslated
    for en, id_ in pairs:
        assert sorted(re.findall(r"\{\w+\}", en)) == sorted(re.findall(r"\{\w+\}", id_)), (en, id_)
