"""The registry's normalised name form: safe, lossless-in-meaning transformations only.

Unicode compatibility forms folded, accents removed, case folded, punctuation turned into spaces,
whitespace collapsed. Spelling reforms (oe -> u, dj -> j ...) are *not* applied here: they are guesses
about which spelling a name was written in, and belong to linkage, which keeps both forms.
"""

from __future__ import annotations

import unicodedata


def basic_form(name: str) -> str:
    """`"  Siti  NURHALIZA-binti Ahmad. "` -> `"siti nurhaliza binti ahmad"`."""
    decomposed = unicodedata.normalize("NFKD", name)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = without_marks.casefold()
    # Apostrophes join (Ma'ruf -> maruf); other punctuation separates words.
    cleaned = "".join("" if ch in "'\u2019`" else (ch if ch.isalnum() else " ") for ch in folded)
    return " ".join(cleaned.split())
