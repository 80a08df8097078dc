"""Missing-child reports, as filed with the police (a tracing request in Primero's terms)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base
from jaga.registry.models.common import IdType, RecordColumns


class MissingReport(RecordColumns, Base):
    __tablename__ = "missing_reports"

    child_id: Mapped[int] = mapped_column(IdType, ForeignKey("people.id"), nullable=False, index=True)
    reporter_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("people.id"), nullable=True)
    report_number: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    police_unit: Mapped[str] = mapped_column(String(200), nullable=False)
    last_seen_on: Mapped[date] = mapped_column(Date, nullable=False)
    last_seen_region_code: Mapped[str] = mapped_column(String(10), nullable=False)
    last_seen_place: Mapped[str | None] = mapped_column(Text, nullable=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # open | found | closed
    status_changed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
