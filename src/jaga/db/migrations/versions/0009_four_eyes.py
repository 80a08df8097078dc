"""four eyes: a second officer's decision on the adoption steps that change a child's legal situation

Revision ID: 0009
Revises: 0008
Create Date: 2027-02-08 09:00:00.000000

A table of its own: `adoption_steps` rows, and the events that hold their exact state, stay as they
were. A step without an approval row takes effect as recorded, so the steps recorded before this
revision keep the effect they had.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "adoption_step_approvals",
        sa.Column("id", ID, nullable=False),
        sa.Column("step_id", ID, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_official_id", ID, nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["step_id"], ["adoption_steps.id"], name=op.f("fk_adoption_step_approvals_step_id_adoption_steps")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["principals.id"],
            name=op.f("fk_adoption_step_approvals_requested_by_principals"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["principals.id"], name=op.f("fk_adoption_step_approvals_decided_by_principals")
        ),
        sa.ForeignKeyConstraint(
            ["decided_official_id"],
            ["officials.id"],
            name=op.f("fk_adoption_step_approvals_decided_official_id_officials"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adoption_step_approvals")),
        sa.UniqueConstraint("step_id", name=op.f("uq_adoption_step_approvals_step_id")),
    )


def downgrade() -> None:
    op.drop_table("adoption_step_approvals")
