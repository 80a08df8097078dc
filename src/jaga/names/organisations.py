"""Names of organisations (foundations, children's homes, hospitals, clinics, midwife practices) as keys.

People write the same organisation many ways: "Yay. Kasih Bunda", "Yys Kasih Bunda", "Yayasan Kasih
Boenda"; "RSIA Permata" for "Rumah Sakit Ibu dan Anak Permata"; "PMB Siti" for "Praktik Mandiri Bidan
Siti". `organisation_tokens` turns a written name into the words it stands for, abbreviations expanded,
old spellings folded (`canonical_token`) and filler words dropped, so that two writings of one name give
the same tokens in any order.

Pure: standard library and the other `jaga.names` modules only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from jaga.names.indonesian import canonical_token
from jaga.names.normalise import basic_form

__all__ = ["ORGANISATION_ABBREVIATIONS", "organisation_tokens"]

# The abbreviations Indonesian organisation names are written with, keyed by their letters as
# `basic_form` leaves them (dots gone). Kinds of institution (Yayasan, LKSA, panti), of health facility
# (RS and its kinds, puskesmas, klinik, rumah bersalin, midwife practices), the titles of the people who
# run them (Bd. is a midwife, dr. a doctor), and the region words a place name carries (Kab., Kec.).
# Short forms that are also ordinary words or names are left out ("PA" for panti asuhan, "RA").
ORGANISATION_ABBREVIATIONS: Mapping[str, tuple[str, ...]] = {
    "yay": ("yayasan",), "yys": ("yayasan",), "yyn": ("yayasan",), "yysn": ("yayasan",),
    "lksa": ("lembaga", "kesejahteraan", "sosial", "anak"),
    "lks": ("lembaga", "kesejahteraan", "sosial"),
    "psaa": ("panti", "sosial", "asuhan", "anak"),
    "rs": ("rumah", "sakit"),
    "rsu": ("rumah", "sakit", "umum"),
    "rsud": ("rumah", "sakit", "umum", "daerah"),
    "rsia": ("rumah", "sakit", "ibu", "anak"),
    "rskia": ("rumah", "sakit", "khusus", "ibu", "anak"),
    "rsab": ("rumah", "sakit", "anak", "bunda"),
    "rsb": ("rumah", "sakit", "bersalin"),
    "rsi": ("rumah", "sakit", "islam"),
    "rb": ("rumah", "bersalin"),
    "bkia": ("balai", "kesehatan", "ibu", "anak"),
    "pkm": ("puskesmas",), "pusk": ("puskesmas",),
    "kl": ("klinik",), "klnk": ("klinik",),
    "pmb": ("praktik", "mandiri", "bidan"),
    "bpm": ("bidan", "praktik", "mandiri"),
    "bps": ("bidan", "praktik", "swasta"),
    "bd": ("bidan",), "bdn": ("bidan",),
    "dr": ("dokter",), "drg": ("dokter", "gigi"),
    "kab": ("kabupaten",), "kec": ("kecamatan",), "prov": ("provinsi",),
}  # fmt: skip

# Spellings of one word that `canonical_token` does not fold (they are not old spellings): "praktek" is
# as common as the standard "praktik" on signboards and in records. Keyed by canonical token.
_WORD_VARIANTS = {"praktek": "praktik", "apotik": "apotek", "clinic": "klinik", "foundation": "yayasan"}

# Words that carry no meaning in a name's match: "Rumah Sakit Ibu dan Anak" is RSIA, which has no "dan".
_FILLER = frozenset({"dan", "and", "the", "of"})

# Two or more single letters each followed by a dot: the dotted form of an abbreviation.
_DOTTED_INITIALS = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.\s*){2,}")


def _join_initials(name: str) -> str:
    """Dotted initials written as one word: "R.S.I.A. Permata" -> "RSIA Permata", "P. M. B." -> "PMB"."""
    return _DOTTED_INITIALS.sub(lambda found: found.group(0).replace(".", "").replace(" ", "") + " ", name)


def _expand(word: str) -> tuple[str, ...]:
    """A written word as the canonical tokens it stands for (looked up after folding, so that an old
    spelling of an abbreviation expands too and the result is stable when read again)."""
    token = canonical_token(word)
    token = _WORD_VARIANTS.get(token, token)
    return tuple(canonical_token(part) for part in ORGANISATION_ABBREVIATIONS.get(token, (token,)))


# A search compares one query with the names of a whole registry, and the same names come back with
# every search: the function is pure, so its results are kept.
@lru_cache(maxsize=1 << 17)
def organisation_tokens(name: str) -> tuple[str, ...]:
    """The words an organisation's written name stands for, as matching keys, in written order.

    `"Yay. Kasih Bunda"`, `"Yayasan Kasih Boenda"` -> `("yayasan", "kasih", "bunda")`;
    `"RSIA Permata"` and `"Rumah Sakit Ibu dan Anak Permata"` -> the same five tokens. Abbreviations are
    expanded (also when written with dots: "R.S.I.A."), old spellings folded (`canonical_token`), and
    filler words ("dan") dropped. Empty when the name has no letters or digits.
    """
    return tuple(
        token
        for word in basic_form(_join_initials(name)).split()
        for token in _expand(word)
        if token and token not in _FILLER
    )
