"""Principals (accounts), their API tokens, and the audit trail of reads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base, UtcDateTime


class Principal(Base):
    __tablename__ = "principals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    region_scope: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class AccountBinding(Base):
    """What an account acts as, fixed when it is bound: one official, or a feed.

    An account bound to an official acts as that official: the records that name an acting official
    (birth registrations, adoption steps) name this one, inside its region. A feed account transcribes
    records from an agency's own system (e.g. SIAK): each row names the official who acted there.
    Never updated (to change it, revoke the account and create another); a table of its own, so that
    the principals' rows, and the events that already hold their state, stay as they were.
    """

    __tablename__ = "account_bindings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"), unique=True, nullable=False)
    # The registry's officials table, named by string only: access sits below the registry.
    official_id: Mapped[int | None] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), ForeignKey("officials.id"), nullable=True, index=True
    )
    feed: Mapped[str | None] = mapped_column(String(64), nullable=True)
    bound_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"), nullable=False, index=True)
    token_id: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    token_hash: Mapped[str] = mapped_column(String(255), nullable=False)  # argon2id, PHC string
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class AuditEntry(Base):
    """One read (or export) of personal records: who, what, when, and why."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, index=True)
    principal_id: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(16), nullable=False)  # read | list | export
    resource: Mapped[str] = mapped_column(String(64), nullable=False)  # table name
    record_ids: Mapped[str] = mapped_column(Text, nullable=False)  # JSON list of row ids
    record_count: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    channel: Mapped[str] = mapped_column(String(200), nullable=False)  # e.g. "api GET /api/v1/people/{ref}"


class Credential(Base):
    """An account's secrets for the workbench: its password (argon2id) and TOTP secret (encrypted).

    Never ledgered: the events' payloads are kept for the audit, and secrets must not be. What changed,
    when and by whom is ledgered instead (`CredentialChange`).
    """

    __tablename__ = "credentials"

    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"), primary_key=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)  # argon2id, PHC string
    password_set_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    totp_secret: Mapped[str | None] = mapped_column(Text, nullable=True)  # Fernet token of the base32 secret
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # no code is used twice


class CredentialChange(Base):
    """A password set or a second factor enrolled or removed: who, for whom, when (no secret)."""

    __tablename__ = "credential_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"), nullable=False, index=True)
    # password_set | totp_enrolled | totp_removed
    change: Mapped[str] = mapped_column(String(32), nullable=False)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)


class RolePolicy(Base):
    """What an administrator requires of a role's accounts at login (a second factor)."""

    __tablename__ = "role_policies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    totp_required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class WebSession(Base):
    """A workbench login, kept on the server; the browser holds only a random token (its hash here)."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)  # SHA-256 hex
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    end_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)  # logout | idle | expired
    # The purpose of the officer's current task: the reason every read of a child's record is audited
    # with, asked once per task and shown while it applies. Never defaulted.
    purpose: Mapped[str | None] = mapped_column(String(200), nullable=True)
    purpose_set_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class LoginThrottle(Base):
    """Failed logins per username (keyed by a hash: names that are not accounts are not kept in clear)."""

    __tablename__ = "login_throttles"

    username_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_failure_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
