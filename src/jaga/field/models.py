"""The field offices' tables: enrolled devices, the events received from them and the conflicts they
raised (server side), and the outbox of signed events (device side). A field node's database is migrated
with the same Alembic history, so both sides have every table; each side uses its own."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base, UtcDateTime


class FieldDevice(Base):
    """A device enrolled by a district admin: its Ed25519 key, its office and region, and the head of
    its hash chain as the server has verified it (`last_seq` 0 and `last_hash` empty before any event)."""

    __tablename__ = "field_devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    vkey: Mapped[str] = mapped_column(String(200), nullable=False)
    office_ref: Mapped[str] = mapped_column(String(64), nullable=False)
    region_code: Mapped[str] = mapped_column(String(10), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    enrolled_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)
    revoke_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    last_created_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class FieldEvent(Base):
    """One signed event the server accepted, exactly as signed. The unique constraint on `event_id`
    is what makes a sync idempotent, and the one on (device, seq) what keeps a chain from forking,
    whatever the application code does."""

    __tablename__ = "field_events"
    __table_args__ = (UniqueConstraint("device_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    device_id: Mapped[str] = mapped_column(String(64), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    officer: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)
    envelope: Mapped[str] = mapped_column(Text, nullable=False)
    signature: Mapped[str] = mapped_column(String(100), nullable=False)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    received_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)
    outcome: Mapped[str] = mapped_column(String(16), nullable=False)  # applied | held
    record_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)


class FieldConflict(Base):
    """A field event kept apart for a supervisor: the same NIK registered centrally meanwhile
    (`nik-registered`, with a field-by-field diff), another refusal by the registry that is a conflict
    with stored records (`registry-conflict`), or the same event id sent again with other content
    (`content-mismatch`, keeping the rejected version as sent)."""

    __tablename__ = "field_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    device_id: Mapped[str] = mapped_column(String(64), nullable=False)
    region_code: Mapped[str] = mapped_column(String(10), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    envelope: Mapped[str] = mapped_column(Text, nullable=False)
    signature: Mapped[str] = mapped_column(String(100), nullable=False)
    diff: Mapped[str] = mapped_column(Text, nullable=False, default="[]")  # JSON list of changes
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")  # open|applied|dismissed
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    resolution_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    record_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the record an apply wrote
    # `depends-on-held`: the held event whose record this one names (a birth's mother, a relinquished
    # child); applying that one re-applies this one.
    depends_on: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)


class FieldDeviceChange(Base):
    """A device's enrolment or revocation, ledgered (`field_device.enrolled` / `.revoked`) so that a
    device's trust history is provable: which key, for which office and region, from when, by whom.
    Append-only, one row per change (a device is enrolled once and revoked at most once). The admin's
    free-text reason stays in `field_devices` and out of the event: it may name people."""

    __tablename__ = "field_device_changes"
    __table_args__ = (UniqueConstraint("device_id", "change"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64), nullable=False)
    change: Mapped[str] = mapped_column(String(16), nullable=False)  # enrolled | revoked
    vkey: Mapped[str] = mapped_column(String(200), nullable=False)
    office_ref: Mapped[str] = mapped_column(String(64), nullable=False)
    region_code: Mapped[str] = mapped_column(String(10), nullable=False)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class OutboxItem(Base):
    """Device side: one signed event waiting to reach the server, and where it stands."""

    __tablename__ = "field_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    officer: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)
    envelope: Mapped[str] = mapped_column(Text, nullable=False)
    signature: Mapped[str] = mapped_column(String(100), nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False)  # pending | sending | sent | refused
    state_changed_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
