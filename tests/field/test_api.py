"""`/api/v1/field`: the same verification as `jaga field import`, answered as problem details."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from jaga.field import Node, sign_event
from jaga.field.batch import parse_batch, render_batch
from jaga.field.chain import SignedEvent
from jaga.field.node import export_batch
from jaga.ledger.note import Ed25519Signer
from tests.conftest import ClientFor
from tests.field.conftest import COURIER, NOW, OFFICER, record_family

NDJSON = {"Content-Type": "application/x-ndjson"}


def _export(node: Node, tmp_path: Path) -> bytes:
    out = tmp_path / "batch.jaga"
    export_batch(node, out, now=NOW + timedelta(hours=1))
    return out.read_bytes()


def _enrol(client_for: ClientFor, node: Node) -> None:
    response = client_for("admin").post(
        "/api/v1/field/devices",
        json={
            "vkey": (node.folder / "device.vkey").read_text(),
            "office": "PKM-TUGU",
            "reason": "outreach team",
            "region": "33.74",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["device_id"] == node.info.device


def test_a_batch_posted_twice_is_applied_once(client_for: ClientFor, node: Node, tmp_path: Path) -> None:
    _enrol(client_for, node)
    record_family(node)
    data = _export(node, tmp_path)
    courier = client_for(COURIER)
    first = courier.post("/api/v1/field/batches", content=data, headers=NDJSON)
    assert first.status_code == 200, first.text
    assert [e["outcome"] for e in first.json()["events"]] == ["applied", "applied"]
    again = courier.post("/api/v1/field/batches", content=data, headers=NDJSON)
    assert again.status_code == 200
    assert (again.json()["applied"], again.json()["already_have"]) == (0, 2)


def test_tampered_forged_conflicting_and_revoked_batches_are_refused_with_their_reason(
    client_for: ClientFor, node: Node, tmp_path: Path
) -> None:
    courier = client_for(COURIER)
    record_family(node)
    data = _export(node, tmp_path)
    unknown = courier.post("/api/v1/field/batches", content=data, headers=NDJSON)
    assert unknown.status_code == 403 and unknown.json()["type"].endswith("/device-not-enrolled")
    _enrol(client_for, node)
    batch = parse_batch(data)
    first, second = batch.events
    tampered = SignedEvent(first.envelope.replace("Siti Aminah", "Siti Aminaa"), first.signature)
    response = courier.post(
        "/api/v1/field/batches", content=render_batch(batch.device, [tampered, second]), headers=NDJSON
    )
    assert response.status_code == 422 and response.json()["type"].endswith("/event-signature-invalid")
    assert "Aminah" not in response.text and "Aminaa" not in response.text
    fields = first.fields()
    forged = sign_event(
        Ed25519Signer.generate(node.info.device),
        event_id=fields["id"], device=fields["device"], seq=1, officer=OFFICER, kind=fields["kind"],
        created_at=NOW, prev=fields["prev"], payload=fields["payload"],
    )  # fmt: skip
    response = courier.post(
        "/api/v1/field/batches", content=render_batch(batch.device, [forged]), headers=NDJSON
    )
    assert response.status_code == 422 and "enrolled key" in response.json()["detail"]
    assert courier.post("/api/v1/field/batches", content=data, headers=NDJSON).status_code == 200
    other = sign_event(
        node.signer,
        event_id=fields["id"], device=fields["device"], seq=1, officer=OFFICER, kind=fields["kind"],
        created_at=NOW, prev=fields["prev"], payload={**fields["payload"], "full_name": "Siti A."},
    )  # fmt: skip
    response = courier.post(
        "/api/v1/field/batches", content=render_batch(batch.device, [other]), headers=NDJSON
    )
    assert response.status_code == 409 and response.json()["event_ids"] == [fields["id"]]
    queue = client_for("registrar-semarang").get("/api/v1/field/conflicts", params={"reason": "field review"})
    assert queue.status_code == 200 and [c["kind"] for c in queue.json()] == ["content-mismatch"]
    revoked = client_for("admin").post(
        f"/api/v1/field/devices/{node.info.device}/revoke", json={"reason": "stolen phone"}
    )
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    response = courier.post("/api/v1/field/batches", content=data, headers=NDJSON)
    assert response.status_code == 403 and response.json()["type"].endswith("/device-revoked")


def test_a_garbled_upload_is_a_422_naming_the_line(client_for: ClientFor) -> None:
    response = client_for(COURIER).post("/api/v1/field/batches", content=b"\xff\xfe", headers=NDJSON)
    assert response.status_code == 422 and "UTF-8" in response.json()["detail"]
    response = client_for(COURIER).post("/api/v1/field/batches", json={})
    assert response.status_code == 422 and "header" in response.json()["detail"]


def test_the_conflict_queue_over_http_is_audited_and_decided_by_a_supervisor(
    client_for: ClientFor, node: Node, tmp_path: Path
) -> None:
    from jaga.field.node import record
    from tests.field.conftest import mother_row

    _enrol(client_for, node)
    row = mother_row(serial=31)
    central = client_for("registrar-semarang").post(
        "/api/v1/people", json={**row, "source_kind": "civil_registry", "full_name": "Siti Aminah Putri"}
    )
    assert central.status_code in (200, 201), central.text
    record(node, "people", [row], officer=OFFICER, now=NOW, from_file=False)
    posted = client_for(COURIER).post(
        "/api/v1/field/batches", content=_export(node, tmp_path), headers=NDJSON
    )
    assert posted.json()["events"][0]["outcome"] == "held"
    supervisor = client_for("registrar-semarang")
    assert supervisor.get("/api/v1/field/conflicts").status_code == 422  # a reason is required
    (conflict,) = supervisor.get("/api/v1/field/conflicts", params={"reason": "weekly review"}).json()
    assert {d["field"] for d in conflict["diff"] if not d["same"]} == {"full_name"}
    audit = client_for("auditor").get("/api/v1/audit", params={"reason": "oversight"})
    assert any(e.get("resource") == "field_conflicts" for e in audit.json().get("items", audit.json()))
    assert client_for("admin").get("/api/v1/field/conflicts", params={"reason": "curious"}).status_code == 403
    decided = supervisor.post(
        f"/api/v1/field/conflicts/{conflict['id']}/resolve", json={"decision": "dismiss", "note": "duplicate"}
    )
    assert decided.status_code == 200 and decided.json()["status"] == "dismissed"
    again = supervisor.post(
        f"/api/v1/field/conflicts/{conflict['id']}/resolve", json={"decision": "apply", "note": "second look"}
    )
    assert again.status_code == 409
