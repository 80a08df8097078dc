"""`jaga ledger audit`: recompute every stored record's commitment and check it against the log.

Three things must agree: the registry rows, the events (the latest event of a row holds its exact state),
and the log (each event's entry hashes to the leaf the log committed, the leaves hash to the signed
root). Anything changed, deleted or inserted behind jaga's back breaks one of these and is named here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from jaga.db import Base, EventRecord, record_state
from jaga.db.tables import LEDGERED, UNLEDGERED, load_models
from jaga.ledger import (
    HASH_SIZE,
    TILE_WIDTH,
    LedgerError,
    RightBorder,
    decode_bundle,
    leaf_hash,
    open_checkpoint,
)
from jaga.ledger.note import Verifier
from jaga.ledger.tiles import TILE_HEIGHT
from jaga.sequencer.models import LedgerAudit, LedgerState, LedgerTile
from jaga.sequencer.store import ENTRY_LEVEL

CHUNK = 5000
TILE_CHUNK = 64


@dataclass
class AuditReport:
    log_size: int = 0
    events_checked: int = 0
    rows_checked: int = 0
    pending_events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems


def audit(session: Session, verifiers: list[Verifier], *, origin: str) -> AuditReport:
    report = AuditReport()
    state = session.get(LedgerState, 1)
    if state is None or state.checkpoint is None:
        report.problems.append("the ledger has no signed checkpoint yet; run `jaga ledger integrate`")
        return report
    _check_checkpoint(state, verifiers, origin, report)
    _check_events_against_log(session, state, report)
    _check_rows_against_events(session, report)
    return report


def record_audit(
    session: Session, report: AuditReport, *, run_by: str, started_at: datetime, finished_at: datetime
) -> LedgerAudit:
    """Keep an audit's outcome and counts (`ledger_audits`), clean or not; the caller commits."""
    result = LedgerAudit(
        started_at=started_at,
        finished_at=finished_at,
        run_by=run_by[:64],
        clean=report.clean,
        log_size=report.log_size,
        events_checked=report.events_checked,
        rows_checked=report.rows_checked,
        pending_events=report.pending_events,
        problems=len(report.problems),
    )
    session.add(result)
    return result


def last_audit(session: Session) -> LedgerAudit | None:
    """The latest audit's result, or None if the log was never audited."""
    query = select(LedgerAudit).order_by(LedgerAudit.finished_at.desc(), LedgerAudit.id.desc()).limit(1)
    return session.scalar(query)


def _check_checkpoint(
    state: LedgerState, verifiers: list[Verifier], origin: str, report: AuditReport
) -> None:
    report.log_size = state.size
    try:
        checkpoint, _ = open_checkpoint(state.checkpoint or "", verifiers, origin=origin)
    except LedgerError as exc:
        report.problems.append(f"the stored checkpoint does not verify: {exc}")
        return
    if (checkpoint.size, checkpoint.root) != (state.size, state.root):
        report.problems.append(
            f"the ledger state (size {state.size}) differs from its signed checkpoint "
            f"(size {checkpoint.size})"
        )


def _events(session: Session, start: int, end: int) -> Iterator[EventRecord]:
    for first in range(start, end + 1, CHUNK):
        yield from session.scalars(
            select(EventRecord)
            .where(EventRecord.seq >= first, EventRecord.seq < min(first + CHUNK, end + 1))
            .order_by(EventRecord.seq)
        )


def _stored_leaves(session: Session, size: int, report: AuditReport) -> Iterator[tuple[int, bytes, bytes]]:
    """(leaf index, stored leaf hash, stored entry) for every leaf, read tile by tile in chunks."""
    tiles = (size + TILE_WIDTH - 1) // TILE_WIDTH
    for first in range(0, tiles, TILE_CHUNK):
        last = min(first + TILE_CHUNK, tiles)
        rows = session.scalars(
            select(LedgerTile).where(
                LedgerTile.level.in_((0, ENTRY_LEVEL)), LedgerTile.idx >= first, LedgerTile.idx < last
            )
        ).all()
        found = {(row.level, row.idx): row for row in rows}
        for index in range(first, last):
            width = min(TILE_WIDTH, size - index * TILE_WIDTH)
            hashes, bundle = found.get((0, index)), found.get((ENTRY_LEVEL, index))
            if hashes is None or bundle is None or hashes.width < width or bundle.width < width:
                report.problems.append(f"log tile {index} is missing or short: tiles were deleted")
                return
            entries = decode_bundle(bundle.data)
            for offset in range(width):
                start = offset * HASH_SIZE
                yield index * TILE_WIDTH + offset, hashes.data[start : start + HASH_SIZE], entries[offset]
        session.expunge_all()


class _UpperTiles:
    """NodeSink that rebuilds the tiles above level 0 (1/256 of the leaves: small enough to hold)."""

    def __init__(self) -> None:
        self.levels: dict[int, bytearray] = {}

    def add_node(self, level: int, index: int, value: bytes) -> None:
        if level and level % TILE_HEIGHT == 0:
            self.levels.setdefault(level // TILE_HEIGHT, bytearray()).extend(value)

    def compare(self, session: Session, report: AuditReport) -> None:
        for level, expected in sorted(self.levels.items()):
            stored = b"".join(
                session.scalars(
                    select(LedgerTile.data).where(LedgerTile.level == level).order_by(LedgerTile.idx)
                )
            )
            if stored != bytes(expected):
                report.problems.append(f"the log's level-{level} tiles were altered: proofs would fail")


def _check_events_against_log(session: Session, state: LedgerState, report: AuditReport) -> None:
    """Walk the stored leaves and the events side by side, rebuilding the tree as it goes."""
    border, upper = RightBorder(), _UpperTiles()
    events = _events(session, 1, state.size)
    event = next(events, None)
    for index, stored, entry in _stored_leaves(session, state.size, report):
        border.append_hash(stored, upper)
        seq = index + 1
        if leaf_hash(entry) != stored:
            report.problems.append(
                f"the log's copy of entry {seq} was altered: it no longer hashes to its leaf"
            )
        while event is not None and event.seq < seq:
            event = next(events, None)
        if event is None or event.seq != seq:
            report.problems.append(f"event seq {seq} was deleted: the log has it, the events table does not")
            continue
        if leaf_hash(event.log_entry().encode()) != stored:
            report.problems.append(
                f"event seq {seq} ({event.kind}, {event.aggregate}#{event.aggregate_id}) was altered: "
                "it no longer matches the log"
            )
        report.events_checked += 1
    if border.size == state.size:
        if border.root() != state.root:
            report.problems.append("the log's leaf tiles do not hash to its signed root: tiles were altered")
        upper.compare(session, report)
    report.pending_events = int(
        session.scalar(select(func.count()).select_from(EventRecord).where(EventRecord.seq > state.size)) or 0
    )


def _latest_payloads(session: Session, table: str) -> Iterator[tuple[int, str]]:
    """(row id, payload of its latest event), ordered by row id, streamed."""
    latest = (
        select(EventRecord.aggregate_id, func.max(EventRecord.seq).label("seq"))
        .where(EventRecord.aggregate == table)
        .group_by(EventRecord.aggregate_id)
        .subquery()
    )
    query = (
        select(EventRecord.aggregate_id, EventRecord.payload)
        .join(latest, EventRecord.seq == latest.c.seq)
        .order_by(EventRecord.aggregate_id)
        .execution_options(yield_per=CHUNK)
    )
    for aggregate_id, payload in session.execute(query):
        yield int(aggregate_id), payload


def _check_rows_against_events(session: Session, report: AuditReport) -> None:
    """Merge rows (by id) with their latest events (by row id): both sides streamed, memory bounded."""
    load_models()  # every ledgered table is checked, whatever this process imported before
    mappers = {
        m.local_table.name: m.class_ for m in Base.registry.mappers if isinstance(m.local_table, Table)
    }
    undeclared = sorted(set(mappers) - set(LEDGERED) - set(UNLEDGERED))
    for name in undeclared:
        report.problems.append(f"table {name} is neither ledgered nor declared derived (jaga.db.ledgered)")
    for name in sorted(LEDGERED):
        model = mappers[name]
        rows = iter(session.scalars(select(model).order_by(model.id).execution_options(yield_per=CHUNK)))
        events = _latest_payloads(session, name)
        row, event = next(rows, None), next(events, None)
        while row is not None or event is not None:
            row_id = int(row.id) if row is not None else None
            if event is None or (row_id is not None and row_id < event[0]):
                report.problems.append(f"{name}#{row_id} has no event: inserted behind jaga's back")
                report.rows_checked += 1
                row = next(rows, None)
            elif row_id is None or event[0] < row_id:
                report.problems.append(
                    f"{name}#{event[0]} is gone but its events remain: deleted behind jaga's back"
                )
                event = next(events, None)
            else:
                assert row is not None
                if json.loads(event[1]) != record_state(row):
                    report.problems.append(
                        f"{name}#{row_id} differs from its last event: changed behind jaga's back"
                    )
                report.rows_checked += 1
                row, event = next(rows, None), next(events, None)
        session.expunge_all()
