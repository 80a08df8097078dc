from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import jaga
from tests.conftest import PreparedDatabase


def test_users_are_created_listed_and_revoked_from_the_command_line(
    database: PreparedDatabase, throwaway_url: str, tmp_path: Path
) -> None:
    created = jaga(
        throwaway_url, "users", "create", "registrar.denpasar", "--role", "registrar", "--region", "51.71"
    )
    assert created.exit_code == 0, created.output
    token = next(
        line.split("token: ")[1] for line in created.output.splitlines() if line.startswith("token: ")
    )
    listing = jaga(throwaway_url, "users", "list", "--json")
    accounts = {a["username"]: a for a in json.loads(listing.stdout)}
    assert accounts["registrar.denpasar"]["region_scope"] == "51.71"  # the written (dotted) form
    assert accounts["registrar.denpasar"]["active"] is True
    assert token not in listing.output
    # The token works for commands that act as an account ...
    export = jaga(throwaway_url, "export", "facilities", token=token)
    assert export.exit_code == 0, export.output
    # ... until the account is revoked.
    assert jaga(throwaway_url, "users", "revoke", "registrar.denpasar").exit_code == 0
    refused = jaga(throwaway_url, "export", "facilities", token=token)
    assert refused.exit_code == 5 and "revoked" in refused.output


def test_a_taken_username_is_a_conflict(database: PreparedDatabase, throwaway_url: str) -> None:
    result = jaga(throwaway_url, "users", "create", "police", "--role", "police")
    assert result.exit_code == 6 and "taken" in result.output


def test_an_unknown_role_is_a_usage_error(database: PreparedDatabase, throwaway_url: str) -> None:
    assert jaga(throwaway_url, "users", "create", "x.y.z", "--role", "king").exit_code == 2
