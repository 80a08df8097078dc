"""Reading what tipsters type: phone numbers to E.164, prices in rupiah, links, places to regions, receipt
codes; and the normal forms matching compares."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from jaga.tips import receipts
from jaga.tips.fields import phone_e164, price_rupiah, resolve_place, url_key, web_url
from jaga.tips.matching import contains, core_tokens, name_tokens


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("+62 (812) 3456-7890", "+6281234567890"),
        ("+62 0812 3456 7890", "+6281234567890"),
        ("812-3456-7890", "+6281234567890"),
        ("(024) 7654321", "+62247654321"),
        ("+65 9123 4567", "+6591234567"),
    ],
)
def test_indonesian_phone_numbers_become_e164(typed: str, e164: str) -> None:
    assert phone_e164(typed) == e164


@pytest.mark.parametrize(
    "typed", ["abc", "123", "+62 12", "0812 3456 7890 1234 5678", "1-800-BAYI", "++62812"]
)
def test_what_is_not_a_phone_number_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="phone number such as"):
        phone_e164(typed)


@pytest.mark.parametrize(
    ("typed", "rupiah"),
    [
        ("15 juta", 15_000_000),
        ("15jt", 15_000_000),
        ("15,5 juta", 15_500_000),
        ("Rp 15.000.000", 15_000_000),
        ("Rp15.000.000,-", 15_000_000),
        ("IDR 15,000,000", 15_000_000),
        ("15000000", 15_000_000),
        ("500rb", 500_000),
    ],
)
def test_prices_are_read_as_rupiah(typed: str, rupiah: int) -> None:
    assert price_rupiah(typed) == rupiah


@pytest.mark.parametrize(
    "typed", ["murah", "0", "1.5.5 juta", "15 dolar", "15.00.000", "-5 juta", "99999999999999"]
)
def test_what_is_not_a_price_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="rupiah"):
        price_rupiah(typed)


def test_links_are_http_only_and_their_key_drops_tracking() -> None:
    assert web_url("facebook.com/jual.bayi") == "https://facebook.com/jual.bayi"
    for bad in ("javascript:alert(1)", "ftp://x.example/a", "http://localhost", "not a link"):
        with pytest.raises(ValueError):
            web_url(bad)
    assert (
        url_key("https://m.facebook.com/Jual.Bayi/?ref=share&fbclid=abc&id=7")
        == "facebook.com/jual.bayi?id=7"
    )
    assert url_key("http://www.facebook.com/jual.bayi") == "facebook.com/jual.bayi"


@pytest.mark.parametrize(
    ("place", "province", "region"),
    [
        ("Kota Semarang", None, "3374"),
        ("Kab. Cilacap", None, "3301"),
        ("Cilacap, Jawa Tengah", None, "3301"),
        ("33.74", None, "3374"),
        ("Denpasar", None, "5171"),
        ("Semarang", None, ""),  # a city and a regency: ambiguous, so the national desk
        ("Semarang", "33", "33"),  # ... or the province chosen
        ("dekat pasar", None, ""),
        (None, "51", "51"),
        ("Kota Semarang", "51", "51"),  # a place outside the chosen province counts for nothing
    ],
)
def test_places_resolve_to_the_region_they_name(place: str | None, province: str | None, region: str) -> None:
    assert resolve_place(place, province) == region


def test_receipts_read_back_from_any_case_and_spacing_and_verify_with_argon2() -> None:
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    new = receipts.new_receipt(hasher)
    assert receipts.parse_receipt(new.code.lower().replace("-", " ")) == new.code
    assert receipts.verify(hasher, [new.hashed], new.code) == 0
    assert receipts.verify(hasher, [new.hashed], receipts.grouped("A" * 20)) is None
    assert receipts.verify(hasher, [], new.code) is None
    assert receipts.parse_receipt("KH7M-Q2WX-9DPA-TN4C-RE6O") is None  # O is not in the alphabet
    assert len(receipts.ALPHABET) ** (receipts.LENGTH - receipts.GROUP_LENGTH) >= 2**80


def test_organisation_names_match_across_abbreviations_and_spellings() -> None:
    assert name_tokens("Yay. Kasih Bunda") == name_tokens("Yayasan Kasih Bunda")
    text = name_tokens("Bayi dijual oleh yys kasih bunda di Semarang")
    assert contains(text, name_tokens("Yayasan Kasih Bunda"))
    assert not contains(text, name_tokens("Yayasan Kasih Ibu"))
    assert core_tokens(name_tokens("Klinik Pratama Tjahaja")) == core_tokens(name_tokens("Klinik Cahaya"))
