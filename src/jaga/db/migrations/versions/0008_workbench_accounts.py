"""workbench accounts: passwords, second factors, role policies, server-side sessions, login throttling

Revision ID: 0008
Revises: 0007
Create Date: 2027-02-01 09:00:00.000000

New tables only; no existing row changes. `credentials`, `web_sessions` and `login_throttles` hold
secrets or derived state and are never ledgered; `credential_changes` and `role_policies` are (what
changed, when and by whom; never a secret).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _principal_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["principals.id"], name=op.f(f"fk_{table}_{column}_principals"))


def upgrade() -> None:
    op.create_table(
        "credentials",
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("password_set_at", sa.DateTime(), nullable=True),
        sa.Column("totp_secret", sa.Text(), nullable=True),
        sa.Column("totp_enrolled_at", sa.DateTime(), nullable=True),
        sa.Column("totp_last_step", sa.BigInteger(), nullable=True),
        _principal_fk("credentials", "principal_id"),
        sa.PrimaryKeyConstraint("principal_id", name=op.f("pk_credentials")),
    )
    op.create_table(
        "credential_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        _principal_fk("credential_changes", "principal_id"),
        _principal_fk("credential_changes", "changed_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credential_changes")),
    )
    with op.batch_alter_table("credential_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_credential_changes_principal_id"), ["principal_id"], unique=False
        )
    op.create_table(
        "role_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("totp_required", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_policies")),
        sa.UniqueConstraint("role", name=op.f("uq_role_policies_role")),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("end_reason", sa.String(length=16), nullable=True),
        sa.Column("purpose", sa.String(length=200), nullable=True),
        sa.Column("purpose_set_at", sa.DateTime(), nullable=True),
        _principal_fk("web_sessions", "principal_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_sessions_token_hash")),
    )
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_sessions_principal_id"), ["principal_id"], unique=False)
    op.create_table(
        "login_throttles",
        sa.Column("username_key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("username_key", name=op.f("pk_login_throttles")),
    )


def downgrade() -> None:
    op.drop_table("login_throttles")
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_sessions_principal_id"))
    op.drop_table("web_sessions")
    op.drop_table("role_policies")
    with op.batch_alter_table("credential_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credential_changes_principal_id"))
    op.drop_table("credential_changes")
    op.drop_table("credentials")
