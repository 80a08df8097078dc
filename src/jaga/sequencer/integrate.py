"""The sequencer: committed events into the log, in order, with a signed checkpoint per batch.

This is the outbox's other half. Writers commit events with gapless sequence numbers (jaga.db.events);
the sequencer reads only committed events, in sequence order, and in one transaction per batch appends
their entries to the tree, grows the tiles, and stores the new state and its signed checkpoint. A crash
at any point leaves either the whole batch or none of it; the next run resumes from the stored size, and
since entries are a pure function of the event rows, it produces the same tree: the log cannot fork.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.db import Clock, EventRecord, utc_now
from jaga.errors import LogGap
from jaga.ledger import HASH_SIZE, Checkpoint, RightBorder, leaf_hash
from jaga.sequencer.keys import LedgerKeys
from jaga.sequencer.models import LedgerCheckpoint, LedgerState
from jaga.sequencer.store import TileWriter

DEFAULT_BATCH = 20_000


@dataclass(frozen=True)
class Integrated:
    size: int
    root: bytes
    added: int
    seconds: float
    checkpoint: str


def _state(session: Session) -> LedgerState:
    # FOR UPDATE: one sequencer at a time (PostgreSQL); SQLite's BEGIN IMMEDIATE already serialises.
    return session.execute(select(LedgerState).where(LedgerState.id == 1).with_for_update()).scalar_one()


def _split(border: bytes) -> list[bytes]:
    return [border[i : i + HASH_SIZE] for i in range(0, len(border), HASH_SIZE)]


def integrate(
    sessions: sessionmaker[Session],
    keys: LedgerKeys,
    *,
    origin: str,
    batch: int = DEFAULT_BATCH,
    clock: Clock = utc_now,
    progress: Callable[[int], None] | None = None,
) -> Integrated:
    """Integrate every committed event not yet in the log; sign a checkpoint after each batch."""
    started = time.perf_counter()
    added = 0
    while True:
        with sessions() as session, session.begin():
            state = _state(session)
            # A crash between signing and committing leaves the key ahead of the database. The events
            # are unchanged, so re-integrating up to at least that size reproduces the signed tree; a
            # smaller batch would ask the key to sign a smaller tree, which it rightly refuses.
            limit = max(batch, keys.last_signed_size() - state.size)
            events = session.scalars(
                select(EventRecord).where(EventRecord.seq > state.size).order_by(EventRecord.seq).limit(limit)
            ).all()
            if not events and state.checkpoint is not None:
                return Integrated(
                    state.size, state.root, added, time.perf_counter() - started, state.checkpoint
                )
            border = RightBorder(state.size, _split(state.border))
            writer = TileWriter(session)
            for expected, event in enumerate(events, start=state.size + 1):
                if event.seq != expected:
                    raise LogGap(
                        f"event seq {expected} is missing from the events table (found {event.seq} next)"
                    )
                entry = event.log_entry().encode()
                writer.add_entry(border.size, entry)
                border.append_hash(leaf_hash(entry), writer)
            writer.flush()
            root = border.root()
            note = keys.sign(Checkpoint(origin, border.size, root)).format()
            state.size, state.root, state.border = border.size, root, b"".join(border.hashes)
            state.checkpoint, state.updated_at = note, clock()
            if session.get(LedgerCheckpoint, border.size) is None:
                session.add(LedgerCheckpoint(size=border.size, root=root, note=note, signed_at=clock()))
            added += len(events)
        if progress is not None:
            progress(added)
        if not events:
            continue  # the first checkpoint of an empty log was just signed; now there is nothing left
