"""Reading flags and changing their status: role- and region-checked, audited, ledgered.

Flags name children's records, so every read needs a reason and leaves an audit entry (resource
`flags`, the flag ids). A status change is an append-only `flag_status_changes` row with its event,
committed with the flag's new status in one transaction.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from jaga.access import Action, Actor, audit_read, check_reason
from jaga.db import EventKind, UnitOfWork
from jaga.errors import Conflict, InvalidInput, RecordNotFound
from jaga.flags.models import Flag, FlagRun, FlagStatus, FlagStatusChange
from jaga.regions import format_code, parse_code

MAX_PAGE = 500
MAX_NOTE = 2000
# Closing or escalating a flag must say why; the note stays in the review trail.
NOTE_REQUIRED = {FlagStatus.DISMISSED, FlagStatus.ESCALATED}


@dataclass(frozen=True)
class FlagFilter:
    kind: str | None = None
    status: FlagStatus | None = None
    region: str | None = None  # a region code; flags of that region and below
    present_only: bool = True  # only flags the latest run found
    min_score: float | None = None


@dataclass(frozen=True)
class FlagPage:
    items: list[dict[str, Any]]
    next_cursor: str | None


def flag_view(flag: Flag) -> dict[str, Any]:
    return {
        "id": flag.id,
        "kind": flag.kind,
        "subject_type": flag.subject_type,
        "subject_ref": flag.subject_ref,
        "score": flag.score,
        "status": flag.status,
        "region_code": format_code(flag.region_code),  # the written (dotted) form, as every output
        "evidence": json.loads(flag.evidence),
        "explanation_id": flag.explanation_id,
        "explanation_en": flag.explanation_en,
        "records": json.loads(flag.records),
        "present": flag.present,
        "first_seen_at": flag.first_seen_at,
        "last_seen_at": flag.last_seen_at,
        "last_run_id": flag.last_run_id,
    }


def _encode_cursor(score: float, flag_id: int) -> str:
    return base64.urlsafe_b64encode(f"flag:{score!r}:{flag_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[float, int]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, score, flag_id = text.split(":")
        if prefix != "flag" or not flag_id.isdigit():
            raise ValueError(cursor)
        return float(score), int(flag_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("cursor is not one this API returned") from exc


def _region(code: str) -> str:
    try:
        return parse_code(code)
    except ValueError as exc:
        raise InvalidInput(f"region: {exc}") from exc


def _scoped(actor: Actor, query: Select[Any], wanted: FlagFilter) -> Select[Any]:
    query = query.where(Flag.region_code.startswith(actor.region_scope, autoescape=True))
    if wanted.region:
        query = query.where(Flag.region_code.startswith(_region(wanted.region), autoescape=True))
    if wanted.kind:
        query = query.where(Flag.kind == wanted.kind)
    if wanted.status is not None:
        query = query.where(Flag.status == wanted.status.value)
    if wanted.present_only:
        query = query.where(Flag.present.is_(True))
    if wanted.min_score is not None:
        query = query.where(Flag.score >= wanted.min_score)
    return query


def list_flags(
    uow: UnitOfWork,
    actor: Actor,
    *,
    wanted: FlagFilter,
    reason: str | None,
    channel: str,
    limit: int = 50,
    cursor: str | None = None,
) -> FlagPage:
    """Flags in the actor's region, most suspicious first (score, then id), audited."""
    actor.require(Action.FLAGS_READ)
    why = check_reason(reason)
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}")
    query = _scoped(actor, select(Flag), wanted)
    if cursor is not None:
        score, flag_id = _decode_cursor(cursor)
        query = query.where(or_(Flag.score < score, and_(Flag.score == score, Flag.id > flag_id)))
    rows: list[Flag] = list(uow.session.scalars(query.order_by(Flag.score.desc(), Flag.id).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    _audit(uow, actor, [f.id for f in rows], why, channel)
    items = [flag_view(f) for f in rows]
    uow.commit()
    last = rows[-1] if rows else None
    return FlagPage(items, _encode_cursor(last.score, last.id) if more and last is not None else None)


def count_open(session: Session, actor: Actor) -> int:
    """How many open flags the latest run found in the actor's region (a count: no record is read)."""
    actor.require(Action.FLAGS_READ)
    query = _scoped(actor, select(func.count(Flag.id)), FlagFilter(status=FlagStatus.OPEN))
    return int(session.scalar(query) or 0)


def _audit(uow: UnitOfWork, actor: Actor, ids: list[int], reason: str, channel: str) -> None:
    audit_read(
        uow.session,
        actor=actor,
        action="read",
        resource="flags",
        record_ids=ids,
        reason=reason,
        channel=channel,
        at=uow.clock(),
    )


def _get(session: Session, actor: Actor, flag_id: int) -> Flag:
    flag = session.get(Flag, flag_id)
    if flag is None:
        raise RecordNotFound("flag", str(flag_id))
    actor.require_region(flag.region_code, what=f"flag {flag_id}")
    return flag


def history(session: Session, flag_id: int) -> list[dict[str, Any]]:
    changes = session.scalars(
        select(FlagStatusChange).where(FlagStatusChange.flag_id == flag_id).order_by(FlagStatusChange.id)
    )
    return [
        {
            "from_status": c.from_status,
            "to_status": c.to_status,
            "note": c.note,
            "principal_id": c.principal_id,
            "changed_at": c.changed_at,
        }
        for c in changes
    ]


def get_flag(
    uow: UnitOfWork, actor: Actor, flag_id: int, *, reason: str | None, channel: str
) -> dict[str, Any]:
    """One flag with its evidence and review trail, audited."""
    actor.require(Action.FLAGS_READ)
    why = check_reason(reason)
    flag = _get(uow.session, actor, flag_id)
    _audit(uow, actor, [flag.id], why, channel)
    view = flag_view(flag) | {"history": history(uow.session, flag.id)}
    uow.commit()
    return view


def change_status(
    uow: UnitOfWork,
    actor: Actor,
    flag_id: int,
    *,
    status: FlagStatus,
    note: str | None = None,
    channel: str = "service",
) -> dict[str, Any]:
    """Move a flag to `status`, with the reviewer's note; recorded, ledgered and returned (audited)."""
    actor.require(Action.FLAGS_REVIEW)
    text = (note or "").strip() or None
    if text is not None and len(text) > MAX_NOTE:
        raise InvalidInput(f"a note holds at most {MAX_NOTE} characters")
    if status in NOTE_REQUIRED and text is None:
        raise InvalidInput(f"moving a flag to {status.value} needs a note saying why")
    session = uow.session
    flag = _get(session, actor, flag_id)
    if flag.status == status.value:
        raise Conflict(f"flag {flag_id} is already {status.value}")
    now = uow.clock()
    change = FlagStatusChange(
        flag_id=flag.id,
        kind=flag.kind,
        subject_type=flag.subject_type,
        subject_ref=flag.subject_ref,
        from_status=flag.status,
        to_status=status.value,
        note=text,
        principal_id=actor.principal_id,
        changed_at=now,
    )
    session.add(change)
    flag.status, flag.status_changed_at = status.value, now
    session.flush()
    uow.record(EventKind.FLAG_STATUS_CHANGED, change, actor_id=actor.principal_id)
    _audit(uow, actor, [flag.id], f"flag review: {status.value}", channel)
    view = flag_view(flag) | {"history": history(session, flag.id)}
    uow.commit()
    return view


def latest_run(session: Session) -> FlagRun | None:
    return session.scalar(
        select(FlagRun).where(FlagRun.status == "done").order_by(FlagRun.id.desc()).limit(1)
    )
