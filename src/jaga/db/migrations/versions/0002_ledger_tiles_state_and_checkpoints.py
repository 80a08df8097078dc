"""ledger tiles, state and checkpoints

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 07:36:51.300734

Each revision must work with the previous release's code still running (add first, remove later), and
must downgrade cleanly: both directions are tested on SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ledger_checkpoints",
        sa.Column("size", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("root", sa.LargeBinary(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("size", name=op.f("pk_ledger_checkpoints")),
    )
    op.create_table(
        "ledger_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("root", sa.LargeBinary(), nullable=False),
        sa.Column("border", sa.LargeBinary(), nullable=False),
        sa.Column("checkpoint", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_state")),
    )
    # The empty tree: size 0, root SHA-256 of nothing (RFC 9162 2.1.1), no border; signed at first integration.
    state = sa.table(
        "ledger_state",
        sa.column("id", sa.Integer()),
        sa.column("size", sa.BigInteger()),
        sa.column("root", sa.LargeBinary()),
        sa.column("border", sa.LargeBinary()),
    )
    op.bulk_insert(state, [{"id": 1, "size": 0, "root": hashlib.sha256(b"").digest(), "border": b""}])
    op.create_table(
        "ledger_tiles",
        sa.Column("level", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("idx", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("width", sa.SmallInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("level", "idx", name=op.f("pk_ledger_tiles")),
    )


def downgrade() -> None:
    op.drop_table("ledger_tiles")
    op.drop_table("ledger_state")
    op.drop_table("ledger_checkpoints")
