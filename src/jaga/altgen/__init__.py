"""An alternative generator of Indonesian person records, for judging identity linkage on data that jaga's
model was not built from.

Written from DOMAIN.md alone, with its own name traditions, spelling variants and noise. It must never
import `jaga.synth`, `jaga.names` or `jaga.linkage` (an import-linter contract says so): sharing their
assumptions would make the judgement circular. It uses `jaga.regions` for real kecamatan codes only and
builds NIKs itself (`altgen.niks`).
"""

from jaga.altgen.agencies import INDONESIAN_KINDS, Record, Truth
from jaga.altgen.family import Person
from jaga.altgen.people import Dataset, generate, write

__all__ = ["INDONESIAN_KINDS", "Dataset", "Person", "Record", "Truth", "generate", "write"]
