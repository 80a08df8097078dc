"""The public licence check: search the registries of licence holders, and read one holder's public facts.

Only public licence facts leave this module: name, kind, region, licence or registration number, issuer,
validity, effective status and adoption eligibility. The queries select those columns and no others, so
an attendant's NIK, anyone's address and every child's record stay in the database. Reading licence facts
is not reading a person's record: nothing is audited, and no account is needed.

A search reads two rounds: the few columns matching needs, for every candidate of the kinds and regions
asked (`jaga.licences.matching`), then the public facts of one page of results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.db import UnitOfWork
from jaga.errors import InvalidInput, NotFound
from jaga.licences.catalogue import Catalogue, catalogue_for
from jaga.licences.matching import SearchText, person_tokens
from jaga.licences.places import region_names, region_tokens, resolve_region
from jaga.licences.status import (
    Eligibility,
    LicenceState,
    RecordKind,
    adoption_eligibility,
    attendant_status,
    facility_status,
    indonesian_today,
    institution_status,
)
from jaga.names import basic_form, organisation_tokens
from jaga.regions import format_code
from jaga.registry import Attendant, Facility, Institution

__all__ = [
    "MAX_QUERY_LENGTH",
    "PER_PAGE",
    "LicenceFact",
    "LicenceQuery",
    "SearchPage",
    "get_licence",
    "search_licences",
]

PER_PAGE = 20
MAX_QUERY_LENGTH = 100  # a name, a number or a place; longer text is not a search (422 at the edge)

# The words each kind of holder is known by, searched with its name: "bidan siti" finds the midwife
# Siti Aminah, "klinik semarang" the clinics of Semarang.
_KIND_WORDS = {
    "lksa": "LKSA panti asuhan",
    "adoption_foundation": "yayasan",
    "shelter": "rumah aman",
    "foster_agency": "pengasuhan",
    "hospital": "rumah sakit",
    "puskesmas": "puskesmas",
    "clinic": "klinik",
    "midwife_practice": "praktik mandiri bidan",
    "midwife": "bidan",
    "doctor": "dokter",
    "nurse": "perawat",
    "traditional": "dukun bayi",
}


@dataclass(frozen=True)
class LicenceQuery:
    """A search as the edge validated it: text (a name, number or place), kind, region, page (from 1)."""

    text: str | None = None
    kind: RecordKind | None = None
    region: str | None = None
    page: int = 1


@dataclass(frozen=True)
class LicenceFact:
    """One licence holder's public facts."""

    ref: str
    kind: RecordKind
    subtype: str  # lksa, adoption_foundation, ..., hospital, clinic, ..., midwife, doctor, ...
    name: str
    region_code: str  # dotted
    region_names: tuple[str, ...]  # district, regency, province: those the code has
    licence_number: str | None
    issuer: str | None
    valid_from: date | None
    valid_until: date | None
    status: LicenceState
    eligibility: Eligibility


@dataclass(frozen=True)
class SearchPage:
    results: list[LicenceFact]
    total: int
    page: int
    pages: int
    regions: tuple[str, ...]  # names of the regions searched, when a region was given


@dataclass(frozen=True)
class _Source:
    """One registry of licence holders: its table, the columns matching reads, the public facts."""

    kind: RecordKind
    model: Any
    name: Any
    number: Any
    subtype: Any
    name_tokens: Callable[[str], tuple[str, ...]]
    public: Callable[[Any, date], LicenceFact]

    def columns(self) -> tuple[Any, ...]:
        return (self.model.id, self.name, self.model.region_code, self.number, self.subtype)


def _fact(
    row: Any,
    kind: RecordKind,
    status: LicenceState,
    number: str | None,
    *,
    issuer: str | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> LicenceFact:
    return LicenceFact(
        ref=row.ref,
        kind=kind,
        subtype=row.kind,
        name=row.name,
        region_code=format_code(row.region_code),
        region_names=region_names(row.region_code),
        licence_number=number,
        issuer=issuer,
        valid_from=valid_from,
        valid_until=valid_until,
        status=status,
        eligibility=adoption_eligibility(kind, row.kind, status),
    )


def _institution(row: Any, today: date) -> LicenceFact:
    status = institution_status(
        row.licence_status,
        licence_number=row.licence_number,
        valid_from=row.licence_valid_from,
        valid_until=row.licence_valid_until,
        today=today,
    )
    return _fact(
        row,
        RecordKind.INSTITUTION,
        status,
        row.licence_number,
        issuer=row.licence_issuer,
        valid_from=row.licence_valid_from,
        valid_until=row.licence_valid_until,
    )


def _facility(row: Any, today: date) -> LicenceFact:
    return _fact(row, RecordKind.FACILITY, facility_status(row.licence_number), row.licence_number)


def _attendant(row: Any, today: date) -> LicenceFact:
    number = row.registration_number
    return _fact(row, RecordKind.ATTENDANT, attendant_status(number), number)


_SOURCES = (
    _Source(
        RecordKind.INSTITUTION,
        Institution,
        Institution.name,
        Institution.licence_number,
        Institution.kind,
        organisation_tokens,
        _institution,
    ),
    _Source(
        RecordKind.FACILITY,
        Facility,
        Facility.name,
        Facility.licence_number,
        Facility.kind,
        organisation_tokens,
        _facility,
    ),
    _Source(
        RecordKind.ATTENDANT,
        Attendant,
        Attendant.full_name,
        Attendant.registration_number,
        Attendant.kind,
        person_tokens,
        _attendant,
    ),
)
_ORDER = {source.kind: index for index, source in enumerate(_SOURCES)}

# The public columns of each table: nothing else is ever selected for a result.
_PUBLIC_COLUMNS: dict[RecordKind, tuple[Any, ...]] = {
    RecordKind.INSTITUTION: (
        Institution.ref,
        Institution.name,
        Institution.kind,
        Institution.region_code,
        Institution.licence_number,
        Institution.licence_issuer,
        Institution.licence_valid_from,
        Institution.licence_valid_until,
        Institution.licence_status,
    ),
    RecordKind.FACILITY: (
        Facility.ref,
        Facility.name,
        Facility.kind,
        Facility.region_code,
        Facility.licence_number,
    ),
    RecordKind.ATTENDANT: (
        Attendant.ref,
        Attendant.full_name.label("name"),
        Attendant.kind,
        Attendant.region_code,
        Attendant.registration_number,
    ),
}


_context_cache: dict[tuple[str, str], frozenset[str]] = {}


def _context_set(region_code: str, subtype: str) -> frozenset[str]:
    """The words a holder is known by besides its name: its kind's and its region's."""
    key = (region_code, subtype)
    found = _context_cache.get(key)
    if found is None:
        kind_words = organisation_tokens(_KIND_WORDS.get(subtype, ""))
        found = _context_cache[key] = region_tokens(region_code) | frozenset(kind_words)
    return found


def _catalogue(session: Session, source: _Source) -> Catalogue:
    def build() -> Catalogue:
        return Catalogue(source.model, source.columns(), source.name_tokens, _context_set)

    return catalogue_for(session, source.kind.value, build)


def search_licences(uow: UnitOfWork, query: LicenceQuery, *, per_page: int = PER_PAGE) -> SearchPage:
    """One page of licence holders matching `query`, best matches first, with their status today.

    With text: holders whose name, kind or region matches it, or whose licence number it is. Without
    text: every holder of the region asked. Raises InvalidInput (422) for text with nothing to search
    (no letter or digit), UnknownRegion (422) for a region that does not exist, and InvalidInput when
    neither text nor region is given.
    """
    if query.page < 1:
        raise InvalidInput("page must be 1 or more", message_id="halaman harus 1 atau lebih")
    text = SearchText.read(query.text) if query.text else None
    if text is not None and text.empty:
        raise InvalidInput(
            "the search text has no letter or digit to look for",
            message_id="teks pencarian tidak berisi huruf atau angka untuk dicari",
        )
    choice = resolve_region(query.region) if query.region else None
    if text is None and choice is None:
        raise InvalidInput(
            "write a name, a licence number or a region to search",
            message_id="tulis nama, nomor izin, atau wilayah untuk mencari",
        )
    regions = choice.codes if choice else None
    found: list[tuple[int, int, str, int]] = []  # (score, kind order, name, id)
    for source in _SOURCES:
        if query.kind is not None and source.kind != query.kind:
            continue
        catalogue = _catalogue(uow.session, source)
        with catalogue.lock:
            catalogue.refresh(uow.session)
            for score, position in catalogue.search(text, regions):
                found.append((score, _ORDER[source.kind], catalogue.names[position], catalogue.ids[position]))
    found.sort(key=lambda hit: (-hit[0], hit[1], basic_form(hit[2]), hit[3]))
    start = (query.page - 1) * per_page
    chosen = [(_SOURCES[order], row_id) for _, order, _, row_id in found[start : start + per_page]]
    pages = max(1, -(-len(found) // per_page))
    return SearchPage(
        _public_facts(uow, chosen), len(found), query.page, pages, choice.names if choice else ()
    )


def _public_facts(uow: UnitOfWork, chosen: list[tuple[_Source, int]]) -> list[LicenceFact]:
    """The public facts of `chosen` (source, id), in their order, read fresh."""
    today = indonesian_today(uow.clock())
    facts: dict[tuple[RecordKind, int], LicenceFact] = {}
    for source in _SOURCES:
        ids = [row_id for chosen_source, row_id in chosen if chosen_source is source]
        if not ids:
            continue
        query = select(source.model.id, *_PUBLIC_COLUMNS[source.kind]).where(source.model.id.in_(ids))
        for row in uow.session.execute(query):
            facts[(source.kind, row.id)] = source.public(row, today)
    return [facts[(source.kind, row_id)] for source, row_id in chosen]


def get_licence(uow: UnitOfWork, ref: str) -> LicenceFact:
    """The public facts of the institution, facility or attendant `ref`; NotFound (404) otherwise."""
    today = indonesian_today(uow.clock())
    for source in _SOURCES:
        query = select(*_PUBLIC_COLUMNS[source.kind]).where(source.model.ref == ref)
        row = uow.session.execute(query).one_or_none()
        if row is not None:
            return source.public(row, today)
    raise NotFound(
        "no institution, facility or attendant has this reference",
        message_id="tidak ada lembaga, fasilitas, atau tenaga kesehatan dengan nomor rujukan ini",
    )
