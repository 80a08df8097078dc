"""One commit policy: the use case (service function) commits once; routes never do."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import jaga
from jaga.access import Actor
from jaga.access.models import AuditEntry
from jaga.certificates import services
from jaga.db import UnitOfWork
from jaga.registry.services.reads import Purpose
from tests.certificates.conftest import REASON, registered_birth

SOURCE = Path(jaga.__file__).parent


def test_no_route_module_commits() -> None:
    adapters = sorted(SOURCE.glob("**/api.py"))
    assert len(adapters) >= 8
    offenders = []
    for path in adapters:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "commit"
            ):
                offenders.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
    assert not offenders, f"routes call commit(); the use case must: {offenders}"


def test_the_public_certificate_check_commits_its_own_audit_entry(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    ref = registered_birth(sessions, actors)
    with UnitOfWork(sessions) as uow:
        issued = services.issue(
            uow, actors["registrar"], kind="birth", subject_ref=ref, purpose=Purpose(REASON, "t")
        )
    with UnitOfWork(sessions) as uow:
        status = services.public_status(uow, issued.ref)
    assert status.status == "valid"
    with sessions() as session:  # a new session: only what was committed
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.channel == "api GET /verify/v1/certificates/{ref}"


def test_the_generated_action_routes_keep_their_paths_and_operation_ids(client_for: object) -> None:
    spec = client_for(None).get("/openapi.json").json()  # type: ignore[operator]
    actions = {
        path: operations["post"]["operationId"]
        for path, operations in spec["paths"].items()
        if path.startswith("/api/v1/") and path.count("/") == 5 and "post" in operations
    }
    assert {
        "/api/v1/births/{ref}/registration": "register_birth",
        "/api/v1/institutions/{ref}/licence": "licence",
        "/api/v1/placements/{ref}/end": "end",
        "/api/v1/adoption-cases/{ref}/steps": "step",
        "/api/v1/missing-reports/{ref}/status": "missing_status",
    }.items() <= actions.items()
