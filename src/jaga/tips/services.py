"""Tips as use cases: the public submits and follows up with a receipt; officers read, ask and decide.

Public use cases take no actor: nothing about the sender is known or kept (no address, no browser, no
account); their events name no actor. Officers' use cases check the role and the tip's region: a tip
belongs to the region it names, and a tip that names none to the national desk (accounts whose scope is
the whole country). Every officers' read needs a reason and leaves an audit entry (resource `tips`), as
any read of a record that may describe a child.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from jaga.access import Action, Actor, audit_read, check_reason
from jaga.db import EventKind, EventRecord, UnitOfWork
from jaga.errors import Conflict, InvalidInput, NotFound, RecordNotFound
from jaga.regions import format_code, parse_code
from jaga.registry import new_ref
from jaga.tips import receipts
from jaga.tips.fields import resolve_place
from jaga.tips.matching import rematch
from jaga.tips.models import MessageKind, Tip, TipMatch, TipMessage, TipScreenshot, TipStatus
from jaga.tips.schemas import AdditionIn, TipIn
from jaga.tips.screenshots import CleanImage

MAX_PAGE = 500
REF_PREFIX = "T"


@dataclass(frozen=True)
class Submitted:
    ref: str
    receipt: str  # shown once to the tipster, never stored
    region_code: str


@dataclass(frozen=True)
class TipFilter:
    status: TipStatus | None = None
    region: str | None = None  # a region code: tips of that region and below


@dataclass(frozen=True)
class TipPage:
    items: list[dict[str, Any]]
    next_cursor: str | None


def receipt_not_recognised() -> NotFound:
    # One answer for a code of the wrong shape, an unknown key and a wrong code: nothing tells them apart.
    return NotFound(
        "this receipt code was not recognised: check each group of four characters and try again",
        message_id="kode tanda terima ini tidak dikenali: periksa setiap kelompok empat karakter lalu "
        "coba lagi",
    )


# --- the public --------------------------------------------------------------------------------------


def _store_screenshot(session: Session, tip_id: int, image: CleanImage, at: Any) -> str:
    existing = session.scalar(
        select(TipScreenshot.id).where(TipScreenshot.tip_id == tip_id, TipScreenshot.sha256 == image.sha256)
    )
    if existing is None:
        session.add(
            TipScreenshot(
                tip_id=tip_id,
                sha256=image.sha256,
                media_type=image.media_type,
                width=image.width,
                height=image.height,
                content=image.content,
                created_at=at,
            )
        )
    return image.sha256


def _texts(session: Session, tip: Tip) -> dict[str, str]:
    texts = {"handle": tip.handle or "", "description": tip.description or ""}
    additions = session.scalars(
        select(TipMessage.body).where(TipMessage.tip_id == tip.id, TipMessage.kind == MessageKind.ADDITION)
    )
    texts["addition"] = "\n".join(additions)
    return {field: text for field, text in texts.items() if text}


def submit_tip(
    uow: UnitOfWork, hasher: PasswordHasher, data: TipIn, *, screenshot: CleanImage | None = None
) -> Submitted:
    """Record a tip, match it against the registry, and return its receipt (shown once)."""
    receipt = receipts.new_receipt(hasher)
    now = uow.clock()
    tip = Tip(
        ref=new_ref(REF_PREFIX),
        region_code=resolve_place(data.place, data.province),
        created_at=now,
        receipt_key=receipt.key,
        receipt_hash=receipt.hashed,
        platform=data.platform.value,
        url=data.url,
        handle=data.handle,
        phone=data.phone,
        place=data.place,
        price_rupiah=data.price_rupiah,
        description=data.description,
        screenshot_sha256=None,
        status=TipStatus.RECEIVED.value,
    )
    session = uow.session
    session.add(tip)
    session.flush()
    if screenshot is not None:
        tip.screenshot_sha256 = _store_screenshot(session, tip.id, screenshot, now)
    rematch(session, tip, _texts(session, tip))
    uow.record(EventKind.TIP_RECEIVED, tip, actor_id=None)
    uow.commit()
    return Submitted(tip.ref, receipt.code, tip.region_code)


def _by_receipt(session: Session, hasher: PasswordHasher, text: str | None) -> Tip:
    code = receipts.parse_receipt(text)
    candidates: list[Tip] = []
    if code is not None:
        candidates = list(session.scalars(select(Tip).where(Tip.receipt_key == receipts.receipt_key(code))))
    found = receipts.verify(hasher, [t.receipt_hash for t in candidates], code or "-")
    if found is None:
        raise receipt_not_recognised()
    return candidates[found]


def tipster_view(session: Session, tip: Tip) -> dict[str, Any]:
    """What the receipt's holder sees: the status, the officers' questions and their own additions.
    Never the officers' notes, names or the registry's matches."""
    messages = session.scalars(select(TipMessage).where(TipMessage.tip_id == tip.id).order_by(TipMessage.id))
    return {
        "received_at": tip.created_at,
        "status": tip.status,
        "status_changed_at": tip.status_changed_at,
        "placed": bool(tip.region_code),
        "messages": [
            {
                "id": m.id,
                "kind": m.kind,
                "body": m.body,
                "reply_to": m.reply_to,
                "created_at": m.created_at,
                "screenshot": m.screenshot_sha256 is not None,
            }
            for m in messages
        ],
    }


def follow_tip(uow: UnitOfWork, hasher: PasswordHasher, receipt: str | None) -> dict[str, Any]:
    """The tip behind a receipt, as its tipster sees it; NotFound (the same for any wrong code)."""
    tip = _by_receipt(uow.session, hasher, receipt)
    return tipster_view(uow.session, tip)


def add_information(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    receipt: str | None,
    data: AdditionIn,
    *,
    screenshot: CleanImage | None = None,
) -> dict[str, Any]:
    """The tipster adds to their tip (maybe answering a question): a follow-up record and its event."""
    session = uow.session
    tip = _by_receipt(session, hasher, receipt)
    if tip.status == TipStatus.CLOSED.value:
        raise Conflict(
            "this tip is closed: send a new tip if you have new information",
            message_id="laporan ini sudah ditutup: kirim laporan baru jika Anda punya informasi baru",
        )
    if data.reply_to is not None:
        question = session.get(TipMessage, data.reply_to)
        if question is None or question.tip_id != tip.id or question.kind != MessageKind.QUESTION.value:
            raise InvalidInput(
                "the question you answer is not one of this tip's",
                message_id="pertanyaan yang Anda jawab bukan pertanyaan untuk laporan ini",
            )
    now = uow.clock()
    message = TipMessage(
        tip_id=tip.id,
        kind=MessageKind.ADDITION.value,
        body=data.body,
        reply_to=data.reply_to,
        screenshot_sha256=_store_screenshot(session, tip.id, screenshot, now) if screenshot else None,
        principal_id=None,
        created_at=now,
    )
    session.add(message)
    session.flush()
    rematch(session, tip, _texts(session, tip))
    uow.record(EventKind.TIP_ADDED_TO, message, actor_id=None)
    view = tipster_view(session, tip)
    uow.commit()
    return view


# --- officers ----------------------------------------------------------------------------------------


def _region(code: str) -> str:
    try:
        return parse_code(code)
    except ValueError as exc:
        raise InvalidInput(f"region: {exc}") from exc


def _scoped(actor: Actor, query: Select[Any], wanted: TipFilter) -> Select[Any]:
    query = query.where(Tip.region_code.startswith(actor.region_scope, autoescape=True))
    if wanted.region:
        query = query.where(Tip.region_code.startswith(_region(wanted.region), autoescape=True))
    if wanted.status is not None:
        query = query.where(Tip.status == wanted.status.value)
    return query


def tip_view(tip: Tip) -> dict[str, Any]:
    return {
        "ref": tip.ref,
        "received_at": tip.created_at,
        "region_code": format_code(tip.region_code) if tip.region_code else "",
        "desk": "regional" if tip.region_code else "national",
        "status": tip.status,
        "platform": tip.platform,
        "url": tip.url,
        "handle": tip.handle,
        "phone": tip.phone,
        "place": tip.place,
        "price_rupiah": tip.price_rupiah,
        "description": tip.description,
        "screenshot_sha256": tip.screenshot_sha256,
        "status_note": tip.status_note,
        "status_changed_at": tip.status_changed_at,
    }


def _audit(uow: UnitOfWork, actor: Actor, ids: list[int], reason: str, channel: str) -> None:
    audit_read(
        uow.session,
        actor=actor,
        action="read",
        resource="tips",
        record_ids=ids,
        reason=reason,
        channel=channel,
        at=uow.clock(),
    )


def _encode_cursor(tip_id: int) -> str:
    return base64.urlsafe_b64encode(f"tip:{tip_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        prefix, tip_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(":")
        if prefix != "tip" or not tip_id.isdigit():
            raise ValueError(cursor)
        return int(tip_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("cursor is not one this API returned") from exc


def _match_counts(session: Session, ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    if ids:
        for tip_id in session.scalars(select(TipMatch.tip_id).where(TipMatch.tip_id.in_(ids))):
            counts[tip_id] = counts.get(tip_id, 0) + 1
    return counts


def list_tips(
    uow: UnitOfWork,
    actor: Actor,
    *,
    wanted: TipFilter,
    reason: str | None,
    channel: str,
    limit: int = 50,
    cursor: str | None = None,
) -> TipPage:
    """Tips in the actor's region (the national desk sees every tip), newest first, audited."""
    actor.require(Action.TIPS_READ)
    why = check_reason(reason)
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}")
    query = _scoped(actor, select(Tip), wanted)
    if cursor is not None:
        query = query.where(Tip.id < _decode_cursor(cursor))
    rows = list(uow.session.scalars(query.order_by(Tip.id.desc()).limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    counts = _match_counts(uow.session, [t.id for t in rows])
    _audit(uow, actor, [t.id for t in rows], why, channel)
    items = [tip_view(t) | {"matches": counts.get(t.id, 0)} for t in rows]
    uow.commit()
    return TipPage(items, _encode_cursor(rows[-1].id) if more and rows else None)


def count_tips(session: Session, actor: Actor, *, status: TipStatus) -> int:
    """How many tips with `status` the actor's region has (a count: no tip is read, so no reason)."""
    actor.require(Action.TIPS_READ)
    return int(session.scalar(_scoped(actor, select(func.count(Tip.id)), TipFilter(status=status))) or 0)


def _get(session: Session, actor: Actor, ref: str) -> Tip:
    tip = session.scalar(select(Tip).where(Tip.ref == ref))
    if tip is None:
        raise RecordNotFound("tip", ref)
    actor.require_region(tip.region_code, what=f"tip {ref}")
    return tip


def _detail(session: Session, tip: Tip) -> dict[str, Any]:
    messages = session.scalars(select(TipMessage).where(TipMessage.tip_id == tip.id).order_by(TipMessage.id))
    matches = session.scalars(
        select(TipMatch).where(TipMatch.tip_id == tip.id).order_by(TipMatch.strength.desc(), TipMatch.id)
    )
    shots = session.execute(
        select(TipScreenshot.sha256, TipScreenshot.media_type, TipScreenshot.width, TipScreenshot.height)
        .where(TipScreenshot.tip_id == tip.id)
        .order_by(TipScreenshot.id)
    )
    return tip_view(tip) | {
        "messages": [
            {
                "id": m.id,
                "kind": m.kind,
                "body": m.body,
                "reply_to": m.reply_to,
                "screenshot_sha256": m.screenshot_sha256,
                "principal_id": m.principal_id,
                "created_at": m.created_at,
            }
            for m in messages
        ],
        "matches": [
            {
                "field": m.field,
                "target_type": m.target_type,
                "target_ref": m.target_ref,
                "target_region_code": format_code(m.target_region_code) if m.target_region_code else "",
                "method": m.method,
                "strength": m.strength,
            }
            for m in matches
        ],
        "screenshots": [
            {"sha256": sha, "media_type": media, "width": width, "height": height}
            for sha, media, width, height in shots
        ],
        "history": status_history(session, tip.id),
    }


def get_tip(uow: UnitOfWork, actor: Actor, ref: str, *, reason: str | None, channel: str) -> dict[str, Any]:
    """One tip with its follow-ups, matches and screenshots' descriptions, audited."""
    actor.require(Action.TIPS_READ)
    why = check_reason(reason)
    tip = _get(uow.session, actor, ref)
    _audit(uow, actor, [tip.id], why, channel)
    view = _detail(uow.session, tip)
    uow.commit()
    return view


def get_screenshot(
    uow: UnitOfWork, actor: Actor, ref: str, sha256: str, *, reason: str | None, channel: str
) -> tuple[str, bytes]:
    """A screenshot of a tip (media type, bytes), audited."""
    actor.require(Action.TIPS_READ)
    why = check_reason(reason)
    tip = _get(uow.session, actor, ref)
    shot = uow.session.scalar(
        select(TipScreenshot).where(TipScreenshot.tip_id == tip.id, TipScreenshot.sha256 == sha256)
    )
    if shot is None:
        raise RecordNotFound("screenshot", sha256[:16])
    _audit(uow, actor, [tip.id], why, channel)
    found = (shot.media_type, shot.content)
    uow.commit()
    return found


def ask_question(uow: UnitOfWork, actor: Actor, ref: str, *, question: str, channel: str) -> dict[str, Any]:
    """An officer's question to the tipster, shown on the tip's status page; recorded and ledgered."""
    actor.require(Action.TIPS_HANDLE)
    session = uow.session
    tip = _get(session, actor, ref)
    if tip.status == TipStatus.CLOSED.value:
        raise Conflict(f"tip {ref} is closed; reopen it (status under_review) before asking")
    message = TipMessage(
        tip_id=tip.id,
        kind=MessageKind.QUESTION.value,
        body=question,
        reply_to=None,
        screenshot_sha256=None,
        principal_id=actor.principal_id,
        created_at=uow.clock(),
    )
    session.add(message)
    session.flush()
    uow.record(EventKind.TIP_QUESTION_ASKED, message, actor_id=actor.principal_id)
    _audit(uow, actor, [tip.id], "tip handling: question asked", channel)
    view = _detail(session, tip)
    uow.commit()
    return view


NOTE_REQUIRED = {TipStatus.REFERRED, TipStatus.CLOSED}


def change_status(
    uow: UnitOfWork, actor: Actor, ref: str, *, status: TipStatus, note: str | None, channel: str
) -> dict[str, Any]:
    """Move a tip to `status` with the officer's note (required to refer or close); ledgered."""
    actor.require(Action.TIPS_HANDLE)
    text = (note or "").strip() or None
    if status in NOTE_REQUIRED and text is None:
        raise InvalidInput(f"moving a tip to {status.value} needs a note saying why (or to whom)")
    if status == TipStatus.RECEIVED:
        raise InvalidInput("a tip cannot go back to received; use under_review")
    session = uow.session
    tip = _get(session, actor, ref)
    if tip.status == status.value:
        raise Conflict(f"tip {ref} is already {status.value}")
    tip.status, tip.status_note, tip.status_changed_at = status.value, text, uow.clock()
    tip.handled_by = actor.principal_id
    session.flush()
    uow.record(EventKind.TIP_STATUS_CHANGED, tip, actor_id=actor.principal_id)
    _audit(uow, actor, [tip.id], f"tip handling: {status.value}", channel)
    uow.flush_events()  # the history below reads this change's event back
    view = _detail(session, tip)
    uow.commit()
    return view


def status_history(session: Session, tip_id: int) -> list[dict[str, Any]]:
    """The tip's status changes, read back from its ledgered events (each holds the tip's state)."""
    rows = session.execute(
        select(EventRecord.payload, EventRecord.actor_id, EventRecord.recorded_at)
        .where(
            EventRecord.aggregate == "tips",
            EventRecord.aggregate_id == tip_id,
            EventRecord.kind == EventKind.TIP_STATUS_CHANGED.value,
        )
        .order_by(EventRecord.seq)
    )
    history = []
    for payload, actor_id, at in rows:
        state = json.loads(payload)
        history.append(
            {"status": state["status"], "note": state["status_note"], "principal_id": actor_id, "at": at}
        )
    return history
