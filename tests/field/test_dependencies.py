"""An event that names a record held for a supervisor is held too, never applied alone and never the
cause of a refused batch: a birth whose mother is held (her NIK registered centrally meanwhile), the
relinquishment of that child. Applying the first releases the others, each through every check again;
dismissing it leaves them waiting for a decision. Through the API, and through the command line across
two batches (a dependent that arrives after the event it names was held)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import create_engine_for
from jaga.field import Node
from jaga.field.node import export_batch, record
from tests.cli_helpers import jaga
from tests.conftest import ClientFor, PreparedDatabase
from tests.factories.registry import create
from tests.field.conftest import COURIER, NOW, OFFICER, birth_row, mother_row
from tests.field.test_api import _enrol

NDJSON = {"Content-Type": "application/x-ndjson"}
SUPERVISOR = "registrar-semarang"


def _registered_centrally(
    sessions: sessionmaker[Session], actors: dict[str, Actor], row: dict[str, Any]
) -> None:
    create(sessions, actors[SUPERVISOR], "people", **{**row, "source_kind": "civil_registry"})


def _family(node: Node, serial: int, at: Any) -> tuple[str, str, str]:
    """A mother, her child's birth and the child's relinquishment, recorded offline; the three event ids."""
    (mother,) = record(node, "people", [mother_row(serial)], officer=OFFICER, now=at, from_file=False)
    (birth,) = record(node, "births", [birth_row(mother.refs["ref"], born_on="2026-01-05")],
                      officer=OFFICER, now=at, from_file=False)  # fmt: skip
    (given_up,) = record(node, "relinquishments", [{
        "mother_ref": mother.refs["ref"], "child_ref": birth.refs["child_ref"],
        "occurred_on": "2026-02-10", "region_code": "3374"}],
        officer="social-jateng", now=at + timedelta(minutes=1), from_file=False)  # fmt: skip
    return mother.event_id, birth.event_id, given_up.event_id


def _conflicts(client_for: ClientFor, status: str) -> dict[str, dict[str, Any]]:
    response = client_for(SUPERVISOR).get(f"/api/v1/field/conflicts?reason=weekly+review&status={status}")
    assert response.status_code == 200, response.text
    return {c["event_id"]: c for c in response.json()}


def test_events_naming_a_held_record_are_held_and_released_when_it_is_applied(
    client_for: ClientFor,
    node: Node,
    sessions: sessionmaker[Session],
    actors: dict[str, Actor],
    tmp_path: Path,
) -> None:
    _enrol(client_for, node)
    _registered_centrally(sessions, actors, mother_row(31))
    mother, birth, given_up = _family(node, 31, NOW)
    _family(node, 32, NOW + timedelta(minutes=5))  # an unrelated family, applied at once
    out = tmp_path / "batch.jaga"
    export_batch(node, out, now=NOW + timedelta(hours=1))
    answer = client_for(COURIER).post("/api/v1/field/batches", content=out.read_bytes(), headers=NDJSON)
    assert answer.status_code == 200, answer.text  # not refused: the dependents are held, not failed
    outcomes = [e["outcome"] for e in answer.json()["events"]]
    assert outcomes == ["held"] * 3 + ["applied"] * 3
    held = _conflicts(client_for, "open")
    assert set(held) == {mother, birth, given_up}
    assert held[mother]["kind"] == "nik-registered" and held[mother]["depends_on"] is None
    # the birth names the held mother; the relinquishment names the child the held birth makes
    for dependent, on in ((birth, mother), (given_up, birth)):
        assert held[dependent]["kind"] == "depends-on-held" and held[dependent]["depends_on"] == on
        assert held[dependent]["reason"] == f"depends on held event {on}"
        assert held[dependent]["diff"] == []

    supervisor = client_for(SUPERVISOR)
    early = supervisor.post(f"/api/v1/field/conflicts/{held[birth]['id']}/resolve",
                            json={"decision": "apply", "note": "the birth is real"})  # fmt: skip
    assert early.status_code == 409 and mother in early.json()["detail"], early.text
    decided = supervisor.post(f"/api/v1/field/conflicts/{held[mother]['id']}/resolve",
                              json={"decision": "apply", "note": "two agencies, two records"})  # fmt: skip
    assert decided.status_code == 200, decided.text
    assert [(d["event_id"], d["status"]) for d in decided.json()["dependents"]] == [(birth, "applied")]
    assert _conflicts(client_for, "open") == {}
    applied = _conflicts(client_for, "applied")
    assert all(applied[e]["record_ref"] for e in (mother, birth, given_up))
    assert "released" in applied[given_up]["resolution_note"]
    # The relinquishment now names the child the released birth made, as the device recorded it.
    made = supervisor.get(f"/api/v1/births/{applied[birth]['record_ref']}?reason=weekly+review")
    given = client_for("social-jateng").get(
        f"/api/v1/relinquishments/{applied[given_up]['record_ref']}?reason=weekly+review"
    )
    assert made.status_code == given.status_code == 200, (made.text, given.text)
    assert given.json()["child_ref"] == made.json()["child_ref"]


def _central_person(url: str, database: PreparedDatabase, row: dict[str, Any]) -> None:
    engine = create_engine_for(url)
    try:
        _registered_centrally(sessionmaker(engine, expire_on_commit=False), database.actors, row)
    finally:
        engine.dispose()


def test_a_dependent_arriving_in_a_later_batch_waits_and_a_dismissal_leaves_it_for_a_decision(
    database: PreparedDatabase, throwaway_url: str, node: Node, tmp_path: Path
) -> None:
    url, tokens = throwaway_url, database.tokens
    enrolled = jaga(url, "field", "enrol", "--device-vkey", str(node.folder / "device.vkey"), "--office",
                    "PKM-TUGU", "--reason", "outreach", "--region", "3374", token=tokens["admin"])  # fmt: skip
    assert enrolled.exit_code == 0, enrolled.output
    _central_person(url, database, mother_row(41))
    (mother,) = record(node, "people", [mother_row(41)], officer=OFFICER, now=NOW, from_file=False)

    def send(name: str) -> str:
        export_batch(node, tmp_path / name, now=NOW + timedelta(hours=1))
        imported = jaga(url, "field", "import", str(tmp_path / name), token=tokens[COURIER])
        assert imported.exit_code == 0, imported.output
        return imported.output

    assert "1 held for review" in send("first.jaga")
    (birth,) = record(node, "births", [birth_row(mother.refs["ref"])], officer=OFFICER,
                      now=NOW + timedelta(minutes=30), from_file=False)  # fmt: skip
    assert "1 held for review" in send("second.jaga")  # the batch with only the birth: not refused
    listed = jaga(url, "field", "conflicts", "--reason", "weekly review", "--json", token=tokens[SUPERVISOR])
    assert listed.exit_code == 0, listed.output
    by_event = {c["event_id"]: c for c in json.loads(listed.output)}
    waiting = by_event[birth.event_id]
    assert waiting["kind"] == "depends-on-held" and waiting["depends_on"] == mother.event_id

    early = jaga(url, "field", "resolve", str(waiting["id"]), "--apply", "--note", "the birth is real",
                 token=tokens[SUPERVISOR])  # fmt: skip
    assert early.exit_code == 6 and "decide that one first" in early.output, early.output
    dismissed = jaga(url, "field", "resolve", str(by_event[mother.event_id]["id"]), "--dismiss", "--note",
                     "the same woman, already registered", token=tokens[SUPERVISOR])  # fmt: skip
    assert dismissed.exit_code == 0, dismissed.output
    assert f"dependent conflict {waiting['id']} open" in dismissed.output  # nothing applied silently
    still = jaga(url, "field", "resolve", str(waiting["id"]), "--apply", "--note", "the birth is real",
                 token=tokens[SUPERVISOR])  # fmt: skip
    assert still.exit_code == 6, still.output  # its mother's record will never exist: dismiss or re-record
    gone = jaga(url, "field", "resolve", str(waiting["id"]), "--dismiss", "--note", "re-recorded centrally",
                token=tokens[SUPERVISOR])  # fmt: skip
    assert gone.exit_code == 0, gone.output
