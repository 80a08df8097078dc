"""Relinquishments (a mother gives up a child) and placements (where a child lives, from when to when)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base
from jaga.registry.models.common import IdType, RecordColumns


class Relinquishment(RecordColumns, Base):
    __tablename__ = "relinquishments"

    mother_id: Mapped[int] = mapped_column(IdType, ForeignKey("people.id"), nullable=False, index=True)
    child_id: Mapped[int] = mapped_column(IdType, ForeignKey("people.id"), nullable=False, index=True)
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False)
    institution_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("institutions.id"), nullable=True, index=True
    )
    counselled_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    counsellor_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("officials.id"), nullable=True)
    counselling_record: Mapped[str | None] = mapped_column(String(64), nullable=True)
    consent_document: Mapped[str | None] = mapped_column(String(64), nullable=True)
    witnesses: Mapped[str] = mapped_column(Text, nullable=False)  # canonical JSON list of {name, nik}


class Placement(RecordColumns, Base):
    __tablename__ = "placements"

    child_id: Mapped[int] = mapped_column(IdType, ForeignKey("people.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    institution_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("institutions.id"), nullable=True, index=True
    )
    carer_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("people.id"), nullable=True)
    adoption_case_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("adoption_cases.id"), nullable=True
    )
    from_date: Mapped[date] = mapped_column(Date, nullable=False)
    to_date: Mapped[date | None] = mapped_column(Date, nullable=True)
