from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import (
    OPERATOR,
    ApiToken,
    Role,
    TokenHasher,
    authenticate,
    create_principal,
    revoke_principal,
)
from jaga.access.tokens import parse_token
from jaga.db import UnitOfWork
from jaga.errors import Conflict, InvalidInput, NotAuthenticated, OutOfRegion, UnknownRegion
from tests.conftest import fast_token_hasher


def test_tokens_are_stored_as_argon2id_hashes_only(sessions: sessionmaker[Session]) -> None:
    hasher = TokenHasher()  # production parameters
    with UnitOfWork(sessions) as uow:
        created = create_principal(
            uow, hasher, actor=OPERATOR, username="bidan.rina", role=Role.FACILITY, region_scope="33"
        )
    with sessions() as session:
        stored = session.scalars(select(ApiToken).where(ApiToken.principal_id == created.principal.id)).one()
    assert stored.token_hash.startswith("$argon2id$")
    assert created.token not in stored.token_hash
    assert parse_token(created.token) == stored.token_id
    assert PasswordHasher().verify(stored.token_hash, created.token)
    with sessions() as session:
        actor = authenticate(session, hasher, created.token)
    assert (actor.username, actor.role, actor.region_scope) == ("bidan.rina", Role.FACILITY, "33")


def test_a_revoked_account_cannot_authenticate(sessions: sessionmaker[Session]) -> None:
    hasher = fast_token_hasher()
    with UnitOfWork(sessions) as uow:
        created = create_principal(
            uow, hasher, actor=OPERATOR, username="temp.user", role=Role.POLICE, region_scope=""
        )
    with UnitOfWork(sessions) as uow:
        revoke_principal(uow, actor=OPERATOR, username="temp.user")
    with sessions() as session, pytest.raises(NotAuthenticated, match="revoked"):
        authenticate(session, hasher, created.token)


def test_a_token_with_a_wrong_secret_is_refused(
    sessions: sessionmaker[Session], tokens: dict[str, str]
) -> None:
    token = tokens["police"]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with sessions() as session, pytest.raises(NotAuthenticated, match="not recognised"):
        authenticate(session, fast_token_hasher(), forged)


@pytest.mark.parametrize(
    ("username", "scope", "error", "message"),
    [
        ("UPPER", "", InvalidInput, "lowercase"),
        ("ok.name", "99", UnknownRegion, "no province 99"),
        ("ok.name", "3374011001", InvalidInput, "not a village"),
        ("police", "", Conflict, "taken"),
    ],
)
def test_bad_accounts_are_refused(
    sessions: sessionmaker[Session], username: str, scope: str, error: type[Exception], message: str
) -> None:
    with UnitOfWork(sessions) as uow, pytest.raises(error, match=message):
        create_principal(
            uow, fast_token_hasher(), actor=OPERATOR, username=username, role=Role.POLICE, region_scope=scope
        )


def test_a_regional_admin_manages_only_its_region(
    sessions: sessionmaker[Session], actors: dict[str, object]
) -> None:
    admin_bali = actors["admin-bali"]
    with UnitOfWork(sessions) as uow, pytest.raises(OutOfRegion):
        create_principal(
            uow,
            fast_token_hasher(),
            actor=admin_bali,
            username="jateng.x",
            role=Role.POLICE,
            region_scope="33",
        )  # type: ignore[arg-type]
    with UnitOfWork(sessions) as uow:
        created = create_principal(
            uow,
            fast_token_hasher(),
            actor=admin_bali,
            username="denpasar.x",
            role=Role.POLICE,
            region_scope="51.71",
        )  # type: ignore[arg-type]
    assert created.principal.region_scope == "5171"
