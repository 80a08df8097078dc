"""anonymous tips: tips, their follow-ups, screenshots and registry matches

Revision ID: 0007
Revises: 0006
Create Date: 2027-01-20 09:00:00.000000

Each revision must work with the previous release's code still running (add first, remove later), and
must downgrade cleanly: both directions are tested on SQLite and PostgreSQL.

New tables only: the previous release never reads them. `tips` and `tip_messages` are ledgered (events
`tip.received`, `tip.status_changed`, `tip.added_to`, `tip.question_asked`); `tip_screenshots` holds image
bytes named by the SHA-256 in a ledgered row, and `tip_matches` is derived.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "tips",
        sa.Column("id", ID, nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("receipt_key", sa.String(length=8), nullable=False),
        sa.Column("receipt_hash", sa.String(length=255), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("handle", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("price_rupiah", sa.BigInteger(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("screenshot_sha256", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_note", sa.Text(), nullable=True),
        sa.Column("status_changed_at", sa.DateTime(), nullable=True),
        sa.Column("handled_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["handled_by"], ["principals.id"], name=op.f("fk_tips_handled_by_principals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tips")),
        sa.UniqueConstraint("ref", name=op.f("uq_tips_ref")),
    )
    with op.batch_alter_table("tips", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tips_receipt_key"), ["receipt_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_tips_region_code"), ["region_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_tips_status"), ["status"], unique=False)

    op.create_table(
        "tip_messages",
        sa.Column("id", ID, nullable=False),
        sa.Column("tip_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("reply_to", ID, nullable=True),
        sa.Column("screenshot_sha256", sa.String(length=64), nullable=True),
        sa.Column("principal_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["principals.id"], name=op.f("fk_tip_messages_principal_id_principals")
        ),
        sa.ForeignKeyConstraint(
            ["reply_to"], ["tip_messages.id"], name=op.f("fk_tip_messages_reply_to_tip_messages")
        ),
        sa.ForeignKeyConstraint(["tip_id"], ["tips.id"], name=op.f("fk_tip_messages_tip_id_tips")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_messages")),
    )
    with op.batch_alter_table("tip_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tip_messages_tip_id"), ["tip_id"], unique=False)

    op.create_table(
        "tip_screenshots",
        sa.Column("id", ID, nullable=False),
        sa.Column("tip_id", ID, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["tip_id"], ["tips.id"], name=op.f("fk_tip_screenshots_tip_id_tips")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_screenshots")),
        sa.UniqueConstraint("tip_id", "sha256", name=op.f("uq_tip_screenshots_tip_id_sha256")),
    )
    with op.batch_alter_table("tip_screenshots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tip_screenshots_tip_id"), ["tip_id"], unique=False)

    op.create_table(
        "tip_matches",
        sa.Column("id", ID, nullable=False),
        sa.Column("tip_id", ID, nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_ref", sa.String(length=64), nullable=False),
        sa.Column("target_region_code", sa.String(length=10), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("strength", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["tip_id"], ["tips.id"], name=op.f("fk_tip_matches_tip_id_tips")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_matches")),
    )
    with op.batch_alter_table("tip_matches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tip_matches_tip_id"), ["tip_id"], unique=False)


def downgrade() -> None:
    for table, indexes in (
        ("tip_matches", ["ix_tip_matches_tip_id"]),
        ("tip_screenshots", ["ix_tip_screenshots_tip_id"]),
        ("tip_messages", ["ix_tip_messages_tip_id"]),
        ("tips", ["ix_tips_status", "ix_tips_region_code", "ix_tips_receipt_key"]),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(batch_op.f(index))
        op.drop_table(table)
