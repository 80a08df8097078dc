"""Indonesian personal names for record linkage: spelling keys, phonetic keys and name parsing.

The same person is written differently by a clinic, the civil registry, a shelter and the police:
old and new spellings (Soeharto / Suharto), a dozen spellings of Muhammad, titles and degrees
("Hj. Siti Aminah, S.Pd."), the father's name after bin/binti, Balinese birth-order names that
thousands share, and newborns registered under their mother's name ("By. Ny. Yuli"). This module
turns a written name into keys that agree across those variations. It only ever *adds* matching keys:
the written form stays in `ParsedName.original` and `ParsedName.basic`.

The word keys are in `jaga.names.spelling`, the ablation switches in `jaga.names.steps`; this module
parses whole names and re-exports both, so `jaga.names.indonesian` names everything it always did.

Pure: standard library and the other modules of `jaga.names` only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from jaga.names.normalise import basic_form
from jaga.names.spelling import COMMON_TOKENS, ascii_word, canonical_token, is_common_token, phonetic_key
from jaga.names.steps import STEPS, disabled_steps, step_enabled, without_steps

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
_DEGREES = {ascii_word(degree): degree.lower() for degree in _DEGREE_NAMES}
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
        tuple(token for token in tokens if token in COMMON_TOKENS) if step_enabled("common_tokens") else ()
    )
    return ParsedName(
        original, basic_form(original), tokens, (*titles, *degrees), patronym, False, (), common
    )
