"""What every photo and face use case shares: the settings, the warning said with every candidate
list, and the audit of a read (resource `photos`)."""

from __future__ import annotations

from jaga.access import Actor, audit_read
from jaga.db import UnitOfWork

REF_PREFIX = "PH"
RESOURCE = "photos"
TOP_PER_REPORT = 10
TOP_PER_INTAKE = 3
MAX_BATCH = 100  # photos per batch request (each is checked and its face found in the request)
# dlib's own suggestion for adults (0.6); for young children it means less. A setting, not a claim.
MAX_DISTANCE = 0.6
MAX_STORED_BYTES = 1024 * 1024 * 1024  # stored images were checked on the way in
# Said with every candidate list, on every channel.
WARNING = (
    "Face recognition of young children is weak: faces change fast, and dlib's model was trained on "
    "adults. A distance is never a match: it only orders candidates for a person to compare the records. "
    "The thresholds and ranks shown are settings, not claims of accuracy."
)
WARNING_ID = (
    "Pengenalan wajah anak kecil lemah: wajah berubah cepat, dan model dlib dilatih dengan wajah orang "
    "dewasa. Jarak bukan kecocokan: jarak hanya mengurutkan kandidat untuk diperiksa oleh petugas."
)


def audit(uow: UnitOfWork, actor: Actor, ids: list[int], reason: str, channel: str) -> None:
    audit_read(
        uow.session,
        actor=actor,
        action="read",
        resource=RESOURCE,
        record_ids=ids,
        reason=reason,
        channel=channel,
        at=uow.clock(),
    )
