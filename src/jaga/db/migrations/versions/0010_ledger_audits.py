"""ledger audits: the result of each `jaga ledger audit`, for the workbench's ledger status

Revision ID: 0010
Revises: 0009
Create Date: 2027-02-15 09:00:00.000000

A new table only: counts and an outcome per run, no registry data. Not ledgered (the audit checks the
log; its results are the operator's record of having checked).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ledger_audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.Column("run_by", sa.String(length=64), nullable=False),
        sa.Column("clean", sa.Boolean(), nullable=False),
        sa.Column("log_size", sa.BigInteger(), nullable=False),
        sa.Column("events_checked", sa.BigInteger(), nullable=False),
        sa.Column("rows_checked", sa.BigInteger(), nullable=False),
        sa.Column("pending_events", sa.BigInteger(), nullable=False),
        sa.Column("problems", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_audits")),
    )
    op.create_index(op.f("ix_ledger_audits_finished_at"), "ledger_audits", ["finished_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_ledger_audits_finished_at"), table_name="ledger_audits")
    op.drop_table("ledger_audits")
