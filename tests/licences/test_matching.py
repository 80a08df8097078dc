"""Matching typed text against names and numbers: abbreviations, partial names, order, spelling, sound."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jaga.licences.matching import EXACT_NUMBER, Matcher, SearchText, licence_key, person_tokens
from jaga.names import organisation_tokens

NAMES = {
    "kasih": "Yayasan Kasih Bunda",
    "bangsa": "Yayasan Kasih Bangsa",
    "permata": "RSIA Permata Hati",
    "husada": "Klinik Husada Mulia",
}


def matches(text: str, context: frozenset[str] = frozenset()) -> dict[str, int]:
    sets = {key: frozenset(organisation_tokens(name)) for key, name in NAMES.items()}
    vocabulary = set().union(*sets.values(), context)
    matcher = Matcher(SearchText.read(text), vocabulary)
    found = {key: matcher.score(tokens, context, None) for key, tokens in sets.items()}
    return {key: score for key, score in found.items() if score is not None}


def test_an_abbreviation_finds_the_full_name() -> None:
    assert set(matches("Yay. Kasih Bunda")) == {"kasih"}
    assert set(matches("Rumah Sakit Ibu dan Anak Permata")) == {"permata"}


def test_part_of_a_name_in_any_order_finds_it() -> None:
    assert set(matches("kasih bunda")) == {"kasih"}
    assert set(matches("bunda kasih")) == {"kasih"}
    assert set(matches("kasih")) == {"kasih", "bangsa"}


def test_the_start_of_a_word_and_old_spellings_and_sounds_find_it() -> None:
    assert set(matches("Kasih Bun")) == {"kasih"}  # prefix
    assert set(matches("Kasih Boenda")) == {"kasih"}  # oe -> u
    assert set(matches("Permatha")) == {"permata"}  # sound
    assert matches("Kasih Bunda")["kasih"] > matches("Kasih Bun")["kasih"]  # exact outranks near


def test_every_word_must_match() -> None:
    assert matches("Kasih Permata") == {}
    assert matches("Yayasan Sejahtera") == {}


def test_a_word_may_match_the_records_region_or_kind() -> None:
    semarang = frozenset({"kota", "semarang", "jawa", "tengah"})
    found = matches("kasih semarang", semarang)
    assert set(found) == {"kasih", "bangsa"}
    assert matches("kasih bunda")["kasih"] > found["kasih"]  # a name word outranks a place word


def test_a_persons_name_is_read_without_titles_and_degrees() -> None:
    assert person_tokens("Hj. Siti Aminah, S.Keb.") == ("siti", "aminah")
    readings = SearchText.read("Bd. Siti Aminah").readings
    assert ("bidan", "siti", "aminah") in readings and ("siti", "aminah") in readings


def test_a_licence_number_matches_exactly_after_normalising() -> None:
    text = SearchText.read("33 / lksa / 00012")
    matcher = Matcher(text, [])
    assert matcher.score(frozenset(), frozenset(), "33/LKSA/00012") == EXACT_NUMBER
    assert matcher.score(frozenset(), frozenset(), "33/LKSA/000120") is None
    assert SearchText.read("Kasih Bunda").number is None  # no digit: not a number


def test_text_with_nothing_to_search_is_empty() -> None:
    assert SearchText.read("!!! ...").empty
    assert not SearchText.read("' OR 1=1 --").empty  # words and digits, matched as text like any other


@given(st.text(max_size=40))
def test_a_licence_key_is_stable(number: str) -> None:
    key = licence_key(number)
    assert licence_key(key) == key
    assert key == "".join(ch for ch in key if ch.isascii() and (ch.isdigit() or ch.isupper()))
