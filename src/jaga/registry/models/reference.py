"""Reference records: birth facilities, attendants, officials, child-care institutions and agencies."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base
from jaga.registry.models.common import IdType, RecordColumns


class Facility(RecordColumns, Base):
    """A hospital, puskesmas, clinic or independent midwife practice."""

    __tablename__ = "facilities"

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    licence_number: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    address: Mapped[str | None] = mapped_column(Text, nullable=True)


class Attendant(RecordColumns, Base):
    """A midwife, doctor, nurse or traditional birth attendant."""

    __tablename__ = "attendants"

    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    name_normalised: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    registration_number: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    nik: Mapped[str | None] = mapped_column(String(16), nullable=True)
    facility_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("facilities.id"), nullable=True)


class Official(RecordColumns, Base):
    """A registrar, social worker, court clerk, judge or police officer, with office and region."""

    __tablename__ = "officials"

    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    name_normalised: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    office: Mapped[str] = mapped_column(String(200), nullable=False)
    nip: Mapped[str | None] = mapped_column(String(18), unique=True, nullable=True)


class Institution(RecordColumns, Base):
    """A child-care institution (LKSA), adoption foundation, shelter or foster agency.

    Foundation papers (`foundation_number`, from Kemenkumham) are not an operating licence: only
    `licence_*` from Dinas Sosial or the Ministry makes an institution licensed.
    """

    __tablename__ = "institutions"

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    licence_number: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    licence_issuer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    licence_valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    licence_valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    licence_status: Mapped[str] = mapped_column(String(16), nullable=False)
    foundation_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    address: Mapped[str | None] = mapped_column(Text, nullable=True)
