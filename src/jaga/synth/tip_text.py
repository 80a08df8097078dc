"""How a tipster writes what they saw: names of clinics, midwives and foundations as people type them
(abbreviated, cut short, misspelt), sellers' phone numbers and accounts, links, prices and places.

Nothing here knows how jaga matches tips with the registry (`jaga.tips.matching`); the forms are what
people write in Indonesian posts and reports, so some match the registry and some do not.
"""

from __future__ import annotations

from dataclasses import dataclass

from jaga.regions import load_directory
from jaga.synth.names import full_name
from jaga.synth.noise import typo
from jaga.synth.rand import Rand, cumulative

PLATFORMS = ("facebook", "whatsapp", "instagram", "tiktok", "marketplace", "telegram", "other")
# Where offers of babies are seen (the documented cases: Facebook groups first, then WhatsApp, Instagram).
PLATFORM_WEIGHTS = cumulative((0.45, 0.2, 0.15, 0.08, 0.05, 0.04, 0.03))

# A registered name's leading words -> how people shorten or swap them (longest prefixes first).
_SHORT_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Klinik Ibu dan Anak", ("Klinik", "klinik ibu anak")),
    ("Praktik Mandiri Bidan", ("PMB", "BPM", "bidan", "praktek bidan")),
    ("Klinik Bersalin", ("Kl. Bersalin", "klinik", "klinik bersalin")),
    ("Klinik Pratama", ("Klinik", "Kl.", "klinik pratama")),
    ("Klinik Utama", ("Klinik", "Kl.")),
    ("RS Bhayangkara", ("RS Polri", "Rumah Sakit Bhayangkara")),
    ("RS Bersalin", ("RSB", "Rumah Sakit Bersalin")),
    ("RS Islam", ("RSI", "Rumah Sakit Islam")),
    ("RS Umum", ("RSU", "rumah sakit")),
    ("Puskesmas", ("PKM", "puskesmas")),
    ("Yayasan", ("Yay.", "Yys", "yayasan")),
    ("RSUD", ("RS", "Rumah Sakit Umum Daerah", "rsud")),
    ("RSIA", ("RS Ibu dan Anak", "rsia")),
    ("LKSA", ("Panti Asuhan", "panti", "LKSA")),
    ("PMB", ("Praktik Mandiri Bidan", "bidan")),
    ("BPM", ("bidan", "Bidan Praktik Mandiri")),
)
_TITLES = ("Bidan ", "dr. ")
_OPERATORS = ("811", "812", "813", "821", "822", "852", "853", "857", "858", "877", "878", "895", "896")


@dataclass(frozen=True)
class Named:
    text: str  # as typed
    form: str  # full | short | bare | cut (| + misspelt), for the truth file


def split_name(name: str) -> tuple[str, str]:
    """`Klinik Pratama Sehat Semarang` -> (`Klinik Pratama`, `Sehat Semarang`): kind words and the rest."""
    for prefix, _ in _SHORT_FORMS:
        if name.startswith(prefix + " "):
            return prefix, name[len(prefix) + 1 :]
    return "", name


def organisation(rng: Rand, name: str, misspelt: float) -> Named:
    """A facility's or institution's name as a tipster writes it."""
    prefix, rest = split_name(name)
    roll = rng.random()
    if roll < 0.3 or not prefix:
        text, form = name, "full"
    elif roll < 0.65:
        shorts = dict(_SHORT_FORMS)[prefix]
        text, form = f"{shorts[rng.integers(len(shorts))]} {rest}", "short"
    elif roll < 0.8:
        text, form = rest, "bare"  # "di Sehat Semarang", "dari Kasih Bunda"
    else:
        words = rest.split()
        first = " ".join(words[:2]) if words[0] == "Al" and len(words) > 1 else words[0]
        text, form = f"{prefix.split()[0]} {first}", "cut"  # the place left out: "Klinik Sehat"
    if rng.random() < 0.35:
        text = text.lower()
    return _maybe_misspelt(rng, text, form, misspelt)


def midwife(rng: Rand, name: str, misspelt: float) -> Named:
    """A birth attendant as people refer to one: `bidan Sri Wahyuni`, `bidan Sri`, `bu Wahyuni`."""
    bare = name
    for title in _TITLES:
        bare = bare.removeprefix(title)
    words = bare.split()
    roll = rng.random()
    if roll < 0.5 or len(words) == 1:
        text, form = f"bidan {bare}", "full"
    elif roll < 0.8:
        text, form = f"bidan {words[0]}", "cut"
    else:
        text, form = f"bu {words[-1]}", "cut"
    return _maybe_misspelt(rng, text, form, misspelt)


def _maybe_misspelt(rng: Rand, text: str, form: str, rate: float) -> Named:
    if rng.random() >= rate:
        return Named(text, form)
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 4]
    if not long:
        return Named(text, form)
    i = long[rng.integers(len(long))]
    words[i] = typo(rng, words[i])
    return Named(" ".join(words), form + "+misspelt")


def account_of(name: str) -> str:
    """The account an organisation would post as: `Yayasan Kasih Bunda` -> `kasihbunda`."""
    _, rest = split_name(name)
    return "".join(ch for ch in rest.lower() if ch.isalnum())


def phone(rng: Rand) -> str:
    """A mobile number as people write it (`0812-3456-7890`, `+62 812 3456 7890`, `62812...`)."""
    operator = _OPERATORS[rng.integers(len(_OPERATORS))]
    tail = "".join(str(rng.integers(10)) for _ in range(8))
    style = rng.integers(4)
    if style == 0:
        return f"0{operator}-{tail[:4]}-{tail[4:]}"
    if style == 1:
        return f"+62 {operator} {tail[:4]} {tail[4:]}"
    if style == 2:
        return f"62{operator}{tail}"
    return f"0{operator}{tail}"


def price(rng: Rand) -> str:
    """An asking price (Rp 5 to 40 million, the documented range of "delivery costs") as typed."""
    millions = 5 + rng.integers(71) / 2
    whole = int(millions)
    style = rng.integers(4)
    if style == 0:
        return f"{whole} juta"
    if style == 1:
        return f"{whole}jt"
    if style == 2:
        return f"Rp {int(millions * 1_000_000):,}".replace(",", ".")
    return f"{whole} juta" if millions == whole else f"{whole},5 juta"


def seller_handle(rng: Rand, platform: str, place: str, group: str) -> str:
    """An account or group name of someone offering babies: a person's name or an "adoption" page."""
    slug = place.lower().replace(" ", "")
    roll = rng.random()
    if platform in ("facebook", "marketplace", "whatsapp", "other"):
        if roll < 0.5:
            return full_name(rng, group, "F")
        if roll < 0.75:
            return f"Info Adopsi Bayi {place}"
        return f"Bunda {full_name(rng, group, 'F').split()[0]}"
    if roll < 0.5:
        return f"@adopsi.bayi.{slug}"
    first = full_name(rng, group, "F").split()[0].lower()
    return f"@{first}_{rng.integers(10, 100)}"


def link(rng: Rand, platform: str, handle: str | None) -> str | None:
    account = (handle or "").lstrip("@").replace(" ", ".").lower()
    digits = "".join(str(rng.integers(10)) for _ in range(15))
    if platform == "facebook":
        if account and rng.random() < 0.4:
            return f"https://m.facebook.com/{account}"
        return f"https://www.facebook.com/groups/{digits[:10]}/posts/{digits}/"
    if platform == "marketplace":
        return f"https://www.facebook.com/marketplace/item/{digits}/"
    if platform == "instagram":
        return f"https://www.instagram.com/{account or 'p/' + digits[:11]}/"
    if platform == "tiktok":
        return f"https://www.tiktok.com/@{account or 'user' + digits[:8]}/video/{digits}{digits[:4]}"
    if platform == "telegram" and account:
        return f"https://t.me/{account}"
    return None


def place_text(rng: Rand, district: str) -> str:
    """Where the tipster says it is: the city or regency as written, sometimes with the province, or
    the kecamatan (which the registry's place reader does not resolve: such a tip goes to the national
    desk, as it would)."""
    directory = load_directory()
    regency = directory.require(district[:4])
    short = regency.name.removeprefix("Kab. ").removeprefix("Kota ")
    roll = rng.random()
    if roll < 0.35:
        return regency.name
    if roll < 0.65:
        return short
    if roll < 0.85:
        return f"{short}, {directory.require(district[:2]).name}"
    return directory.require(district).name


# What tips say. The same sentences serve tips about planted schemes and about nothing planted, so that
# no wording gives the truth away. `{name}` is the place or person as the tipster typed it.
NAMED = (
    "Ada yang menawarkan bayi baru lahir, katanya lahir di {name}. Diminta ganti biaya persalinan.",
    "Di grup ini ada postingan adopsi bayi, yang mengurus {name}. Harus transfer dulu.",
    "Saya ditawari bayi perempuan lewat WA, katanya dari {name}, harus bayar dulu.",
    "Tetangga saya melahirkan di {name} lalu bayinya diserahkan ke orang lain, katanya ada uangnya.",
    "Curiga {name} menjual bayi ke pasangan yang belum punya anak.",
    "Akun ini mengaku dari {name}, mencari orang tua asuh untuk bayi, tapi minta uang.",
    "Bayi umur seminggu ditawarkan, ibunya bersalin di {name}. Yang jual minta DP.",
)
UNNAMED = (
    "Ada postingan jual bayi laki-laki umur 2 minggu, disuruh hubungi WA.",
    "Akun ini menawarkan bayi untuk diadopsi dengan biaya.",
    "Di grup adopsi ada yang minta uang untuk bayi yang belum lahir.",
    "Ibu hamil 8 bulan menawarkan bayinya di kolom komentar, minta biaya persalinan.",
    "Saya lihat iklan bayi dijual di marketplace, sudah dilaporkan ke admin tapi masih ada.",
    "Ada yang cari pasangan untuk adopsi bayi, bilangnya resmi tapi minta mahar.",
)
