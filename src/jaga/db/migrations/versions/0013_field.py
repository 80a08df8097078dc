"""field offices: enrolled devices, events received from them, their conflicts, and a device's outbox

Revision ID: 0013
Revises: 0012
Create Date: 2027-03-01 09:00:00.000000

New tables only: the previous release never reads them. None is ledgered: the records a field event
carries are written through the registry's own use cases, which record their own events.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "field_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("vkey", sa.String(length=200), nullable=False),
        sa.Column("office_ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("enrolled_by", sa.Integer(), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by", sa.Integer(), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("last_created_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["enrolled_by"], ["principals.id"], name=op.f("fk_field_devices_enrolled_by_principals")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by"], ["principals.id"], name=op.f("fk_field_devices_revoked_by_principals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_devices")),
        sa.UniqueConstraint("device_id", name=op.f("uq_field_devices_device_id")),
    )
    op.create_table(
        "field_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("officer", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("received_by", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("record_ref", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["received_by"], ["principals.id"], name=op.f("fk_field_events_received_by_principals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_events")),
        sa.UniqueConstraint("device_id", "seq", name=op.f("uq_field_events_device_id_seq")),
        sa.UniqueConstraint("event_id", name=op.f("uq_field_events_event_id")),
    )
    op.create_table(
        "field_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("diff", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("record_ref", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["resolved_by"], ["principals.id"], name=op.f("fk_field_conflicts_resolved_by_principals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_conflicts")),
    )
    with op.batch_alter_table("field_conflicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_field_conflicts_event_id"), ["event_id"], unique=False)
    op.create_table(
        "field_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("officer", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("state_changed_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_field_outbox_event_id")),
        sa.UniqueConstraint("seq", name=op.f("uq_field_outbox_seq")),
    )


def downgrade() -> None:
    op.drop_table("field_outbox")
    with op.batch_alter_table("field_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_field_conflicts_event_id"))
    op.drop_table("field_conflicts")
    op.drop_table("field_events")
    op.drop_table("field_devices")
