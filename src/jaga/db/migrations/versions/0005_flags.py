"""suspicious-pattern flags: runs, flags and their review trail

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 19:22:23.400998

Each revision must work with the previous release's code still running (add first, remove later), and
must downgrade cleanly: both directions are tested on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "flag_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("found", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("gone", sa.Integer(), nullable=False),
        sa.Column("timings", sa.Text(), nullable=True),
        sa.Column("counts", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flag_runs")),
    )
    op.create_table(
        "flags",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_ref", sa.String(length=128), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("explanation_id", sa.Text(), nullable=False),
        sa.Column("explanation_en", sa.Text(), nullable=False),
        sa.Column("records", sa.Text(), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("first_run_id", sa.Integer(), nullable=False),
        sa.Column("last_run_id", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["first_run_id"], ["flag_runs.id"], name=op.f("fk_flags_first_run_id_flag_runs")
        ),
        sa.ForeignKeyConstraint(
            ["last_run_id"], ["flag_runs.id"], name=op.f("fk_flags_last_run_id_flag_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flags")),
        sa.UniqueConstraint(
            "kind", "subject_type", "subject_ref", name=op.f("uq_flags_kind_subject_type_subject_ref")
        ),
    )
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flags_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_flags_last_run_id"), ["last_run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_flags_region_code"), ["region_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_flags_score"), ["score"], unique=False)
        batch_op.create_index(batch_op.f("ix_flags_status"), ["status"], unique=False)

    op.create_table(
        "flag_status_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("flag_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_ref", sa.String(length=128), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("principal_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["flag_id"], ["flags.id"], name=op.f("fk_flag_status_changes_flag_id_flags")),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["principals.id"], name=op.f("fk_flag_status_changes_principal_id_principals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flag_status_changes")),
    )
    with op.batch_alter_table("flag_status_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flag_status_changes_flag_id"), ["flag_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("flag_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flag_status_changes_flag_id"))

    op.drop_table("flag_status_changes")
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flags_status"))
        batch_op.drop_index(batch_op.f("ix_flags_score"))
        batch_op.drop_index(batch_op.f("ix_flags_region_code"))
        batch_op.drop_index(batch_op.f("ix_flags_last_run_id"))
        batch_op.drop_index(batch_op.f("ix_flags_kind"))

    op.drop_table("flags")
    op.drop_table("flag_runs")
