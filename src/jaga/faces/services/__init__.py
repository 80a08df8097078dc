"""Photos and face matching as use cases, for the API and the command line alike.

Every use case checks the actor's role and the record's region. Every read of a photo, its metadata or
a candidate list is a read of a child's record: it needs a reason and leaves an audit entry (resource
`photos`). A photo's image is encrypted at rest (jaga.faces.vault); the ledgered row holds its SHA-256.

One module per seam: `photos` (attaching), `photo_reads`, `matching`, `review` (candidates and
decisions), `worker` (descriptors), `common` (settings, the warning, the audit). Callers import from
here.
"""

from jaga.faces.services.common import (
    MAX_BATCH,
    MAX_DISTANCE,
    MAX_STORED_BYTES,
    REF_PREFIX,
    RESOURCE,
    TOP_PER_INTAKE,
    TOP_PER_REPORT,
    WARNING,
    WARNING_ID,
)
from jaga.faces.services.matching import match
from jaga.faces.services.photo_reads import list_photos, read_photo
from jaga.faces.services.photos import PhotoIn, add_photo, add_photos, photo_view, sweep_orphans
from jaga.faces.services.review import (
    count_pending_candidates,
    decide,
    forget_candidates,
    get_candidate,
    raise_flags,
    review_queue,
)
from jaga.faces.services.worker import embed_missing, pending_count

__all__ = [
    "MAX_BATCH",
    "MAX_DISTANCE",
    "MAX_STORED_BYTES",
    "REF_PREFIX",
    "RESOURCE",
    "TOP_PER_INTAKE",
    "TOP_PER_REPORT",
    "WARNING",
    "WARNING_ID",
    "PhotoIn",
    "add_photo",
    "add_photos",
    "count_pending_candidates",
    "decide",
    "embed_missing",
    "forget_candidates",
    "get_candidate",
    "list_photos",
    "match",
    "pending_count",
    "photo_view",
    "raise_flags",
    "read_photo",
    "review_queue",
    "sweep_orphans",
]
