"""One person's whole story across agencies, through the identity linkage (the workbench's child timeline).

A core package: it reads the registry, the linkage's identities, certificates, flags and the log, and
knows nothing of HTTP.
"""

from jaga.timeline.services import Entry, Timeline, person_timeline

__all__ = ["Entry", "Timeline", "person_timeline"]
