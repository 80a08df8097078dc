"""The keys of one Indonesian name word: its spelling key (`canonical_token`: old and new spellings and
common variants agree), its sound key (`phonetic_key`), and whether it is a common token.

Pure: standard library, `jaga.names.normalise` and `jaga.names.steps` only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from jaga.names.normalise import basic_form
from jaga.names.steps import clears_with_steps, step_enabled

# --- Spelling: canonical_token -------------------------------------------------------------------

# Pre-1972 spellings (Van Ophuijsen 1901, Soewandi 1947) and their EYD replacements. A written "j" is
# ambiguous: in an old document it is today's "y" (Jusuf = Yusuf), in a new one it is the old "dj"
# (Joko = Djoko). A matching key cannot tell which, so every j-sound and y-sound collapse to "y":
# dj -> y and j -> y. nj -> ny and sj -> sy are listed for completeness (j -> y already gives them).
_OLD_SPELLINGS = {"oe": "u", "dj": "y", "tj": "c", "nj": "ny", "sj": "sy", "ch": "kh"}

# Latin letters that Unicode NFKD does not decompose, so `basic_form` keeps them; fold them to ASCII
# before everything else that is not a-z or 0-9 is dropped.
_LATIN_FOLDS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ħ": "h", "ŧ": "t"}
    | {"\u0131": "i"}  # dotless i
)
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]")

# Common variant spellings of one name, as they appear in Indonesian civil records. Most are Arabic
# names transliterated by ear, with no single standard: h / ch / kh for the same letter (Ahmad, Achmad,
# Akhmad), final d / t (Rahmad, Rahmat), doubled or single consonants (Muhammad, Muhamad; Sitti, Siti),
# o / u and e / i vowels (Mohammad; Zaenab), q / k and f / p (Rizqi, Rizki; Yusuf, Yusup; Sundanese
# Patimah for Fatimah), ts / th / s for the Arabic tha (Utsman, Uthman, Usman), and the usual
# abbreviations (Moch., Moh., Muh., Mhd., Mohd., Md., Abd.). A few Javanese / Indonesian given names
# also vary in the written y / i and doubled letters (Dewy, Sry, Ekko; Rizky).
# Each entry is written as records show it; the lookup keys are derived by applying the old-spelling
# pass, so "Achmad" and "Akhmad" are one key and Joesoef needs no entry of its own. The lone initial "M"
# is Muhammad only as a first name, so `parse_name` expands it, not this table.
_VARIANTS: Mapping[str, Sequence[str]] = {
    "Muhammad": (
        "Muhamad", "Mohammad", "Mohamad", "Mochammad", "Mochamad", "Moch", "Moh", "Muh", "Mhd", "Mohd",
        "Md", "Mohamed", "Mohammed", "Muhammed", "Moehammad", "Moehamad", "Mukhammad", "Mukhamad",
        "Muchammad", "Muchamad", "Much", "Mokhammad", "Mokhamad", "Mochamat", "Mohamat", "Muhamat",
    ),
    "Ahmad": ("Achmad", "Akhmad", "Ahmat", "Achmat", "Akhmat", "Ahmed", "Achmed"),
    "Abdul": ("Abd", "Abdoel"),
    "Abdullah": ("Abdulah", "Abdollah", "Abdoellah"),
    "Nur": ("Noor", "Nor", "Noer", "Nuur"),
    "Siti": ("Sitti", "Sity", "Sitty"),
    "Fatimah": ("Fatima", "Fathimah", "Patimah"),
    "Aisyah": ("Aisah", "Aishah", "Aisya", "Aysah", "Aisjah", "Aysyah"),
    "Zainab": ("Zaenab", "Sainab", "Zainap", "Zaenap"),
    "Rahmat": ("Rachmat", "Rahmad", "Rachmad", "Rakhmat", "Rakhmad"),
    "Rahman": ("Rachman", "Rakhman", "Rohman", "Rochman"),
    "Hidayat": ("Hidajat",),
    "Yusuf": ("Yusup", "Jusuf", "Joesoef", "Yoesoef", "Yusof", "Yousuf", "Yusuff"),
    "Rizki": ("Rizky", "Riski", "Rezki", "Rezky", "Rizqi", "Rizqy", "Risky"),
    "Hasan": ("Hassan",),
    "Husein": ("Husain", "Hussein", "Hussain", "Husen"),
    "Umar": ("Omar", "Oemar"),
    "Usman": ("Utsman", "Uthman", "Othman", "Osman", "Oesman"),
    "Ibrahim": ("Ibrohim", "Ibrahiem"),
    "Ismail": ("Ismael",),
    "Mustafa": ("Mustofa", "Mustopa", "Mustapa", "Musthofa", "Musthafa"),
    "Maryam": ("Mariam", "Mariyam"),
    "Khadijah": ("Khodijah", "Chadidjah"),
    "Zulkifli": ("Zulkifly", "Dzulkifli", "Dzulkifly"),
    "Lukman": ("Luqman",),
    "Taufik": ("Taufiq", "Taufiek"),
    "Saleh": ("Soleh", "Sholeh", "Shaleh", "Salih"),
    "Syaiful": ("Saiful", "Syaeful"),
    "Dewi": ("Dewy",),
    "Sri": ("Sry",),
    "Eko": ("Ekko",),
    "Slamet": ("Selamet",),
    # Sanskrit names keep "ch" for /c/, which the old-spelling pass would read as kh.
    "Candra": ("Chandra", "Tjandra"),
    "Cokorda": ("Cokorde", "Tjokorda", "Tjokorde"),
}  # fmt: skip


def ascii_word(text: str) -> str:
    """`basic_form`, then only a-z and 0-9 (`"Ma'ruf-Amin"` -> `"marufamin"`)."""
    return _NOT_ASCII_ALNUM.sub("", basic_form(text).translate(_LATIN_FOLDS))


def _respell_once(word: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _OLD_SPELLINGS:
            out.append(_OLD_SPELLINGS[pair])
            i += 2
        else:
            out.append("y" if word[i] == "j" else word[i])
            i += 1
    return "".join(out)


def _respell(word: str) -> str:
    """Old spelling to the matching key's spelling, repeated until nothing changes.

    One pass can leave a "ch" behind (Tjhin -> chin), which the next pass reads as kh. Each pass either
    shortens the word or removes a j or a c, so the loop ends.
    """
    if not step_enabled("old_spelling"):
        return word
    while (respelled := _respell_once(word)) != word:
        word = respelled
    return word


def _variant_lookup(groups: Mapping[str, Sequence[str]]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name, variants in groups.items():
        canonical = _respell(ascii_word(name))
        for spelling in (name, *variants):
            if lookup.setdefault(_respell(ascii_word(spelling)), canonical) != canonical:
                raise ValueError(f"name variant {spelling!r} is listed under two names")
    return lookup


_VARIANT_OF = _variant_lookup(_VARIANTS)  # built with every step on, before any ablation


# Linkage asks for the same few thousand words millions of times; the functions are pure.
@lru_cache(maxsize=1 << 16)
def canonical_token(token: str) -> str:
    """The matching key of one name word: old and new spellings and common variants agree.

    `Djoko`, `Joko` -> `yoko`; `Soekarno` -> `sukarno`; `Mochammad`, `Moh.` -> `muhammad`. Not a display
    form. Anything but a-z and 0-9 is dropped (accents are folded first), so the result may be empty.
    """
    word = _respell(ascii_word(token))
    return _VARIANT_OF.get(word, word) if step_enabled("variants") else word


# --- Sound: phonetic_key -------------------------------------------------------------------------

# Why not Soundex, Metaphone or Double Metaphone: they encode English phonology. They read "c" as k or
# s (Indonesian c is always /tʃ/: Cahyono), treat "gh", "ph", "th" and silent letters the English way,
# and know nothing of the spellings Indonesian writes the same sound with: f ~ p (Fatimah / Patimah,
# Sundanese has no f), z ~ s and dz ~ z ~ s for Arabic loans, kh ~ k, sy ~ s, ts ~ s, a weak h that
# comes and goes (Rahmat / Ramat, Sarah / Sara), and doubled letters (Sitti / Siti).
_SOUND_PAIRS = {"kh": "k", "sy": "s", "sh": "s", "dz": "s", "ts": "s", "th": "t", "dh": "d", "ph": "p"}
_SOUND_LETTERS = {"f": "p", "v": "p", "z": "s", "q": "k", "x": "ks"}
_VOWELS = frozenset("aeiou")


def _sounds(word: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _SOUND_PAIRS:
            out.append(_SOUND_PAIRS[pair])
            i += 2
        else:
            out.append(_SOUND_LETTERS.get(word[i], word[i]))
            i += 1
    return "".join(out)


def _collapse_repeats(word: str) -> str:
    return "".join(ch for i, ch in enumerate(word) if i == 0 or ch != word[i - 1])


def _is_vowel_at(word: str, i: int) -> bool:
    # "y" before a consonant or at the end is a vowel written the English way (Andy, Dedy, Yuly).
    if word[i] == "y":
        return i + 1 == len(word) or word[i + 1] not in _VOWELS
    return word[i] in _VOWELS


@lru_cache(maxsize=1 << 16)
def phonetic_key(token: str) -> str:
    """An Indonesian sound key for one name word: the first letter, then the consonants.

    `Muhammad`, `Mohammad` -> `mmd`; `Nurhaliza`, `Nurhalisa` -> `nrls`; `Fatimah`, `Fatima` -> `ptm`.
    Empty only when `canonical_token` is empty (a word with no a-z or 0-9 in it).
    """
    word = canonical_token(token)
    if not word:
        return ""
    word = _sounds(word)
    word = word[0] + word[1:].replace("h", "")  # the weak h: Rahmat ~ Ramat, Sarah ~ Sara
    word = _collapse_repeats(word)
    return word[0] + "".join(word[i] for i in range(1, len(word)) if not _is_vowel_at(word, i))


# --- Common tokens -------------------------------------------------------------------------------

# Tokens that thousands of unrelated people share, so a match on them says little. Linkage down-weights
# them. Balinese: the gender markers I / Ni (and Luh, Iluh), birth-order names (Wayan, Putu, Gede,
# Made, Kadek, Nengah, Nyoman, Komang, Ketut, "Wayan Balik" for the fifth child) and caste titles
# (Ida Bagus, Ida Ayu, Anak Agung, Cokorda, Gusti, Ngurah, Dewa, Desak, Sang). Javanese / Indonesian
# ordinals used as first names: Eka, Dwi, Tri, Catur, Panca. The most frequent Arabic-derived particles
# and names (Muhammad, Ahmad, Abdul, Nur, Nurul, Siti), Sri, Bugis Andi, and Putra / Putri, which
# are used as son / daughter markers. Entries are canonical tokens.
COMMON_TOKENS = frozenset(
    {
        "i", "ni", "luh", "iluh", "wayan", "putu", "gede", "made", "kadek", "nengah", "nyoman", "komang",
        "ketut", "balik", "ida", "bagus", "ayu", "anak", "agung", "cokorda", "gusti", "ngurah", "dewa",
        "desak", "sang",
        "eka", "dwi", "tri", "catur", "panca",
        "muhammad", "ahmad", "abdul", "nur", "nurul", "siti", "sri", "andi", "putra", "putri",
    }
)  # fmt: skip


def is_common_token(token: str) -> bool:
    """True for tokens shared so widely that they identify little (Wayan, Made, Muhammad, Siti ...)."""
    return canonical_token(token) in COMMON_TOKENS


clears_with_steps(canonical_token.cache_clear)
clears_with_steps(phonetic_key.cache_clear)
