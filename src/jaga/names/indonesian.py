"""Indonesian personal names for record linkage: spelling keys, phonetic keys and name parsing.

The same person is written differently by a clinic, the civil registry, a shelter and the police:
old and new spellings (Soeharto / Suharto), a dozen spellings of Muhammad, titles and degrees
("Hj. Siti Aminah, S.Pd."), the father's name after bin/binti, Balinese birth-order names that
thousands share, and newborns registered under their mother's name ("By. Ny. Yuli"). This module
turns a written name into keys that agree across those variations. It only ever *adds* matching keys:
the written form stays in `ParsedName.original` and `ParsedName.basic`.

Pure: standard library and `jaga.names.normalise` only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from jaga.names.normalise import basic_form

__all__ = [
    "STEPS",
    "ParsedName",
    "canonical_token",
    "disabled_steps",
    "is_common_token",
    "parse_name",
    "phonetic_key",
    "step_enabled",
    "without_steps",
]


# --- Ablation: each normalisation step can be switched off to measure what it is worth ---------------

# The steps `parse_name` and the keys apply, by name. `jaga bench link --ablation` links with each one
# switched off in turn (docs/linkage.md "Name normalisation, step by step"); nothing else switches them.
STEPS: Mapping[str, str] = {
    "old_spelling": "pre-1972 spellings (oe, dj, tj, j ...) to today's",
    "variants": "Arabic-derived and other variant spellings (Muhammad, Moch., Achmad ...)",
    "abbreviations": "Balinese abbreviations and a first-name M. as Muhammad",
    "titles": "titles and forms of address before the name (H., Hj., Ny., dr. ...)",
    "degrees": "degrees after the name (S.Pd., M.Kes. ...)",
    "patronym": "bin / binti and the father's name after them",
    "placeholders": "newborn placeholders (By. Ny. <mother>) read as the mother's name",
    "common_tokens": "common and birth-order names left out of the distinctive names",
    "phonetic": "the Indonesian phonetic key",
    "token_order": "the sorted-token key (names in another order)",
}
_disabled: frozenset[str] = frozenset()


def step_enabled(step: str) -> bool:
    return step not in _disabled


def disabled_steps() -> frozenset[str]:
    return _disabled


@contextmanager
def without_steps(steps: Iterable[str]) -> Iterator[None]:
    """Switch normalisation steps off for the block (for ablation only). Not thread-safe: it changes module
    state and clears the caches, so it is for benchmarks, never for a server."""
    global _disabled
    chosen = frozenset(steps)
    if unknown := chosen - set(STEPS):
        raise ValueError(f"unknown name normalisation steps: {sorted(unknown)}")
    previous = _disabled
    _disabled = chosen
    _clear_caches()
    try:
        yield
    finally:
        _disabled = previous
        _clear_caches()


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


def _ascii_word(text: str) -> str:
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
        canonical = _respell(_ascii_word(name))
        for spelling in (name, *variants):
            if lookup.setdefault(_respell(_ascii_word(spelling)), canonical) != canonical:
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
    word = _respell(_ascii_word(token))
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
_COMMON_TOKENS = frozenset(
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
    return canonical_token(token) in _COMMON_TOKENS


# --- Titles, degrees and the other words that are not the person's own name ---------------------

# Titles and forms of address written before the name, keyed by their words as `basic_form` leaves
# them (dots gone: "K.H." is the two words k, h). Balinese caste names (Ida Bagus, Anak Agung ...) are
# not here: they are part of the name and count as common tokens instead.
_FRONT_TITLES: Mapping[tuple[str, ...], str] = {
    ("h",): "haji", ("haji",): "haji",
    ("hj",): "hajjah", ("hajjah",): "hajjah", ("hajah",): "hajjah",
    ("k", "h"): "kyai haji", ("kh",): "kyai haji", ("kyai",): "kyai", ("kiai",): "kyai",
    ("ust",): "ustadz", ("ustadz",): "ustadz", ("ustad",): "ustadz", ("ustaz",): "ustadz",
    ("ustazah",): "ustadzah", ("ustadzah",): "ustadzah",
    ("syekh",): "syekh", ("syeikh",): "syekh", ("syech",): "syekh",
    ("dr",): "dr", ("drg",): "drg", ("drs",): "drs", ("dra",): "dra", ("ir",): "ir", ("prof",): "prof",
    ("ns",): "ners", ("bd",): "bidan", ("apt",): "apoteker", ("pdt",): "pendeta",
    ("r",): "raden", ("raden",): "raden",
    ("rr",): "raden roro", ("raden", "roro"): "raden roro",
    ("r", "a"): "raden ayu", ("ra",): "raden ayu", ("raden", "ayu"): "raden ayu",
    ("raden", "ajeng"): "raden ajeng",
    ("r", "m"): "raden mas", ("rm",): "raden mas", ("raden", "mas"): "raden mas",
    ("mas",): "mas",
    ("tb",): "tubagus", ("tubagus",): "tubagus",
    ("t",): "teuku", ("teuku",): "teuku", ("cut",): "cut",
    ("tgk",): "teungku", ("teungku",): "teungku", ("tengku",): "tengku",
    ("sdr",): "saudara", ("sdra",): "saudara", ("sdri",): "saudari",
    ("bpk",): "bapak", ("bp",): "bapak", ("bapak",): "bapak", ("ibu",): "ibu",
    ("ny",): "nyonya", ("nyonya",): "nyonya", ("nn",): "nona", ("nona",): "nona",
    ("tn",): "tuan", ("tuan",): "tuan",
}  # fmt: skip
_LONGEST_FRONT_TITLE = max(len(words) for words in _FRONT_TITLES)

# Academic and professional degrees written after the name in their usual Indonesian abbreviations
# (S. = sarjana, M. = magister, A.Md. = ahli madya diploma, Sp. = medical specialist, Gr. = certified
# teacher), with the midwife and nurse diplomas that clinic records carry. Keyed by their letters.
_DEGREE_NAMES = (
    "S.Pd", "S.Pd.I", "S.Pd.SD", "S.E", "S.E.I", "S.H", "S.H.I", "S.Kom", "S.Ag", "S.Sos", "S.Sos.I",
    "S.Kep", "S.Keb", "S.Ked", "S.T", "S.Si", "S.IP", "S.Psi", "S.Farm", "S.Gz", "S.KM", "S.Kes",
    "S.Hum", "S.S", "S.Ak", "S.ST", "S.Sy", "S.Th", "S.Ds", "S.I.Kom", "S.Tr.Keb", "S.Tr.Kes",
    "S.Tr.Kep", "M.Pd", "M.Pd.I", "M.Si", "M.M", "M.Kes", "M.Keb", "M.Kep", "M.H", "M.Hum", "M.Ag",
    "M.Kom", "M.T", "M.Sc", "M.A", "M.B.A", "M.P.H", "M.Psi", "M.Eng", "A.Md", "A.Md.Keb", "A.Md.Kep",
    "A.Md.Kes", "A.Md.Farm", "A.Md.Gz", "A.Ma", "A.Ma.Pd", "Ph.D", "B.Sc", "Lc", "Gr", "Apt",
    "Sp.OG", "Sp.A", "Sp.PD", "Sp.B", "Sp.An", "Sp.M", "Sp.THT", "Sp.KK", "Sp.JP", "Sp.S", "Sp.Rad",
    "Sp.P",
)  # fmt: skip
_DEGREES = {_ascii_word(degree): degree.lower() for degree in _DEGREE_NAMES}
_LONGEST_DEGREE = max(len(degree.split(".")) for degree in _DEGREE_NAMES)
# Degrees whose letters are also a plausible name (Ma is a Chinese-Indonesian name): after the name and
# without a comma, these count as a degree only when written with a dot.
_NAME_LIKE_DEGREES = frozenset({"ma", "ama"})

# Markers of the father's name: "Abdullah bin Umar", "Siti binti Ahmad" and their abbreviations.
_PATRONYM_MARKERS = frozenset({"bin", "binti", "binte", "bt", "bte", "bn", "ibnu"})

# Balinese records abbreviate the birth-order and caste names ("I Md. Sutama", "I Gst. Ngr. Rai").
# Only expanded in a Balinese name (one that opens with I, Ni, Ida or Gusti): elsewhere Md. is Muhammad.
_BALINESE_OPENERS = frozenset({"i", "ni", "ida", "gusti", "gst"})
_BALINESE_ABBREVIATIONS = {
    "md": "made", "pt": "putu", "kt": "ketut", "km": "komang", "kd": "kadek", "gd": "gede",
    "ngh": "nengah", "nym": "nyoman", "wyn": "wayan", "gst": "gusti", "ngr": "ngurah", "bgs": "bagus",
}  # fmt: skip

# Names facilities give a newborn before it has one: "By. Ny. Yuli", "Bayi laki-laki Ny. Yuli",
# "Anak dari Yuli". The words are grammar; what follows is the mother's name.
_BABY_WORDS = frozenset({"by", "bayi"})
_SEX_WORDS = frozenset({"laki", "lakilaki", "laki2", "lk", "perempuan", "pr", "pria", "wanita"})
_MOTHER_WORDS = frozenset({"ny", "nyonya", "nn", "nona", "ibu", "bu"})
# Twin and order suffixes after the mother's name: "By. Ny. Yuli II", "Bayi Ny. Sari kembar 1".
_BIRTH_ORDER_WORDS = frozenset({"kembar", "i", "ii", "iii", "iv"})


class _Word(NamedTuple):
    text: str  # basic_form of the word: lower-case letters and digits
    dotted: bool  # written with a dot right after it, as abbreviations are


def _words(text: str) -> list[_Word]:
    """Words of `text`, split at spaces and dots ("H.Ahmad" and "S.Pd" are two words each)."""
    words: list[_Word] = []
    for piece in re.findall(r"[^\s.]+\.?", text):
        parts = basic_form(piece).split()
        words.extend(_Word(part, piece.endswith(".") and i == len(parts) - 1) for i, part in enumerate(parts))
    return words


def _texts(words: Iterable[_Word]) -> tuple[str, ...]:
    return tuple(word.text for word in words)


def _read_degrees(words: Sequence[_Word]) -> list[str] | None:
    """The degrees `words` consist of ("S.Pd., M.Pd." after a comma), or None if anything else is there."""
    degrees: list[str] = []
    start = 0
    while start < len(words):
        for size in range(min(_LONGEST_DEGREE, len(words) - start), 0, -1):
            letters = "".join(_texts(words[start : start + size]))
            if letters in _DEGREES:
                degrees.append(_DEGREES[letters])
                start += size
                break
        else:
            return None
    return degrees


def _trailing_degree(words: Sequence[_Word]) -> tuple[int, str] | None:
    """(its word count, the degree) for a degree ending `words`, leaving at least one name word.

    Without a comma, a degree of several words needs a dot among them ("S. Pd" yes, initials "S H"
    no), and a lone "S" is an initial, not a degree.
    """
    for size in range(min(_LONGEST_DEGREE, len(words) - 1), 0, -1):
        run = words[-size:]
        letters = "".join(_texts(run))
        if letters not in _DEGREES:
            continue
        dotted = any(word.dotted for word in run)
        if dotted or (size == 1 and letters not in _NAME_LIKE_DEGREES):
            return size, _DEGREES[letters]
    return None


def _strip_degrees(text: str) -> tuple[list[_Word], list[str]]:
    """The name's words and its degrees, read from the original text (commas and dots matter).

    Comma-separated parts that are all degrees are degrees ("Siti Aminah, S.Pd., M.Pd."); any other part
    is more name ("Aminah, Siti"). Degrees also end the name without a comma ("Siti Aminah SPd").
    """
    if not step_enabled("degrees"):
        return _words(text.replace(",", " ")), []
    name_part, *rest = text.split(",")
    words = _words(name_part)
    degrees: list[str] = []
    for part in rest:
        part_words = _words(part)
        part_degrees = _read_degrees(part_words)
        if part_degrees is None:
            words.extend(part_words)
        else:
            degrees.extend(part_degrees)
    trailing: list[str] = []
    while found := _trailing_degree(words):
        size, degree = found
        del words[-size:]
        trailing.insert(0, degree)
    return words, trailing + degrees


def _strip_front_titles(words: Sequence[_Word]) -> tuple[list[str], list[_Word]]:
    """Titles and forms of address before the name. A title never takes the last word: "Prof" alone,
    "Mas" alone or "Haji" alone are kept as a name."""
    titles: list[str] = []
    start = 0
    if not step_enabled("titles"):
        return titles, list(words)
    while True:
        for size in range(min(_LONGEST_FRONT_TITLE, len(words) - start - 1), 0, -1):
            title = _FRONT_TITLES.get(_texts(words[start : start + size]))
            if title is not None:
                titles.append(title)
                start += size
                break
        else:
            return titles, list(words[start:])


def _split_patronym(words: Sequence[_Word]) -> tuple[list[_Word], list[_Word]]:
    """(own name, father's name) at the first bin/binti with a name on both sides.

    "Ibnu Hajar" (first word) and a trailing "Bin" (a Chinese given name, or a cut-off record) stay
    name words. Further markers in the father's part ("bin Umar bin Khattab") are dropped.
    """
    if not step_enabled("patronym"):
        return list(words), []
    for i in range(1, len(words) - 1):
        if words[i].text in _PATRONYM_MARKERS:
            father = [word for word in words[i + 1 :] if word.text not in _PATRONYM_MARKERS]
            return list(words[:i]), father
    return list(words), []


def _expand_abbreviations(texts: Sequence[str]) -> list[str]:
    """Balinese abbreviations in a Balinese name, and a first-name "M." as Muhammad ("M. Rizky")."""
    expanded = list(texts)
    if not step_enabled("abbreviations"):
        return expanded
    if expanded and expanded[0] in _BALINESE_OPENERS:
        expanded = [_BALINESE_ABBREVIATIONS.get(text, text) for text in expanded]
    if len(expanded) > 1 and expanded[0] == "m":
        expanded[0] = "muhammad"
    return expanded


def _canonical_tokens(words: Sequence[_Word]) -> tuple[str, ...]:
    tokens = (canonical_token(text) for text in _expand_abbreviations(_texts(words)))
    return tuple(token for token in tokens if token)


def _person(words: Sequence[_Word]) -> tuple[list[str], tuple[str, ...], tuple[str, ...]]:
    """(titles, own name tokens, father's name tokens) of one person's name."""
    titles, words = _strip_front_titles(words)
    own, father = _split_patronym(words)
    _, father = _strip_front_titles(father)  # the father's titles ("binti H. Ahmad") are his, not ours
    return titles, _canonical_tokens(own), _canonical_tokens(father)


def _placeholder_mother(words: Sequence[_Word]) -> list[_Word] | None:
    """The mother's name words in a newborn placeholder name, or None if it is not one."""
    texts = _texts(words)
    if not texts or not step_enabled("placeholders"):
        return None
    child_of = texts[0] == "anak" and len(texts) > 1 and (texts[1] == "dari" or texts[1] in _MOTHER_WORDS)
    if texts[0] not in _BABY_WORDS and not child_of:
        return None
    start = 1
    while start < len(texts) and texts[start] in _SEX_WORDS:
        start += 1
    if start < len(texts) and texts[start] == "dari":
        start += 1
    if start < len(texts) and texts[start] in _MOTHER_WORDS:
        start += 1
    end = len(texts)
    while end > start + 1 and (texts[end - 1] in _BIRTH_ORDER_WORDS or texts[end - 1].isdigit()):
        end -= 1
    return list(words[start:end])


@dataclass(frozen=True)
class ParsedName:
    """A written name taken apart for linkage. Token fields hold `canonical_token` keys."""

    original: str
    basic: str
    tokens: tuple[str, ...]
    titles: tuple[str, ...]
    patronym: tuple[str, ...]
    placeholder: bool
    mother: tuple[str, ...]
    common: tuple[str, ...]

    @property
    def canonical(self) -> str:
        return " ".join(self.tokens)

    @property
    def sorted_key(self) -> str:
        """The tokens in sorted order: Indonesian names have no fixed order ("Aminah Siti")."""
        return " ".join(sorted(self.tokens))

    @property
    def distinctive(self) -> tuple[str, ...]:
        """The tokens that are not common; all tokens when every one is common ("Made Ayu")."""
        rare = tuple(token for token in self.tokens if token not in self.common)
        return rare or self.tokens

    @property
    def mononym(self) -> bool:
        return len(self.tokens) == 1 and not self.placeholder

    @property
    def phonetic(self) -> str:
        return " ".join(sorted(phonetic_key(token) for token in self.tokens))

    @property
    def first(self) -> str | None:
        return self.distinctive[0] if self.distinctive else None

    @property
    def last(self) -> str | None:
        return self.distinctive[-1] if self.distinctive else None


def parse_name(name: str | None) -> ParsedName:
    """Take a written Indonesian name apart: own name tokens, titles, father's name, newborn placeholder.

    `"Hj. Siti Aminah binti H. Ahmad, S.Pd."` -> tokens (siti, aminah), titles (hajjah, s.pd),
    patronym (ahmad). `"By. Ny. Yuli"` -> placeholder, tokens (), mother (yuli). Titles of a placeholder's
    mother or of a father are not kept: `titles` describes the person named.
    """
    original = name or ""
    words, degrees = _strip_degrees(original)
    mother_words = _placeholder_mother(words)
    if mother_words is not None:
        _, mother, _ = _person(mother_words)
        return ParsedName(original, basic_form(original), (), (), (), True, mother, ())
    titles, tokens, patronym = _person(words)
    common = (
        tuple(token for token in tokens if token in _COMMON_TOKENS) if step_enabled("common_tokens") else ()
    )
    return ParsedName(
        original, basic_form(original), tokens, (*titles, *degrees), patronym, False, (), common
    )


def _clear_caches() -> None:
    canonical_token.cache_clear()
    phonetic_key.cache_clear()
