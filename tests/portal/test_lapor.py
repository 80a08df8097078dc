"""`/lapor` and `/lapor/status` on a registry filled by `jaga synth`, on both databases: the tip flow with
its receipt, status and follow-up; no cookie, no-store, no referrer; bad input and huge uploads answered
with a clear page and a 4xx, the input kept; nothing a tipster sends reaches any log record. Then the
officers' API on the same registry, and the flow in Chromium on a phone and a desktop, axe-clean."""

from __future__ import annotations

import io
import logging
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from jaga.portal.forms import RateLimiter
from jaga.portal.lapor import SUBMITS_PER_MINUTE
from tests.conftest import PreparedDatabase
from tests.portal.browser import PAGE_BUDGET, assert_accessible, portal_pages, transferred_bytes
from tests.portal.conftest import LivePortal, PortalRegistry

DESCRIPTION = "Bayi laki-laki umur seminggu dijual 15 juta oleh akun Yay. Kasih Bunda, COD di Semarang"
PHONE = "0812-9876-5432"
URL = "https://facebook.com/groups/adopsi.bayi.murah/posts/771"
TIP = {
    "platform": "facebook",
    "url": URL,
    "handle": "@kasihbunda.adopsi",
    "phone": PHONE,
    "province": "33",
    "place": "Kota Semarang",
    "price_rupiah": "Rp 15.000.000",
    "description": DESCRIPTION,
}


@pytest.fixture(autouse=True)
def fresh_rate_limit(request: pytest.FixtureRequest) -> None:
    """Each test starts with the in-memory rate limit empty, as after a minute's pause."""
    if "portal_client" in request.fixturenames:
        client: TestClient = request.getfixturevalue("portal_client")
        client.app.state.portal_limiter = RateLimiter()  # type: ignore[attr-defined]
    if "live_portal" in request.fixturenames:
        live: LivePortal = request.getfixturevalue("live_portal")
        live.server.config.app.state.portal_limiter = RateLimiter()


def _token(html: str, form: str = "") -> str:
    start = html.index(form) if form else 0
    found = re.search(r'name="token" value="([^"]+)"', html[start:])
    assert found, "the page has no form token"
    return found.group(1)


def _receipt(html: str) -> str:
    found = re.search(r"data-receipt[^>]*>([A-Z0-9-]+)<", html)
    assert found, "no receipt on the page"
    return found.group(1)


def _status(html: str) -> str:
    found = re.search(r'data-tip-status="(\w+)"', html)
    assert found, "no status on the page"
    return found.group(1)


def _png() -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", (40, 80), (10, 120, 200)).save(out, format="PNG", exif=exif)
    return out.getvalue()


def submit(client: TestClient, values: dict[str, str], files: Any = None, lang: str = "") -> Any:
    form = client.get(f"/lapor{lang}")
    return client.post(f"/lapor{lang}", data={**values, "token": _token(form.text)}, files=files)


def open_status(client: TestClient, receipt: str) -> Any:
    page = client.get("/lapor/status")
    return client.post("/lapor/status", data={"token": _token(page.text), "receipt": receipt})


def test_a_tip_gets_a_receipt_that_opens_its_status_and_takes_more_information(
    portal_client: TestClient,
) -> None:
    sent = submit(portal_client, TIP, files={"screenshot": ("bukan-gambar.txt", _png(), "text/plain")})
    assert sent.status_code == 201, sent.text
    receipt = _receipt(sent.text)
    assert re.fullmatch(r"([A-HJ-NP-Z2-9]{4}-){4}[A-HJ-NP-Z2-9]{4}", receipt)
    assert "Catat kode tanda terima ini sekarang" in sent.text  # the prompt to write it down
    assert sent.headers["cache-control"] == "no-store" and sent.headers["referrer-policy"] == "no-referrer"
    assert "set-cookie" not in sent.headers and not portal_client.cookies

    status = open_status(portal_client, receipt.lower())
    assert status.status_code == 200 and _status(status.text) == "received"
    add_token = _token(status.text, "data-add-form")
    added = portal_client.post(
        "/lapor/status/tambah",
        data={"token": add_token, "receipt": receipt, "body": "Penjual juga memakai nomor lain"},
    )
    assert added.status_code == 201 and "data-added" in added.text
    assert "Penjual juga memakai nomor lain" in added.text
    again = open_status(portal_client, receipt)
    assert again.status_code == 200 and "Penjual juga memakai nomor lain" in again.text
    for page in (status, added, again):
        assert "set-cookie" not in page.headers and page.headers["cache-control"] == "no-store"


def test_a_wrong_receipt_gets_the_same_clear_404_whatever_it_is(portal_client: TestClient) -> None:
    answers = []
    for attempt in ("KH7M-Q2WX-9DPA-TN4C-RE6B", "nonsense", "", "x" * 500):
        answer = open_status(portal_client, attempt)
        assert answer.status_code == 404 and "data-form-problem" in answer.text
        answers.append(re.search(r"data-form-problem>([^<]+)<", answer.text).group(1))  # type: ignore[union-attr]
    assert len(set(answers)) == 1 and "tidak dikenali" in answers[0]


def test_bad_input_is_shown_on_the_form_in_the_pages_language_and_nothing_is_lost(
    portal_client: TestClient,
) -> None:
    bad = {
        **TIP,
        "platform": "myspace",
        "phone": "call me",
        "price_rupiah": "murah sekali",
        "url": "javascript:x",
    }
    answer = submit(portal_client, bad, lang="?lang=en")
    assert answer.status_code == 422 and '<html lang="en">' in answer.text
    errors = dict(re.findall(r'field-error" id="(\w+)-error">([^<]+)<', answer.text))
    assert set(errors) == {"platform", "phone", "price_rupiah", "url"}
    assert errors["phone"].startswith("Enter a phone number")
    assert "Kota Semarang" in answer.text and "Yay. Kasih Bunda" in answer.text  # the input is kept
    assert 'value="murah sekali"' in answer.text and 'option value="33" selected' in answer.text
    indonesian = submit(portal_client, {"platform": "facebook"})
    assert indonesian.status_code == 422
    assert "Isi paling sedikit salah satu" in indonesian.text


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"\x00\xff" * 100, {"content-type": "multipart/form-data; boundary=zz"}),
        (b"platform=facebook&description=x", {"content-type": "application/json"}),
        (b"%%%", {"content-type": "application/x-www-form-urlencoded"}),
    ],
)
def test_junk_gets_a_clear_page_and_a_4xx(
    portal_client: TestClient, body: bytes, headers: dict[str, str]
) -> None:
    for path in ("/lapor", "/lapor/status", "/lapor/status/tambah"):
        answer = portal_client.post(path, content=body, headers=headers)
        assert 400 <= answer.status_code < 500, (path, answer.status_code)
        assert answer.headers["content-type"].startswith("text/html")
        assert "Traceback" not in answer.text


def test_a_missing_or_reused_form_token_keeps_the_tip_in_the_form(portal_client: TestClient) -> None:
    answer = portal_client.post("/lapor", data=TIP)
    assert answer.status_code == 422 and "token keamanan" in answer.text and "Yay. Kasih Bunda" in answer.text
    token = _token(portal_client.get("/lapor").text)
    assert portal_client.post("/lapor", data={**TIP, "token": token}).status_code == 201
    reused = portal_client.post("/lapor", data={**TIP, "token": token})
    assert reused.status_code == 422 and "sudah pernah dikirim" in reused.text


def test_submissions_are_rate_limited_per_client(portal_client: TestClient) -> None:
    answers = [portal_client.post("/lapor", data=TIP).status_code for _ in range(SUBMITS_PER_MINUTE + 1)]
    assert answers[:SUBMITS_PER_MINUTE] == [422] * SUBMITS_PER_MINUTE  # no token, but counted
    assert answers[-1] == 429


def test_a_huge_upload_gets_a_413_page_and_a_non_image_keeps_the_tip(portal_client: TestClient) -> None:
    huge = submit(
        portal_client, TIP, files={"screenshot": ("a.png", b"\x89PNG" + bytes(6 * 1024 * 1024), "image/png")}
    )
    assert huge.status_code == 413 and huge.headers["content-type"].startswith("text/html")
    assert 'data-status="413"' in huge.text and "5 MB" in huge.text
    just_over = submit(
        portal_client, TIP, files={"screenshot": ("a.png", bytes(5 * 1024 * 1024 + 10), "image/png")}
    )
    assert just_over.status_code == 413 and "Yay. Kasih Bunda" in just_over.text  # kept in the form
    not_image = submit(
        portal_client, TIP, files={"screenshot": ("a.png", b"%PDF-1.4 not an image", "image/png")}
    )
    assert not_image.status_code == 422 and "bukan gambar PNG" in not_image.text
    assert "Yay. Kasih Bunda" in not_image.text


def _text_args(args: object) -> list[object]:
    values = args.values() if isinstance(args, dict) else args if isinstance(args, tuple) else [args]
    return [value for value in values if not isinstance(value, (int, float))]


def test_no_tip_content_reaches_any_log_record(
    portal_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sent = submit(portal_client, TIP, files={"screenshot": ("s.png", _png(), "image/png")})
    receipt = _receipt(sent.text)
    status = open_status(portal_client, receipt)
    portal_client.post(
        "/lapor/status/tambah",
        data={
            "token": _token(status.text, "data-add-form"),
            "receipt": receipt,
            "body": "Nomor kedua 0813-5555-4444",
        },
    )
    submit(portal_client, {**TIP, "phone": "bukan nomor"})  # an invalid one too
    assert caplog.records, "the application logs requests; the capture must see them"
    # Numeric arguments (durations) are left out: a float's digits can spell "9876" by chance.
    logged = "\n".join(f"{r.name} {r.getMessage()} {_text_args(r.args)!r}" for r in caplog.records)
    for secret in (
        DESCRIPTION,
        "Kasih Bunda",
        PHONE,
        "9876",
        URL,
        "adopsi.bayi",
        receipt,
        "0813-5555-4444",
        "bukan nomor",
    ):
        assert secret not in logged, secret
    assert "POST /lapor" in logged  # route templates are logged, nothing more


def test_officers_read_the_tip_through_the_api_on_the_synthetic_registry(
    portal_client: TestClient, portal_registry: PortalRegistry, _databases: dict[str, PreparedDatabase | str]
) -> None:
    database = _databases[portal_registry.dialect]
    assert isinstance(database, PreparedDatabase)
    sent = submit(portal_client, TIP, files={"screenshot": ("s.png", _png(), "image/png")})
    receipt = _receipt(sent.text)
    police = {"Authorization": f"Bearer {database.tokens['social-jateng']}"}
    listed = portal_client.get(
        "/api/v1/tips", params={"reason": "LP/7/2026", "status": "received"}, headers=police
    )
    assert listed.status_code == 200, listed.text
    item = next(i for i in listed.json()["items"] if i["description"] == DESCRIPTION)
    assert (item["phone"], item["region_code"], item["price_rupiah"]) == (
        "+6281298765432",
        "33.74",
        15_000_000,
    )
    ref = item["ref"]
    shown = portal_client.get(f"/api/v1/tips/{ref}", params={"reason": "LP/7/2026"}, headers=police).json()
    [shot] = shown["screenshots"]
    image = portal_client.get(
        f"/api/v1/tips/{ref}/screenshots/{shot['sha256']}", params={"reason": "LP/7/2026"}, headers=police
    )
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(image.content)) as stored:
        assert not stored.getexif() and b"PhoneMaker" not in image.content
    asked = portal_client.post(
        f"/api/v1/tips/{ref}/questions", json={"question": "Apakah bayinya masih ada?"}, headers=police
    )
    assert asked.status_code == 200, asked.text
    moved = portal_client.post(f"/api/v1/tips/{ref}/status", json={"status": "under_review"}, headers=police)
    assert moved.status_code == 200 and moved.json()["status"] == "under_review"
    seen = open_status(portal_client, receipt)
    assert _status(seen.text) == "under_review" and "Apakah bayinya masih ada?" in seen.text
    bali = {"Authorization": f"Bearer {database.tokens['police-bali']}"}
    assert (
        portal_client.get(f"/api/v1/tips/{ref}", params={"reason": "LP/7/2026"}, headers=bali).status_code
        == 403
    )
    registrar = {"Authorization": f"Bearer {database.tokens['registrar']}"}
    assert (
        portal_client.get("/api/v1/tips", params={"reason": "LP/7/2026"}, headers=registrar).status_code
        == 403
    )


@pytest.mark.slow
def test_the_tip_flow_in_a_phone_and_a_desktop_browser_sets_no_cookie_and_is_accessible(
    live_portal: LivePortal,
) -> None:
    with portal_pages() as open_page:
        for phone in (True, False):
            page = open_page(phone=phone)
            page.goto(f"{live_portal.url}/lapor")
            assert_accessible(page)
            page.get_by_label("Facebook").check()
            page.locator("#phone").fill("bukan nomor")
            page.locator("#description").fill(DESCRIPTION)
            page.get_by_role("button", name="Kirim laporan").click()
            assert page.locator("#phone-error").is_visible()  # the error, on the form, input kept
            assert page.locator("#description").input_value() == DESCRIPTION
            assert_accessible(page)
            page.locator("#phone").fill(PHONE)
            page.locator("#place").fill("Kota Semarang")
            page.locator("#screenshot").set_input_files(
                files=[{"name": "s.png", "mimeType": "image/png", "buffer": _png()}]
            )
            page.get_by_role("button", name="Kirim laporan").click()
            receipt = page.locator("[data-receipt]").inner_text().strip()
            assert len(receipt) == 24
            assert_accessible(page)
            page.get_by_role("link", name="Periksa status laporan").click()
            assert_accessible(page)
            page.locator("#receipt").fill(receipt.lower())
            page.get_by_role("button", name="Tampilkan laporan saya").click()
            assert page.locator("[data-tip-status]").get_attribute("data-tip-status") == "received"
            assert_accessible(page)
            page.locator("#body").fill("Penjual memakai nomor kedua")
            page.get_by_role("button", name="Tambahkan ke laporan saya").click()
            assert page.locator("[data-added]").is_visible()
            assert_accessible(page)
            wrong = open_page(phone=phone)
            wrong.goto(f"{live_portal.url}/lapor/status?lang=en")
            wrong.locator("#receipt").fill("KH7M-Q2WX-9DPA-TN4C-RE6B")
            wrong.get_by_role("button", name="Show my report").click()
            assert wrong.locator("[data-form-problem]").is_visible()
            assert_accessible(wrong)
            assert page.context.cookies() == [] and wrong.context.cookies() == []
        assert transferred_bytes(open_page, f"{live_portal.url}/lapor") < PAGE_BUDGET
