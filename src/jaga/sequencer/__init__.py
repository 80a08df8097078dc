"""The ledger's database side: the outbox of events into the log, signed checkpoints, tiles, audits.

`jaga.ledger` is the pure library; this package stores its tiles and state in the registry database and
holds the log's signing key. It imports the registry only to know its tables (for audits).
"""

from jaga.sequencer.audit import AuditReport, audit, last_audit, record_audit
from jaga.sequencer.integrate import Integrated, integrate
from jaga.sequencer.keys import (
    LedgerKeys,
    init_keys,
    load_keys,
    promote_next_key,
    published_verifiers,
)
from jaga.sequencer.models import LedgerAudit, LedgerCheckpoint, LedgerState, LedgerTile
from jaga.sequencer.services import (
    InclusionProof,
    add_cosignatures,
    checkpoint_at,
    export_tiles,
    pending_events,
    prove_consistency,
    prove_inclusion,
    serve_tile,
    state,
)

__all__ = [
    "AuditReport",
    "InclusionProof",
    "Integrated",
    "LedgerAudit",
    "LedgerCheckpoint",
    "LedgerKeys",
    "LedgerState",
    "LedgerTile",
    "add_cosignatures",
    "audit",
    "checkpoint_at",
    "export_tiles",
    "init_keys",
    "integrate",
    "last_audit",
    "load_keys",
    "pending_events",
    "promote_next_key",
    "prove_consistency",
    "prove_inclusion",
    "published_verifiers",
    "record_audit",
    "serve_tile",
    "state",
]
