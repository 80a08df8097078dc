"""`seal_receipt`: the log's proof that the registry made a pack (see `jaga.evidence.seal` for the format
and why it lies beside the manifest).

The receipt holds the pack's `evidence_pack.packed` event (its payload: the pack's id, manifest hash,
packer's account id and time; no personal data), the event's inclusion proof up to the newest checkpoint
that holds it and that the witnesses the server trusts verifiably cosigned, that checkpoint, and a
consistency proof from the pack's own latest checkpoint. It reads no child's record: nothing to audit.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.access import Action, Actor
from jaga.db.canonical import to_json_value
from jaga.errors import InvalidInput, NotFound, PackNotSealable
from jaga.evidence.format import is_cosigned
from jaga.evidence.models import EvidencePack
from jaga.evidence.seal import SEAL_FORMAT
from jaga.evidence.services import event_json, packing_event
from jaga.evidence.trust import WitnessTrust
from jaga.ledger import consistency_proof, inclusion_proof, parse_note
from jaga.sequencer.models import LedgerCheckpoint, LedgerState
from jaga.sequencer.store import tile_reader

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Receipt:
    packing: dict[str, Any]  # the packing event, as `packing.json` holds it
    seal: dict[str, Any]  # as `seal.json` holds it
    pack_id: int
    checkpoint_size: int
    witnesses: list[str]


def seal_receipt(
    session: Session,
    actor: Actor,
    manifest_sha256: str,
    *,
    from_size: int,
    trust: WitnessTrust,
    now: datetime,
) -> Receipt:
    """The seal of the pack whose manifest hashes to `manifest_sha256`, whose latest checkpoint has size
    `from_size`. Raises RoleNotAllowed (not police or court), InvalidInput, NotFound (no such pack) and
    PackNotSealable (its event is not integrated yet, or no checkpoint holding it is witnessed yet, or the
    server trusts no witness)."""
    actor.require(Action.EVIDENCE_PACK)
    if not _SHA256.match(manifest_sha256):
        raise InvalidInput("manifest_sha256 must be 64 lowercase hexadecimal digits")
    pack_id = session.scalar(select(EvidencePack.id).where(EvidencePack.manifest_sha256 == manifest_sha256))
    if pack_id is None:
        raise NotFound(f"the registry made no evidence pack whose manifest SHA-256 is {manifest_sha256}")
    event = packing_event(session, pack_id)
    if not 0 < from_size < event.seq:
        raise InvalidInput(
            f"from_size must be the pack's latest checkpoint size, below its packing event's seq {event.seq}"
        )
    state = session.get(LedgerState, 1)
    if state is None or state.checkpoint is None or state.size < event.seq:
        raise PackNotSealable(
            f"the packing event of pack #{pack_id} (seq {event.seq}) is not in the log yet; the sequencer "
            "adds it within seconds (`jaga ledger integrate`)"
        )
    if not trust.configured:
        raise PackNotSealable(
            "a seal rests on a witnessed checkpoint, and the server trusts no witness "
            "(JAGA_WITNESS_VKEYS, JAGA_WITNESS_POLICY)"
        )
    size, note, witnesses = _witnessed(session, state, event.seq, trust, now)
    reader = tile_reader(session, state.size)
    seal = {
        "format": SEAL_FORMAT,
        "manifest_sha256": manifest_sha256,
        "event_seq": event.seq,
        "checkpoint": note,
        "inclusion": [h.hex() for h in inclusion_proof(reader, event.seq - 1, size)],
        "consistency": {
            "old_size": from_size,
            "new_size": size,
            "hashes": [h.hex() for h in consistency_proof(reader, from_size, size)],
        },
        "witnesses": witnesses,
        "sealed_at": to_json_value(now),
    }
    return Receipt(event_json(event), seal, pack_id, size, witnesses)


def _witnessed(
    session: Session, state: LedgerState, seq: int, trust: WitnessTrust, now: datetime
) -> tuple[int, str, list[str]]:
    """The newest checkpoint holding event `seq` whose cosignatures `trust` verifies."""
    assert state.checkpoint is not None
    candidates = [(state.size, state.checkpoint)]
    query = (
        select(LedgerCheckpoint.size, LedgerCheckpoint.note)
        .where(LedgerCheckpoint.size >= seq, LedgerCheckpoint.size < state.size)
        .order_by(LedgerCheckpoint.size.desc())
    )
    closest = ""
    # Closed when left early: on PostgreSQL, yield_per reads through a server-side cursor.
    with contextlib.closing(session.execute(query.execution_options(yield_per=200))) as rows:
        for size, note in itertools.chain(candidates, ((r[0], r[1]) for r in rows)):
            if not is_cosigned(note):
                continue
            verdict = trust.judge(parse_note(note), now=now)
            if verdict.witnessed:
                return size, note, list(verdict.witnesses)
            closest = closest or f"checkpoint {size}: {verdict.detail}"
    raise PackNotSealable(
        f"no checkpoint holding the packing event (seq {seq}) is cosigned as {trust.describe()} requires "
        f"({closest or 'none carries a cosignature'}); push the latest checkpoint to the witnesses "
        "(`jaga ledger witness-push`) and seal again"
    )
