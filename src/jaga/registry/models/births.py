"""Births: the facility's statement (SKL) and the civil registration (akta) of the same event."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import Date, ForeignKey, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base
from jaga.registry.models.common import IdType, RecordColumns

LATE_REGISTRATION_DAYS = 60  # UU 23/2006: births are reported within 60 days


class Birth(RecordColumns, Base):
    __tablename__ = "births"

    child_id: Mapped[int] = mapped_column(IdType, ForeignKey("people.id"), unique=True, nullable=False)
    mother_id: Mapped[int] = mapped_column(IdType, ForeignKey("people.id"), nullable=False, index=True)
    father_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("people.id"), nullable=True)
    facility_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("facilities.id"), nullable=True, index=True
    )
    attendant_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("attendants.id"), nullable=True, index=True
    )
    born_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    born_at_time: Mapped[time | None] = mapped_column(Time, nullable=True)  # local wall time on the SKL
    birth_weight_g: Mapped[int | None] = mapped_column(Integer, nullable=True)
    plurality: Mapped[int] = mapped_column(Integer, nullable=False)  # 1 single, 2 twins, ...
    place_kind: Mapped[str] = mapped_column(String(16), nullable=False)  # facility | home | other
    birth_evidence: Mapped[str] = mapped_column(String(16), nullable=False)  # skl | sptjm | buku_kia | ...
    skl_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    akta_number: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    registrar_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("officials.id"), nullable=True, index=True
    )
    registered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    registration_region_code: Mapped[str | None] = mapped_column(String(10), nullable=True)

    @property
    def registration_delay_days(self) -> int | None:
        return None if self.registered_on is None else (self.registered_on - self.born_on).days

    @property
    def late_registration(self) -> bool:
        delay = self.registration_delay_days
        return delay is not None and delay > LATE_REGISTRATION_DAYS
