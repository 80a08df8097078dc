"""Issued certificates: what was printed (canonical JSON), for which record, and whether it still holds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base, UtcDateTime
from jaga.registry import IdType, RecordColumns


class Certificate(RecordColumns, Base):
    """A birth or adoption certificate. Its `certificate.issued` event is what its QR code proves.

    `content` is the canonical JSON of exactly what the certificate states (names, dates, numbers), so the
    event payload, and therefore the commitment in the log, covers every printed fact.
    """

    __tablename__ = "certificates"

    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # birth | adoption
    birth_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("births.id"), nullable=True, index=True)
    adoption_case_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("adoption_cases.id"), nullable=True, index=True
    )
    content: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # valid | revoked
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
