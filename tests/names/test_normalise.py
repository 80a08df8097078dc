from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jaga.names import basic_form


def test_case_accents_punctuation_and_spaces_are_folded() -> None:
    assert basic_form("  Siti  NURHALIZA-binti Ahmad. ") == "siti nurhaliza binti ahmad"
    assert basic_form("Ma'ruf Amin") == "maruf amin"
    assert basic_form("Ni Luh Putu Ayu Ariésta") == "ni luh putu ayu ariesta"


def test_spelling_reforms_are_not_applied_here() -> None:
    # Old spellings are linkage's business: the stored form keeps what was written.
    assert basic_form("Soeharto") == "soeharto"
    assert basic_form("Djoko Tjahjono") == "djoko tjahjono"


@given(st.text())
def test_normalising_twice_changes_nothing(name: str) -> None:
    once = basic_form(name)
    assert basic_form(once) == once
