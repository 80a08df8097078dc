"""Workbench logins: password policy, argon2id, throttling, second factor, sessions and their limits."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import OPERATOR, Role, create_principal
from jaga.access.credentials import begin_totp, confirm_totp, require_totp, set_password
from jaga.access.logins import ABSOLUTE_LIMIT, IDLE_TIMEOUT, end_session, login, session_actor, set_purpose
from jaga.access.models import Credential, CredentialChange, LoginThrottle, WebSession
from jaga.access.totp import TotpBox
from jaga.db import EventRecord as Event
from jaga.db import UnitOfWork
from jaga.errors import InvalidInput, LoginRefused, NotAuthenticated, PermissionDenied
from tests.conftest import FixedClock, fast_token_hasher

GOOD = "kopi tubruk di pasar johar pagi"


@pytest.fixture
def box(tmp_path: Path) -> TotpBox:
    return TotpBox(tmp_path / "keys")


def _account(
    sessions: sessionmaker[Session], username: str = "petugas.ani", role: Role = Role.SOCIAL_WORKER
) -> None:
    with UnitOfWork(sessions) as uow:
        create_principal(
            uow, fast_token_hasher(), actor=OPERATOR, username=username, role=role, region_scope="33"
        )
    with UnitOfWork(sessions) as uow:
        set_password(uow, actor=OPERATOR, username=username, password=GOOD)


def _login(
    sessions: sessionmaker[Session], clock: FixedClock, box: TotpBox, password: str = GOOD, **kw: str
) -> str:
    with UnitOfWork(sessions, clock) as uow:
        return login(
            uow, username=kw.get("username", "petugas.ani"), password=password, code=kw.get("code"), box=box
        )


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("pendek123", "at least 12"),
        ("passwordpassword", "too common"),
        ("sayang123456789", "too common"),
        ("bismillah12345", "too common"),
        ("petugas.ani2026", "too common"),
        ("qwertyuiop1234", "too common"),
        (" kopi tubruk di pasar johar", "space"),
    ],
)
def test_short_common_and_guessable_passwords_are_refused(
    sessions: sessionmaker[Session], password: str, why: str
) -> None:
    with UnitOfWork(sessions) as uow:
        create_principal(
            uow,
            fast_token_hasher(),
            actor=OPERATOR,
            username="petugas.ani",
            role=Role.POLICE,
            region_scope="",
        )
    with UnitOfWork(sessions) as uow, pytest.raises(InvalidInput, match=why):
        set_password(uow, actor=OPERATOR, username="petugas.ani", password=password)


def test_a_password_is_stored_as_argon2id_and_its_change_is_ledgered_without_it(
    sessions: sessionmaker[Session],
) -> None:
    _account(sessions)
    with sessions() as session:
        credential = session.scalars(select(Credential)).one()
        change = session.scalars(select(CredentialChange)).one()
        events = session.scalars(select(Event).where(Event.kind == "credential.changed")).all()
    assert credential.password_hash is not None and credential.password_hash.startswith("$argon2id$")
    assert GOOD not in credential.password_hash
    assert change.change == "password_set"
    assert len(events) == 1 and "argon2" not in events[0].payload and GOOD not in events[0].payload


def test_login_gives_a_session_and_logout_ends_it_on_the_server(
    sessions: sessionmaker[Session], clock: FixedClock, box: TotpBox
) -> None:
    _account(sessions)
    token = _login(sessions, clock, box)
    with UnitOfWork(sessions, clock) as uow:
        live = session_actor(uow, token)
    assert live.actor.username == "petugas.ani" and live.actor.role == Role.SOCIAL_WORKER
    with sessions() as session:
        stored = session.scalars(select(WebSession)).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    with UnitOfWork(sessions, clock) as uow:
        end_session(uow, token)
    with UnitOfWork(sessions, clock) as uow, pytest.raises(NotAuthenticated):
        session_actor(uow, token)


def test_a_wrong_username_and_a_wrong_password_get_the_same_answer(
    sessions: sessionmaker[Session], clock: FixedClock, box: TotpBox
) -> None:
    _account(sessions)
    with pytest.raises(LoginRefused) as wrong_password:
        _login(sessions, clock, box, password="not the password at all")
    with pytest.raises(LoginRefused) as wrong_user:
        _login(sessions, clock, box, username="nobody.here")
    assert wrong_password.value.message == wrong_user.value.message
    with sessions() as session:
        keys = session.scalars(select(LoginThrottle.username_key)).all()
    assert "nobody.here" not in keys and all(len(k) == 64 for k in keys)


def test_five_failures_lock_the_username_for_a_growing_interval_even_with_the_right_password(
    sessions: sessionmaker[Session], clock: FixedClock, box: TotpBox
) -> None:
    _account(sessions)
    for _ in range(5):
        with pytest.raises(LoginRefused, match="wrong"):
            _login(sessions, clock, box, password="salah salah salah")
    with pytest.raises(LoginRefused, match="too many failed logins"):
        _login(sessions, clock, box)  # the right password, refused while locked
    clock.now += timedelta(seconds=61)
    with pytest.raises(LoginRefused, match="wrong"):
        _login(sessions, clock, box, password="salah lagi salah lagi")  # the sixth failure: 2 minutes
    clock.now += timedelta(seconds=61)
    with pytest.raises(LoginRefused, match="too many failed logins"):
        _login(sessions, clock, box)
    clock.now += timedelta(seconds=60)
    assert _login(sessions, clock, box)  # unlocked; success forgets the failures
    with sessions() as session:
        assert session.scalars(select(LoginThrottle)).all() == []


def test_an_unknown_username_is_locked_the_same_way(
    sessions: sessionmaker[Session], clock: FixedClock, box: TotpBox
) -> None:
    for _ in range(5):
        with pytest.raises(LoginRefused, match="wrong"):
            _login(sessions, clock, box, username="tidak.ada")
    with pytest.raises(LoginRefused, match="too many failed logins"):
        _login(sessions, clock, box, username="tidak.ada")


def test_sessions_end_after_30_idle_minutes_and_after_12_hours(
    sessions: sessionmaker[Session], clock: FixedClock, box: TotpBox
) -> None:
    _account(sessions)
    token = _login(sessions, clock, box)
    clock.now += IDLE_TIMEOUT - timedelta(seconds=1)
    with UnitOfWork(sessions, clock) as uow:
        session_actor(uow, token)  # still alive, and active again
    clock.now += IDLE_TIMEOUT
    with UnitOfWork(sessions, clock) as uow, pytest.raises(NotAuthenticated, match="ended"):
        session_actor(uow, token)
    busy = _login(sessions, clock, box)
    started = clock.now
    while clock.now - started < ABSOLUTE_LIMIT - timedelta(minutes=20):
        clock.now += timedelta(minutes=20)
        with UnitOfWork(sessions, clock) as uow:
            session_actor(uow, busy)
    clock.now = started + ABSOLUTE_LIMIT
    with UnitOfWork(sessions, clock) as uow, pytest.raises(NotAuthenticated):
        session_actor(uow, busy)
    with sessions() as session:
        reasons = sorted(r for r in session.scalars(select(WebSession.end_reason)).all() if r)
    assert reasons == ["expired", "idle"]


def test_a_second_factor_is_asked_once_enrolled_and_a_code_works_once(
    sessions: sessionmaker[Session], clock: FixedClock, box: TotpBox
) -> None:
    _account(sessions)
    enrolment = begin_totp(username="petugas.ani")
    app = pyotp.TOTP(enrolment.secret)
    with UnitOfWork(sessions) as uow, pytest.raises(InvalidInput):
        confirm_totp(uow, box, actor=OPERATOR, username="petugas.ani", secret=enrolment.secret, code="000000")
    with UnitOfWork(sessions, clock) as uow:
        confirm_totp(
            uow, box, actor=OPERATOR, username="petugas.ani", secret=enrolment.secret, code=app.at(clock.now)
        )
    with sessions() as session:
        sealed = session.scalars(select(Credential.totp_secret)).one()
    assert sealed is not None and enrolment.secret not in sealed
    with pytest.raises(LoginRefused, match="code"):
        _login(sessions, clock, box)  # no code
    with pytest.raises(LoginRefused, match="code"):
        _login(sessions, clock, box, code=app.at(clock.now))  # the code confirmed at enrolment is spent
    clock.now += timedelta(seconds=30)
    code = app.at(clock.now)
    assert _login(sessions, clock, box, code=code)
    with pytest.raises(LoginRefused, match="code"):
        _login(sessions, clock, box, code=code)  # replayed


def test_a_role_that_requires_a_second_factor_refuses_accounts_without_one(
    sessions: sessionmaker[Session], clock: FixedClock, box: TotpBox
) -> None:
    _account(sessions, "penyidik.budi", Role.POLICE)
    with UnitOfWork(sessions) as uow:
        require_totp(uow, actor=OPERATOR, role=Role.POLICE, required=True)
    with pytest.raises(PermissionDenied, match="second factor"):
        _login(sessions, clock, box, username="penyidik.budi")
    with sessions() as session:
        assert session.scalars(select(Event).where(Event.kind == "role_policy.changed")).one()


def test_the_purpose_of_a_task_is_kept_with_the_session(
    sessions: sessionmaker[Session], clock: FixedClock, box: TotpBox
) -> None:
    _account(sessions)
    token = _login(sessions, clock, box)
    with UnitOfWork(sessions, clock) as uow:
        assert session_actor(uow, token).purpose is None  # never a default
    with UnitOfWork(sessions, clock) as uow, pytest.raises(InvalidInput):
        set_purpose(uow, token, "ab")
    with UnitOfWork(sessions, clock) as uow:
        set_purpose(uow, token, "perkara 12/PID/2026")
    with UnitOfWork(sessions, clock) as uow:
        assert session_actor(uow, token).purpose == "perkara 12/PID/2026"
