"""`evidence_packs`: one row per evidence pack made, ledgered (`evidence_pack.packed`) so that a pack's
existence is provable from the public log.

The row holds the pack's manifest hash, who packed it and when, and nothing about the records inside:
the event's payload is the row's state, and the public log must carry no personal data. The reason and
the records read are in the audit trail (and in the pack's custody record), not here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base, UtcDateTime
from jaga.registry import IdType


class EvidencePack(Base):
    __tablename__ = "evidence_packs"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    manifest_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    packed_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)
    packed_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
