from __future__ import annotations

import random
import unicodedata

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


def _unicode_path(name: str) -> str:
    # basic_form's general path, written out: the ASCII shortcut must give exactly this.
    decomposed = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(
        "".join("" if ch in "'\u2019`" else (ch if ch.isalnum() else " ") for ch in folded).split()
    )


def test_the_ascii_shortcut_gives_what_the_unicode_path_gives() -> None:
    rng = random.Random(5)
    alphabet = [chr(c) for c in range(128)]
    texts = [*alphabet, *("".join(rng.choices(alphabet, k=rng.randint(0, 30))) for _ in range(5000))]
    texts += ["Ma'ruf  `Amin`", "H.Ahmad,S.Pd", "\x1c\x1f\x0b x \t\n", "JL. MAWAR NO.5 RT 02/RW 05"]
    for text in texts:
        assert text.isascii()
        assert basic_form(text) == _unicode_path(text), repr(text)
