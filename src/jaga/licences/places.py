"""Regions for the licence check: a region written by a person (a code or a name) as code prefixes, and the
names of a record's region as words to search and to show.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from jaga.errors import UnknownRegion
from jaga.names import organisation_tokens
from jaga.regions import RegionLevel, load_directory, parse_code

__all__ = ["RegionChoice", "region_names", "region_tokens", "resolve_region"]

# Words that say what kind of region a name is, not which: "Kota Semarang" and "Kab. Semarang" are both
# "Semarang"; "DKI Jakarta" and "DI Yogyakarta" are Jakarta and Yogyakarta.
_KIND_WORDS = frozenset({"kabupaten", "kota", "provinsi", "kecamatan", "dki", "di"})


@dataclass(frozen=True)
class RegionChoice:
    """The regions a person meant: their codes (digits; a record matches when its code starts with one)."""

    codes: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        directory = load_directory()
        return tuple(region.name for code in self.codes if (region := directory.get(code)) is not None)


def _key(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(token for token in tokens if token not in _KIND_WORDS))


@cache
def _index() -> dict[RegionLevel, dict[tuple[str, ...], list[str]]]:
    """Region name key -> codes, per level (built once per process from the shipped directory)."""
    index: dict[RegionLevel, dict[tuple[str, ...], list[str]]] = defaultdict(lambda: defaultdict(list))
    for region in load_directory().all():
        index[region.level][_key(organisation_tokens(region.name))].append(region.code)
    return index


def resolve_region(text: str) -> RegionChoice:
    """The regions `text` names: a Kemendagri code (`33`, `33.74`, `3374`, `33.74.01`) or a name.

    A name matches provinces and regencies/cities first ("Semarang" is both Kab. Semarang and Kota
    Semarang; "Kota Semarang" only the city), then districts. Raises UnknownRegion (422) when nothing
    matches; the message does not repeat what was typed.
    """
    written = text.strip()
    if written.replace(".", "").isdigit():
        try:
            code = parse_code(written)
        except ValueError as exc:
            raise UnknownRegion(f"region: {exc}") from exc
        region = load_directory().require(code)
        return RegionChoice((region.code,))
    tokens = organisation_tokens(written)
    key = _key(tokens)
    if not key:
        raise UnknownRegion(
            "region: write a region's name or code", message_id="wilayah: tulis nama atau kode wilayah"
        )
    index = _index()
    wanted_kind = "kota" if "kota" in tokens else ("kabupaten" if "kabupaten" in tokens else None)
    directory = load_directory()
    for levels in ((RegionLevel.PROVINCE, RegionLevel.REGENCY), (RegionLevel.DISTRICT,)):
        codes = [code for level in levels for code in index[level].get(key, [])]
        if wanted_kind is not None:
            codes = [code for code in codes if (found := directory.get(code)) and found.kind == wanted_kind]
        if codes:
            return RegionChoice(_outermost(codes))
    raise UnknownRegion(
        "region: no province, regency, city or district has this name",
        message_id="wilayah: tidak ada provinsi, kabupaten, kota, atau kecamatan dengan nama ini",
    )


def _outermost(codes: list[str]) -> tuple[str, ...]:
    """Codes without those inside another ("Yogyakarta": the province, not also its city)."""
    ordered = sorted(set(codes), key=len)
    kept: list[str] = []
    for code in ordered:
        if not any(code.startswith(outer) for outer in kept):
            kept.append(code)
    return tuple(sorted(kept))


@cache
def region_names(code: str) -> tuple[str, ...]:
    """The names of a region and the regions around it, innermost first: district, regency, province."""
    directory = load_directory()
    names = []
    for length in (6, 4, 2):
        if len(code) >= length and (region := directory.get(code[:length])) is not None:
            names.append(region.name)
    return tuple(names)


@cache
def region_tokens(code: str) -> frozenset[str]:
    """The search tokens of a record's region: the names of its district, regency and province."""
    return frozenset(token for name in region_names(code) for token in organisation_tokens(name))
