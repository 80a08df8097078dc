"""One person's whole story across agencies, through the identity linkage (the workbench's child timeline),
and the dated events of any set of records (the records behind a flag).

A core package: it reads the registry, the linkage's identities, certificates, flags, tips and the log,
and knows nothing of HTTP.
"""

from jaga.timeline.records import records_timeline
from jaga.timeline.services import Entry, Timeline, person_timeline

__all__ = ["Entry", "Timeline", "person_timeline", "records_timeline"]
