"""evidence packs: one ledgered row per pack made (its manifest hash, who, when)

Revision ID: 0014
Revises: 0013
Create Date: 2027-03-01 09:00:00.000000

A new table only: the previous release never reads it. Its rows are ledgered (`evidence_pack.packed`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "evidence_packs",
        sa.Column("id", ID, nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("packed_by", sa.Integer(), nullable=True),
        sa.Column("packed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["packed_by"], ["principals.id"], name=op.f("fk_evidence_packs_packed_by_principals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_packs")),
    )


def downgrade() -> None:
    op.drop_table("evidence_packs")
