"""Columns every registry record shares."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import UtcDateTime

# 64-bit ids for national scale; SQLite needs INTEGER for its rowid alias (autoincrement).
IdType = BigInteger().with_variant(Integer(), "sqlite")


class RecordColumns:
    """Mixin: surrogate id, the public reference, the record's region (jurisdiction), creation time.

    `ref` is how people, files and URLs name a record (`P-7QK2M9XR4T`, or the source system's own id);
    `region_code` is the region responsible for the record, checked against every actor's scope.
    """

    # sort_order puts these columns first in each table, before the record's own.
    id: Mapped[int] = mapped_column(IdType, primary_key=True, sort_order=-4)
    ref: Mapped[str] = mapped_column(String(64), unique=True, nullable=False, sort_order=-3)
    region_code: Mapped[str] = mapped_column(String(10), nullable=False, index=True, sort_order=-2)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, sort_order=-1)
