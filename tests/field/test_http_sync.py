"""`jaga field sync`'s logic over the application itself: a link that drops requests and cuts answers
at random, synced again and again until done, ends with every record exactly once on the server and the
device's chain verified to its end; a refusal stops with the server's reason."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jaga.field import FieldDevice, FieldEvent, Node
from jaga.field.node import outbox, record, sync
from jaga.registry import Person
from tests.conftest import ClientFor
from tests.field.conftest import NOW, OFFICER, mother_row

NDJSON = {"Content-Type": "application/x-ndjson"}
RECORDS = 60


def _enrol(client_for: ClientFor, node: Node) -> None:
    vkey = (node.folder / "device.vkey").read_text()
    body = {"vkey": vkey, "office": "PKM-TUGU", "reason": "outreach team", "region": "3374"}
    assert client_for("admin").post("/api/v1/field/devices", json=body).status_code == 201


class FlakyLink:
    """Drops a third of the requests before they arrive, and cuts a third of the answers after the server
    has answered (the device cannot tell whether its batch was stored)."""

    def __init__(self, client: Any, seed: int) -> None:
        self.client, self.random, self.calls = client, random.Random(seed), 0

    def __call__(self, body: bytes) -> tuple[int, dict[str, Any]]:
        self.calls += 1
        fate = self.random.random()
        if fate < 1 / 3:
            raise ConnectionResetError("dropped")
        response = self.client.post("/api/v1/field/batches", content=body, headers=NDJSON)
        if fate < 2 / 3:
            raise TimeoutError("answer cut")
        return response.status_code, response.json()


def test_a_flaky_link_synced_until_done_delivers_every_record_exactly_once(
    client_for: ClientFor, node: Node, sessions: sessionmaker[Session]
) -> None:
    _enrol(client_for, node)
    rows = [mother_row(serial=n) for n in range(1, RECORDS + 1)]
    for start in range(0, RECORDS, 20):  # three sittings
        record(
            node,
            "people",
            rows[start : start + 20],
            officer=OFFICER,
            now=NOW + timedelta(hours=start),
            from_file=False,
        )
    link = FlakyLink(client_for(OFFICER), seed=18)
    rounds = 0
    for rounds in range(1, 200):  # bounded; each round is one `jaga field sync`
        summary = sync(node, link, now=NOW + timedelta(days=1, minutes=rounds), chunk=7)
        if summary.stopped is None:
            break
    assert summary.stopped is None and rounds > 1 and link.calls > RECORDS // 7
    assert {item.state for item in outbox(node, now=NOW + timedelta(days=2))} == {"sent"}
    with sessions() as session:
        stored = session.scalar(
            select(func.count()).select_from(FieldEvent).where(FieldEvent.device_id == node.info.device)
        )
        niks = session.scalars(select(Person.nik).where(Person.source_kind == "facility")).all()
        head = session.scalar(select(FieldDevice.last_seq).where(FieldDevice.device_id == node.info.device))
    assert stored == RECORDS and head == RECORDS
    assert sorted(niks) == sorted(r["nik"] for r in rows)  # each exactly once


def test_a_refused_sync_stops_with_the_reason_and_nothing_is_taken_as_sent(
    client_for: ClientFor, node: Node
) -> None:
    record(node, "people", [mother_row()], officer=OFFICER, now=NOW, from_file=False)
    client = client_for(OFFICER)

    def post(body: bytes) -> tuple[int, dict[str, Any]]:
        response = client.post("/api/v1/field/batches", content=body, headers=NDJSON)
        return response.status_code, response.json()

    summary = sync(node, post, now=NOW)
    assert summary.stopped is not None and "not enrolled" in summary.stopped
    (item,) = outbox(node, now=NOW)
    assert item.state == "refused" and "not enrolled" in (item.last_error or "")
    _enrol(client_for, node)
    assert sync(node, post, now=NOW + timedelta(minutes=1)).sent == 1
