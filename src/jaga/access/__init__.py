"""Access control: roles and the permission matrix, region scopes, API tokens (argon2), audit of reads.

Imports `jaga.db`, `jaga.regions` and `jaga.errors`; its `deps` and `api` modules are the only ones that
know about HTTP, and `cli` the only one that knows Typer.
"""

from jaga.access.models import AccountBinding, ApiToken, AuditEntry, Principal
from jaga.access.roles import OFFICIAL_ROLES, OPERATOR, PERMISSIONS, Action, Actor, Role
from jaga.access.services import (
    Binding,
    CreatedPrincipal,
    audit_read,
    authenticate,
    bind_account,
    bindings,
    check_reason,
    create_principal,
    issue_token,
    list_principals,
    normalise_scope,
    revoke_principal,
)
from jaga.access.tokens import TokenHasher

__all__ = [
    "OFFICIAL_ROLES",
    "OPERATOR",
    "PERMISSIONS",
    "AccountBinding",
    "Action",
    "Actor",
    "ApiToken",
    "AuditEntry",
    "Binding",
    "CreatedPrincipal",
    "Principal",
    "Role",
    "TokenHasher",
    "audit_read",
    "authenticate",
    "bind_account",
    "bindings",
    "check_reason",
    "create_principal",
    "issue_token",
    "list_principals",
    "normalise_scope",
    "revoke_principal",
]
