"""The public licence check: who holds a licence to care for children, run a clinic or attend births, what
that licence's status is today, and whether its holder may take part in adoption placements.

A core package: it reads the registry's institutions, facilities and attendants (their public licence
facts only), `jaga.names` to match what people type, and `jaga.regions` for places. It knows nothing of
HTTP; the portal's `/lembaga` page is its edge.
"""

from jaga.licences.matching import licence_key
from jaga.licences.places import RegionChoice, resolve_region
from jaga.licences.search import (
    MAX_QUERY_LENGTH,
    PER_PAGE,
    LicenceFact,
    LicenceQuery,
    SearchPage,
    get_licence,
    search_licences,
)
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

__all__ = [
    "MAX_QUERY_LENGTH",
    "PER_PAGE",
    "Eligibility",
    "LicenceFact",
    "LicenceQuery",
    "LicenceState",
    "RecordKind",
    "RegionChoice",
    "SearchPage",
    "adoption_eligibility",
    "attendant_status",
    "facility_status",
    "get_licence",
    "indonesian_today",
    "institution_status",
    "licence_key",
    "resolve_region",
    "search_licences",
]
