"""A field node: the device side of `jaga field`.

A node is a folder: `field.db` (SQLite, migrated with the registry's own Alembic history), `device.key`
(the Ed25519 signer key, 0600, in the project's note-key format) with `device.vkey` beside it (public:
the district admin enrols it), and `node.json` (device id, server, office, default officer).

Records are validated on the device by the registry's own schemas (`jaga.registry.KINDS`, the NIK
checks inside them), then stored as signed events in the outbox, each chained to the one before. The
outbox's states: pending -> sending (exported or posted, no answer yet) -> sent | refused. A `sending`
item older than the stale limit goes back to pending with a note, so nothing waits forever.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from jaga.db import UnitOfWork, create_engine_for, session_factory
from jaga.db.migrate import upgrade
from jaga.errors import (
    Conflict,
    FieldNodeMissing,
    FieldProblem,
    InvalidInput,
    KeyFileInvalid,
    RecordRejected,
)
from jaga.field.batch import render_batch
from jaga.field.chain import GENESIS, SignedEvent, sign_event, uuid7
from jaga.field.models import OutboxItem
from jaga.files import atomic_write
from jaga.ledger import LedgerError, parse_skey
from jaga.ledger.note import Ed25519Signer, check_key_name
from jaga.registry import FROM_FILE, KINDS, new_ref

NODE_FILE = "node.json"
KEY_FILE = "device.key"
VKEY_FILE = "device.vkey"
DATABASE_FILE = "field.db"
DEFAULT_STALE_MINUTES = 30

# The kinds a field office records, and the prefix of the refs the device gives them (as the registry's
# own use cases would), so that later rows on the same device can name them (a birth its mother).
FIELD_KINDS: dict[str, dict[str, str]] = {
    "people": {"ref": "P"},
    "births": {"ref": "B", "child_ref": "P"},
    "relinquishments": {"ref": "R"},
    "missing-reports": {"ref": "M"},
}

# As the registry's Batch does (services/batch.py): "today" in the easternmost zone (WIT, UTC+9), so a
# birth recorded this morning in Jayapura is never refused as being in the future.
_LATEST_OFFSET = timedelta(hours=9)


@dataclass(frozen=True)
class NodeInfo:
    device: str
    server: str
    office: str
    officer: str | None


@dataclass
class Node:
    folder: Path
    info: NodeInfo
    signer: Ed25519Signer
    engine: Engine

    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    def close(self) -> None:
        self.engine.dispose()


@dataclass(frozen=True)
class Recorded:
    event_id: str
    seq: int
    refs: dict[str, str]  # the refs the device gave the record (ref, child_ref)


def init_node(folder: Path, *, server: str, office: str, officer: str | None) -> NodeInfo:
    """Create a node in `folder`: database, device key and node file. Never overwrites a key."""
    if (folder / KEY_FILE).exists() or (folder / NODE_FILE).exists():
        raise Conflict(f"{folder} already holds a field node; a device key is never overwritten")
    if not office.strip():
        raise InvalidInput("--office must name the field office")
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    device = new_ref("FD")
    check_key_name(device)
    signer = Ed25519Signer.generate(device)
    engine = create_engine_for(f"sqlite:///{folder / DATABASE_FILE}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    info = NodeInfo(device=device, server=server, office=office.strip(), officer=officer)
    atomic_write(folder / KEY_FILE, signer.skey() + "\n")
    atomic_write(folder / VKEY_FILE, signer.verifier().vkey() + "\n", mode=0o644)
    atomic_write(folder / NODE_FILE, json.dumps(info.__dict__, indent=2) + "\n")
    return info


def open_node(folder: Path) -> Node:
    """The node in `folder`; FieldNodeMissing or KeyFileInvalid when it is absent or unsafe."""
    node_file, key_file = folder / NODE_FILE, folder / KEY_FILE
    if not node_file.exists() or not key_file.exists() or not (folder / DATABASE_FILE).exists():
        raise FieldNodeMissing(f"no field node in {folder}; run `jaga field init` first")
    if key_file.stat().st_mode & 0o077:
        raise KeyFileInvalid(f"{key_file} is readable by other users; chmod 600 it")
    try:
        signer = parse_skey(key_file.read_text(encoding="ascii"))
    except (LedgerError, UnicodeDecodeError) as exc:  # the key text never reaches a message
        raise KeyFileInvalid(f"{key_file} is not a valid device key") from exc
    if not isinstance(signer, Ed25519Signer):
        raise KeyFileInvalid(f"{key_file} is not an Ed25519 device key")
    try:
        raw = json.loads(node_file.read_text(encoding="utf-8"))
        info = NodeInfo(**raw)
    except (ValueError, TypeError) as exc:
        raise FieldNodeMissing(f"{node_file} is not a field node file") from exc
    if info.device != signer.name:
        raise KeyFileInvalid(f"{key_file} belongs to device {signer.name}, not {info.device}")
    return Node(folder, info, signer, create_engine_for(f"sqlite:///{folder / DATABASE_FILE}"))


def validate_rows(kind: str, rows: Sequence[dict[str, Any]], *, today: Any, from_file: bool) -> list[Any]:
    """Each row validated by the registry's own schema for `kind` (its NIK checks included); every
    problem of every row in one RecordRejected (nothing recorded). Values are never echoed."""
    spec = KINDS[kind]
    context = {"today": today, FROM_FILE: from_file}
    models, problems = [], []
    for number, values in enumerate(rows, start=1):
        given = dict(values)
        for field_name, prefix in FIELD_KINDS[kind].items():
            if not str(given.get(field_name) or "").strip():
                given[field_name] = new_ref(prefix)
        try:
            models.append(spec.schema.model_validate(given, context=context))
        except ValidationError as exc:
            for error in exc.errors(include_input=False, include_url=False):
                location = error.get("loc", ())
                name = str(location[0]) if location else None
                message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
                problems.append(FieldProblem(f"row {number} {name or ''}".strip(), message))
    if problems:
        raise RecordRejected(kind, problems)
    return models


def record(
    node: Node, kind: str, rows: Sequence[dict[str, Any]], *, officer: str, now: datetime, from_file: bool
) -> list[Recorded]:
    """Validate `rows` of `kind` and append one signed event per row to the outbox, in one transaction
    (all rows or none)."""
    if kind not in FIELD_KINDS:
        raise InvalidInput(f"unknown field kind {kind!r}; one of: {', '.join(FIELD_KINDS)}")
    if not rows:
        raise InvalidInput("no rows to record")
    models = validate_rows(kind, rows, today=(now + _LATEST_OFFSET).date(), from_file=from_file)
    recorded = []
    with UnitOfWork(node.sessions(), lambda: now) as uow:
        last = uow.session.execute(
            select(OutboxItem.seq, OutboxItem.hash, OutboxItem.created_at)
            .order_by(OutboxItem.seq.desc())
            .limit(1)
        ).one_or_none()
        seq, prev = (last.seq, last.hash) if last is not None else (0, GENESIS)
        # A device clock set back must not make the chain go back in time: the server refuses that.
        created = max(now, last.created_at) if last is not None else now
        for model in models:
            payload = model.model_dump(mode="json", exclude_none=True)
            seq += 1
            event_id = uuid7(created)
            signed = sign_event(
                node.signer,
                event_id=event_id,
                device=node.info.device,
                seq=seq,
                officer=officer,
                kind=kind,
                created_at=created,
                prev=prev,
                payload=payload,
            )
            uow.session.add(
                OutboxItem(
                    event_id=event_id,
                    seq=seq,
                    kind=kind,
                    officer=officer,
                    created_at=created,
                    hash=signed.hash,
                    envelope=signed.envelope,
                    signature=signed.signature,
                    state="pending",
                    state_changed_at=now,
                    attempts=0,
                )
            )
            prev = signed.hash
            refs = {name: payload[name] for name in FIELD_KINDS[kind] if name in payload}
            recorded.append(Recorded(event_id, seq, refs))
        uow.commit()
    return recorded


def requeue_stale(uow: UnitOfWork, now: datetime, stale_minutes: int) -> int:
    """Items left `sending` longer than `stale_minutes` go back to pending (sent again next time)."""
    cutoff = now - timedelta(minutes=stale_minutes)
    stale = uow.session.scalars(
        select(OutboxItem).where(OutboxItem.state == "sending", OutboxItem.state_changed_at < cutoff)
    ).all()
    for item in stale:
        item.state = "pending"
        item.state_changed_at = now
        item.last_error = f"no answer within {stale_minutes} minutes; it will be sent again"
    return len(stale)


def outbox(node: Node, *, now: datetime, stale_minutes: int = DEFAULT_STALE_MINUTES) -> list[OutboxItem]:
    """Every outbox item in chain order, after stale `sending` items went back to pending."""
    with UnitOfWork(node.sessions(), lambda: now) as uow:
        requeue_stale(uow, now, stale_minutes)
        uow.commit()
        items = list(uow.session.scalars(select(OutboxItem).order_by(OutboxItem.seq)).all())
        uow.session.expunge_all()
        return items


def export_batch(node: Node, out: Path, *, now: datetime, stale_minutes: int = DEFAULT_STALE_MINUTES) -> int:
    """Write every event not yet acknowledged (pending, sending or refused) to `out`, from the first
    such event on, in chain order, and mark them `sending`. Events the server already holds are
    answered "already have it" there, so exporting again is always safe. Returns how many."""
    with UnitOfWork(node.sessions(), lambda: now) as uow:
        requeue_stale(uow, now, stale_minutes)
        first = uow.session.scalar(select(func.min(OutboxItem.seq)).where(OutboxItem.state != "sent"))
        if first is None:
            uow.commit()
            return 0
        items = uow.session.scalars(
            select(OutboxItem).where(OutboxItem.seq >= first).order_by(OutboxItem.seq)
        ).all()
        atomic_write(
            out, render_batch(node.info.device, [SignedEvent(i.envelope, i.signature) for i in items])
        )
        for item in items:
            if item.state != "sent":
                item.state = "sending"
                item.state_changed_at = now
                item.attempts += 1
        uow.commit()
        return len(items)


def apply_receipt(node: Node, receipt: dict[str, Any], *, now: datetime) -> dict[str, int]:
    """Mark outbox items by the server's receipt: applied, already-have and held are `sent` (the server
    holds them); refused items, or every `sending` item when the whole batch was refused before any
    event was looked at, are `refused` with the server's reason."""
    if receipt.get("device") not in (None, node.info.device):
        raise InvalidInput(f"the receipt is for device {receipt.get('device')}, not {node.info.device}")
    events = receipt.get("events")
    if not isinstance(events, list):
        raise InvalidInput("the receipt has no events list")
    counts = {"sent": 0, "refused": 0}
    with UnitOfWork(node.sessions(), lambda: now) as uow:
        by_id = {item.event_id: item for item in uow.session.scalars(select(OutboxItem)).all()}
        for entry in events:
            item = by_id.get(str(entry.get("event_id"))) if isinstance(entry, dict) else None
            if item is None:
                continue
            outcome = entry.get("outcome")
            if outcome in ("applied", "already-have", "held"):
                item.state, item.last_error = "sent", None
                counts["sent"] += 1
            else:
                item.state = "refused"
                item.last_error = str(entry.get("reason") or receipt.get("error") or "refused")[:1000]
                counts["refused"] += 1
            item.state_changed_at = now
        if receipt.get("refused") and not events:
            for item in by_id.values():
                if item.state == "sending":
                    item.state, item.state_changed_at = "refused", now
                    item.last_error = str(receipt.get("error") or "the batch was refused")[:1000]
                    counts["refused"] += 1
        uow.commit()
    return counts


# A transport posts one batch and answers (HTTP status, JSON body); it raises OSError (or ValueError for
# a cut answer) when the link fails. The command line's goes over HTTP; tests pass the application's own.
Transport = Callable[[bytes], tuple[int, dict[str, Any]]]


@dataclass
class SyncSummary:
    sent: int = 0
    refused: int = 0
    chunks: int = 0
    stopped: str | None = None  # why the sync stopped before the end (the next one resumes there)


def sync(
    node: Node,
    post: Transport,
    *,
    now: datetime,
    chunk: int = 500,
    stale_minutes: int = DEFAULT_STALE_MINUTES,
) -> SyncSummary:
    """Send every unacknowledged event, `chunk` at a time, in chain order; resumable and idempotent.

    Each chunk is marked `sending` (committed) before it leaves, and `sent` only when the server's answer
    lists its event as applied, already held or held for review: nothing is taken as stored that the
    server did not say it stored. A broken link puts the chunk back to pending and stops; the next sync
    starts again from the first unacknowledged event (the server answers already-have for what it has).
    A refusal marks the chunk refused with the server's reason and stops (the chain cannot go past it).
    """
    summary = SyncSummary()
    sessions = node.sessions()
    with UnitOfWork(sessions, lambda: now) as uow:
        requeue_stale(uow, now, stale_minutes)
        uow.commit()
        first = uow.session.scalar(select(func.min(OutboxItem.seq)).where(OutboxItem.state != "sent"))
        if first is None:
            return summary
        seqs = list(
            uow.session.scalars(
                select(OutboxItem.seq).where(OutboxItem.seq >= first).order_by(OutboxItem.seq)
            )
        )
    for start in range(0, len(seqs), chunk):
        part = seqs[start : start + chunk]
        with UnitOfWork(sessions, lambda: now) as uow:
            items = uow.session.scalars(
                select(OutboxItem).where(OutboxItem.seq.in_(part)).order_by(OutboxItem.seq)
            ).all()
            body = render_batch(
                node.info.device, [SignedEvent(i.envelope, i.signature) for i in items]
            ).encode()
            for item in items:
                if item.state != "sent":
                    item.state, item.state_changed_at = "sending", now
                    item.attempts += 1
            uow.commit()
        summary.chunks += 1
        try:
            status, answer = post(body)
        except (OSError, ValueError) as exc:
            _settle(
                node,
                part,
                now,
                state="pending",
                error=f"link failed ({type(exc).__name__}); will be sent again",
            )
            summary.stopped = f"the link failed ({type(exc).__name__}); run sync again to resume"
            return summary
        if status == 200 and isinstance(answer.get("events"), list):
            counts = apply_receipt(node, answer, now=now)
            summary.sent += counts["sent"]
            summary.refused += counts["refused"]
            continue
        detail = str(answer.get("detail") or f"HTTP {status}")[:1000]
        if 400 <= status < 500 and status not in (401, 408, 429):
            events = answer.get("events") if isinstance(answer.get("events"), list) else []
            counts = apply_receipt(node, {"refused": True, "error": detail, "events": events}, now=now)
            _settle(node, part, now, state="refused", error=detail)
            summary.refused += counts["refused"] or len(part)
        else:
            _settle(node, part, now, state="pending", error=f"server answered {status}: {detail}")
        summary.stopped = f"the server answered {status}: {detail}"
        return summary
    return summary


def _settle(node: Node, seqs: Sequence[int], now: datetime, *, state: str, error: str) -> None:
    """Items of `seqs` still `sending` become `state` with `error`."""
    with UnitOfWork(node.sessions(), lambda: now) as uow:
        for item in uow.session.scalars(
            select(OutboxItem).where(OutboxItem.seq.in_(seqs), OutboxItem.state == "sending")
        ).all():
            item.state, item.state_changed_at, item.last_error = state, now, error
        uow.commit()
