"""Revision 0006 adds account bindings beside the accounts: down and up again on both databases, and the
accounts that existed before it come back unbound (they read, and are bound before they act)."""

from __future__ import annotations

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import sessionmaker

from jaga.access import AccountBinding, Principal, authenticate
from jaga.db import create_engine_for
from jaga.db.migrate import current_revision, downgrade, upgrade
from tests.conftest import PreparedDatabase, fast_token_hasher


def test_0006_downgrades_to_0005_keeping_the_accounts_and_upgrades_them_unbound(
    database: PreparedDatabase, throwaway_url: str
) -> None:
    engine = create_engine_for(throwaway_url)
    try:
        with sessionmaker(engine)() as session:
            accounts = session.scalar(select(func.count()).select_from(Principal))
            assert session.scalar(
                select(func.count()).select_from(AccountBinding)
            )  # the test accounts' bindings
        downgrade(engine, "0005")
        assert current_revision(engine) == "0005"
        assert "account_bindings" not in inspect(engine).get_table_names()
        upgrade(engine, "0006")
        assert current_revision(engine) == "0006"
        with sessionmaker(engine)() as session:
            assert session.scalar(select(func.count()).select_from(Principal)) == accounts
            assert session.scalar(select(func.count()).select_from(AccountBinding)) == 0
            actor = authenticate(session, fast_token_hasher(), database.tokens["registrar-semarang"])
        assert (actor.official_ref, actor.feed) == (None, None)
    finally:
        engine.dispose()
