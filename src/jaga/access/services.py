"""Accounts, tokens, authentication and the audit trail of reads."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

from jaga.access.models import AccountBinding, ApiToken, AuditEntry, Principal
from jaga.access.roles import OFFICIAL_ROLES, Action, Actor, Role
from jaga.access.tokens import TokenHasher, parse_token
from jaga.db import EventKind, UnitOfWork
from jaga.errors import Conflict, InvalidInput, NotAuthenticated, RecordNotFound, UnknownRegion
from jaga.regions import RegionLevel, format_code, load_directory, parse_code, within

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
FEED_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$")

# The registry's officials, read through a plain table clause: access sits below the registry and may
# not import its models, but binding an account must check the official it names.
_OFFICIALS = table("officials", column("id"), column("ref"), column("role"), column("region_code"))


@dataclass(frozen=True)
class CreatedPrincipal:
    principal: Principal
    token: str  # plaintext, shown once


@dataclass(frozen=True)
class Binding:
    """What an account acts as (at most one of the two is set)."""

    official_ref: str | None = None
    feed: str | None = None


def _actor_of(
    principal: Principal, official_id: int | None, official_ref: str | None, feed: str | None
) -> Actor:
    return Actor(
        principal_id=principal.id,
        username=principal.username,
        role=Role(principal.role),
        region_scope=principal.region_scope,
        official_id=official_id,
        official_ref=official_ref,
        feed=feed,
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
    uow: UnitOfWork,
    hasher: TokenHasher,
    *,
    actor: Actor,
    username: str,
    role: Role,
    region_scope: str,
    official_ref: str | None = None,
    feed: str | None = None,
) -> CreatedPrincipal:
    """Create an account with one API token. Admins may only create accounts inside their own scope.

    `official_ref` binds the account to that official (its scope defaults to the official's region and
    may not exceed it); `feed` makes it a feed account instead. See `bind_account`.
    """
    actor.require(Action.USERS_MANAGE)
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput("username must be 3-64 characters: lowercase letters, digits, '.', '_' or '-'")
    scope = normalise_scope(region_scope)
    official = _check_binding(uow.session, role, official_ref, feed)
    if official is not None and not scope:
        scope = official.region_code  # an official's account acts in the official's region
    if official is not None:
        _require_scope_within_official(scope, official)
    actor.require_region(scope, what="the new account's scope", given=True)
    if uow.session.scalar(select(Principal.id).where(Principal.username == username)) is not None:
        raise Conflict(f"username {username!r} is taken")
    principal = Principal(
        username=username, role=role.value, region_scope=scope, active=True, created_at=uow.clock()
    )
    uow.session.add(principal)
    uow.session.flush()
    uow.record(EventKind.PRINCIPAL_CREATED, principal, actor_id=actor.principal_id)
    if official is not None or feed:
        _bind(uow, principal, official.id if official is not None else None, feed, actor)
    token = _issue(uow, hasher, principal, actor)
    uow.commit()
    return CreatedPrincipal(principal=principal, token=token)


def bind_account(
    uow: UnitOfWork, *, actor: Actor, username: str, official_ref: str | None = None, feed: str | None = None
) -> Principal:
    """Bind an existing account to an official (or make it a feed account), once.

    Raises InvalidInput when the role does not act as an official, the official's role does not fit
    or the account's scope reaches beyond the official's region; Conflict when it is bound already
    (a binding is never changed: revoke the account and create another) or revoked.
    """
    actor.require(Action.USERS_MANAGE)
    principal = get_principal(uow.session, username)
    actor.require_region(principal.region_scope, what=f"account {username}")
    if not principal.active:
        raise Conflict(f"account {username!r} is revoked")
    existing = bindings(uow.session, [principal.id]).get(principal.id)
    if existing is not None:
        what = f"official {existing.official_ref}" if existing.official_ref else f"feed {existing.feed!r}"
        raise Conflict(
            f"account {username!r} is already bound to {what}; a binding is never changed: "
            "revoke the account and create another"
        )
    official = _check_binding(uow.session, Role(principal.role), official_ref, feed)
    if official is not None:
        _require_scope_within_official(principal.region_scope, official)
    _bind(uow, principal, official.id if official is not None else None, feed, actor)
    uow.commit()
    return principal


def _check_binding(session: Session, role: Role, official_ref: str | None, feed: str | None) -> Any:
    """The official row (id, ref, role, region_code) an account is to be bound to, if any."""
    if official_ref is None and feed is None:
        return None
    if official_ref is not None and feed is not None:
        raise InvalidInput("an account acts either as one official or as a feed, not both")
    allowed = OFFICIAL_ROLES.get(role)
    if allowed is None:
        roles = ", ".join(r.value for r in OFFICIAL_ROLES)
        raise InvalidInput(
            f"role {role.value!r} does not act as an official; only {roles} accounts are bound to an "
            "official or a feed"
        )
    if feed is not None:
        if not FEED_PATTERN.match(feed):
            raise InvalidInput("feed must be 1-64 characters: letters, digits, space, '.', '_' or '-'")
        return None
    official = session.execute(
        select(_OFFICIALS.c.id, _OFFICIALS.c.ref, _OFFICIALS.c.role, _OFFICIALS.c.region_code).where(
            _OFFICIALS.c.ref == official_ref
        )
    ).one_or_none()
    if official is None:
        raise RecordNotFound("official", str(official_ref))
    if official.role not in allowed:
        raise InvalidInput(
            f"official {official.ref} is a {official.role}; a {role.value} account acts as a "
            f"{' or '.join(sorted(allowed))}"
        )
    return official


def _require_scope_within_official(scope: str, official: Any) -> None:
    if not within(scope, official.region_code):
        raise InvalidInput(
            f"the account's scope {format_code(scope) or 'national'} reaches beyond official "
            f"{official.ref}'s region {format_code(official.region_code)}: an account bound to an "
            "official acts only in that official's region"
        )


def _bind(
    uow: UnitOfWork, principal: Principal, official_id: int | None, feed: str | None, actor: Actor
) -> None:
    binding = AccountBinding(
        principal_id=principal.id, official_id=official_id, feed=feed, bound_at=uow.clock()
    )
    uow.session.add(binding)
    uow.session.flush()
    uow.record(EventKind.ACCOUNT_BINDING_CREATED, binding, actor_id=actor.principal_id)


def bindings(session: Session, principal_ids: Sequence[int]) -> dict[int, Binding]:
    """principal id -> what it is bound to, for the accounts that are bound."""
    if not principal_ids:
        return {}
    rows = session.execute(
        select(AccountBinding.principal_id, _OFFICIALS.c.ref, AccountBinding.feed)
        .outerjoin(_OFFICIALS, _OFFICIALS.c.id == AccountBinding.official_id)
        .where(AccountBinding.principal_id.in_(list(principal_ids)))
    )
    return {pid: Binding(official_ref=ref, feed=feed) for pid, ref, feed in rows}


def issue_token(uow: UnitOfWork, hasher: TokenHasher, *, actor: Actor, username: str) -> str:
    """A further token for an existing, active account."""
    actor.require(Action.USERS_MANAGE)
    principal = get_principal(uow.session, username)
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
    principal = get_principal(uow.session, username)
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


def get_principal(session: Session, username: str) -> Principal:
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
        select(ApiToken, Principal, AccountBinding.official_id, _OFFICIALS.c.ref, AccountBinding.feed)
        .join(Principal, Principal.id == ApiToken.principal_id)
        .outerjoin(AccountBinding, AccountBinding.principal_id == Principal.id)
        .outerjoin(_OFFICIALS, _OFFICIALS.c.id == AccountBinding.official_id)
        .where(ApiToken.token_id == token_id)
    ).one_or_none()
    if row is None:
        raise NotAuthenticated("the API token is not recognised")
    api_token, principal, official_id, official_ref, feed = row
    if api_token.revoked_at is not None or not principal.active:
        raise NotAuthenticated("the API token has been revoked")
    if not hasher.verify(api_token.token_hash, token.strip()):
        raise NotAuthenticated("the API token is not recognised")
    return _actor_of(principal, official_id, official_ref, feed)


def actor_for_principal(session: Session, principal: Principal) -> Actor:
    """The actor an account stands for (with what it is bound to), for a login that is not a token."""
    row = session.execute(
        select(AccountBinding.official_id, _OFFICIALS.c.ref, AccountBinding.feed)
        .outerjoin(_OFFICIALS, _OFFICIALS.c.id == AccountBinding.official_id)
        .where(AccountBinding.principal_id == principal.id)
    ).one_or_none()
    official_id, official_ref, feed = row if row is not None else (None, None, None)
    return _actor_of(principal, official_id, official_ref, feed)


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
