"""Authentication and permission dependencies for routers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from jaga.access.roles import Action, Actor
from jaga.access.services import authenticate
from jaga.db import UnitOfWork
from jaga.errors import NotAuthenticated

_bearer = HTTPBearer(auto_error=False, description="API token: `Authorization: Bearer jaga_...`")


def authenticated(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The actor behind the request's bearer token; 401 otherwise. Cached on the request."""
    cached = getattr(request.state, "actor", None)
    if isinstance(cached, Actor):
        return cached
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated("an API token is required (Authorization: Bearer jaga_...)")
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        actor = authenticate(uow.session, request.app.state.token_hasher, credentials.credentials)
    request.state.actor = actor
    return actor


ActorDep = Annotated[Actor, Depends(authenticated)]


def permission(action: Action) -> Any:
    """A dependency refusing (403) actors whose role lacks `action`, before the body is even parsed."""

    def check(actor: ActorDep) -> Actor:
        actor.require(action)
        return actor

    return Depends(check)


def guarded(action: Action) -> dict[str, Any]:
    """Route keyword arguments: the permission check, and the action in the OpenAPI document."""
    return {"dependencies": [permission(action)], "openapi_extra": {"x-jaga-action": action.value}}
