"""The registry's identity linkage: runs, the pairs each run scored, current identities, and reviewers'
decisions (the only part that is a registry record in its own right, ledgered like any other)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base, UtcDateTime
from jaga.registry import IdType


class LinkRun(Base):
    """One `jaga link run`: its settings, the trained model (JSON) and what it found."""

    __tablename__ = "link_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # running | done | failed
    engine: Mapped[str] = mapped_column(String(16), nullable=False)
    match_threshold: Mapped[float] = mapped_column(Float, nullable=False)
    review_threshold: Mapped[float] = mapped_column(Float, nullable=False)
    records: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    pairs: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    identities: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    model: Mapped[str | None] = mapped_column(Text, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class IdentityLink(Base):
    """A pair of person records a run scored above its review threshold, with the reasons."""

    __tablename__ = "identity_links"
    __table_args__ = (UniqueConstraint("run_id", "left_id", "right_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("link_runs.id"), nullable=False, index=True)
    left_id: Mapped[int] = mapped_column(IdType, ForeignKey("people.id"), nullable=False, index=True)
    right_id: Mapped[int] = mapped_column(IdType, ForeignKey("people.id"), nullable=False, index=True)
    match_probability: Mapped[float] = mapped_column(Float, nullable=False)
    match_weight: Mapped[float] = mapped_column(Float, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)  # linked | review | rejected
    explanation: Mapped[str] = mapped_column(Text, nullable=False)  # JSON list of {comparison, level, weight}


class Identity(Base):
    """Which identity (cluster) each person record belongs to, as of the latest run."""

    __tablename__ = "identities"

    person_id: Mapped[int] = mapped_column(IdType, ForeignKey("people.id"), primary_key=True)
    identity_id: Mapped[int] = mapped_column(IdType, nullable=False, index=True)  # smallest person id in it
    run_id: Mapped[int] = mapped_column(ForeignKey("link_runs.id"), nullable=False)


class LinkDecision(Base):
    """A reviewer's verdict on a pair: the same person or not. Later runs obey it."""

    __tablename__ = "link_decisions"
    __table_args__ = (UniqueConstraint("left_id", "right_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    left_id: Mapped[int] = mapped_column(IdType, ForeignKey("people.id"), nullable=False, index=True)
    right_id: Mapped[int] = mapped_column(IdType, ForeignKey("people.id"), nullable=False, index=True)
    decision: Mapped[str] = mapped_column(String(16), nullable=False)  # same | different
    principal_id: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    link_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("identity_links.id"), nullable=True)
    # What the model said when the reviewer decided, as decimal text: events hold no floats (canonical JSON).
    probability_shown: Mapped[str | None] = mapped_column(String(12), nullable=True)
