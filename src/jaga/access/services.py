"""Accounts, tokens, authentication and the audit trail of reads."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.access.models import ApiToken, AuditEntry, Principal
from jaga.access.roles import Action, Actor, Role
from jaga.access.tokens import TokenHasher, parse_token
from jaga.db import EventKind, UnitOfWork
from jaga.errors import Conflict, InvalidInput, NotAuthenticated, RecordNotFound, UnknownRegion
from jaga.regions import RegionLevel, load_directory, parse_code

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


@dataclass(frozen=True)
class CreatedPrincipal:
    principal: Principal
    token: str  # plaintext, shown once


def _actor_of(principal: Principal) -> Actor:
    return Actor(
        principal_id=principal.id,
        username=principal.username,
        role=Role(principal.role),
        region_scope=principal.region_scope,
    )


def normalise_scope(scope: str) -> str:
    """ "" (or "ID") is the whole country; otherwise a province, regency or district code."""
    text = scope.strip()
    if text in ("", "ID", "id", "national"):
        return ""
    try:
        digits = parse_code(text)
    except ValueError as exc:
        raise UnknownRegion(f"region scope: {exc}") from exc
    region = load_directory().require(digits)
    if region.level == RegionLevel.VILLAGE:
        raise InvalidInput("region scope must be a province, regency/city or district, not a village")
    return digits


def create_principal(
    uow: UnitOfWork, hasher: TokenHasher, *, actor: Actor, username: str, role: Role, region_scope: str
) -> CreatedPrincipal:
    """Create an account with one API token. Admins may only create accounts inside their own scope."""
    actor.require(Action.USERS_MANAGE)
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput("username must be 3-64 characters: lowercase letters, digits, '.', '_' or '-'")
    scope = normalise_scope(region_scope)
    actor.require_region(scope, what="the new account's scope")
    if uow.session.scalar(select(Principal.id).where(Principal.username == username)) is not None:
        raise Conflict(f"username {username!r} is taken")
    principal = Principal(
        username=username, role=role.value, region_scope=scope, active=True, created_at=uow.clock()
    )
    uow.session.add(principal)
    uow.session.flush()
    uow.record(EventKind.PRINCIPAL_CREATED, principal, actor_id=actor.principal_id)
    token = _issue(uow, hasher, principal, actor)
    uow.commit()
    return CreatedPrincipal(principal=principal, token=token)


def issue_token(uow: UnitOfWork, hasher: TokenHasher, *, actor: Actor, username: str) -> str:
    """A further token for an existing, active account."""
    actor.require(Action.USERS_MANAGE)
    principal = _get_principal(uow.session, username)
    actor.require_region(principal.region_scope, what=f"account {username}")
    if not principal.active:
        raise Conflict(f"account {username!r} is revoked")
    token = _issue(uow, hasher, principal, actor)
    uow.commit()
    return token


def _issue(uow: UnitOfWork, hasher: TokenHasher, principal: Principal, actor: Actor) -> str:
    new = hasher.new_token()
    row = ApiToken(
        principal_id=principal.id, token_id=new.token_id, token_hash=new.token_hash, created_at=uow.clock()
    )
    uow.session.add(row)
    uow.session.flush()
    uow.record(EventKind.API_TOKEN_ISSUED, row, actor_id=actor.principal_id)
    return new.plaintext


def revoke_principal(uow: UnitOfWork, *, actor: Actor, username: str) -> Principal:
    """Deactivate an account and all its tokens. Idempotent."""
    actor.require(Action.USERS_MANAGE)
    principal = _get_principal(uow.session, username)
    actor.require_region(principal.region_scope, what=f"account {username}")
    if principal.active:
        now = uow.clock()
        principal.active = False
        principal.revoked_at = now
        for token in uow.session.scalars(select(ApiToken).where(ApiToken.principal_id == principal.id)):
            if token.revoked_at is None:
                token.revoked_at = now
                uow.record(EventKind.API_TOKEN_REVOKED, token, actor_id=actor.principal_id)
        uow.record(EventKind.PRINCIPAL_REVOKED, principal, actor_id=actor.principal_id)
        uow.commit()
    return principal


def list_principals(session: Session, *, actor: Actor) -> list[Principal]:
    actor.require(Action.USERS_MANAGE)
    rows = session.scalars(select(Principal).order_by(Principal.username))
    return [p for p in rows if p.region_scope.startswith(actor.region_scope)]


def _get_principal(session: Session, username: str) -> Principal:
    principal = session.scalar(select(Principal).where(Principal.username == username))
    if principal is None:
        raise RecordNotFound("account", username)
    return principal


def authenticate(session: Session, hasher: TokenHasher, token: str | None) -> Actor:
    """The actor a bearer token stands for; NotAuthenticated with the reason otherwise."""
    if not token:
        raise NotAuthenticated("an API token is required (Authorization: Bearer jaga_...)")
    token_id = parse_token(token)
    if token_id is None:
        raise NotAuthenticated("the API token is malformed")
    row = session.execute(
        select(ApiToken, Principal)
        .join(Principal, Principal.id == ApiToken.principal_id)
        .where(ApiToken.token_id == token_id)
    ).one_or_none()
    if row is None:
        raise NotAuthenticated("the API token is not recognised")
    api_token, principal = row
    if api_token.revoked_at is not None or not principal.active:
        raise NotAuthenticated("the API token has been revoked")
    if not hasher.verify(api_token.token_hash, token.strip()):
        raise NotAuthenticated("the API token is not recognised")
    return _actor_of(principal)


MIN_REASON_LENGTH = 4


def check_reason(reason: str | None) -> str:
    """Reads of personal records must say why (kept in the audit trail)."""
    text = (reason or "").strip()
    if len(text) < MIN_REASON_LENGTH:
        raise InvalidInput(
            f"a reason for reading personal records is required (at least {MIN_REASON_LENGTH} characters, "
            "e.g. a case number); it is kept in the audit trail"
        )
    return text[:500]


def audit_read(
    session: Session,
    *,
    actor: Actor,
    action: str,
    resource: str,
    record_ids: Sequence[int],
    reason: str,
    channel: str,
    at: datetime,
) -> None:
    """Add an audit entry to the session; the caller commits it before returning what was read."""
    session.add(
        AuditEntry(
            at=at,
            principal_id=actor.principal_id,
            action=action,
            resource=resource,
            record_ids=json.dumps(list(record_ids)),
            record_count=len(record_ids),
            reason=reason,
            channel=channel[:200],
        )
    )
