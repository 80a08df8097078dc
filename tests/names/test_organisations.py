from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jaga.names import ORGANISATION_ABBREVIATIONS, canonical_token, organisation_tokens


@pytest.mark.parametrize(
    ("written", "same_as"),
    [
        ("Yay. Kasih Bunda", "Yayasan Kasih Bunda"),
        ("Yys Kasih Bunda", "Yayasan Kasih Bunda"),
        ("YAYASAN  kasih-bunda", "Yayasan Kasih Bunda"),
        ("Yayasan Kasih Boenda", "Yayasan Kasih Bunda"),  # old spelling oe -> u
        ("RSIA Permata", "Rumah Sakit Ibu dan Anak Permata"),
        ("R.S.I.A. Permata", "Rumah Sakit Ibu Anak Permata"),
        ("RSUD Tugurejo", "Rumah Sakit Umum Daerah Tugurejo"),
        ("PMB Siti Aminah", "Praktik Mandiri Bidan Siti Aminah"),
        ("Praktek Mandiri Bidan Siti Aminah", "Praktik Mandiri Bidan Siti Aminah"),
        ("Bd. Siti", "Bidan Siti"),
        ("LKSA Harapan", "Lembaga Kesejahteraan Sosial Anak Harapan"),
        ("Pusk. Candisari", "Puskesmas Candisari"),
        ("Kab. Semarang", "Kabupaten Semarang"),
    ],
)
def test_abbreviations_and_spellings_of_one_name_give_the_same_tokens(written: str, same_as: str) -> None:
    assert organisation_tokens(written) == organisation_tokens(same_as)


def test_tokens_are_the_words_a_name_stands_for() -> None:
    assert organisation_tokens("Yay. Kasih Bunda") == ("yayasan", "kasih", "bunda")
    assert organisation_tokens("RSIA Permata") == ("rumah", "sakit", "ibu", "anak", "permata")
    # a partial name is a subset of the full one, in any order
    assert set(organisation_tokens("bunda kasih")) <= set(organisation_tokens("Yayasan Kasih Bunda Semarang"))


def test_different_names_stay_different() -> None:
    assert organisation_tokens("Yayasan Kasih Bunda") != organisation_tokens("Yayasan Kasih Bangsa")
    assert organisation_tokens("RSIA Permata") != organisation_tokens("RSUD Permata")


def test_a_name_without_letters_or_digits_has_no_tokens() -> None:
    assert organisation_tokens("") == ()
    assert organisation_tokens(" .,;!? ") == ()
    assert organisation_tokens("dan") == ()  # filler only


def test_every_abbreviation_expands_to_plain_words_that_are_not_abbreviations() -> None:
    for short, words in ORGANISATION_ABBREVIATIONS.items():
        assert canonical_token(short) == short, short  # looked up after folding: keys must be folded
        assert organisation_tokens(short) == tuple(canonical_token(word) for word in words)
        assert not set(words) & set(ORGANISATION_ABBREVIATIONS), short


@given(st.text(max_size=80))
@example("Yay. Kasih Boenda")
@example("Jaj dan RSIA")
def test_reading_the_tokens_again_changes_nothing(name: str) -> None:
    tokens = organisation_tokens(name)
    assert organisation_tokens(" ".join(tokens)) == tokens
