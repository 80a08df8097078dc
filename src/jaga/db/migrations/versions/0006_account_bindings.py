"""account bindings: an account acts as one official, or transcribes a feed

Revision ID: 0006
Revises: 0005
Create Date: 2027-01-10 09:00:00.000000

Each revision must work with the previous release's code still running (add first, remove later), and
must downgrade cleanly: both directions are tested on SQLite and PostgreSQL.

A table of its own rather than columns on `principals`: the principals' rows, and the events that hold
their exact state for `jaga ledger audit`, stay as they were. Existing accounts are unbound: they keep
reading, and an administrator binds them (`jaga users bind NAME --official O-...`) before they act as
an official again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_bindings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("feed", sa.String(length=64), nullable=True),
        sa.Column("bound_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["official_id"], ["officials.id"], name=op.f("fk_account_bindings_official_id_officials")
        ),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["principals.id"], name=op.f("fk_account_bindings_principal_id_principals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_bindings")),
        sa.UniqueConstraint("principal_id", name=op.f("uq_account_bindings_principal_id")),
    )
    with op.batch_alter_table("account_bindings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_bindings_official_id"), ["official_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("account_bindings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_bindings_official_id"))

    op.drop_table("account_bindings")
