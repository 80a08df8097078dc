"""Adoption cases and the append-only record of their steps."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base, UtcDateTime
from jaga.registry.models.common import IdType, RecordColumns


class AdoptionCase(RecordColumns, Base):
    __tablename__ = "adoption_cases"

    child_id: Mapped[int] = mapped_column(IdType, ForeignKey("people.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # domestic | intercountry
    adopter_id: Mapped[int] = mapped_column(IdType, ForeignKey("people.id"), nullable=False, index=True)
    co_adopter_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("people.id"), nullable=True)
    institution_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("institutions.id"), nullable=True, index=True
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    current_step: Mapped[str] = mapped_column(String(32), nullable=False)
    opened_on: Mapped[date] = mapped_column(Date, nullable=False)


class AdoptionStep(Base):
    """One step taken in a case: what, when, by whom, with which documents. Never updated."""

    __tablename__ = "adoption_steps"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    case_id: Mapped[int] = mapped_column(IdType, ForeignKey("adoption_cases.id"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)  # 1, 2, ... within the case
    step: Mapped[str] = mapped_column(String(32), nullable=False)
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    documents: Mapped[str] = mapped_column(Text, nullable=False)  # canonical JSON list of {kind, number}
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    official_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("officials.id"), nullable=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class StepApproval(Base):
    """Four eyes on a step that changes a child's legal situation: placement with the prospective
    adopters (temporary care), the court ruling, the civil-registry annotation.

    Recorded by an officer through jaga, such a step takes effect only once another officer of the step's
    role approves it: the row is made `pending` with the step and decided once (`approved` or
    `rejected`), each an event in the log. A step without a row takes effect as recorded: steps of other
    kinds, steps transcribed by a feed account from an agency system where the act was already signed,
    and steps recorded before four eyes existed (migration 0009).
    """

    __tablename__ = "adoption_step_approvals"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    step_id: Mapped[int] = mapped_column(IdType, ForeignKey("adoption_steps.id"), unique=True, nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False)  # pending | approved | rejected
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)
    decided_official_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("officials.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
