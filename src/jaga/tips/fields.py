"""Reading what a tipster typed: phone numbers, prices, links, handles and places, as people write them.

Pure functions; each returns the normal form or raises ValueError with a message for the tipster (an
English message id, translated on the page). Written here rather than taken from a library: the forms
are Indonesian habits ("15 juta", "Rp 15.000.000", "0812-..."), and `phonenumbers` would add megabytes
of metadata to tell mobile from landline, which a tip does not need.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from jaga.names import basic_form
from jaga.regions import Region, RegionLevel, load_directory

MAX_URL = 2000
MAX_HANDLE = 200
MAX_PLACE = 200
MAX_PRICE = 10_000_000_000  # Rp 10 billion: anything above is a typo

PHONE_MESSAGE = "Enter a phone number such as 0812 3456 7890 or +62 812 3456 7890."
PRICE_MESSAGE = "Enter the price as a number of rupiah, such as 15000000, Rp 15.000.000 or 15 juta."
URL_MESSAGE = "Enter a web address that starts with http:// or https://."
HANDLE_MESSAGE = "An account name has at most 200 characters and no line breaks."


def clean_text(value: str | None) -> str | None:
    """Trimmed text with control characters (NUL, escapes) removed; None when nothing is left."""
    if value is None:
        return None
    kept = "".join(
        ch for ch in unicodedata.normalize("NFC", value) if ch in "\n\t" or unicodedata.category(ch)[0] != "C"
    )
    kept = kept.strip()
    return kept or None


def phone_e164(text: str) -> str:
    """`0812-3456-7890`, `62 812 3456 7890`, `+62 (812) 3456 7890` -> `+6281234567890`.

    Indonesian numbers: a leading 0 or 62 becomes +62; a number with another country code is kept as
    written with its + (E.164 allows 8 to 15 digits in all)."""
    stripped = re.sub(r"[\s().\-/]", "", text)
    if not re.fullmatch(r"\+?[0-9]+", stripped):
        raise ValueError(PHONE_MESSAGE)
    if stripped.startswith("+"):
        digits = stripped[1:]
    elif stripped.startswith("62"):
        digits = stripped
    elif stripped.startswith("0"):
        digits = "62" + stripped[1:]
    elif stripped.startswith("8"):  # "812 ..." with the 0 left off
        digits = "62" + stripped
    else:
        raise ValueError(PHONE_MESSAGE)
    if digits.startswith("620"):
        digits = "62" + digits[3:]  # "+62 0812 ...": the trunk 0 written after the country code
    if not 8 <= len(digits) <= 15 or digits.startswith("0"):
        raise ValueError(PHONE_MESSAGE)
    if digits.startswith("62") and not 9 <= len(digits) - 2 <= 12:
        raise ValueError(PHONE_MESSAGE)
    return "+" + digits


_UNITS = {
    "juta": 1_000_000,
    "jt": 1_000_000,
    "jta": 1_000_000,
    "million": 1_000_000,
    "m": 1_000_000,
    "ribu": 1_000,
    "rb": 1_000,
    "k": 1_000,
    "miliar": 1_000_000_000,
    "milyar": 1_000_000_000,
    "m2": 1_000_000_000,
}


def price_rupiah(text: str) -> int:
    """`15 juta`, `15jt`, `15,5 juta`, `Rp 15.000.000`, `Rp15.000.000,-`, `15000000` -> rupiah."""
    words = text.casefold().replace("rp.", " ").replace("rp", " ").replace(",-", " ").replace("idr", " ")
    match = re.fullmatch(r"\s*([0-9][0-9.,\s]*?)\s*([a-z]+)?\s*", words)
    if not match:
        raise ValueError(PRICE_MESSAGE)
    number, unit = match.group(1).replace(" ", ""), match.group(2)
    multiplier = 1
    if unit is not None:
        if unit not in _UNITS or unit == "m2":
            raise ValueError(PRICE_MESSAGE)
        multiplier = _UNITS[unit]
    if unit is None:
        # Rupiah have no cents: "15.000.000" and "15,000,000" are thousands separators.
        if not re.fullmatch(r"[0-9]{1,3}([.,][0-9]{3})*|[0-9]+", number):
            raise ValueError(PRICE_MESSAGE)
        amount = Decimal(re.sub(r"[.,]", "", number))
    else:
        # With a unit, one separator is a decimal mark: "15,5 juta", "15.5 jt".
        if not re.fullmatch(r"[0-9]+([.,][0-9]+)?", number):
            raise ValueError(PRICE_MESSAGE)
        try:
            amount = Decimal(number.replace(",", ".")) * multiplier
        except InvalidOperation as exc:
            raise ValueError(PRICE_MESSAGE) from exc
    if amount <= 0 or amount > MAX_PRICE:
        raise ValueError(PRICE_MESSAGE)
    return int(amount)


def web_url(text: str) -> str:
    """An http(s) link with a host; a bare `facebook.com/...` gets `https://`."""
    candidate = text.strip()
    if len(candidate) > MAX_URL or any(ch.isspace() for ch in candidate):
        raise ValueError(URL_MESSAGE)
    if "://" not in candidate and re.match(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/|$)", candidate):
        candidate = "https://" + candidate
    try:
        parts = urlsplit(candidate)
        host = parts.hostname
    except ValueError as exc:
        raise ValueError(URL_MESSAGE) from exc
    if parts.scheme.lower() not in ("http", "https") or not host or "." not in host:
        raise ValueError(URL_MESSAGE)
    return candidate


def handle(text: str) -> str:
    if len(text) > MAX_HANDLE or "\n" in text:
        raise ValueError(HANDLE_MESSAGE)
    return text


# --- normal forms for matching ---------------------------------------------------------------------

# Query parameters that only say where a link was clicked, not what it shows.
_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|igshid|igsh|si|mibextid|ref|ref_src|s|t|share_id|_r|rdid)$")


def url_key(url: str) -> str:
    """`https://m.facebook.com/Jual.Bayi/?ref=share&id=7` -> `facebook.com/jual.bayi?id=7`: host without
    `www.`/`m.`, path without a trailing slash, lowercase, tracking parameters dropped."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile.", "web."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    path = parts.path.rstrip("/").lower()
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=False) if not _TRACKING.match(k)]
    return urlunsplit(("", host, path, urlencode(sorted(query)), "")).lstrip("/")


def handle_key(text: str) -> str:
    """`@Kasih.Bunda_01` -> `kasih.bunda_01`: what platforms treat as the same account name."""
    return text.strip().lstrip("@").strip().casefold()


def compact(text: str) -> str:
    """Letters and digits only, lowercase: `Kasih Bunda` and `@kasih_bunda` both give `kasihbunda`."""
    return "".join(ch for ch in basic_form(text) if ch.isalnum())


# --- places ------------------------------------------------------------------------------------------

_PLACE_WORDS = ("kabupaten ", "kab ", "kota ", "provinsi ", "prov ", "propinsi ")


def _place_name(text: str) -> str:
    name = basic_form(text)
    for word in _PLACE_WORDS:
        if name.startswith(word):
            return name[len(word) :]
    return name


def _kind_hint(text: str) -> str | None:
    name = basic_form(text)
    if name.startswith("kota "):
        return "kota"
    if name.startswith(("kab ", "kabupaten ")):
        return "kabupaten"
    return None


@cache
def _places() -> dict[str, list[Region]]:
    """Province and regency/city names (without "Kota"/"Kab.") -> the regions so named."""
    found: dict[str, list[Region]] = {}
    for region in load_directory().all():
        if region.level in (RegionLevel.PROVINCE, RegionLevel.REGENCY):
            found.setdefault(_place_name(region.name), []).append(region)
    return found


def resolve_place(text: str | None, province: str | None = None) -> str:
    """The region a place names: a region code (`33.74`), or province and regency/city names ("Kota
    Semarang", "Cilacap", "Banyumas, Jawa Tengah"), inside `province` when one was chosen. The most
    precise region named wins; a name that stays ambiguous ("Semarang" is a city and a regency) counts
    for nothing. "" when nothing is named: such a tip goes to the national desk (or to `province`)."""
    scope = province or ""
    directory = load_directory()
    best = scope
    for part in (p.strip() for p in re.split(r"[,;/\n]", text or "")):
        if not part:
            continue
        digits = part.replace(".", "")
        if digits.isdigit():
            region = directory.get(digits) if len(digits) in (2, 4, 6) else None
            hits = [region] if region is not None else []
        else:
            hint = _kind_hint(part)
            hits = [
                r
                for r in _places().get(_place_name(part), [])
                if hint is None or r.kind in (hint, "province")
            ]
        hits = [r for r in hits if r.code.startswith(scope) and r.code.startswith(best[:2] if best else "")]
        if len(hits) == 1 and len(hits[0].code) > len(best):
            best = hits[0].code
    return best
