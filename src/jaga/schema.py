"""Every table's metadata in one place, for migrations' autogenerate and the schema drift test.

Importing this module imports every capability's models.
"""

from __future__ import annotations

from sqlalchemy import MetaData

import jaga.access.models
import jaga.certificates.models
import jaga.flags.models
import jaga.linkage.models
import jaga.regions.models
import jaga.registry.models
import jaga.sequencer.models  # noqa: F401  (registers the tables)
from jaga.db import Base


def metadata() -> MetaData:
    return Base.metadata
