"""people: a child's mother as the recording agency wrote her (name and NIK)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 18:00:00.000000

Two nullable columns: existing rows keep NULL (their mothers, where known, come from births).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("mother_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("mother_nik", sa.String(length=16), nullable=True))
    op.create_index(op.f("ix_people_mother_nik"), "people", ["mother_nik"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_people_mother_nik"), table_name="people")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("mother_nik")
        batch.drop_column("mother_name")
