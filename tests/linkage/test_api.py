"""The review queue and identities over HTTP: roles, regions, audit, and precise 4xx answers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access.models import AuditEntry
from jaga.linkage.models import Identity, IdentityLink, LinkDecision
from jaga.linkage.runs import run_linkage
from jaga.registry.models import Person
from tests.conftest import PreparedDatabase, fast_token_hasher

REASON = {"reason": "linkage review, case 2026/31"}
Client = Callable[[str | None], TestClient]


@pytest.fixture
def client(
    linked_sessions: sessionmaker[Session], registry_db: tuple[PreparedDatabase, str]
) -> Iterator[Client]:
    from jaga.app import create_app
    from jaga.settings import Settings

    database, url = registry_db
    run_linkage(linked_sessions, match_threshold=0.95, review_threshold=0.3)
    settings = Settings(database_url=url, environment="test", base_url="https://jaga.test")
    app = create_app(settings, sessions=linked_sessions, token_hasher=fast_token_hasher())
    made: list[TestClient] = []

    def make(account: str | None) -> TestClient:
        headers = {"Authorization": f"Bearer {database.tokens[account]}"} if account else {}
        made.append(TestClient(app, headers=headers))
        return made[-1]

    yield make
    for c in made:
        c.close()


def test_a_reviewer_takes_the_next_pair_and_decides_it(
    client: Client, linked_sessions: sessionmaker[Session]
) -> None:
    social = client("social_worker")
    shown = social.get("/api/v1/review/next", params=REASON)
    assert shown.status_code == 200, shown.text
    item = shown.json()
    assert 0.3 <= item["probability"] < 0.95
    assert item["left"]["ref"] != item["right"]["ref"]
    assert {"comparison", "level", "weight"} <= set(item["evidence"][0])
    with linked_sessions() as session:
        audit = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert audit is not None and audit.reason == REASON["reason"] and audit.record_count == 2

    decided = social.post(
        f"/api/v1/review/{item['link_id']}/decision", json={"same": True, "note": "same KK number"}
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["same_identity"] is True
    with linked_sessions() as session:
        link = session.get(IdentityLink, item["link_id"])
        assert link is not None
        stored = session.scalar(
            select(LinkDecision).where(
                LinkDecision.left_id == link.left_id, LinkDecision.right_id == link.right_id
            )
        )
        assert stored is not None and stored.decision == "same" and stored.note == "same KK number"
        left, right = session.get(Identity, link.left_id), session.get(Identity, link.right_id)
        assert left is not None and right is not None and left.identity_id == right.identity_id

    again = social.post(f"/api/v1/review/{item['link_id']}/decision", json={"same": True})
    assert again.status_code == 409 and "already decided as same" in again.json()["detail"]
    following = social.get("/api/v1/review/next", params=REASON).json()
    assert following["link_id"] != item["link_id"]
    assert following["remaining"] == item["remaining"] - 1


def test_roles_regions_and_bad_requests_get_precise_answers(client: Client) -> None:
    assert client(None).get("/api/v1/review/next", params=REASON).status_code == 401
    facility = client("facility").get("/api/v1/review/next", params=REASON)
    assert facility.status_code == 403
    assert client("police-bali").get("/api/v1/review/next", params=REASON).status_code == 204
    social = client("social_worker")
    item = social.get("/api/v1/review/next", params=REASON).json()
    outside = client("police-bali").post(f"/api/v1/review/{item['link_id']}/decision", json={"same": True})
    assert outside.status_code == 403, outside.text
    no_reason = social.get("/api/v1/review/next")
    assert no_reason.status_code == 422, no_reason.text
    for body, problem in (({}, "same"), ({"same": "perhaps"}, "same"), ({"same": True, "x": 1}, "x")):
        answer = social.post(f"/api/v1/review/{item['link_id']}/decision", json=body)
        assert answer.status_code == 422 and problem in answer.text, answer.text
    assert social.post("/api/v1/review/999999999/decision", json={"same": True}).status_code == 404
    assert social.post(f"/api/v1/review/{2**70}/decision", json={"same": True}).status_code == 422
    long_note = social.post(
        f"/api/v1/review/{item['link_id']}/decision", json={"same": False, "note": "x" * 501}
    )
    assert long_note.status_code == 422


def test_a_persons_identity_shows_every_record_of_them(
    client: Client, linked_sessions: sessionmaker[Session]
) -> None:
    with linked_sessions() as session:
        identity = session.execute(
            select(Identity.identity_id).group_by(Identity.identity_id).having(func.count() > 1).limit(1)
        ).scalar_one()
        refs = session.scalars(
            select(Person.ref)
            .join(Identity, Identity.person_id == Person.id)
            .where(Identity.identity_id == identity)
        ).all()
    police = client("police")
    found = police.get(f"/api/v1/people/{refs[0]}/identity", params=REASON)
    assert found.status_code == 200, found.text
    assert {r["ref"] for r in found.json()["records"]} == set(refs)
    assert client("admin").get(f"/api/v1/people/{refs[0]}/identity", params=REASON).status_code == 403
    hidden = client("police-bali").get(f"/api/v1/people/{refs[0]}/identity", params=REASON)
    assert hidden.status_code == 403
    assert police.get("/api/v1/people/P-DOESNOTEXIST00/identity", params=REASON).status_code == 404
