"""Workbench logins: passwords and second factors, throttling, server-side sessions and their purpose.

    login(uow, username, password, code, box)  -> a session token (shown to the browser only) or an error
    session_actor(uow, token)                  -> the account of a live session, or NotAuthenticated
    end_session(uow, token)                    -> logging out ends the session on the server
    live_session_ids(uow, ids)                 -> which of these sessions are still live

A failed login says only that the username or password is wrong, whatever was wrong, and takes the same
time. After `MAX_FAILURES` failures for a username, every attempt for it is refused (even with the right
password) for an interval that doubles with each further failure, up to `MAX_LOCK`.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from jaga.access.models import Credential, LoginThrottle, Principal, RolePolicy, WebSession
from jaga.access.passwords import verify_password
from jaga.access.roles import Actor
from jaga.access.services import actor_for_principal
from jaga.access.totp import TotpBox, matching_step
from jaga.db import UnitOfWork
from jaga.errors import InvalidInput, LoginRefused, NotAuthenticated, PermissionDenied

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_LIMIT = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most once a minute per session
MAX_FAILURES = 5
FIRST_LOCK = timedelta(minutes=1)
MAX_LOCK = timedelta(hours=1)
PURPOSE_MAX = 200

WRONG = "the username or password is wrong"
WRONG_ID = "nama pengguna atau kata sandi salah"


@dataclass(frozen=True)
class LiveSession:
    actor: Actor
    session_id: int
    purpose: str | None
    started_at: datetime
    expires_at: datetime  # the absolute limit


def _key(username: str) -> str:
    # A hash, so that names typed by mistake (or by an attacker) are not kept in clear.
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def totp_required(uow: UnitOfWork, principal: Principal, credential: Credential | None) -> bool:
    enrolled = credential is not None and credential.totp_secret is not None
    policy = uow.session.scalar(select(RolePolicy).where(RolePolicy.role == principal.role))
    return enrolled or (policy is not None and policy.totp_required)


def _throttle(uow: UnitOfWork, key: str, now: datetime) -> LoginThrottle | None:
    row = uow.session.get(LoginThrottle, key)
    if row is not None and row.locked_until is not None and row.locked_until > now:
        seconds = int((row.locked_until - now).total_seconds()) + 1
        raise LoginRefused(
            f"too many failed logins for this username: try again in {seconds} seconds",
            message_id=f"terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini: coba lagi dalam "
            f"{seconds} detik",
        )
    return row


def _fail(uow: UnitOfWork, key: str, row: LoginThrottle | None, now: datetime) -> None:
    if row is None:
        row = LoginThrottle(username_key=key, failures=0, last_failure_at=now)
        uow.session.add(row)
    row.failures += 1
    row.last_failure_at = now
    if row.failures >= MAX_FAILURES:
        row.locked_until = now + min(MAX_LOCK, FIRST_LOCK * 2 ** (row.failures - MAX_FAILURES))
    uow.commit()


def login(uow: UnitOfWork, *, username: str, password: str, code: str | None, box: TotpBox) -> str:
    """A new session's token for a correct username, password (and code); LoginRefused otherwise."""
    now = uow.clock()
    key = _key(username)
    throttle = _throttle(uow, key, now)
    principal = uow.session.scalar(select(Principal).where(Principal.username == username.strip().lower()))
    credential = uow.session.get(Credential, principal.id) if principal is not None else None
    hashed = credential.password_hash if credential is not None else None
    if not verify_password(hashed, password) or principal is None or not principal.active:
        _fail(uow, key, throttle, now)
        raise LoginRefused(WRONG, message_id=WRONG_ID)
    assert credential is not None
    if totp_required(uow, principal, credential):
        if credential.totp_secret is None:
            raise PermissionDenied(
                "your role requires a second factor and none is enrolled for this account: ask an "
                "administrator to run `jaga users totp` with you",
                message_id="peran Anda mewajibkan faktor kedua dan akun ini belum mendaftarkannya: minta "
                "administrator menjalankan `jaga users totp` bersama Anda",
            )
        step = matching_step(
            box.open(credential.totp_secret),
            code or "",
            last_step=credential.totp_last_step,
            now=now.timestamp(),
        )
        if step is None:
            _fail(uow, key, throttle, now)
            raise LoginRefused(
                "the code from the authenticator app is missing or wrong",
                message_id="kode dari aplikasi autentikator tidak diisi atau salah",
            )
        credential.totp_last_step = step
    if throttle is not None:
        uow.session.delete(throttle)
    token = secrets.token_urlsafe(32)
    uow.session.add(
        WebSession(token_hash=_token_hash(token), principal_id=principal.id, created_at=now, last_seen_at=now)
    )
    uow.commit()
    return token


def session_actor(uow: UnitOfWork, token: str | None) -> LiveSession:
    """The live session `token` opens (its last activity recorded); NotAuthenticated when there is none."""
    if not token:
        raise NotAuthenticated("not logged in", message_id="belum masuk")
    now = uow.clock()
    row = uow.session.scalar(select(WebSession).where(WebSession.token_hash == _token_hash(token)))
    if row is None or row.ended_at is not None:
        raise NotAuthenticated("the session has ended: log in again", message_id="sesi berakhir: masuk lagi")
    ended = None
    if now - row.created_at >= ABSOLUTE_LIMIT:
        ended = "expired"
    elif now - row.last_seen_at >= IDLE_TIMEOUT:
        ended = "idle"
    principal = uow.session.get(Principal, row.principal_id)
    if principal is None or not principal.active:
        ended = "revoked"
    if ended is not None:
        row.ended_at, row.end_reason = now, ended
        uow.commit()
        raise NotAuthenticated(
            "the session has ended (idle for 30 minutes, or 12 hours since login): log in again",
            message_id="sesi berakhir (tidak aktif 30 menit, atau 12 jam sejak masuk): masuk lagi",
        )
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        uow.commit()
    assert principal is not None
    return LiveSession(
        actor=actor_for_principal(uow.session, principal),
        session_id=row.id,
        purpose=row.purpose,
        started_at=row.created_at,
        expires_at=row.created_at + ABSOLUTE_LIMIT,
    )


def end_session(uow: UnitOfWork, token: str | None) -> None:
    """Log out: the session ends on the server (a copied cookie is worth nothing after this)."""
    if not token:
        return
    row = uow.session.scalar(select(WebSession).where(WebSession.token_hash == _token_hash(token)))
    if row is not None and row.ended_at is None:
        row.ended_at, row.end_reason = uow.clock(), "logout"
        uow.commit()


def live_session_ids(uow: UnitOfWork, ids: Iterable[int]) -> set[int]:
    """Which of `ids` are sessions still live (not logged out, idle or past the absolute limit): what a
    session left on disk (the workbench's import rejects) is kept for these only."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    now = uow.clock()
    rows = uow.session.execute(
        select(WebSession.id, WebSession.created_at, WebSession.last_seen_at).where(
            WebSession.id.in_(wanted), WebSession.ended_at.is_(None)
        )
    )
    return {
        row.id
        for row in rows
        if now - row.created_at < ABSOLUTE_LIMIT and now - row.last_seen_at < IDLE_TIMEOUT
    }


def set_purpose(uow: UnitOfWork, token: str, purpose: str | None) -> None:
    """The purpose of the officer's current task (None ends it); reads are audited with it."""
    text = (purpose or "").strip()
    if purpose is not None and not (4 <= len(text) <= PURPOSE_MAX):
        raise InvalidInput(
            f"the purpose must be 4 to {PURPOSE_MAX} characters: a case number or a few words",
            message_id=f"tujuan harus 4 sampai {PURPOSE_MAX} karakter: nomor perkara atau beberapa kata",
        )
    row = uow.session.scalar(select(WebSession).where(WebSession.token_hash == _token_hash(token)))
    if row is None or row.ended_at is not None:
        raise NotAuthenticated("the session has ended: log in again", message_id="sesi berakhir: masuk lagi")
    row.purpose = text or None
    row.purpose_set_at = uow.clock() if text else None
    uow.commit()
