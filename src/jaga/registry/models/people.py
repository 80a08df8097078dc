"""People as each agency recorded them: mothers, fathers, children, adoptive parents, reporters, witnesses.

The registry keeps each agency's record as written (a clinic's record of a mother and the civil registry's
record of the same woman are two rows); linkage decides which records are one person. A NIK is unique
within one recording source only.

`region_code` is the jurisdiction of the office that recorded the person (checked against actors' scopes);
`address_region_code` is where the person says they live, which may be anywhere in the country.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, Index, String, Text, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base
from jaga.registry.models.common import RecordColumns

# Separators agencies write inside phone numbers ("0812-3456 789", "(0361) 22.33.44", "+62/812...").
PHONE_SEPARATORS = (" ", "-", ".", "(", ")", "+", "/")


def phone_digits(column: Any) -> ColumnElement[str]:
    """`column` without PHONE_SEPARATORS, as SQL. The separators are literals, not bound parameters:
    SQLite uses an expression index only for the very same expression text (`?` never matches), and
    `ix_people_phone_digits` is built on this expression, so a tip's phone is looked up, not scanned for."""
    cleaned: Any = column
    for character in PHONE_SEPARATORS:
        cleaned = func.replace(cleaned, text(f"'{character}'"), text("''"))
    return cleaned  # type: ignore[no-any-return]


class Person(RecordColumns, Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("source_kind", "source_ref", "nik"),)

    source_kind: Mapped[str] = mapped_column(String(32), nullable=False)
    source_ref: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    name_normalised: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    nik: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)
    kk_number: Mapped[str | None] = mapped_column(String(16), nullable=True)
    sex: Mapped[str | None] = mapped_column(String(1), nullable=True)
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    religion: Mapped[str | None] = mapped_column(String(32), nullable=True)
    nationality: Mapped[str] = mapped_column(String(3), nullable=False)
    address: Mapped[str | None] = mapped_column(Text, nullable=True)
    address_region_code: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # A child's mother as this agency wrote her, where the record names no mother's record (a shelter's
    # "ibu: Yuli Astuti, NIK ..."; a clinic's unnamed newborn): linkage joins the child's records through
    # her, with the birth date, sex and KK (docs/linkage.md "Unnamed newborns and renamed children").
    mother_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    mother_nik: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)


Index("ix_people_phone_digits", phone_digits(Person.__table__.c.phone))
