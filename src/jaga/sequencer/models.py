"""The ledger's tables: its tiles and entry bundles, its current state, every signed checkpoint, and the
results of its audits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Integer, LargeBinary, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base, UtcDateTime


class LedgerTile(Base):
    """A hash tile (level >= 0) or an entry bundle (level -1), at its current width (tiles only grow)."""

    __tablename__ = "ledger_tiles"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    width: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class LedgerState(Base):
    """One row: how much of the event log is in the tree, its root, its right border, its checkpoint."""

    __tablename__ = "ledger_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    root: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    border: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    checkpoint: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class LedgerCheckpoint(Base):
    """Every checkpoint the log signed, with the witnesses' cosignatures added later."""

    __tablename__ = "ledger_checkpoints"

    size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    root: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False)
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class LedgerAudit(Base):
    """The result of one run of `jaga ledger audit`: when, who ran it, what it checked, how many problems.

    Counts and an outcome only (no personal data, no refs): the problems themselves, which name tables,
    row ids and events, are printed to whoever ran the audit (a terminal, a scheduled run's log).
    """

    __tablename__ = "ledger_audits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    finished_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, index=True)
    run_by: Mapped[str] = mapped_column(String(64), nullable=False)  # the operator (or the scheduler)
    clean: Mapped[bool] = mapped_column(Boolean, nullable=False)
    log_size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    events_checked: Mapped[int] = mapped_column(BigInteger, nullable=False)
    rows_checked: Mapped[int] = mapped_column(BigInteger, nullable=False)
    pending_events: Mapped[int] = mapped_column(BigInteger, nullable=False)
    problems: Mapped[int] = mapped_column(Integer, nullable=False)
