from __future__ import annotations

import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaga.names import (
    STEPS,
    ParsedName,
    canonical_token,
    is_common_token,
    parse_name,
    phonetic_key,
    step_enabled,
    without_steps,
)

# --- canonical_token: spelling reforms ------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("Soeharto", "Suharto", "suharto"),
        ("Soekarno", "Sukarno", "sukarno"),
        ("Oemar", "Umar", "umar"),
        ("Djoko", "Joko", "yoko"),
        ("Djuanda", "Juanda", "yuanda"),
        ("Tjipto", "Cipto", "cipto"),
        ("Tjahjono", "Cahyono", "cahyono"),
        ("Jusuf", "Yusuf", "yusuf"),
        ("Joesoef", "Yusuf", "yusuf"),
        ("Hidajat", "Hidayat", "hidayat"),
        ("Wahjudi", "Wahyudi", "wahyudi"),
        ("Soenjoto", "Sunyoto", "sunyoto"),
        ("Njoman", "Nyoman", "nyoman"),
        ("Sjamsul", "Syamsul", "syamsul"),
        ("Sjarifuddin", "Syarifuddin", "syarifuddin"),
        ("Chairul", "Khairul", "khairul"),
        ("Chusnul", "Khusnul", "khusnul"),
    ],
)
def test_old_and_new_spellings_share_one_key(old: str, new: str, key: str) -> None:
    assert canonical_token(old) == key
    assert canonical_token(new) == key


def test_a_written_j_is_read_both_ways() -> None:
    # Old "j" is today's y, today's "j" is the old dj: all three collapse.
    assert canonical_token("Djoko") == canonical_token("Joko") == canonical_token("Yoko") == "yoko"


def test_the_old_spelling_pass_runs_left_to_right_once_per_letter() -> None:
    # "tj" is read before "j" on its own, "oe" before "e".
    assert canonical_token("Tjoetjoe") == "cucu"
    # Tjhin -> chin -> khin: the second pass reads the "ch" the first one left.
    assert canonical_token("Tjhin") == canonical_token("Chin") == "khin"


# --- canonical_token: the variant table -----------------------------------------------------------

VARIANT_GROUPS = {
    "muhammad": [
        "Muhammad", "Muhamad", "Mohammad", "Mohamad", "Mochammad", "Mochamad", "Moch", "Moh", "Muh",
        "Mhd", "Mohd", "Md", "Mohamed", "Moehammad", "Mukhamad", "Much",
    ],
    "ahmad": ["Ahmad", "Achmad", "Akhmad", "Ahmat", "Achmat"],
    "abdul": ["Abdul", "Abd", "Abdoel"],
    "nur": ["Nur", "Noor", "Nor", "Noer"],
    "siti": ["Siti", "Sitti"],
    "fatimah": ["Fatimah", "Fatima", "Patimah"],
    "aisyah": ["Aisyah", "Aisah", "Aishah", "Aisya", "Aysah", "Aisjah"],
    "zainab": ["Zainab", "Zaenab", "Sainab"],
    "rahmat": ["Rahmat", "Rachmat", "Rahmad"],
    "hidayat": ["Hidayat", "Hidajat"],
    "yusuf": ["Yusuf", "Yusup", "Jusuf", "Joesoef"],
    "abdullah": ["Abdullah", "Abdulah", "Abdoellah"],
    "rizki": ["Rizki", "Rizky", "Riski", "Rezki"],
    "dewi": ["Dewi", "Dewy"],
    "sri": ["Sri", "Sry"],
    "eko": ["Eko", "Ekko"],
    "usman": ["Usman", "Utsman", "Oesman"],
    "khadiyah": ["Khadijah", "Khodijah", "Chadidjah"],
    "candra": ["Candra", "Chandra", "Tjandra"],
    "cokorda": ["Cokorda", "Tjokorda", "Tjokorde"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("key", "spelling"),
    [(key, spelling) for key, spellings in VARIANT_GROUPS.items() for spelling in spellings],
)
def test_variant_spellings_share_one_key(key: str, spelling: str) -> None:
    assert canonical_token(spelling) == key


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Budi", "Bayu"),
        ("Agus", "Anis"),
        ("Siti", "Sinta"),
        ("Muhammad", "Mahmud"),
        ("Ahmad", "Ahmadi"),
        ("Nur", "Nurul"),
    ],
)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert canonical_token(one) != canonical_token(other)


def test_a_lone_m_is_muhammad_only_as_a_first_name() -> None:
    assert canonical_token("M") == "m"
    assert parse_name("M. Rizky").tokens == ("muhammad", "rizki")
    assert parse_name("Rizky M.").tokens == ("rizki", "m")


@pytest.mark.parametrize(
    "written",
    [
        "Muhammad Rizky",
        "M. Rizky",
        "M Rizky",
        "Moch. Rizky",
        "Mochammad Rizki",
        "Moh Riski",
        "Mhd. Rezki",
        "Muh. Rizqi",
    ],
)
def test_muhammad_forms_and_abbreviations_parse_alike(written: str) -> None:
    assert parse_name(written).tokens == ("muhammad", "rizki")


@pytest.mark.parametrize(
    ("token", "key"),
    [
        ("SITI", "siti"),
        ("Ámínah", "aminah"),
        ("Ma'ruf", "maruf"),
        ("Nur-Halizah", "nurhalizah"),
        ("Søren", "soren"),
        ("李", ""),
        ("", ""),
    ],
)
def test_canonical_token_is_ascii_letters_and_digits(token: str, key: str) -> None:
    assert canonical_token(token) == key


# --- phonetic_key ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ["muhammad", "muhamad", "mohammad", "Mochamad"],
        ["siti", "sitti"],
        ["nurhaliza", "nurhalisa"],
        ["yusuf", "yusup", "jusuf", "joesoef", "Yoesoef"],
        ["fatimah", "fatima", "Patimah", "Fathimah"],
        ["rahmat", "ramat"],
        ["sarah", "sara"],
        ["khairul", "chairul", "kairul"],
        ["syamsul", "samsul", "sjamsul"],
        ["zulkifli", "sulkifli", "dzulkifli"],
        ["utsman", "usman"],
        ["ramadhan", "ramadan"],
        ["andy", "andi"],
        ["dedy", "dedi", "deddy"],
        ["rizqi", "riski", "rizky"],
        ["vivi", "fifi", "pipi"],
    ],
)
def test_phonetic_key_joins_spellings_of_one_sound(spellings: list[str]) -> None:
    keys = {phonetic_key(spelling) for spelling in spellings}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("budi", "bayu"),
        ("agus", "anis"),
        ("siti", "sari"),
        ("wahyu", "wawan"),
        ("cahyono", "kahyono"),
        ("dewi", "dodi"),
    ],
)
def test_phonetic_key_keeps_different_names_apart(one: str, other: str) -> None:
    assert phonetic_key(one) != phonetic_key(other)


@pytest.mark.parametrize(
    ("token", "key"),
    [
        ("muhammad", "mmd"),
        ("budi", "bd"),
        ("agus", "ags"),
        ("cahyono", "cyn"),
        ("nyoman", "nymn"),
        ("xaverius", "ksprs"),
    ],
)
def test_phonetic_key_is_the_first_letter_then_consonants(token: str, key: str) -> None:
    assert phonetic_key(token) == key


def test_c_is_its_own_sound_not_k_or_s() -> None:
    # Indonesian c is /tʃ/: Cipto is neither Kipto nor Sipto.
    assert phonetic_key("cipto") not in {phonetic_key("kipto"), phonetic_key("sipto")}


def test_phonetic_key_of_a_word_without_letters_is_empty() -> None:
    assert phonetic_key("") == ""
    assert phonetic_key("--") == ""


# --- titles and degrees ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "tokens", "titles"),
    [
        ("H. Ahmad", ("ahmad",), ("haji",)),
        ("H Ahmad", ("ahmad",), ("haji",)),
        ("H.Ahmad Fauzi", ("ahmad", "fauzi"), ("haji",)),
        ("Hj. Siti Aminah", ("siti", "aminah"), ("hajjah",)),
        ("Haji Ahmad", ("ahmad",), ("haji",)),
        ("Hajjah Siti", ("siti",), ("hajjah",)),
        ("K.H. Hasyim Asyari", ("hasyim", "asyari"), ("kyai haji",)),
        ("KH Hasyim Asyari", ("hasyim", "asyari"), ("kyai haji",)),
        ("Kyai Ahmad", ("ahmad",), ("kyai",)),
        ("Kiai Ahmad", ("ahmad",), ("kyai",)),
        ("Ust. Abdul Somad", ("abdul", "somad"), ("ustadz",)),
        ("Ustadz Abdul Somad", ("abdul", "somad"), ("ustadz",)),
        ("Ustazah Mumpuni", ("mumpuni",), ("ustadzah",)),
        ("Dr. Budi Santoso", ("budi", "santoso"), ("dr",)),
        ("dr. Budi Santoso", ("budi", "santoso"), ("dr",)),
        ("Drs. Budi Santoso", ("budi", "santoso"), ("drs",)),
        ("Dra. Sri Mulyani", ("sri", "mulyani"), ("dra",)),
        ("Ir. Soekarno", ("sukarno",), ("ir",)),
        ("Prof. Dr. Ir. H. Budi", ("budi",), ("prof", "dr", "ir", "haji")),
        ("R. Soeprapto", ("suprapto",), ("raden",)),
        ("Raden Soeprapto", ("suprapto",), ("raden",)),
        ("Rr. Sri Wulan", ("sri", "wulan"), ("raden roro",)),
        ("Raden Roro Sri Wulan", ("sri", "wulan"), ("raden roro",)),
        ("R.A. Kartini", ("kartini",), ("raden ayu",)),
        ("Raden Ayu Kartini", ("kartini",), ("raden ayu",)),
        ("Mas Agus", ("agus",), ("mas",)),
        ("Tb. Hasanuddin", ("hasanuddin",), ("tubagus",)),
        ("Tubagus Hasanuddin", ("hasanuddin",), ("tubagus",)),
        ("T. Umar", ("umar",), ("teuku",)),
        ("Teuku Umar", ("umar",), ("teuku",)),
        ("Cut Nyak Dhien", ("nyak", "dhien"), ("cut",)),
        ("Tgk. Daud", ("daud",), ("teungku",)),
        ("Teungku Daud", ("daud",), ("teungku",)),
        ("Sdr. Budi", ("budi",), ("saudara",)),
        ("Sdri. Ani", ("ani",), ("saudari",)),
        ("Bpk. Budi", ("budi",), ("bapak",)),
        ("Bapak Budi", ("budi",), ("bapak",)),
        ("Ibu Ani", ("ani",), ("ibu",)),
        ("Ny. Yuli", ("yuli",), ("nyonya",)),
        ("Nyonya Yuli", ("yuli",), ("nyonya",)),
        ("Tn. Budi", ("budi",), ("tuan",)),
        ("Tuan Budi", ("budi",), ("tuan",)),
        ("Bd. Siti", ("siti",), ("bidan",)),
        ("Ns. Siti", ("siti",), ("ners",)),
        ("Pdt. Yohanes", ("yohanes",), ("pendeta",)),
        ("R.M. Suryo", ("suryo",), ("raden mas",)),
        ("Raden Mas Said", ("said",), ("raden mas",)),
        ("Nn. Sari", ("sari",), ("nona",)),
    ],
)
def test_titles_before_the_name_are_removed_and_kept(
    written: str, tokens: tuple[str, ...], titles: tuple[str, ...]
) -> None:
    parsed = parse_name(written)
    assert parsed.tokens == tokens
    assert parsed.titles == titles


@pytest.mark.parametrize(
    ("written", "tokens", "titles"),
    [
        ("Siti Aminah, S.Pd.", ("siti", "aminah"), ("s.pd",)),
        ("Siti Aminah, S.Pd", ("siti", "aminah"), ("s.pd",)),
        ("Siti Aminah S.Pd", ("siti", "aminah"), ("s.pd",)),
        ("Siti Aminah SPd", ("siti", "aminah"), ("s.pd",)),
        ("Siti Aminah S. Pd", ("siti", "aminah"), ("s.pd",)),
        ("Siti Aminah, S.Pd.I", ("siti", "aminah"), ("s.pd.i",)),
        ("Budi, S.E.", ("budi",), ("s.e",)),
        ("Budi SE", ("budi",), ("s.e",)),
        ("Budi Santoso, S.H., M.H.", ("budi", "santoso"), ("s.h", "m.h")),
        ("Budi, S.Kom", ("budi",), ("s.kom",)),
        ("Budi, S.Ag", ("budi",), ("s.ag",)),
        ("Budi, S.Sos", ("budi",), ("s.sos",)),
        ("Ani, S.Kep", ("ani",), ("s.kep",)),
        ("Ani, S.Keb", ("ani",), ("s.keb",)),
        ("Ani, S.Ked", ("ani",), ("s.ked",)),
        ("Budi, S.T.", ("budi",), ("s.t",)),
        ("Budi, S.Si", ("budi",), ("s.si",)),
        ("Budi, S.IP", ("budi",), ("s.ip",)),
        ("Budi, M.Si", ("budi",), ("m.si",)),
        ("Budi, M.M.", ("budi",), ("m.m",)),
        ("Budi, M.Kes", ("budi",), ("m.kes",)),
        ("Ani, Amd", ("ani",), ("a.md",)),
        ("Ani, A.Md", ("ani",), ("a.md",)),
        ("Ani, A.Md.Keb", ("ani",), ("a.md.keb",)),
        ("Ani Amd.Keb", ("ani",), ("a.md.keb",)),
        ("Ani, Amd.Kep", ("ani",), ("a.md.kep",)),
        ("Budi, Ph.D", ("budi",), ("ph.d",)),
        ("dr. Budi, Sp.OG", ("budi",), ("dr", "sp.og")),
        ("dr. Ani, Sp.A", ("ani",), ("dr", "sp.a")),
        ("Hj. Siti Aminah, S.Pd., M.Pd.", ("siti", "aminah"), ("hajjah", "s.pd", "m.pd")),
        ("Hj. Siti Aminah S.Pd M.Pd", ("siti", "aminah"), ("hajjah", "s.pd", "m.pd")),
        ("Dr. H. Ahmad Fauzi, S.Ag., M.Si.", ("ahmad", "fauzi"), ("dr", "haji", "s.ag", "m.si")),
        ("Siti Aminah, S.Pd., Gr.", ("siti", "aminah"), ("s.pd", "gr")),
    ],
)
def test_degrees_after_the_name_are_removed_and_kept(
    written: str, tokens: tuple[str, ...], titles: tuple[str, ...]
) -> None:
    parsed = parse_name(written)
    assert parsed.tokens == tokens
    assert parsed.titles == titles


@pytest.mark.parametrize(
    ("written", "tokens"),
    [
        ("Masitoh", ("masitoh",)),
        ("Hajar", ("hayar",)),  # j -> y: keys, not display forms
        ("Siti Hajar", ("siti", "hayar")),
        ("Drajat", ("drayat",)),
        ("Irwan", ("irwan",)),
        ("Haryanto", ("haryanto",)),
        ("Raditya", ("raditya",)),
        ("Cuttini", ("cuttini",)),
        ("Ibunda", ("ibunda",)),
        ("Tuani", ("tuani",)),
        ("Hadi Mas", ("hadi", "mas")),  # an honorific only before the name
        ("Budi S", ("budi", "s")),  # a lone trailing S is an initial
        ("Budi S.", ("budi", "s")),
        ("Budi S H", ("budi", "s", "h")),  # initials without dots are not S.H.
        ("Budi Ma", ("budi", "ma")),  # Ma is a name; M.A. needs its dots
        ("Ani Sekar", ("ani", "sekar")),
        ("Aminah, Siti", ("aminah", "siti")),  # a comma part that is not degrees is name
    ],
)
def test_real_name_words_are_not_taken_for_titles(written: str, tokens: tuple[str, ...]) -> None:
    parsed = parse_name(written)
    assert parsed.tokens == tokens
    assert parsed.titles == ()


@pytest.mark.parametrize(
    ("written", "token"), [("Prof", "prof"), ("Mas", "mas"), ("Haji", "hayi"), ("H.", "h"), ("Ibu", "ibu")]
)
def test_a_title_never_takes_the_whole_name(written: str, token: str) -> None:
    # Decision: a word alone is the name as recorded ("Prof" can be a nickname); nothing is lost.
    parsed = parse_name(written)
    assert parsed.tokens == (token,)
    assert parsed.titles == ()
    assert parsed.mononym


def test_a_degree_never_takes_the_whole_name() -> None:
    assert parse_name("SE").tokens == ("se",)


# --- bin / binti ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "tokens", "patronym"),
    [
        ("Abdullah bin Umar", ("abdullah",), ("umar",)),
        ("Siti Aminah binti Ahmad", ("siti", "aminah"), ("ahmad",)),
        ("Siti binte Ahmad", ("siti",), ("ahmad",)),
        ("Siti bt. Ahmad", ("siti",), ("ahmad",)),
        ("Siti bte Ahmad", ("siti",), ("ahmad",)),
        ("Ali bn Hasan", ("ali",), ("hasan",)),
        ("Abdullah ibnu Umar", ("abdullah",), ("umar",)),
        ("Abdullah BIN UMAR", ("abdullah",), ("umar",)),
        ("Siti binti Moch. Djoko", ("siti",), ("muhammad", "yoko")),
        ("Siti binti M. Yusuf", ("siti",), ("muhammad", "yusuf")),
        ("Siti binti H. Ahmad", ("siti",), ("ahmad",)),  # the father's title is not hers
        ("Ali bin Umar bin Khattab", ("ali",), ("umar", "khattab")),
        ("Ibnu Hajar", ("ibnu", "hayar"), ()),  # Ibnu first is a given name
        ("Liem Bin", ("liem", "bin"), ()),  # nothing after it: a name word
        ("Binti", ("binti",), ()),
    ],
)
def test_bin_binti_separate_the_fathers_name(
    written: str, tokens: tuple[str, ...], patronym: tuple[str, ...]
) -> None:
    parsed = parse_name(written)
    assert parsed.tokens == tokens
    assert parsed.patronym == patronym


def test_titles_degrees_and_patronym_together() -> None:
    parsed = parse_name("Hj. Siti Aminah binti H. Ahmad, S.Pd.")
    assert (parsed.tokens, parsed.titles, parsed.patronym) == (
        ("siti", "aminah"),
        ("hajjah", "s.pd"),
        ("ahmad",),
    )


# --- newborn placeholders -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "mother"),
    [
        ("By. Ny. Yuli", ("yuli",)),
        ("By Ny Yuli", ("yuli",)),
        ("By.Ny.Yuli", ("yuli",)),
        ("BY. NY. YULI", ("yuli",)),
        ("Bayi Ny. Yuli", ("yuli",)),
        ("Bayi Ny Yuli", ("yuli",)),
        ("Bayi Nyonya Yuli", ("yuli",)),
        ("By. Nn. Sari", ("sari",)),
        ("By Nn Sari", ("sari",)),
        ("Bayi Nona Sari", ("sari",)),
        ("Bayi Sari", ("sari",)),
        ("Anak dari Yuli", ("yuli",)),
        ("Anak dari Ny. Yuli", ("yuli",)),
        ("Anak Ny. Yuli", ("yuli",)),
        ("Bayi dari Ny. Yuli", ("yuli",)),
        ("Bayi laki-laki Ny. Yuli", ("yuli",)),
        ("Bayi Laki Laki Ny Yuli", ("yuli",)),
        ("Bayi perempuan Ny Sari", ("sari",)),
        ("By. Pr. Ny. Sari", ("sari",)),
        ("By. Ny. Siti Aminah", ("siti", "aminah")),
        ("By. Ny. Hj. Siti Aminah", ("siti", "aminah")),
        ("By. Ny. Tjitra", ("citra",)),
        ("By. Ny. Yuli II", ("yuli",)),
        ("Bayi Ny. Sari kembar 2", ("sari",)),
        ("By. Ny. Siti binti Ahmad", ("siti",)),
        ("By. Ny. Ni Made Ayu", ("ni", "made", "ayu")),
        ("Bayi", ()),
        ("By. Ny.", ()),
    ],
)
def test_unnamed_newborns_are_placeholders_naming_the_mother(written: str, mother: tuple[str, ...]) -> None:
    parsed = parse_name(written)
    assert parsed.placeholder
    assert parsed.mother == mother
    assert parsed.tokens == ()
    assert parsed.common == ()
    assert parsed.titles == ()  # the mother's titles are hers, not the child's
    assert not parsed.mononym
    assert parsed.first is None
    assert parsed.last is None


@pytest.mark.parametrize(
    "written", ["Bayu Pratama", "Bayuni", "Bayu", "Anak Agung Gede", "Byantara", "Ani Bayi", "Anakku"]
)
def test_names_that_only_look_like_placeholders(written: str) -> None:
    parsed = parse_name(written)
    assert not parsed.placeholder
    assert parsed.mother == ()
    assert parsed.tokens


# --- Balinese and common tokens -------------------------------------------------------------------


def test_balinese_birth_order_names_are_common() -> None:
    parsed = parse_name("I Made Wirawan")
    assert parsed.tokens == ("i", "made", "wirawan")
    assert parsed.common == ("i", "made")
    assert parsed.distinctive == ("wirawan",)
    assert parsed.first == parsed.last == "wirawan"


def test_a_long_balinese_name_keeps_its_one_personal_name() -> None:
    parsed = parse_name("Ni Luh Putu Ayu Sri Wahyuni")
    assert parsed.tokens == ("ni", "luh", "putu", "ayu", "sri", "wahyuni")
    assert parsed.common == ("ni", "luh", "putu", "ayu", "sri")
    assert parsed.distinctive == ("wahyuni",)
    assert parsed.first == parsed.last == "wahyuni"


@pytest.mark.parametrize(
    ("written", "tokens", "distinctive"),
    [
        ("Ida Bagus Made Oka", ("ida", "bagus", "made", "oka"), ("oka",)),
        ("Ida Ayu Putu Sari", ("ida", "ayu", "putu", "sari"), ("sari",)),
        ("Anak Agung Gede Rai", ("anak", "agung", "gede", "rai"), ("rai",)),
        ("I Gusti Ngurah Rai", ("i", "gusti", "ngurah", "rai"), ("rai",)),
        ("Tjokorda Istri Agung", ("cokorda", "istri", "agung"), ("istri",)),
        ("Desak Made Suarti", ("desak", "made", "suarti"), ("suarti",)),
        ("I Wayan Balik Sudarsana", ("i", "wayan", "balik", "sudarsana"), ("sudarsana",)),
    ],
)
def test_balinese_caste_names_stay_tokens(
    written: str, tokens: tuple[str, ...], distinctive: tuple[str, ...]
) -> None:
    parsed = parse_name(written)
    assert parsed.tokens == tokens
    assert parsed.titles == ()
    assert parsed.distinctive == distinctive


def test_balinese_abbreviations_expand_only_in_balinese_names() -> None:
    assert parse_name("I Md. Sutama").tokens == ("i", "made", "sutama")
    assert parse_name("I Gst. Ngr. Rai").tokens == ("i", "gusti", "ngurah", "rai")
    assert parse_name("Ni Kt. Sari").tokens == ("ni", "ketut", "sari")
    assert parse_name("Md. Ali").tokens == ("muhammad", "ali")


def test_when_every_token_is_common_all_are_distinctive() -> None:
    parsed = parse_name("Made Ayu")
    assert parsed.common == ("made", "ayu")
    assert parsed.distinctive == ("made", "ayu")
    assert (parsed.first, parsed.last) == ("made", "ayu")


@pytest.mark.parametrize(
    "token",
    [
        "i", "ni", "wayan", "gede", "putu", "iluh", "luh", "made", "kadek", "nengah", "nyoman", "Njoman",
        "komang", "ketut", "gusti", "ngurah", "ayu", "ida", "bagus", "anak", "agung", "cokorda", "Tjokorda",
        "desak", "dewa", "sang", "eka", "dwi", "tri", "catur", "Tjatur", "panca", "muhammad", "Mochammad",
        "Moh.", "ahmad", "Achmad", "abdul", "Abd", "nur", "Noor", "siti", "Sitti", "sri", "andi", "WAYAN",
    ],
)  # fmt: skip
def test_common_tokens(token: str) -> None:
    assert is_common_token(token)


@pytest.mark.parametrize("token", ["wirawan", "aminah", "budi", "yusuf", "sukarno", "wahyuni", "", "bayu"])
def test_distinctive_tokens(token: str) -> None:
    assert not is_common_token(token)


def test_first_and_last_skip_common_tokens() -> None:
    parsed = parse_name("Muhammad Rizki Pratama")
    assert parsed.common == ("muhammad",)
    assert (parsed.first, parsed.last) == ("rizki", "pratama")


# --- order, mononyms, empty input, casing ---------------------------------------------------------


def test_token_order_is_free_in_sorted_key_and_phonetic() -> None:
    one, other = parse_name("Siti Aminah"), parse_name("Aminah Siti")
    assert one.canonical != other.canonical
    assert one.sorted_key == other.sorted_key == "aminah siti"
    assert one.phonetic == other.phonetic


def test_old_and_new_spelling_of_a_whole_name_agree() -> None:
    old, new = parse_name("Raden Mas Soedjono Tjokrodiningrat"), parse_name("R.M. Sujono Cokrodiningrat")
    assert old.tokens == new.tokens == ("suyono", "cokrodiningrat")
    assert old.titles == new.titles == ("raden mas",)


@pytest.mark.parametrize("written", ["Sutinah", "Ngadiman", "Soeharto", "H. Ngadiman", "Sutinah, S.Pd."])
def test_mononyms(written: str) -> None:
    parsed = parse_name(written)
    assert len(parsed.tokens) == 1
    assert parsed.mononym
    assert parsed.first == parsed.last == parsed.tokens[0]


def test_two_names_are_not_a_mononym() -> None:
    assert not parse_name("Siti Aminah").mononym


@pytest.mark.parametrize("written", [None, "", "   ", "\t\n", ".,-"])
def test_empty_names_parse_to_nothing(written: str | None) -> None:
    parsed = parse_name(written)
    assert parsed.original == (written or "")
    assert parsed.basic == ""
    assert parsed.tokens == parsed.titles == parsed.patronym == parsed.mother == parsed.common == ()
    assert not parsed.placeholder
    assert not parsed.mononym
    assert parsed.canonical == parsed.sorted_key == parsed.phonetic == ""
    assert parsed.distinctive == ()
    assert parsed.first is None
    assert parsed.last is None


def test_accents_and_casing_do_not_matter() -> None:
    shouted = parse_name("SITI ÁMINAH")
    assert shouted.original == "SITI ÁMINAH"
    assert shouted.basic == "siti aminah"
    assert shouted.tokens == parse_name("siti aminah").tokens == ("siti", "aminah")


def test_the_written_form_is_kept() -> None:
    parsed = parse_name("  Hj. Siti  NURHALIZA-binti Ahmad. ")
    assert parsed.original == "  Hj. Siti  NURHALIZA-binti Ahmad. "
    assert parsed.basic == "hj siti nurhaliza binti ahmad"
    assert parsed.tokens == ("siti", "nurhaliza")


def test_parsed_name_is_frozen_and_comparable() -> None:
    parsed = parse_name("Siti Aminah")
    assert parsed == parse_name("Siti Aminah")
    assert isinstance(parsed, ParsedName)
    with pytest.raises(AttributeError):
        parsed.tokens = ()  # type: ignore[misc]


def test_phonetic_is_sorted_keys_of_tokens() -> None:
    parsed = parse_name("Nurhaliza Fatimah")
    assert parsed.phonetic == " ".join(sorted([phonetic_key("nurhaliza"), phonetic_key("fatimah")]))
    assert parsed.phonetic == parse_name("Patima Nurhalisa").phonetic


# --- properties -----------------------------------------------------------------------------------

ASCII_TOKEN = re.compile(r"[a-z0-9]+")


@given(st.text())
def test_parse_name_never_raises_and_yields_ascii_tokens(name: str) -> None:
    parsed = parse_name(name)
    for token in (*parsed.tokens, *parsed.patronym, *parsed.mother):
        assert ASCII_TOKEN.fullmatch(token), token
    assert set(parsed.common) <= set(parsed.tokens)
    assert not (parsed.placeholder and parsed.tokens)


@given(
    st.lists(
        st.sampled_from(
            ["H.", "Hj.", "Siti", "bin", "By.", "Ny.", "S.Pd", ",", "M.", "I", "Made", "Bayi", "dari", "Md."]
        )
    )
)
def test_parse_name_never_raises_on_name_grammar(words: list[str]) -> None:
    parsed = parse_name(" ".join(words))
    for token in (*parsed.tokens, *parsed.patronym, *parsed.mother):
        assert ASCII_TOKEN.fullmatch(token), token


@given(st.text(alphabet=st.characters(categories=["Ll"])))
def test_canonical_token_is_idempotent(token: str) -> None:
    once = canonical_token(token)
    assert canonical_token(once) == once


@given(st.text(alphabet=string.ascii_lowercase + "j", min_size=1))
def test_canonical_token_is_idempotent_on_ascii_words(token: str) -> None:
    once = canonical_token(token)
    assert canonical_token(once) == once
    assert "j" not in once


@given(st.text(alphabet=string.ascii_letters, min_size=1))
def test_phonetic_key_is_never_empty_for_letters(token: str) -> None:
    key = phonetic_key(token)
    assert key
    assert ASCII_TOKEN.fullmatch(key)


@given(st.text(alphabet=string.ascii_letters, min_size=1))
def test_phonetic_key_agrees_on_spellings_canonical_token_joins(token: str) -> None:
    assert phonetic_key(token) == phonetic_key(canonical_token(token))


# --- Ablation switches (jaga bench link --ablation) ------------------------------------------------

ABLATION_CASES = {
    "old_spelling": ("Soekarno", lambda p: p.tokens == ("sukarno",), lambda p: p.tokens == ("soekarno",)),
    "variants": (
        "Mochammad Rizky",
        lambda p: p.tokens[0] == "muhammad",
        lambda p: p.tokens[0] == "mokhammad",
    ),
    "abbreviations": ("I Md. Sutama", lambda p: "made" in p.tokens, lambda p: "made" not in p.tokens),
    "titles": ("Hj. Siti Aminah", lambda p: p.tokens == ("siti", "aminah"), lambda p: p.tokens[0] == "hy"),
    "degrees": ("Siti Aminah, S.Pd.", lambda p: p.tokens == ("siti", "aminah"), lambda p: "pd" in p.tokens),
    "patronym": ("Aminah binti Ahmad", lambda p: p.patronym == ("ahmad",), lambda p: "ahmad" in p.tokens),
    "placeholders": ("By. Ny. Yuli", lambda p: p.placeholder, lambda p: not p.placeholder),
    "common_tokens": (
        "Made Sutama",
        lambda p: p.distinctive == ("sutama",),
        lambda p: "made" in p.distinctive,
    ),
}


@pytest.mark.parametrize("step", sorted(ABLATION_CASES))
def test_each_normalisation_step_can_be_switched_off_and_comes_back(step: str) -> None:
    name, with_step, without_step = ABLATION_CASES[step]
    assert with_step(parse_name(name))
    with without_steps([step]):
        assert without_step(parse_name(name))
        assert not step_enabled(step)
    assert with_step(parse_name(name))  # the caches were cleared again
    assert step_enabled(step)


def test_switching_off_an_unknown_step_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown"), without_steps(["spelling_reform"]):
        pass


def test_every_step_has_a_switch_test_or_is_a_feature_key() -> None:
    # phonetic and token_order are switched off where the feature columns are built (linkage.features)
    assert set(STEPS) == set(ABLATION_CASES) | {"phonetic", "token_order"}
