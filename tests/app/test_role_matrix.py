"""Every API route x every role: deny by default, allow exactly what the permission matrix says.

Routes declare their action in the OpenAPI document (`x-jaga-action`); this walks all of them, so a new
route without a declared action, or one that lets the wrong role in, fails here.
"""

from __future__ import annotations

import re

from jaga.access import PERMISSIONS, Action, Role
from tests.app.conftest import ClientFor


def _api_routes(client_for: ClientFor) -> list[tuple[str, str, str]]:
    """(method, path, action) of every /api/v1 operation, from the OpenAPI document."""
    spec = client_for(None).get("/openapi.json").json()
    routes = []
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method, operation in operations.items():
            action = operation.get("x-jaga-action")
            assert action, (
                f"{method.upper()} {path} declares no x-jaga-action: every route must say what it needs"
            )
            routes.append((method.upper(), path, action))
    return routes


def _call(client: object, method: str, path: str) -> int:
    url = re.sub(r"\{[^}]+\}", "X-NONE", path)
    params = {"reason": "role matrix check"}
    if method == "GET":
        return client.get(url, params=params).status_code  # type: ignore[attr-defined,no-any-return]
    return client.request(method, url, params=params, json={}).status_code  # type: ignore[attr-defined,no-any-return]


def test_every_route_refuses_anonymous_callers(client_for: ClientFor) -> None:
    anonymous = client_for(None)
    routes = _api_routes(client_for)
    assert len(routes) >= 40
    for method, path, _ in routes:
        assert _call(anonymous, method, path) == 401, (method, path)


def test_every_role_gets_exactly_its_permissions_on_every_route(client_for: ClientFor) -> None:
    routes = _api_routes(client_for)
    checked = 0
    for role in Role:
        client = client_for(role.value)
        for method, path, action in routes:
            status = _call(client, method, path)
            allowed = action == "any" or Action(action) in PERMISSIONS[role]
            if allowed:
                assert status not in (401, 403), (role.value, method, path, status)
            else:
                assert status == 403, (role.value, method, path, status)
            checked += 1
    assert checked == len(routes) * len(Role)


def test_the_matrix_keeps_child_records_from_admins_and_writes_from_auditors() -> None:
    child_reads = {
        Action.PEOPLE_READ,
        Action.BIRTHS_READ,
        Action.RELINQUISHMENTS_READ,
        Action.PLACEMENTS_READ,
        Action.ADOPTIONS_READ,
        Action.MISSING_READ,
        Action.CERTIFICATES_READ,
    }
    assert not child_reads & PERMISSIONS[Role.ADMIN]
    assert not {
        a for a in PERMISSIONS[Role.AUDITOR] if a.value.endswith((":write", ":record", ":register", ":issue"))
    }
    assert {r for r in Role if Action.CERTIFICATES_ISSUE in PERMISSIONS[r]} == {Role.REGISTRAR}


# Routes outside /api/v1 that anyone may call, on purpose: health, problem help pages and the public log
# (which holds only salted hashes), and the certificate status check (no personal data in its answer).
PUBLIC = {"/healthz", "/ledger/checkpoint", "/ledger/tile/{path}", "/verify/v1/certificates/{ref}"}


def test_the_only_routes_outside_the_api_are_the_deliberately_public_ones(client_for: ClientFor) -> None:
    spec = client_for(None).get("/openapi.json").json()
    outside = {path for path in spec["paths"] if not path.startswith("/api/v1")}
    assert outside == PUBLIC
