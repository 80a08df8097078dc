"""Linkage review in the workbench: pairs side by side, the model's weights, same/different/unsure."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from jaga.db import create_engine_for
from jaga.linkage.models import IdentityLink, LinkDecision
from tests.workbench.conftest import ORIGIN, WorkbenchRegistry, csrf_of, log_in

Workbench = Callable[[], TestClient]


def _pair(html: str) -> int:
    return int(html.split('data-review-pair="')[1].split('"')[0])


def test_a_reviewer_decides_puts_aside_and_the_decision_is_kept(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    client = workbench()
    log_in(client, "social_worker")
    csrf = csrf_of(client.get("/kerja").text)
    client.post(
        "/kerja/tujuan", data={"csrf": csrf, "purpose": "tinjauan data ganda"}, headers={"Origin": ORIGIN}
    )
    first = client.get("/kerja/review")
    assert first.status_code == 200 and "data-explanation" in first.text and 'data-key="s"' in first.text
    pair = _pair(first.text)
    aside = client.post(
        f"/kerja/review/{pair}",
        data={"csrf": csrf, "decision": "unsure", "skip": ""},
        headers={"Origin": ORIGIN},
    )
    assert aside.status_code == 303 and aside.headers["location"] == f"/kerja/review?skip={pair}"
    second = client.get(aside.headers["location"])
    other = _pair(second.text)
    assert other != pair
    decided = client.post(
        f"/kerja/review/{other}",
        data={"csrf": csrf, "decision": "different", "skip": str(pair)},
        headers={"Origin": ORIGIN},
    )
    assert decided.status_code == 303
    engine = create_engine_for(with_passwords.url)
    with engine.connect() as connection:
        link = connection.execute(select(IdentityLink).where(IdentityLink.id == other)).one()
        decision = connection.execute(
            select(LinkDecision.decision).where(
                LinkDecision.left_id == link.left_id, LinkDecision.right_id == link.right_id
            )
        ).scalar_one()
        untouched = connection.execute(
            select(LinkDecision.id)
            .join(
                IdentityLink,
                (IdentityLink.left_id == LinkDecision.left_id)
                & (IdentityLink.right_id == LinkDecision.right_id),
            )
            .where(IdentityLink.id == pair)
        ).first()
    engine.dispose()
    assert decision == "different" and untouched is None


def test_roles_that_do_not_review_get_a_403_page(workbench: Workbench) -> None:
    client = workbench()
    log_in(
        client, "court"
    )  # courts read identities; reviewing pairs is registrars', social workers', police's
    assert client.get("/kerja/review").status_code == 403


def test_a_bad_decision_is_a_422_page(workbench: Workbench) -> None:
    client = workbench()
    log_in(client, "social_worker")
    csrf = csrf_of(client.get("/kerja").text)
    answer = client.post(
        "/kerja/review/1", data={"csrf": csrf, "decision": "maybe"}, headers={"Origin": ORIGIN}
    )
    assert answer.status_code == 422 and 'data-status="422"' in answer.text
