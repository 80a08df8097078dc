"""`/lembaga`: the licence check through HTTP, on the synthetic registry (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, or_, select
from sqlalchemy.orm import sessionmaker

from jaga.app import create_app
from jaga.db import UnitOfWork, create_engine_for
from jaga.portal.forms import RateLimiter
from jaga.registry import Attendant, Birth, Facility, Institution, Person
from jaga.registry.schemas.reference import InstitutionIn, LicenceChangeIn, LicenceStatus
from jaga.registry.services import Batch, create_one
from jaga.registry.services.reference import change_licence, record_institutions
from tests.conftest import fast_token_hasher
from tests.portal.browser import PAGE_BUDGET, assert_accessible, portal_pages, transferred_bytes
from tests.portal.conftest import LivePortal, PortalRegistry
from tests.portal.licence_rows import EXPIRED_BUT_ACTIVE, EXPIRED_LAST_DAY, REVOKED, SHELTER, VALID

HTML = {"Accept": "text/html"}


class _Results(HTMLParser):
    """The `data-*` attributes of every licence on a page (results or one holder's page)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if "data-licence-status" in found:
            self.items.append(found)
        if "data-adoption" in found and self.items:
            self.items[-1]["adoption"] = found["data-adoption"]


def licences(html: str) -> list[dict[str, str]]:
    parser = _Results()
    parser.feed(html)
    return parser.items


def refs(html: str) -> list[str]:
    return [item["data-ref"] for item in licences(html)]


def total(html: str) -> int:
    found = re.search(r'data-results="(\d+)"', html)
    assert found is not None, "no result count on the page"
    return int(found.group(1))


@pytest.fixture
def client(portal_client: TestClient) -> Iterator[TestClient]:
    """The module's client with a fresh rate limit for each test (the limit has its own test)."""
    portal_client.app.state.portal_limiter = RateLimiter()  # type: ignore[attr-defined]
    yield portal_client


class Database:
    """Reads of the registry for the expected values: a short transaction each (SQLite's BEGIN IMMEDIATE
    would otherwise hold the lock the application waits for)."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine_for(url)

    def rows(self, query: Any) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(query))

    def values(self, query: Any) -> list[Any]:
        return [row[0] for row in self.rows(query)]

    def value(self, query: Any) -> Any:
        return self.values(query)[0]


@pytest.fixture(scope="module")
def database(portal_registry: PortalRegistry) -> Iterator[Database]:
    registry = Database(portal_registry.url)
    yield registry
    registry.engine.dispose()


def search(client: TestClient, **query: Any) -> str:
    answer = client.get("/lembaga", params=query, headers=HTML)
    assert answer.status_code == 200, answer.text[-600:]
    return answer.text


def every_page(client: TestClient, **query: Any) -> list[str]:
    pages = [search(client, **query)]
    while 'rel="next"' in pages[-1]:
        pages.append(search(client, **query, page=len(pages) + 1))
    return pages


# --- the form ------------------------------------------------------------------------------------


def test_the_search_is_a_plain_get_form_that_works_without_javascript(client: TestClient) -> None:
    page = client.get("/lembaga", headers=HTML)
    assert page.status_code == 200 and '<html lang="id">' in page.text
    assert '<form class="search" method="get" action="/lembaga"' in page.text
    assert "<script" not in page.text
    assert "Cek lembaga" in page.text and 'name="q"' in page.text and 'name="region"' in page.text
    assert "data-results" not in page.text  # nothing searched yet


# --- by name -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Yay. Kasih Bunda",
        "Yys kasih bunda",
        "kasih bunda",
        "bunda kasih",
        "Yayasan Kasih Boenda",
        "kasih bun",
    ],
)
def test_a_name_as_people_write_it_finds_the_foundation(client: TestClient, typed: str) -> None:
    found = refs(search(client, q=typed))
    assert found[0] == EXPIRED_BUT_ACTIVE


def test_a_name_that_is_nowhere_finds_nothing_and_says_what_to_do(client: TestClient) -> None:
    page = search(client, q="Yayasan Bayi Murah Sentosa")
    assert total(page) == 0 and refs(page) == []
    assert "data-no-results" in page and 'href="/lapor"' in page and 'href="/tanya-dulu"' in page


def test_a_midwife_is_found_by_name_with_or_without_her_title(client: TestClient, database: Database) -> None:
    midwife = database.rows(
        select(Attendant.ref, Attendant.full_name)
        .where(Attendant.kind == "midwife", ~Attendant.full_name.startswith("Bidan"))
        .order_by(Attendant.id)
        .limit(1)
    )[0]
    for typed in (midwife.full_name, f"Bd. {midwife.full_name}", f"Bidan {midwife.full_name}"):
        found = licences(search(client, q=typed, kind="attendant"))
        assert midwife.ref in [item["data-ref"] for item in found], typed
        assert all(item["data-kind"] == "attendant" for item in found)


def test_an_abbreviated_hospital_kind_finds_the_written_out_one(
    client: TestClient, database: Database
) -> None:
    rsia = set(database.values(select(Facility.ref).where(Facility.name.startswith("RSIA "))))
    assert rsia, "the synthetic registry has RSIA hospitals"
    found = licences(search(client, q="Rumah Sakit Ibu dan Anak", kind="facility"))
    assert {item["data-ref"] for item in found} == rsia
    assert all(item["data-licence-status"] == "unknown" for item in found)
    assert all(item["adoption"] == "health_facility" for item in found)


# --- by licence number ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["33/YPA/0701", "33 ypa 0701", " 33-YPA-0701 "])
def test_a_licence_number_finds_its_holder_exactly(client: TestClient, typed: str) -> None:
    assert refs(search(client, q=typed)) == [EXPIRED_BUT_ACTIVE]


def test_part_of_a_licence_number_is_not_a_match(client: TestClient) -> None:
    assert EXPIRED_BUT_ACTIVE not in refs(search(client, q="33/YPA/070"))


def test_a_registration_number_finds_the_attendant(client: TestClient, database: Database) -> None:
    row = database.rows(
        select(Attendant.ref, Attendant.registration_number).where(Attendant.registration_number.is_not(None))
    )[0]
    found = licences(search(client, q=row.registration_number.lower()))
    assert [item["data-ref"] for item in found] == [row.ref]
    assert found[0]["data-kind"] == "attendant"


# --- by region -----------------------------------------------------------------------------------


def _count_in(database: Database, prefixes: list[str], models: tuple[Any, ...]) -> int:
    """Holders of `models` whose region lies inside one of `prefixes`, counted in the database itself."""
    return sum(
        database.value(
            select(func.count())
            .select_from(model)
            .where(or_(*(model.region_code.startswith(p) for p in prefixes)))
        )
        for model in models
    )


ALL = (Institution, Facility, Attendant)


@pytest.mark.parametrize("written", ["33.74", "3374", "Kota Semarang"])
def test_a_region_by_code_or_name_lists_every_holder_inside_it(
    client: TestClient, database: Database, written: str
) -> None:
    pages = every_page(client, region=written)
    found = [item for page in pages for item in licences(page)]
    assert total(pages[0]) == len(found) == _count_in(database, ["3374"], ALL)
    assert all(item["data-region"].startswith("33.74") for item in found)
    assert {EXPIRED_BUT_ACTIVE, VALID, SHELTER} <= {item["data-ref"] for item in found}
    assert REVOKED not in {item["data-ref"] for item in found}  # in Kab. Semarang


def test_a_region_name_shared_by_a_regency_and_a_city_covers_both(
    client: TestClient, database: Database
) -> None:
    pages = every_page(client, region="Semarang")
    found = {item["data-ref"] for page in pages for item in licences(page)}
    assert len(found) == _count_in(database, ["3322", "3374"], ALL)
    assert {EXPIRED_BUT_ACTIVE, REVOKED} <= found
    assert "Kab. Semarang, Kota Semarang" in pages[0]


def test_a_place_typed_in_the_search_box_finds_its_holders(client: TestClient) -> None:
    found = licences(search(client, q="kasih bunda semarang"))
    assert found[0]["data-ref"] == EXPIRED_BUT_ACTIVE
    midwives = licences(search(client, q="bidan semarang", kind="attendant"))
    assert midwives and all(item["data-region"].startswith(("33.22", "33.74")) for item in midwives)


@pytest.mark.parametrize(
    ("kind", "model"), [("institution", Institution), ("facility", Facility), ("attendant", Attendant)]
)
def test_each_kind_is_searchable_on_its_own(
    client: TestClient, database: Database, kind: str, model: Any
) -> None:
    pages = every_page(client, region="33", kind=kind)
    found = [item for page in pages for item in licences(page)]
    assert found and all(item["data-kind"] == kind for item in found)
    assert len(found) == total(pages[0]) == _count_in(database, ["33"], (model,))


def test_results_come_twenty_to_a_page(client: TestClient) -> None:
    first, second = search(client, region="33"), search(client, region="33", page=2)
    assert total(first) > 40
    assert len(refs(first)) == len(refs(second)) == 20
    assert not set(refs(first)) & set(refs(second))
    assert 'rel="next"' in first and 'href="/lembaga?page=2&amp;region=33"' in first
    beyond = search(client, region="33", page=50)
    assert refs(beyond) == [] and "Tidak ada hasil di halaman ini." in beyond


# --- what a result says --------------------------------------------------------------------------


def test_a_licence_whose_row_says_active_but_whose_last_day_is_past_shows_expired(client: TestClient) -> None:
    [result] = [
        item
        for item in licences(search(client, q="Yayasan Kasih Bunda"))
        if item["data-ref"] == EXPIRED_BUT_ACTIVE
    ]
    assert result["data-licence-status"] == "expired"
    assert result["adoption"] == "licence_not_valid"
    detail = client.get(f"/lembaga/{EXPIRED_BUT_ACTIVE}", headers=HTML)
    assert detail.status_code == 200
    [shown] = licences(detail.text)
    assert shown["data-licence-status"] == "expired"
    assert "Izin kedaluwarsa" in detail.text and "3 Januari 2021" in detail.text
    assert "Kementerian Sosial" in detail.text and "33/YPA/0701" in detail.text


@pytest.mark.parametrize(
    ("ref", "status", "adoption"),
    [
        (VALID, "valid", "may_place"),
        (REVOKED, "revoked", "licence_not_valid"),
        (SHELTER, "valid", "not_an_adoption_body"),
    ],
)
def test_each_status_and_what_it_means_for_adoption(
    client: TestClient, ref: str, status: str, adoption: str
) -> None:
    [shown] = licences(client.get(f"/lembaga/{ref}", headers=HTML).text)
    assert (shown["data-licence-status"], shown["adoption"]) == (status, adoption)


def test_a_foundation_with_papers_but_no_licence_is_unlicensed(
    client: TestClient, database: Database
) -> None:
    row = database.rows(
        select(Institution.ref, Institution.name).where(Institution.licence_status == "none")
    )[0]
    assert row is not None, "jaga synth plants a foundation without a licence"
    [shown] = [item for item in licences(search(client, q=row.name)) if item["data-ref"] == row.ref]
    assert (shown["data-licence-status"], shown["adoption"]) == ("unlicensed", "no_licence")


def test_the_last_valid_day_ends_at_midnight_in_eastern_indonesia(portal_registry: PortalRegistry) -> None:
    # 23:59:59 WIT on the last day is 14:59:59 UTC; a second later the licence has expired.
    settings = portal_registry.settings()
    for instant, expected in (
        (datetime(2021, 1, 3, 14, 59, 59, tzinfo=UTC), "valid"),
        (datetime(2021, 1, 3, 15, 0, 0, tzinfo=UTC), "expired"),
    ):
        app = create_app(settings, clock=lambda instant=instant: instant, token_hasher=fast_token_hasher())
        with TestClient(app) as client:
            [shown] = licences(client.get(f"/lembaga/{EXPIRED_BUT_ACTIVE}", headers=HTML).text)
        assert shown["data-licence-status"] == expected, instant
    assert EXPIRED_LAST_DAY.isoformat() == "2021-01-03"


def test_english_on_request_keeps_the_language_in_every_link(client: TestClient) -> None:
    page = search(client, q="Yay. Kasih Bunda", lang="en")
    assert '<html lang="en">' in page and "Licence expired" in page and "January 3, 2021" in page
    assert f'href="/lembaga/{EXPIRED_BUT_ACTIVE}?lang=en"' in page
    assert '<input type="hidden" name="lang" value="en">' in page
    indonesian = search(client, q="Yay. Kasih Bunda")
    assert "Izin kedaluwarsa" in indonesian and "Licence expired" not in indonesian


def test_a_holder_recorded_after_a_search_is_found_by_the_next_one(
    client: TestClient, portal_registry: PortalRegistry
) -> None:
    # the search keeps a catalogue of names between requests: a new record and a new status must show
    assert refs(search(client, q="Yayasan Pelangi Nusantara")) == []
    engine = create_engine_for(portal_registry.url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    admin = portal_registry.actors["admin"]
    data = InstitutionIn(
        ref="I-LEMBAGA-LATER",
        name="Yayasan Pelangi Nusantara",
        kind="lksa",
        licence_number="33/LKSA/07999",
        licence_issuer="Dinas Sosial Provinsi Jawa Tengah",
        licence_valid_from=date(2022, 1, 1),
        region_code="337403",
    )
    with UnitOfWork(sessions) as uow:
        create_one(uow, admin, record_institutions, "institution", data)
    [found] = licences(search(client, q="Yay Pelangi Nusantara"))
    assert (found["data-ref"], found["data-licence-status"]) == ("I-LEMBAGA-LATER", "valid")
    with UnitOfWork(sessions) as uow:
        change_licence(
            Batch(uow, admin), "I-LEMBAGA-LATER", LicenceChangeIn(licence_status=LicenceStatus.SUSPENDED)
        )
    engine.dispose()
    [found] = licences(search(client, q="33/LKSA/07999"))
    assert (found["data-ref"], found["data-licence-status"]) == ("I-LEMBAGA-LATER", "suspended")


# --- privacy -------------------------------------------------------------------------------------


def test_no_nik_address_or_childs_record_appears_in_any_result_page(
    client: TestClient, database: Database
) -> None:
    pages = every_page(client, region="33")
    pages += [client.get(f"/lembaga/{ref}", headers=HTML).text for ref in refs(pages[0]) + refs(pages[-1])]
    pages += [search(client, q="siti"), search(client, q="bayi"), search(client, q="Yay. Kasih Bunda")]
    text = "\n".join(pages)
    assert len(pages) > 10
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", text), "a 16-digit number (a NIK or KK) is on a page"
    niks = set(database.values(select(Person.nik).where(Person.nik.is_not(None))))
    niks |= set(database.values(select(Attendant.nik).where(Attendant.nik.is_not(None))))
    assert niks, "the synthetic registry has NIKs to look for"
    assert not [nik for nik in niks if nik in text]
    addresses = set(database.values(select(Institution.address).where(Institution.address.is_not(None))))
    addresses |= set(database.values(select(Facility.address).where(Facility.address.is_not(None))))
    assert "Jl. Contoh No. 1" in addresses and not [a for a in addresses if a in text]
    holders = " | ".join(
        database.values(select(Attendant.full_name))
        + database.values(select(Facility.name))
        + database.values(select(Institution.name))
    )
    children = database.values(select(Person.full_name).join(Birth, Birth.child_id == Person.id))
    # children's names that no licence holder's name contains (a midwife may be called Siti too)
    child_only = {name for name in children if len(name) > 6 and name not in holders}
    assert len(child_only) > 10, "the synthetic registry has named children"
    assert not [name for name in child_only if name in text]
    person_refs = set(database.values(select(Person.ref))) | set(database.values(select(Birth.ref)))
    assert not [ref for ref in person_refs if ref in text]


def test_a_persons_or_births_reference_is_not_a_licence(client: TestClient, database: Database) -> None:
    person = database.value(select(Person.ref).limit(1))
    birth = database.value(select(Birth.ref).limit(1))
    for ref in (person, birth, "I-NOT-THERE"):
        answer = client.get(f"/lembaga/{ref}", headers=HTML)
        assert answer.status_code == 404 and 'data-status="404"' in answer.text
        assert ref not in answer.text.split("<main", 1)[1].split("</main>", 1)[0]


# --- junk ----------------------------------------------------------------------------------------

JUNK: list[tuple[dict[str, str], int]] = [
    ({"q": "a" * 101}, 422),
    ({"q": "x" * 5000}, 422),
    ({"q": "kasih\x01bunda"}, 422),
    ({"q": "kasih\x7fbunda"}, 422),
    ({"q": "!!! ..."}, 422),
    ({"q": "kasih", "kind": "people"}, 422),
    ({"q": "kasih", "kind": "Institution' OR 1=1"}, 422),
    ({"q": "kasih", "page": "-1"}, 422),
    ({"q": "kasih", "page": "0"}, 422),
    ({"q": "kasih", "page": "51"}, 422),
    ({"q": "kasih", "page": str(10**30)}, 422),
    ({"q": "kasih", "page": "1e3"}, 422),
    ({"q": "kasih", "page": "satu"}, 422),
    ({"region": "99"}, 422),
    ({"region": "33.7"}, 422),
    ({"region": "Atlantis"}, 422),
    ({"region": "r" * 61}, 422),
    ({"q": "' OR 1=1 --"}, 200),
    ({"q": "'; DROP TABLE institutions; --"}, 200),
    ({"q": "%' OR name LIKE '%"}, 200),
    ({"q": "<script>alert(1)</script>"}, 200),
    ({"q": "\u202eadnub hisak 🍼"}, 200),
    ({"q": "   ", "region": ""}, 200),
]


@pytest.mark.parametrize(("query", "status"), JUNK)
def test_junk_gets_a_clear_page_and_a_4xx_or_an_empty_result_never_a_500(
    client: TestClient, database: Database, query: dict[str, str], status: int
) -> None:
    answer = client.get("/lembaga", params=query, headers=HTML)
    assert answer.status_code == status, answer.text[-500:]
    assert answer.headers["content-type"].startswith("text/html")
    assert "Traceback" not in answer.text and "<script>alert" not in answer.text
    if status == 422:
        assert 'data-error="invalid-input"' in answer.text and 'role="alert"' in answer.text
        main = answer.text.split("<main", 1)[1].split("</main>", 1)[0]
        assert "x" * 201 not in main  # the form gives back at most 200 characters of what was typed
    elif query.get("q", "").strip():
        assert total(answer.text) == 0 or all(item["data-ref"] for item in licences(answer.text))
    if query.get("q") == "'; DROP TABLE institutions; --":
        assert database.value(select(func.count()).select_from(Institution)) > 0


def test_a_nul_in_the_query_is_refused_before_the_search(client: TestClient) -> None:
    answer = client.get("/lembaga?q=kasih%00bunda", headers=HTML)
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("text/html")


def test_an_invalid_field_is_named_in_the_pages_language(client: TestClient) -> None:
    indonesian = client.get("/lembaga", params={"q": "kasih", "page": "0"}, headers=HTML)
    assert "Halaman: bilangan bulat dari 1 sampai 50." in indonesian.text
    english = client.get("/lembaga", params={"region": "Atlantis", "lang": "en"}, headers=HTML)
    assert (
        english.status_code == 422 and "no province, regency, city or district has this name" in english.text
    )


@pytest.mark.parametrize("ref", ["x" * 65, "bad ref", "-start"])
def test_a_malformed_reference_is_a_4xx_page(client: TestClient, ref: str) -> None:
    answer = client.get(f"/lembaga/{ref}", headers=HTML)
    assert 400 <= answer.status_code < 500 and answer.headers["content-type"].startswith("text/html")


def test_the_search_is_rate_limited(client: TestClient) -> None:
    statuses = [client.get("/lembaga", params={"q": "kasih"}, headers=HTML).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429
    limited = client.get(f"/lembaga/{VALID}", headers=HTML)
    assert limited.status_code == 429 and 'data-status="429"' in limited.text


# --- in the browser ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_family_finds_an_expired_licence_on_a_phone_and_a_desktop(live_portal: LivePortal) -> None:
    with portal_pages() as open_page:
        for phone in (True, False):
            for lang, expired_words in (("id", "Izin kedaluwarsa"), ("en", "Licence expired")):
                page = open_page(phone=phone)
                page.goto(f"{live_portal.url}/lembaga" + ("?lang=en" if lang == "en" else ""))
                assert_accessible(page)
                page.fill("#q", "Yay. Kasih Bunda")
                page.select_option("#kind", "institution")
                page.click("button[type=submit]")
                page.wait_for_url("**/lembaga?*q=*")
                result = page.locator(f'[data-ref="{EXPIRED_BUT_ACTIVE}"]')
                assert result.get_attribute("data-licence-status") == "expired"
                assert expired_words in result.inner_text()
                assert_accessible(page)
                result.locator("h3 a").click()
                page.wait_for_url(f"**/lembaga/{EXPIRED_BUT_ACTIVE}*")
                assert (
                    page.locator("article[data-licence-status]").get_attribute("data-licence-status")
                    == "expired"
                )
                assert f'lang="{lang}"' in page.content()
                assert_accessible(page)


@pytest.mark.slow
def test_the_licence_pages_are_accessible_and_light_even_when_the_input_is_bad(
    live_portal: LivePortal,
) -> None:
    urls = [
        "/lembaga",
        "/lembaga?region=33",  # a full page of twenty results
        "/lembaga?q=Yayasan+Bayi+Murah",  # no result
        f"/lembaga/{VALID}",
    ]
    with portal_pages() as open_page:
        for url in urls:
            assert transferred_bytes(open_page, live_portal.url + url) < PAGE_BUDGET, url
        for url, status in (("/lembaga?q=kasih&page=0", 422), ("/lembaga/I-NOT-THERE", 404)):
            for phone in (True, False):
                page = open_page(phone=phone)
                response = page.goto(live_portal.url + url)
                assert response is not None and response.status == status
                assert_accessible(page)
        page = open_page(phone=True)
        page.goto(f"{live_portal.url}/lembaga?region=33")
        assert page.locator("li.licence").count() == 20
        assert_accessible(page)
