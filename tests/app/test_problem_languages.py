"""Problem details in the client's language: `Accept-Language: id` gives Bahasa Indonesia, English stays the
default; machine-readable members (type, status, extensions) are the same in both."""

from __future__ import annotations

import re

import pytest

from jaga.errors import JagaError
from jaga.web.translations import CATALOG, negotiate
from tests.app.conftest import ClientFor
from tests.app.test_problems_help import _all_error_classes
from tests.app.test_role_matrix import _api_routes

ID = {"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"}
FALLBACK = "(rincian dalam bahasa Inggris)"


def _both(
    client: object, method: str, url: str, **kwargs: object
) -> tuple[dict[str, object], dict[str, object]]:
    english = client.request(method, url, **kwargs)  # type: ignore[attr-defined]
    indonesian = client.request(method, url, headers=ID, **kwargs)  # type: ignore[attr-defined]
    assert english.status_code == indonesian.status_code
    assert english.headers["content-language"] == "en" and indonesian.headers["content-language"] == "id"
    assert "Accept-Language" in indonesian.headers["vary"]
    return english.json(), indonesian.json()


def _same_machine_members(english: dict[str, object], indonesian: dict[str, object]) -> None:
    assert {k: v for k, v in english.items() if k not in ("title", "detail")} == {
        k: v for k, v in indonesian.items() if k not in ("title", "detail")
    }


def test_an_authentication_problem_in_indonesian(client_for: ClientFor) -> None:
    english, indonesian = _both(client_for(None), "GET", "/api/v1/me")
    _same_machine_members(english, indonesian)
    assert english["title"] == "Not authenticated"
    assert indonesian["title"] == "Belum diautentikasi"
    assert indonesian["detail"] == "diperlukan token API (Authorization: Bearer jaga_...)"


def test_validation_and_rejection_problems_in_indonesian(client_for: ClientFor) -> None:
    english, indonesian = _both(client_for("police"), "GET", "/api/v1/people")
    _same_machine_members(english, indonesian)  # the `errors` list included
    assert indonesian["title"] == "Masukan tidak sah" and indonesian["detail"] == "reason: wajib diisi"
    body = {"source_kind": "facility", "full_name": "Siti Aminah", "sex": "F"}
    english, indonesian = _both(client_for("facility"), "POST", "/api/v1/people", json=body)
    _same_machine_members(english, indonesian)
    assert (
        indonesian["detail"] == "orang ditolak: region_code: wajib diisi (akun Anda mencakup seluruh negeri)"
    )
    english, indonesian = _both(
        client_for("police"), "GET", "/api/v1/births/B-NOPE", params={"reason": "LP/1/2026"}
    )
    assert indonesian["detail"] == "tidak ada kelahiran dengan nomor 'B-NOPE'"
    assert english["detail"] == "no birth with ref 'B-NOPE'"
    english, indonesian = _both(client_for("facility"), "GET", "/api/v1/audit")
    assert indonesian["title"] == "Peran tidak diizinkan"
    assert indonesian["detail"].startswith("peran 'facility' tidak boleh audit:read; peran yang boleh: ")  # type: ignore[union-attr]


def test_every_refusal_on_every_route_is_translated(client_for: ClientFor) -> None:
    """As an account allowed almost nothing, every route's refusal (403, 404, 422) reads in Indonesian."""
    client = client_for("facility-semarang")
    for method, path, _ in _api_routes(client_for):
        url = re.sub(r"\{[^}]+\}", "X-NONE", path)
        response = client.request(method, url, headers=ID, json={} if method == "POST" else None)
        if response.status_code >= 400:
            assert FALLBACK not in response.json()["detail"], (method, path, response.json())


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("fr-FR, de", "en"),
        ("id", "id"),
        ("id-ID,id;q=0.9", "id"),
        ("in", "id"),
        ("en;q=0.9, id;q=0.5", "en"),
        ("id;q=0.5, en;q=0.9", "en"),
        ("en;q=0.5, id", "id"),
        ("id;q=0, en", "en"),
        ("*", "en"),
        ("id;q=abc, en;q=0.1", "en"),
    ],
)
def test_the_language_is_negotiated_from_accept_language(header: str | None, language: str) -> None:
    assert negotiate(header) == language


def test_every_error_class_names_its_title_in_both_languages() -> None:
    for cls in _all_error_classes():
        if "title" in vars(cls):
            assert "title_id" in vars(cls), f"{cls.__name__} has an English title only"
            assert cls.title_id and cls.title_id != cls.title


def test_each_catalog_entry_carries_the_same_values_in_both_languages() -> None:
    for english, indonesian in CATALOG:
        assert sorted(re.findall(r"\{(\w+)\}", english)) == sorted(re.findall(r"\{(\w+)\}", indonesian)), (
            english
        )


def test_error_classes_still_answer_in_english_by_default(client_for: ClientFor) -> None:
    response = client_for("police").get("/api/v1/people")
    assert response.json()["title"] == "Invalid input" and response.headers["content-language"] == "en"
    assert issubclass(JagaError, Exception)


def test_our_validators_messages_are_translated_too(client_for: ClientFor) -> None:
    body = {"source_kind": "facility", "full_name": "1234", "region_code": "3374", "birth_date": "1990-13-01"}
    english, indonesian = _both(client_for("facility"), "POST", "/api/v1/people", json=body)
    _same_machine_members(english, indonesian)
    assert "full_name: harus mengandung huruf" in indonesian["detail"]  # type: ignore[operator]
    assert FALLBACK not in indonesian["detail"]  # type: ignore[operator]
