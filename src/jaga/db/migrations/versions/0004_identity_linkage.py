"""identity linkage

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 09:07:42.646094

Each revision must work with the previous release's code still running (add first, remove later), and
must downgrade cleanly: both directions are tested on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "link_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("engine", sa.String(length=16), nullable=False),
        sa.Column("match_threshold", sa.Float(), nullable=False),
        sa.Column("review_threshold", sa.Float(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column("identities", sa.Integer(), nullable=False),
        sa.Column("model", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_runs")),
    )
    op.create_table(
        "identities",
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("identity_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_identities_person_id_people")),
        sa.ForeignKeyConstraint(["run_id"], ["link_runs.id"], name=op.f("fk_identities_run_id_link_runs")),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_identities")),
    )
    with op.batch_alter_table("identities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identities_identity_id"), ["identity_id"], unique=False)

    op.create_table(
        "identity_links",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("left_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("right_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["left_id"], ["people.id"], name=op.f("fk_identity_links_left_id_people")),
        sa.ForeignKeyConstraint(["right_id"], ["people.id"], name=op.f("fk_identity_links_right_id_people")),
        sa.ForeignKeyConstraint(
            ["run_id"], ["link_runs.id"], name=op.f("fk_identity_links_run_id_link_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_links")),
        sa.UniqueConstraint(
            "run_id", "left_id", "right_id", name=op.f("uq_identity_links_run_id_left_id_right_id")
        ),
    )
    with op.batch_alter_table("identity_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_links_left_id"), ["left_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_identity_links_right_id"), ["right_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_identity_links_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_identity_links_status"), ["status"], unique=False)

    op.create_table(
        "link_decisions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("left_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("right_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("link_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("probability_shown", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(["left_id"], ["people.id"], name=op.f("fk_link_decisions_left_id_people")),
        sa.ForeignKeyConstraint(
            ["link_id"], ["identity_links.id"], name=op.f("fk_link_decisions_link_id_identity_links")
        ),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["principals.id"], name=op.f("fk_link_decisions_principal_id_principals")
        ),
        sa.ForeignKeyConstraint(["right_id"], ["people.id"], name=op.f("fk_link_decisions_right_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_decisions")),
        sa.UniqueConstraint("left_id", "right_id", name=op.f("uq_link_decisions_left_id_right_id")),
    )
    with op.batch_alter_table("link_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_decisions_left_id"), ["left_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_link_decisions_right_id"), ["right_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("link_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_decisions_right_id"))
        batch_op.drop_index(batch_op.f("ix_link_decisions_left_id"))

    op.drop_table("link_decisions")
    with op.batch_alter_table("identity_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_links_status"))
        batch_op.drop_index(batch_op.f("ix_identity_links_run_id"))
        batch_op.drop_index(batch_op.f("ix_identity_links_right_id"))
        batch_op.drop_index(batch_op.f("ix_identity_links_left_id"))

    op.drop_table("identity_links")
    with op.batch_alter_table("identities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identities_identity_id"))

    op.drop_table("identities")
    op.drop_table("link_runs")
