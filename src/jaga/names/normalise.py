"""The registry's normalised name form: safe, lossless-in-meaning transformations only.

Unicode compatibility forms folded, accents removed, case folded, punctuation turned into spaces,
whitespace collapsed. Spelling reforms (oe -> u, dj -> j ...) are *not* applied here: they are guesses
about which spelling a name was written in, and belong to linkage, which keeps both forms.
"""

from __future__ import annotations

import string
import unicodedata

# ASCII text, the common case, takes a shortcut with the same result: NFKD leaves it as it is and marks
# none of it as combining, casefold is lower, and the only ASCII characters `isalnum` accepts are letters
# and digits. One `translate` instead of a Python step per character (linkage normalises millions).
_ASCII_CLEAN = str.maketrans(
    {
        chr(code): ("" if chr(code) in "'`" else " ")
        for code in range(128)
        if chr(code) not in string.ascii_letters + string.digits
    }
)


def basic_form(name: str) -> str:
    """`"  Siti  NURHALIZA-binti Ahmad. "` -> `"siti nurhaliza binti ahmad"`."""
    if name.isascii():
        return " ".join(name.lower().translate(_ASCII_CLEAN).split())
    decomposed = unicodedata.normalize("NFKD", name)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = without_marks.casefold()
    # Apostrophes join (Ma'ruf -> maruf); other punctuation separates words.
    cleaned = "".join("" if ch in "'\u2019`" else (ch if ch.isalnum() else " ") for ch in folded)
    return " ".join(cleaned.split())
