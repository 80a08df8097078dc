"""certificates

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 08:00:57.771063

Each revision must work with the previous release's code still running (add first, remove later), and
must downgrade cleanly: both directions are tested on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "certificates",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("birth_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("adoption_case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["adoption_case_id"],
            ["adoption_cases.id"],
            name=op.f("fk_certificates_adoption_case_id_adoption_cases"),
        ),
        sa.ForeignKeyConstraint(["birth_id"], ["births.id"], name=op.f("fk_certificates_birth_id_births")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("ref", name=op.f("uq_certificates_ref")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificates_adoption_case_id"), ["adoption_case_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_certificates_birth_id"), ["birth_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificates_region_code"), ["region_code"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_region_code"))
        batch_op.drop_index(batch_op.f("ix_certificates_birth_id"))
        batch_op.drop_index(batch_op.f("ix_certificates_adoption_case_id"))

    op.drop_table("certificates")
