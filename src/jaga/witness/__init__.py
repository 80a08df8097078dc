"""A witness for jaga's log (or any C2SP tlog-tiles log): cosigns checkpoints only if consistent.

Stands alone: it reads the log's public files and uses only the `jaga.ledger` library, so a court, an
auditor or a civil-society group can run it on their own machine against the public copy.
"""

from jaga.witness.core import Cosigned, Witness
from jaga.witness.source import LogSource

__all__ = [
    "Cosigned",
    "LogSource",
    "Witness",
]
