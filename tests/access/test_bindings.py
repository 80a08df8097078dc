"""Accounts that act as an official are bound to it: at creation or once afterwards, never changed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import OPERATOR, AccountBinding, Actor, Role, authenticate, bind_account, create_principal
from jaga.db import EventRecord, UnitOfWork
from jaga.errors import Conflict, InvalidInput, RecordNotFound
from tests.cli_helpers import jaga
from tests.conftest import ClientFor, PreparedDatabase, fast_token_hasher
from tests.factories.registry import official


def _create(
    sessions: sessionmaker[Session], username: str, role: Role, scope: str = "", **binding: str
) -> Actor:
    hasher = fast_token_hasher()
    with UnitOfWork(sessions) as uow:
        created = create_principal(
            uow, hasher, actor=OPERATOR, username=username, role=role, region_scope=scope, **binding
        )
    with sessions() as session:
        return authenticate(session, hasher, created.token)


def test_an_account_bound_to_an_official_acts_as_it_within_its_region(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    ref = official(sessions, actors["admin"], region_code="5171", office="Disdukcapil Kota Denpasar")
    actor = _create(sessions, "registrar.denpasar", Role.REGISTRAR, official_ref=ref)
    assert (actor.official_ref, actor.region_scope, actor.feed) == (
        ref,
        "5171",
        None,
    )  # scope from the official
    assert actor.official_id is not None


@pytest.mark.parametrize(
    ("role", "official_role", "scope", "error", "message"),
    [
        (Role.FACILITY, "registrar", "", InvalidInput, "role 'facility' does not act as an official"),
        (
            Role.REGISTRAR,
            "social_worker",
            "",
            InvalidInput,
            "is a social_worker; a registrar account acts as",
        ),
        (Role.COURT, "registrar", "", InvalidInput, "a court account acts as a court_clerk or judge"),
        (
            Role.REGISTRAR,
            "registrar",
            "33",
            InvalidInput,
            "scope 33 reaches beyond official .*'s region 33.74",
        ),
    ],
)
def test_bindings_that_do_not_fit_are_refused(
    sessions: sessionmaker[Session],
    actors: dict[str, Actor],
    role: Role,
    official_role: str,
    scope: str,
    error: type[Exception],
    message: str,
) -> None:
    ref = official(sessions, actors["admin"], role=official_role, region_code="3374")
    with pytest.raises(error, match=message):
        _create(sessions, "bad.binding", role, scope, official_ref=ref)


def test_an_unknown_official_and_a_double_binding_are_refused(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(RecordNotFound, match="official"):
        _create(sessions, "ghost.binding", Role.REGISTRAR, official_ref="O-NOBODY")
    with pytest.raises(InvalidInput, match="either as one official or as a feed, not both"):
        _create(sessions, "two.binding", Role.REGISTRAR, official_ref="O-REG-SEMARANG", feed="SIAK")


def test_an_existing_account_is_bound_once_and_the_binding_is_ledgered(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    _create(sessions, "registrar.old", Role.REGISTRAR, "3374")
    with UnitOfWork(sessions) as uow:
        principal = bind_account(uow, actor=OPERATOR, username="registrar.old", official_ref="O-REG-SEMARANG")
    with sessions() as session:
        binding = session.scalars(
            select(AccountBinding).where(AccountBinding.principal_id == principal.id)
        ).one()
        event = session.scalars(
            select(EventRecord).where(
                EventRecord.aggregate == "account_bindings", EventRecord.aggregate_id == binding.id
            )
        ).one()
    assert event.kind == "account_binding.created"
    assert json.loads(event.payload)["official_id"] == binding.official_id
    with (
        UnitOfWork(sessions) as uow,
        pytest.raises(Conflict, match="already bound to official O-REG-SEMARANG"),
    ):
        bind_account(uow, actor=OPERATOR, username="registrar.old", feed="SIAK")


def test_accounts_are_bound_from_the_command_line(database: PreparedDatabase, throwaway_url: str) -> None:
    created = jaga(
        throwaway_url, "users", "create", "reg.smg", "--role", "registrar", "--official", "O-REG-SEMARANG"
    )
    assert created.exit_code == 0, created.output
    assert "created reg.smg (registrar, 33.74, acts as official O-REG-SEMARANG)" in created.output
    assert jaga(throwaway_url, "users", "create", "reg.unbound", "--role", "registrar").exit_code == 0
    bound = jaga(throwaway_url, "users", "bind", "reg.unbound", "--feed", "SIAK")
    assert bound.exit_code == 0 and "bound reg.unbound to feed SIAK" in bound.output
    again = jaga(throwaway_url, "users", "bind", "reg.unbound", "--official", "O-REG-SEMARANG")
    assert again.exit_code == 6 and "already bound" in again.output
    listing = {a["username"]: a for a in json.loads(jaga(throwaway_url, "users", "list", "--json").stdout)}
    assert listing["reg.smg"]["official_ref"] == "O-REG-SEMARANG"
    assert listing["reg.smg"]["region_scope"] == "33.74"
    assert listing["reg.unbound"]["feed"] == "SIAK"


def test_accounts_are_bound_through_the_api(client_for: ClientFor) -> None:
    admin = client_for("admin")
    created = admin.post(
        "/api/v1/users",
        json={"username": "peksos.jateng", "role": "social_worker", "official_ref": "O-PEKSOS-JATENG"},
    )
    assert created.status_code == 201, created.text
    assert created.json()["account"] | {"created_at": None} == {
        "username": "peksos.jateng",
        "role": "social_worker",
        "region_scope": "33",
        "official_ref": "O-PEKSOS-JATENG",
        "feed": None,
        "active": True,
        "created_at": None,
        "revoked_at": None,
    }
    me = client_for("registrar-semarang").get("/api/v1/me").json()
    assert (me["official_ref"], me["region_scope"]) == ("O-REG-SEMARANG", "33.74")
    assert admin.post("/api/v1/users", json={"username": "police.x", "role": "police"}).status_code == 201
    bound = admin.post("/api/v1/users/police.x/binding", json={"feed": "e-Lapor"})
    assert bound.status_code == 200 and bound.json()["feed"] == "e-Lapor"
    refused = admin.post("/api/v1/users/police.x/binding", json={"feed": "again"})
    assert refused.status_code == 409 and "already bound" in refused.json()["detail"]
