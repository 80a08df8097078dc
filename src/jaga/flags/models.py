"""The flag store: runs, flags (one per kind and subject, kept across runs) and the review trail.

Flags are derived data: each run refreshes their evidence and says whether they were found again, so
their rows change without events. What people decide about them is a registry record in its own right:
every status change is an append-only `flag_status_changes` row with its event (ledgered).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base, UtcDateTime
from jaga.registry import IdType


class FlagStatus(StrEnum):
    OPEN = "open"
    UNDER_REVIEW = "under_review"
    DISMISSED = "dismissed"
    ESCALATED = "escalated"


class FlagRun(Base):
    """One `jaga flags run`: when, the date it judged by, what each detector found and how long it took."""

    __tablename__ = "flag_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # running | done | failed
    as_of: Mapped[date] = mapped_column(Date, nullable=False)  # "today" for the rules
    found: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    new: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    gone: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # flags not found again
    timings: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON {stage: seconds}
    counts: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON {kind: flags found}
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class Flag(Base):
    """A suspicious pattern about one subject, as the latest run that found it described it."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("kind", "subject_type", "subject_ref"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    subject_type: Mapped[str] = mapped_column(String(32), nullable=False)
    subject_ref: Mapped[str] = mapped_column(String(128), nullable=False)
    score: Mapped[float] = mapped_column(Float, nullable=False, index=True)
    evidence: Mapped[str] = mapped_column(Text, nullable=False)  # JSON object
    explanation_id: Mapped[str] = mapped_column(Text, nullable=False)
    explanation_en: Mapped[str] = mapped_column(Text, nullable=False)
    records: Mapped[str] = mapped_column(Text, nullable=False)  # JSON list of refs
    region_code: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    present: Mapped[bool] = mapped_column(Boolean, nullable=False)  # found by the latest run
    first_run_id: Mapped[int] = mapped_column(ForeignKey("flag_runs.id"), nullable=False)
    last_run_id: Mapped[int] = mapped_column(ForeignKey("flag_runs.id"), nullable=False, index=True)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    status_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class FlagStatusChange(Base):
    """Who moved a flag from which status to which, when and why. Never updated."""

    __tablename__ = "flag_status_changes"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    flag_id: Mapped[int] = mapped_column(IdType, ForeignKey("flags.id"), nullable=False, index=True)
    # The flag's identity, repeated so that the ledgered record names what was decided on its own.
    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    subject_type: Mapped[str] = mapped_column(String(32), nullable=False)
    subject_ref: Mapped[str] = mapped_column(String(128), nullable=False)
    from_status: Mapped[str] = mapped_column(String(16), nullable=False)
    to_status: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    principal_id: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
