"""field trust: ledgered enrolments and revocations of devices; held events that depend on held events

Revision ID: 0015
Revises: 0014
Create Date: 2027-03-08 01:00:00.000000

A new table (`field_device_changes`, its rows ledgered as `field_device.enrolled` / `.revoked`) and a
nullable column (`field_conflicts.depends_on`): the previous release reads neither. Devices enrolled
before this revision have no change row (no event can be made for them after the fact with the time
they were enrolled: `field_devices` keeps that).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "field_device_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("change", sa.String(length=16), nullable=False),
        sa.Column("vkey", sa.String(length=200), nullable=False),
        sa.Column("office_ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by"], ["principals.id"], name=op.f("fk_field_device_changes_changed_by_principals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_device_changes")),
        sa.UniqueConstraint("device_id", "change", name=op.f("uq_field_device_changes_device_id_change")),
    )
    with op.batch_alter_table("field_conflicts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("depends_on", sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_field_conflicts_depends_on"), ["depends_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("field_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_field_conflicts_depends_on"))
        batch_op.drop_column("depends_on")
    op.drop_table("field_device_changes")
