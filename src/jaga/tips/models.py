"""Anonymous tips about babies for sale, as registry records: the tip, its follow-ups, its screenshots and
what it was matched with in the registry.

A tip carries no trace of who sent it: no address, no browser, no account. Its receipt code is stored only
as an argon2id hash, beside a short lookup key (the code's first group) that finds the row without
trying every hash. `tips` and `tip_messages` are ledgered like every registry record (their events hold
the exact state; the public log holds salted commitments only). Screenshots are bytes, kept out of the
events: the ledgered row that names one holds its SHA-256, so the log still commits to the image.
Matches are derived (recomputed whenever the tip changes).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base, UtcDateTime
from jaga.registry import IdType, RecordColumns


class Platform(StrEnum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    WHATSAPP = "whatsapp"
    TIKTOK = "tiktok"
    TELEGRAM = "telegram"
    MARKETPLACE = "marketplace"
    OTHER = "other"


class TipStatus(StrEnum):
    RECEIVED = "received"  # not yet read by an officer
    UNDER_REVIEW = "under_review"  # an officer is looking into it
    REFERRED = "referred"  # handed to a unit that acts on it (Unit PPA, Dinas Sosial)
    CLOSED = "closed"  # nothing more will be done with it


class MessageKind(StrEnum):
    ADDITION = "addition"  # the tipster added information (maybe answering a question)
    QUESTION = "question"  # an officer asked the tipster something


class Tip(RecordColumns, Base):
    """One tip. `region_code` is the region the tip names ("" when it names none: the national desk)."""

    __tablename__ = "tips"

    receipt_key: Mapped[str] = mapped_column(String(8), nullable=False, index=True)  # the code's 1st group
    receipt_hash: Mapped[str] = mapped_column(String(255), nullable=False)  # argon2id of the whole code
    platform: Mapped[str] = mapped_column(String(16), nullable=False)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    handle: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)  # E.164
    place: Mapped[str | None] = mapped_column(String(200), nullable=True)  # as the tipster wrote it
    price_rupiah: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    screenshot_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    status_note: Mapped[str | None] = mapped_column(Text, nullable=True)  # officers' only, never shown out
    status_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)


class TipMessage(Base):
    """A follow-up: the tipster's addition or an officer's question. Never updated."""

    __tablename__ = "tip_messages"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tip_id: Mapped[int] = mapped_column(IdType, ForeignKey("tips.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    reply_to: Mapped[int | None] = mapped_column(IdType, ForeignKey("tip_messages.id"), nullable=True)
    screenshot_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    principal_id: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)  # officers
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class TipScreenshot(Base):
    """A screenshot as stored: re-encoded, every metadata block gone. Named by its SHA-256 from the
    ledgered tip or message that brought it."""

    __tablename__ = "tip_screenshots"
    __table_args__ = (UniqueConstraint("tip_id", "sha256"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tip_id: Mapped[int] = mapped_column(IdType, ForeignKey("tips.id"), nullable=False, index=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    media_type: Mapped[str] = mapped_column(String(32), nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class TipMatch(Base):
    """Something a tip names that the registry (or an earlier tip) also holds: which field of the tip,
    which record, and how they matched. Derived: recomputed when the tip gets new information."""

    __tablename__ = "tip_matches"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tip_id: Mapped[int] = mapped_column(IdType, ForeignKey("tips.id"), nullable=False, index=True)
    field: Mapped[str] = mapped_column(String(16), nullable=False)  # phone | url | handle | description
    target_type: Mapped[str] = mapped_column(String(16), nullable=False)  # person | facility | ... | tip
    target_ref: Mapped[str] = mapped_column(String(64), nullable=False)
    target_region_code: Mapped[str] = mapped_column(String(10), nullable=False)
    method: Mapped[str] = mapped_column(String(16), nullable=False)  # phone | url | handle | name | name_core
    strength: Mapped[float] = mapped_column(Float, nullable=False)  # 0..1: how sure the match is
