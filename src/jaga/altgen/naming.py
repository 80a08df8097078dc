"""True names of synthetic people, by naming tradition (DOMAIN.md section 5).

Written from the domain brief alone, with its own pools and weights, so that jaga's linkage is judged on
names it was not built from. A name is kept in parts (leading tokens, personal tokens, clan or family
name, Chinese name, nickname) because the agencies' records vary those parts differently.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Share of each tradition among the generated people. Deliberately not census-exact: the point is to
# cover the traditions a linkage model must survive, with enough of each to measure.
TRADITIONS: dict[str, float] = {
    "javanese": 0.30,
    "sundanese": 0.12,
    "muslim_arabic": 0.18,
    "batak": 0.08,
    "minang": 0.05,
    "bugis": 0.06,
    "balinese": 0.06,
    "chinese": 0.08,
    "eastern_christian": 0.07,
}

# Provinces where each tradition lives (Kemendagri 2-digit codes).
HOMELANDS: dict[str, tuple[str, ...]] = {
    "javanese": ("33", "34", "35", "35", "33"),
    "sundanese": ("32", "36"),
    "muslim_arabic": ("31", "32", "33", "35", "11", "16", "64", "52"),
    "batak": ("12",),
    "minang": ("13", "14"),
    "bugis": ("73", "76", "64"),
    "balinese": ("51",),
    "chinese": ("31", "12", "61", "32", "35"),
    "eastern_christian": ("71", "53", "81", "91"),
}

JAVANESE_MALE = (
    "Sutarno",
    "Suparman",
    "Sukirman",
    "Tukiman",
    "Paijo",
    "Warsito",
    "Harjono",
    "Slamet",
    "Sugeng",
    "Teguh",
    "Bambang",
    "Joko",
    "Heru",
    "Wahyu",
    "Budi",
    "Agus",
    "Supriyadi",
    "Sumarno",
    "Suyanto",
    "Giyanto",
    "Darmaji",
    "Kasno",
    "Parjo",
    "Tarno",
    "Wagiman",
    "Suwito",
)
JAVANESE_FEMALE = (
    "Sumarni",
    "Suwarni",
    "Tumini",
    "Painem",
    "Sulastri",
    "Sarinah",
    "Giyem",
    "Wartini",
    "Tukinem",
    "Sukini",
    "Endang",
    "Wulan",
    "Rini",
    "Ratna",
    "Sri",
    "Dwi",
    "Tri",
    "Sumiyati",
    "Ngatini",
    "Partini",
    "Jumiati",
)
JAVANESE_SECOND_MALE = ("Santoso", "Wibowo", "Prasetyo", "Nugroho", "Susilo", "Widodo", "Raharjo", "Purnomo")
JAVANESE_SECOND_FEMALE = ("Rahayu", "Lestari", "Wahyuni", "Astuti", "Handayani", "Setyowati", "Purwanti")

SUNDANESE_MALE = ("Asep", "Ujang", "Cecep", "Yayan", "Dadang", "Entis", "Dede", "Iwan", "Aceng", "Engkus")
SUNDANESE_FEMALE = ("Euis", "Imas", "Iis", "Cucu", "Enok", "Popon", "Tati", "Neneng", "Yati", "Elis")
SUNDANESE_SECOND = (
    "Supriatna",
    "Sunarya",
    "Permana",
    "Hermawan",
    "Suryana",
    "Kusnadi",
    "Kurniasih",
    "Rohaeti",
    "Nurhasanah",
    "Setiawati",
    "Hidayat",
    "Mulyana",
)

# Arabic-derived names with the spellings records actually show for the same person.
ARABIC_MALE: dict[str, tuple[str, ...]] = {
    "Ahmad": ("Ahmad", "Achmad", "Akhmad", "Ahmat"),
    "Rizki": ("Rizki", "Rizky", "Rizqi", "Risky", "Rizqy"),
    "Fauzan": ("Fauzan", "Fauzaan", "Pauzan"),
    "Yusuf": ("Yusuf", "Yusup", "Jusuf", "Yoesoef"),
    "Syaiful": ("Syaiful", "Saiful", "Syaipul", "Saifool"),
    "Abdurrahman": ("Abdurrahman", "Abdul Rahman", "Abd. Rahman", "Abdurahman"),
    "Hidayatullah": ("Hidayatullah", "Hidayatulloh", "Hidayatula"),
    "Ridwan": ("Ridwan", "Ridwaan", "Ridhwan"),
    "Zainal": ("Zainal", "Zainul", "Zaenal"),
    "Khairul": ("Khairul", "Hairul", "Chairul", "Choirul"),
}
ARABIC_FEMALE: dict[str, tuple[str, ...]] = {
    "Aisyah": ("Aisyah", "Aisah", "Aishah", "Aisya", "Aisyiah"),
    "Khadijah": ("Khadijah", "Hadijah", "Khodijah", "Kadijah"),
    "Fatimah": ("Fatimah", "Fatima", "Patimah", "Fatmah"),
    "Nurul": ("Nurul", "Nurul"),
    "Zahra": ("Zahra", "Zahrah", "Sahra"),
    "Annisa": ("Annisa", "Anisa", "Annisaa", "An-Nisa"),
    "Khairunnisa": ("Khairunnisa", "Khoirunnisa", "Hairunisa"),
    "Hidayah": ("Hidayah", "Hidayat", "Hidaya"),
    "Syarifah": ("Syarifah", "Sarifah", "Syaripah"),
    "Mardiyah": ("Mardiyah", "Mardiah", "Mardiya"),
}
MUHAMMAD_VARIANTS = (
    "Muhammad",
    "Muhamad",
    "Mohammad",
    "Mohamad",
    "Mochamad",
    "Mochammad",
    "Moehammad",
    "Mukhamad",
)
MUHAMMAD_ABBREVIATIONS = ("M.", "Moh.", "Moch.", "Mhd.", "Muh.", "Mohd.", "M")

BATAK_CLANS = (
    "Simanjuntak",
    "Siregar",
    "Nasution",
    "Harahap",
    "Lubis",
    "Sitompul",
    "Hutapea",
    "Panjaitan",
    "Sinaga",
    "Situmorang",
    "Pardede",
    "Tambunan",
    "Hutagalung",
    "Manurung",
)
BATAK_MALE = ("Tigor", "Horas", "Maruli", "Sahat", "Parlindungan", "Binsar", "Togar", "Jonner", "Rudolf")
BATAK_FEMALE = ("Lamtiur", "Rugun", "Tiurma", "Rosmawati", "Debora", "Nurhayati", "Rotua", "Lisbeth")

MINANG_CLANS = ("Chaniago", "Piliang", "Koto", "Tanjung", "Sikumbang", "Jambak", "Guci")
MINANG_MALE = ("Afrizal", "Yusrizal", "Zulkifli", "Hendri", "Erwin", "Syafrizal", "Rahmat", "Fadli")
MINANG_FEMALE = ("Yulia", "Desi", "Rahmi", "Fitri", "Yusnimar", "Rosnida", "Elfira", "Nelmawati")

BUGIS_MALE = ("Baharuddin", "Syamsuddin", "Nurdin", "Hasanuddin", "Basri", "Amiruddin", "Tenri", "Baso")
BUGIS_FEMALE = ("Jumriah", "Nurhaeda", "Sitti", "Hasnah", "Rahmawati", "Tenriawaru", "Nurbaya", "Husniah")
BUGIS_SECOND = ("Daeng", "Parenrengi", "Mappa", "Latief", "Sulaiman", "Rahim")

BALINESE_CASTES_MALE = ("Ida Bagus", "Anak Agung", "Cokorda", "I Gusti", "Dewa")
BALINESE_CASTES_FEMALE = ("Ida Ayu", "Anak Agung", "Desak", "I Gusti Ayu")
BALINESE_ORDER = (("Wayan", "Putu", "Gede"), ("Made", "Kadek", "Nengah"), ("Nyoman", "Komang"), ("Ketut",))
BALINESE_MALE = ("Sudarma", "Suardana", "Arsana", "Widiana", "Sukadana", "Mertayasa", "Artawan", "Budiasa")
BALINESE_FEMALE = ("Sriani", "Ariani", "Sukerti", "Wahyuni", "Suwitri", "Kartini", "Murniasih", "Yuliani")

# Chinese name (family name first) and the Indonesianised name adopted alongside it.
CHINESE_FAMILIES: dict[str, tuple[str, ...]] = {
    "Lim": ("Halim", "Salim", "Limanto"),
    "Liem": ("Halim", "Liemanto"),
    "Tan": ("Tanoto", "Tanuwijaya", "Tanjaya", "Hartanto"),
    "Oei": ("Wijaya", "Winata"),
    "Go": ("Gunawan", "Gozali"),
    "Kwee": ("Kurniawan", "Kusuma"),
    "Ong": ("Onggo", "Ongkowijaya"),
    "The": ("Tedja", "Tejasukmana"),
    "Wong": ("Wongso", "Wonodirekso"),
}
CHINESE_GIVEN_MALE = ("Swie Hong", "Kiem Liong", "Hok Seng", "Tjin Hoo", "Bing Hwa", "Kian Gwan")
CHINESE_GIVEN_FEMALE = ("Siok Lian", "Hui Lan", "Giok Nio", "Mei Ling", "Swie Lan", "Lian Nio")
CHINESE_INDONESIAN_MALE = ("Hendra", "Budi", "Santoso", "Yohanes", "Stefanus", "Rudi", "Sugianto", "Hartono")
CHINESE_INDONESIAN_FEMALE = ("Linda", "Susanti", "Agnes", "Kristina", "Lili", "Meliana", "Yuliana", "Vivian")

EASTERN_MALE = ("Yohanes", "Fransiskus", "Yosef", "Markus", "Petrus", "Agustinus", "Stevanus", "Arnold")
EASTERN_FEMALE = ("Maria", "Yosefina", "Margaretha", "Theresia", "Veronika", "Elisabeth", "Regina", "Selvi")
EASTERN_CLANS = ("Wenas", "Lumentut", "Tumbelaka", "Ndun", "Laka", "Bere", "Manafe", "Rumbiak", "Mandacan")


@dataclass(frozen=True)
class Name:
    """A person's true name, in the parts records vary independently."""

    tradition: str
    lead: tuple[str, ...] = ()  # Balinese I/Ni, caste title and birth-order name; Bugis "Andi"
    given: tuple[str, ...] = ()  # personal tokens, in their usual order
    clan: str | None = None  # Batak marga, Minang suku, eastern clan, Indonesianised Chinese surname
    chinese: str | None = None  # "Lim Swie Hong": the Chinese name beside the Indonesian one
    nickname: str = ""
    muhammad: bool = False  # the first given token is Muhammad (varied per record)

    @property
    def full(self) -> str:
        return " ".join([*self.lead, *self.given, *([self.clan] if self.clan else [])])

    @property
    def mononym(self) -> bool:
        return not self.lead and len(self.given) == 1 and self.clan is None


def pick_tradition(rng: random.Random) -> str:
    return rng.choices(list(TRADITIONS), weights=list(TRADITIONS.values()))[0]


def make_name(rng: random.Random, tradition: str, sex: str, *, birth_order: int = 1) -> Name:
    """A true name in `tradition` for sex "M" or "F"; `birth_order` matters for Balinese names."""
    female = sex == "F"
    maker = _MAKERS[tradition]
    name = maker(rng, female, birth_order)
    return Name(
        tradition=tradition,
        lead=name.lead,
        given=name.given,
        clan=name.clan,
        chinese=name.chinese,
        nickname=_nickname(rng, name, female),
        muhammad=name.muhammad,
    )


def _javanese(rng: random.Random, female: bool, _: int) -> Name:
    first = rng.choice(JAVANESE_FEMALE if female else JAVANESE_MALE)
    # A single name, as many Javanese have (Sutarno, Sumarni); Sri, Dwi and Tri ("first", "second",
    # "third") always lead a second name.
    if rng.random() < 0.45 and first not in ("Sri", "Dwi", "Tri"):
        return Name("javanese", given=(first,))
    second = rng.choice(JAVANESE_SECOND_FEMALE if female else JAVANESE_SECOND_MALE)
    return Name("javanese", given=(first, second))


def _sundanese(rng: random.Random, female: bool, _: int) -> Name:
    first = rng.choice(SUNDANESE_FEMALE if female else SUNDANESE_MALE)
    if rng.random() < 0.15:
        return Name("sundanese", given=(first,))
    return Name("sundanese", given=(first, rng.choice(SUNDANESE_SECOND)))


def _muslim_arabic(rng: random.Random, female: bool, _: int) -> Name:
    pool = ARABIC_FEMALE if female else ARABIC_MALE
    tokens = rng.sample(list(pool), 2)
    if not female and rng.random() < 0.6:
        return Name("muslim_arabic", given=("Muhammad", *tokens), muhammad=True)
    if female and rng.random() < 0.3:
        return Name("muslim_arabic", given=("Siti", tokens[0]))
    return Name("muslim_arabic", given=tuple(tokens))


def _batak(rng: random.Random, female: bool, _: int) -> Name:
    first = rng.choice(BATAK_FEMALE if female else BATAK_MALE)
    return Name("batak", given=(first,), clan=rng.choice(BATAK_CLANS))


def _minang(rng: random.Random, female: bool, _: int) -> Name:
    first = rng.choice(MINANG_FEMALE if female else MINANG_MALE)
    # Minang clans pass through the mother and are often left off documents.
    if rng.random() < 0.5:
        return Name("minang", given=(first,), clan=rng.choice(MINANG_CLANS))
    return Name("minang", given=(first, rng.choice(MINANG_MALE + MINANG_FEMALE)))


def _bugis(rng: random.Random, female: bool, _: int) -> Name:
    first = rng.choice(BUGIS_FEMALE if female else BUGIS_MALE)
    lead = ("Andi",) if rng.random() < 0.3 else ()
    return Name("bugis", lead=lead, given=(first, rng.choice(BUGIS_SECOND)))


def _balinese(rng: random.Random, female: bool, birth_order: int) -> Name:
    lead: list[str] = []
    if rng.random() < 0.15:
        lead.extend(rng.choice(BALINESE_CASTES_FEMALE if female else BALINESE_CASTES_MALE).split())
    else:
        lead.append("Ni" if female else "I")
    order = BALINESE_ORDER[(birth_order - 1) % 4]
    lead.append("Luh" if female and order[0] == "Wayan" and rng.random() < 0.4 else rng.choice(order))
    given = rng.choice(BALINESE_FEMALE if female else BALINESE_MALE)
    return Name("balinese", lead=tuple(lead), given=(given,))


def _chinese(rng: random.Random, female: bool, _: int) -> Name:
    family = rng.choice(list(CHINESE_FAMILIES))
    chinese = f"{family} {rng.choice(CHINESE_GIVEN_FEMALE if female else CHINESE_GIVEN_MALE)}"
    given = rng.choice(CHINESE_INDONESIAN_FEMALE if female else CHINESE_INDONESIAN_MALE)
    return Name("chinese", given=(given,), clan=rng.choice(CHINESE_FAMILIES[family]), chinese=chinese)


def _eastern(rng: random.Random, female: bool, _: int) -> Name:
    first = rng.choice(EASTERN_FEMALE if female else EASTERN_MALE)
    return Name("eastern_christian", given=(first,), clan=rng.choice(EASTERN_CLANS))


_MAKERS = {
    "javanese": _javanese,
    "sundanese": _sundanese,
    "muslim_arabic": _muslim_arabic,
    "batak": _batak,
    "minang": _minang,
    "bugis": _bugis,
    "balinese": _balinese,
    "chinese": _chinese,
    "eastern_christian": _eastern,
}


def _nickname(rng: random.Random, name: Name, female: bool) -> str:
    """What family and carers call the person: a clipped name, or a customary call name."""
    customary = {
        "batak": "Butet" if female else "Ucok",
        "sundanese": "Neng" if female else "Ujang",
        "javanese": "Nduk" if female else "Gus",
        "balinese": "Luh" if female else "Tut",
    }
    base = name.given[-1] if name.muhammad else name.given[0]
    if name.tradition in customary and rng.random() < 0.3:
        return customary[name.tradition]
    return _clip(base)


def _clip(token: str) -> str:
    """Roughly the last two syllables (Sumarni -> Marni), or the last one doubled (Rizki -> Kiki)."""
    vowels = "aeiou"
    positions = [i for i, ch in enumerate(token.lower()) if ch in vowels]
    if len(positions) < 2:
        return token
    if len(positions) == 2:
        start = positions[-1] - 1 if positions[-1] > 0 else positions[-1]
        syllable = token[start : positions[-1] + 1].lower()
        return (syllable * 2).capitalize()
    start = positions[-2] - 1
    while start > 0 and token[start - 1].lower() not in vowels:
        start -= 1
    return token[start:].capitalize()


def father_name(rng: random.Random, tradition: str) -> str:
    """A father's given name, for bin/binti in religious and court documents."""
    if tradition in ("muslim_arabic", "bugis", "minang"):
        return rng.choice(("Abdullah", "Ismail", "Hasan", "Umar", "Sulaiman", "Ibrahim", "Ali", "Usman"))
    if tradition == "sundanese":
        return rng.choice(SUNDANESE_MALE)
    return rng.choice(JAVANESE_MALE)
