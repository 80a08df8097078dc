"""Setting an account's password and second factor, and what a role requires at login.

Each change is ledgered as a `credential.changed` (or `role_policy.changed`) event naming the account,
the change and who made it; the secrets themselves stay in `credentials`, which is never ledgered.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from jaga.access.models import Credential, CredentialChange, Principal, RolePolicy
from jaga.access.passwords import check_policy, hash_password
from jaga.access.roles import Action, Actor, Role
from jaga.access.services import get_principal
from jaga.access.totp import TotpBox, matching_step, new_secret, provisioning_uri
from jaga.db import EventKind, UnitOfWork
from jaga.errors import Conflict, InvalidInput


@dataclass(frozen=True)
class Enrolment:
    secret: str  # base32, shown once to be typed into (or scanned by) an authenticator app
    uri: str  # otpauth://


def _credential(uow: UnitOfWork, principal: Principal) -> Credential:
    found = uow.session.get(Credential, principal.id)
    if found is None:
        found = Credential(principal_id=principal.id)
        uow.session.add(found)
    return found


def _record(uow: UnitOfWork, principal: Principal, change: str, actor: Actor) -> None:
    row = CredentialChange(
        principal_id=principal.id, change=change, changed_at=uow.clock(), changed_by=actor.principal_id
    )
    uow.session.add(row)
    uow.session.flush()
    uow.record(EventKind.CREDENTIAL_CHANGED, row, actor_id=actor.principal_id)


def _managed(uow: UnitOfWork, actor: Actor, username: str) -> Principal:
    actor.require(Action.USERS_MANAGE)
    principal = get_principal(uow.session, username)
    actor.require_region(principal.region_scope, what=f"account {username}")
    if not principal.active:
        raise Conflict(f"account {username!r} is revoked")
    return principal


def set_password(uow: UnitOfWork, *, actor: Actor, username: str, password: str) -> None:
    """Set (or replace) an account's workbench password; InvalidInput when the policy refuses it."""
    principal = _managed(uow, actor, username)
    check_policy(password, username=principal.username, role=principal.role)
    credential = _credential(uow, principal)
    credential.password_hash = hash_password(password)
    credential.password_set_at = uow.clock()
    _record(uow, principal, "password_set", actor)
    uow.commit()


def begin_totp(*, username: str) -> Enrolment:
    """A new secret to show the officer; nothing is stored until a code from it is confirmed."""
    secret = new_secret()
    return Enrolment(secret, provisioning_uri(secret, username))


def confirm_totp(
    uow: UnitOfWork, box: TotpBox, *, actor: Actor, username: str, secret: str, code: str
) -> None:
    """Enrol `secret` once the officer has typed a code their app made from it (proof it was set up)."""
    principal = _managed(uow, actor, username)
    step = matching_step(secret, code, last_step=None, now=uow.clock().timestamp())
    if step is None:
        raise InvalidInput(
            "the code does not match: check the phone's clock and type the code the app shows now",
            message_id="kode tidak cocok: periksa jam ponsel lalu ketik kode yang ditampilkan aplikasi",
        )
    credential = _credential(uow, principal)
    credential.totp_secret = box.seal(secret)
    credential.totp_enrolled_at = uow.clock()
    credential.totp_last_step = step
    _record(uow, principal, "totp_enrolled", actor)
    uow.commit()


def remove_totp(uow: UnitOfWork, *, actor: Actor, username: str) -> None:
    principal = _managed(uow, actor, username)
    credential = uow.session.get(Credential, principal.id)
    if credential is None or credential.totp_secret is None:
        raise Conflict(f"account {username!r} has no second factor enrolled")
    credential.totp_secret = None
    credential.totp_enrolled_at = None
    credential.totp_last_step = None
    _record(uow, principal, "totp_removed", actor)
    uow.commit()


def require_totp(uow: UnitOfWork, *, actor: Actor, role: Role, required: bool) -> None:
    """Require (or stop requiring) a second factor of every account of `role` at login."""
    actor.require(Action.USERS_MANAGE)
    if actor.region_scope:
        raise InvalidInput("only a national administrator sets what a role requires")
    policy = uow.session.scalar(select(RolePolicy).where(RolePolicy.role == role.value))
    if policy is None:
        policy = RolePolicy(role=role.value, totp_required=required, changed_at=uow.clock())
        uow.session.add(policy)
    policy.totp_required = required
    policy.changed_at = uow.clock()
    uow.session.flush()
    uow.record(EventKind.ROLE_POLICY_CHANGED, policy, actor_id=actor.principal_id)
    uow.commit()
