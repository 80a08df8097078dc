"""From records as agencies keep them to the columns the model compares.

Names go through `jaga.names` (spelling reforms, Muhammad variants, titles, bin/binti, birth-order names,
newborn placeholders); a NIK lends its date of birth and sex where the record lacks them; regions are cut
into district, regency and province; phones are reduced to digits, identifiers and postcodes to their
letters and digits; addresses also into their distinctive tokens. Values that cannot be
read become missing (counted in `FeatureReport`), never errors: one agency's bad date must not stop a
national linkage run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import pyarrow as pa

from jaga.linkage.roles import Role
from jaga.names import ParsedName, basic_form, parse_name, step_enabled, without_steps
from jaga.nik import Sex, nik_birth_facts

# The columns every feature table has, in this order; list columns hold name tokens.
SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("source", pa.string()),
        ("name_canon", pa.string()),
        ("name_sorted", pa.string()),
        ("name_phonetic", pa.string()),
        ("name_first", pa.string()),
        ("name_last", pa.string()),
        ("name_tokens", pa.list_(pa.string())),
        ("mother_canon", pa.string()),
        ("mother_first", pa.string()),
        ("dob", pa.string()),
        ("dob_year", pa.string()),
        ("sex", pa.string()),
        ("nik", pa.string()),
        ("id_national", pa.string()),  # a national_id value that is not a NIK (passport, patient number ...)
        ("family_id", pa.string()),
        ("region_district", pa.string()),
        ("region_regency", pa.string()),
        ("region_province", pa.string()),
        ("nik_regency", pa.string()),
        ("locality", pa.string()),
        ("state", pa.string()),
        ("address", pa.string()),
        ("address_tokens", pa.list_(pa.string())),
        ("postcode", pa.string()),
        ("phone", pa.string()),
        ("mother_id", pa.string()),  # the mother's NIK or other number, on a child's record
    ]
)

IDENTIFIER_PREFIX = "id_"  # `id_1`, `id_2` ...: one column per `identifier` column, after SCHEMA's

# Words every address has: a shared "jalan" or "street" is no evidence, so they are not tokens.
_ADDRESS_WORDS = frozenset(
    [
        "jalan",
        "jl",
        "jln",
        "gang",
        "gg",
        "rt",
        "rw",
        "no",
        "nomor",
        "blok",
        "kel",
        "kelurahan",
        "desa",
        "dusun",
        "kec",
        "kecamatan",
        "kab",
        "kabupaten",
        "kota",
        "street",
        "st",
        "road",
        "rd",
        "avenue",
        "ave",
        "lane",
        "ln",
        "drive",
        "dr",
        "place",
        "pl",
        "court",
        "ct",
        "crescent",
        "cres",
        "circuit",
        "cct",
        "close",
        "way",
        "parade",
        "terrace",
        "tce",
        "highway",
        "hwy",
        "boulevard",
        "the",
        "of",
        "unit",
        "flat",
    ]
)

_DATE_FORMATS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
)
_SEXES = {
    "m": "M",
    "male": "M",
    "l": "M",
    "lk": "M",
    "laki laki": "M",
    "pria": "M",
    "1": "M",
    "f": "F",
    "female": "F",
    "p": "F",
    "pr": "F",
    "perempuan": "F",
    "wanita": "F",
    "2": "F",
}


@dataclass
class FeatureReport:
    """How many values of each role could not be read (and were treated as missing)."""

    records: int = 0
    unreadable: Counter[str] = field(default_factory=Counter)
    placeholders: int = 0  # newborns recorded as "By. Ny. <mother>"


@lru_cache(maxsize=500_000)
def _parsed(name: str) -> ParsedName:
    # Names repeat heavily (thousands of "Siti Aminah"); parsing each distinct spelling once pays.
    return parse_name(name)


# Months written in words, Indonesian and English, full and abbreviated ("5 Mei 2019", "5 Agt 2019",
# "5 August 2019"): how birth dates are written on letters, intake forms and in other countries' files.
_MONTH_WORDS = {
    word: number
    for number, words in enumerate(
        (
            ("januari", "january", "jan"),
            ("februari", "pebruari", "february", "feb", "peb"),
            ("maret", "march", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("agustus", "august", "agu", "agt", "agus", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nopember", "nov", "nop"),
            ("desember", "december", "des", "dec"),
        ),
        start=1,
    )
    for word in words
}
_WORDS_DATE = re.compile(r"^(?P<d>\d{1,2})\s+(?P<m>[a-z]+)\.?,?\s+(?P<y>\d{4})$")


def read_date(text: str | None) -> date | None:
    """ISO, day/month/year, compact, or day, month in words and year ("5 Mei 2019"); None for anything
    else or impossible dates."""
    value = (text or "").strip()
    words = _WORDS_DATE.match(value.lower())
    if words and words["m"] in _MONTH_WORDS:
        try:
            return date(int(words["y"]), _MONTH_WORDS[words["m"]], int(words["d"]))
        except ValueError:
            return None
    for pattern in _DATE_FORMATS:
        match = pattern.match(value)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


@lru_cache(maxsize=1024)
def read_sex(text: str | None) -> str | None:
    return _SEXES.get(basic_form(text or ""))


_NOT_DIGITS = re.compile(r"\D+")


def _digits(text: str | None) -> str:
    return _NOT_DIGITS.sub("", text) if text else ""


@lru_cache(maxsize=200_000)
def _basic(text: str) -> str | None:
    # Localities and addresses repeat within a village; normalising each distinct one once pays.
    return basic_form(text) or None


_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def read_identifier(text: str | None) -> str | None:
    """An identifier's letters and digits, upper case ("A 123-45/6" and "a123456" are one number)."""
    value = _NOT_ALNUM.sub("", text or "").upper()
    return value or None


@lru_cache(maxsize=200_000)
def address_tokens(text: str) -> tuple[str, ...]:
    """The address's distinctive tokens (house numbers included, street-type words left out), sorted."""
    return tuple(sorted({t for t in (basic_form(text) or "").split() if t not in _ADDRESS_WORDS}))


def _nik_fits_date(nik: str, dob: date) -> bool:
    """Could `nik` be the NIK of someone born on `dob`? Its DDMMYY (day + 40 for women) is the date, allowing
    a slip: at most two of the six digits off (a typo, swapped day and month digits), or the same year."""
    written = nik[6:12]
    own = [f"{dob.day + offset:02d}{dob.month:02d}{dob.year % 100:02d}" for offset in (0, 40)]
    return written[4:] == own[0][4:] or any(
        sum(a != b for a, b in zip(written, o, strict=True)) <= 2 for o in own
    )


def read_phone(text: str | None) -> str | None:
    digits = _digits(text)
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits if len(digits) >= 8 else None


def _joined(values: Iterable[str | None]) -> str:
    return " ".join(v.strip() for v in values if v and v.strip())


@dataclass(frozen=True)
class _Name:
    canon: str | None
    sorted: str | None
    phonetic: str | None
    first: str | None
    last: str | None
    tokens: tuple[str, ...] | None
    mother: ParsedName | None


@lru_cache(maxsize=500_000)
def _name(full: str) -> _Name:
    # Cached whole: ParsedName computes its keys on each access, and a national run asks for the same
    # "Siti Aminah" keys a hundred thousand times.
    parsed = _parsed(full) if full else None
    if parsed is None or not parsed.tokens:
        mother = parsed if parsed is not None and parsed.placeholder and parsed.mother else None
        return _Name(None, None, None, None, None, None, _parsed(" ".join(mother.mother)) if mother else None)
    return _Name(
        parsed.canonical,
        parsed.sorted_key if step_enabled("token_order") else None,
        parsed.phonetic if step_enabled("phonetic") else None,
        parsed.first,
        parsed.last,
        tuple(parsed.distinctive),
        None,
    )


def _mother_keys_of(parsed: ParsedName | None) -> tuple[str, str | None] | None:
    return (parsed.canonical, parsed.first) if parsed is not None and parsed.tokens else None


@lru_cache(maxsize=500_000)
def _mother_keys(text: str) -> tuple[str, str | None] | None:
    return _mother_keys_of(_parsed(text))


@contextmanager
def names_ablated(steps: Iterable[str]) -> Iterator[None]:
    """Feature rows built with these `jaga.names.STEPS` switched off (ablation benchmarks only)."""
    with without_steps(steps):
        _clear_name_caches()
        try:
            yield
        finally:
            _clear_name_caches()


def _clear_name_caches() -> None:
    for cached in (_parsed, _name, _mother_keys):
        cached.cache_clear()


def feature_row(
    unique_id: str,
    source: str,
    values: Mapping[Role, str | None],
    *,
    today: date,
    report: FeatureReport,
    identifiers: Sequence[str | None] = (),
) -> dict[str, object]:
    """One record's feature columns (see SCHEMA), then `id_1`, `id_2` ... for `identifiers` (the values of
    the record's `identifier` columns, in the mapping's order; a lone `Role.IDENTIFIER` value in `values`
    counts as one)."""
    if not identifiers and Role.IDENTIFIER in values:
        identifiers = [values[Role.IDENTIFIER]]
    report.records += 1
    full = _joined(
        [values.get(Role.FULL_NAME)]
        if values.get(Role.FULL_NAME)
        else [values.get(Role.GIVEN_NAME), values.get(Role.SURNAME)]
    )
    name = _name(full)
    if name.mother is not None:
        report.placeholders += 1
    mother_text = values.get(Role.MOTHER_NAME)
    mother = _mother_keys(mother_text) if mother_text else _mother_keys_of(name.mother)

    raw_dob = values.get(Role.DATE_OF_BIRTH)
    dob = read_date(raw_dob)
    if raw_dob and raw_dob.strip() and dob is None:
        report.unreadable[Role.DATE_OF_BIRTH.value] += 1
    raw_nik = _digits(values.get(Role.NATIONAL_ID))
    nik = raw_nik if len(raw_nik) == 16 and raw_nik == read_identifier(values.get(Role.NATIONAL_ID)) else None
    # Not a NIK (a passport, a social security or patient number): still an identifier of the person.
    national_other = None if nik else read_identifier(values.get(Role.NATIONAL_ID))
    family_number = read_identifier(values.get(Role.FAMILY_ID))
    if nik and dob and not _nik_fits_date(nik, dob):
        # A 16-digit number whose date is not the person's: a family card or the mother's NIK typed where the
        # NIK belongs. It says which family, not who (and its date and sex are not the person's).
        report.unreadable["national_id (a family's number, not the person's NIK)"] += 1
        family_number, nik = family_number or nik, None
    nik_dob, nik_sex = nik_birth_facts(nik, today=today, birth_date_hint=dob)
    dob = dob or nik_dob
    raw_sex = values.get(Role.SEX)
    sex = read_sex(raw_sex)
    if raw_sex and raw_sex.strip() and sex is None:
        report.unreadable[Role.SEX.value] += 1
    if sex is None and nik_sex is not None:
        sex = "F" if nik_sex == Sex.FEMALE else "M"
    mother_digits = _digits(values.get(Role.MOTHER_ID))
    mother_nik = mother_digits if len(mother_digits) == 16 else None
    region = _digits(values.get(Role.REGION))
    if values.get(Role.REGION) and len(region) < 2:
        report.unreadable[Role.REGION.value] += 1

    return {
        "unique_id": unique_id,
        "source": source,
        "name_canon": name.canon,
        "name_sorted": name.sorted,
        "name_phonetic": name.phonetic,
        "name_first": name.first,
        "name_last": name.last,
        "name_tokens": list(name.tokens) if name.tokens is not None else None,
        "mother_canon": mother[0] if mother is not None else None,
        "mother_first": mother[1] if mother is not None else None,
        "dob": dob.isoformat() if dob else None,
        "dob_year": str(dob.year) if dob else None,
        "sex": sex,
        "nik": nik,
        "id_national": national_other,
        "family_id": family_number,
        "region_district": region[:6] if len(region) >= 6 else None,
        "region_regency": region[:4] if len(region) >= 4 else None,
        "region_province": region[:2] if len(region) >= 2 else None,
        # Where the NIK was first issued: people move, their NIK keeps the old regency. A newborn without a
        # NIK of its own comes from where its mother's was issued.
        "nik_regency": nik[:4] if nik else (mother_nik[:4] if mother_nik else None),
        "locality": _basic(values.get(Role.LOCALITY) or ""),
        "state": _basic(values.get(Role.STATE) or ""),
        "address": _basic(values.get(Role.ADDRESS) or ""),
        "address_tokens": list(address_tokens(values.get(Role.ADDRESS) or "")) or None,
        "postcode": read_identifier(values.get(Role.POSTCODE)),
        "phone": read_phone(values.get(Role.PHONE)),
        "mother_id": read_identifier(values.get(Role.MOTHER_ID)),
        **{f"{IDENTIFIER_PREFIX}{i}": read_identifier(v) for i, v in enumerate(identifiers, start=1)},
    }


def feature_table(rows: list[dict[str, object]]) -> pa.Table:
    """SCHEMA's columns, then as many `id_<n>` columns as the rows have identifiers."""
    count = max(
        (sum(k.startswith(IDENTIFIER_PREFIX) and k[3:].isdigit() for k in r) for r in rows), default=0
    )
    schema = SCHEMA
    for number in range(1, count + 1):
        schema = schema.append(pa.field(f"{IDENTIFIER_PREFIX}{number}", pa.string()))
    return pa.Table.from_pylist(rows, schema=schema)


def present_columns(table: pa.Table) -> set[str]:
    """Feature columns with at least one value: the model only compares what the data holds."""
    return {name for name in table.column_names if table.column(name).null_count < table.num_rows}
