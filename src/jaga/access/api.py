"""Accounts (admins), the caller's own identity, and the audit trail (auditors, admins)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.access.deps import ActorDep, authenticated, guarded
from jaga.access.models import AuditEntry, Principal
from jaga.access.roles import PERMISSIONS, Action, Role
from jaga.access.services import (
    Binding,
    bind_account,
    bindings,
    create_principal,
    issue_token,
    list_principals,
    revoke_principal,
)
from jaga.db.pagination import decode_cursor, encode_cursor
from jaga.regions import format_code
from jaga.web.deps import CursorQuery, LimitQuery, UowDep

router = APIRouter(prefix="/api/v1", tags=["access"], dependencies=[Depends(authenticated)])


class PrincipalOut(BaseModel):
    username: str
    role: str
    region_scope: str = Field(description="dotted region code (e.g. 33.74); '' = national")
    official_ref: str | None = Field(default=None, description="the official the account acts as")
    feed: str | None = Field(default=None, description="the agency system a feed account transcribes")
    active: bool
    created_at: datetime
    revoked_at: datetime | None


class PrincipalIn(BaseModel):
    username: str = Field(description="3-64 characters: lowercase letters, digits, '.', '_' or '-'")
    role: Role
    region_scope: str = Field(default="", description="region code the account is confined to; '' = national")
    official_ref: str | None = Field(
        default=None,
        description="bind the account to this official (registrar, social_worker, court, police roles): "
        "its registrations and adoption steps name that official, inside the official's region",
    )
    feed: str | None = Field(
        default=None, description="or: the agency system whose records the account transcribes (e.g. SIAK)"
    )


class BindingIn(BaseModel):
    official_ref: str | None = None
    feed: str | None = None


class CreatedOut(BaseModel):
    account: PrincipalOut
    token: str = Field(description="shown once; store it now")


class TokenOut(BaseModel):
    token: str


class MeOut(BaseModel):
    username: str
    role: str
    region_scope: str
    official_ref: str | None
    feed: str | None
    permissions: list[str]


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    principal: str | None
    action: str
    resource: str
    record_ids: list[int]
    reason: str
    channel: str


class AuditPage(BaseModel):
    items: list[AuditEntryOut]
    next_cursor: str | None


def _out(p: Principal, binding: Binding | None) -> PrincipalOut:
    return PrincipalOut(
        username=p.username,
        role=p.role,
        region_scope=format_code(p.region_scope),
        official_ref=binding.official_ref if binding else None,
        feed=binding.feed if binding else None,
        active=p.active,
        created_at=p.created_at,
        revoked_at=p.revoked_at,
    )


def _outs(session: Session, principals: list[Principal]) -> list[PrincipalOut]:
    bound = bindings(session, [p.id for p in principals])
    return [_out(p, bound.get(p.id)) for p in principals]


@router.get("/me", response_model=MeOut, openapi_extra={"x-jaga-action": "any"})
def who_am_i(actor: ActorDep) -> MeOut:
    return MeOut(
        username=actor.username,
        role=actor.role.value,
        region_scope=format_code(actor.region_scope),
        official_ref=actor.official_ref,
        feed=actor.feed,
        permissions=sorted(a.value for a in PERMISSIONS[actor.role]),
    )


@router.get("/users", response_model=list[PrincipalOut], **guarded(Action.USERS_MANAGE))
def list_users(uow: UowDep, actor: ActorDep) -> list[PrincipalOut]:
    return _outs(uow.session, list_principals(uow.session, actor=actor))


@router.post("/users", response_model=CreatedOut, status_code=201, **guarded(Action.USERS_MANAGE))
def create_user(body: PrincipalIn, uow: UowDep, actor: ActorDep, request: Request) -> CreatedOut:
    created = create_principal(
        uow,
        request.app.state.token_hasher,
        actor=actor,
        username=body.username,
        role=body.role,
        region_scope=body.region_scope,
        official_ref=body.official_ref,
        feed=body.feed,
    )
    [account] = _outs(uow.session, [created.principal])
    return CreatedOut(account=account, token=created.token)


@router.post(
    "/users/{username}/tokens", response_model=TokenOut, status_code=201, **guarded(Action.USERS_MANAGE)
)
def new_token(username: str, uow: UowDep, actor: ActorDep, request: Request) -> TokenOut:
    return TokenOut(token=issue_token(uow, request.app.state.token_hasher, actor=actor, username=username))


@router.post("/users/{username}/binding", response_model=PrincipalOut, **guarded(Action.USERS_MANAGE))
def bind_user(username: str, body: BindingIn, uow: UowDep, actor: ActorDep) -> PrincipalOut:
    """Bind an existing account to the official it acts as (or make it a feed account), once."""
    principal = bind_account(
        uow, actor=actor, username=username, official_ref=body.official_ref, feed=body.feed
    )
    [account] = _outs(uow.session, [principal])
    return account


@router.post("/users/{username}/revoke", response_model=PrincipalOut, **guarded(Action.USERS_MANAGE))
def revoke_user(username: str, uow: UowDep, actor: ActorDep) -> PrincipalOut:
    [account] = _outs(uow.session, [revoke_principal(uow, actor=actor, username=username)])
    return account


@router.get("/audit", response_model=AuditPage, **guarded(Action.AUDIT_READ))
def audit_trail(
    uow: UowDep,
    actor: ActorDep,
    resource: Annotated[str | None, Query(description="table name, e.g. births")] = None,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> AuditPage:
    """Who read which personal records, when and why, newest first; limited to readers in your scope."""
    query = (
        select(AuditEntry, Principal.username)
        .outerjoin(Principal, Principal.id == AuditEntry.principal_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit + 1)
    )
    if actor.region_scope:
        query = query.where(Principal.region_scope.startswith(actor.region_scope, autoescape=True))
    if resource:
        query = query.where(AuditEntry.resource == resource)
    if cursor:
        query = query.where(AuditEntry.id < decode_cursor(cursor))
    rows = uow.session.execute(query).all()
    more = len(rows) > limit
    items = [
        AuditEntryOut(
            id=entry.id,
            at=entry.at,
            principal=username,
            action=entry.action,
            resource=entry.resource,
            record_ids=json.loads(entry.record_ids),
            reason=entry.reason,
            channel=entry.channel,
        )
        for entry, username in rows[:limit]
    ]
    return AuditPage(items=items, next_cursor=encode_cursor(items[-1].id) if more else None)
