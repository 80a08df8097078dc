"""Evidence packs on a registry filled by `jaga synth` after the whole pipeline, on SQLite and PostgreSQL:
packing through the API and the CLI (roles, regions, reason, audit, the pack's own event), offline
verification, and every kind of tampering refused with its place named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from jaga.access.models import AuditEntry
from jaga.db import EventRecord, create_engine_for
from jaga.evidence import verify_pack
from jaga.evidence.models import EvidencePack
from jaga.evidence.verify import sha256_hex
from jaga.ledger import Cosigner, Ed25519Signer, parse_checkpoint_text, parse_note
from jaga.sequencer import load_keys
from tests.cli_helpers import jaga
from tests.evidence.conftest import CHANNEL, REASON, Registry
from tests.evidence.packs import failures, files_of, rewritten, zipped
from tests.synthetic_registry import PIPELINE_ORIGIN

# --- packing --------------------------------------------------------------------------------------


def test_a_pack_verifies_offline_and_holds_the_records_proofs_and_custody(registry: Registry) -> None:
    report = verify_pack(registry.unwitnessed, registry.log_keys)
    assert report.ok, report.failures
    files = files_of(registry.unwitnessed)
    assert {"manifest.json", "timeline.json", "proofs.json", "custody.json", "certificates.json"} <= set(
        files
    )
    manifest = json.loads(files["manifest.json"])
    assert manifest["origin"] == PIPELINE_ORIGIN and manifest["unwitnessed"] is True
    assert [c["witnessed"] for c in manifest["checkpoints"]] == [False]
    timeline = json.loads(files["timeline.json"])
    tables = {e["aggregate"] for e in timeline["events"]}
    assert {"people", "relinquishments", "placements"} <= tables
    assert report.events == len(timeline["events"]) == len(manifest["events"]) > 3
    assert all(len(e["salt"]) == 32 for e in timeline["events"])
    custody = json.loads(files["custody.json"])
    assert custody["packed_by"]["account"] == "police" and custody["reason"] == REASON
    assert any(r["reason"] == REASON and r["channel"] == CHANNEL for r in custody["reads"])
    # the unwitnessed checkpoint is said so, not hidden
    assert any(c.ok is None and "not witnessed" in c.detail for c in report.checks)


def test_packing_is_an_event_in_the_log_carrying_only_the_manifest_hash(registry: Registry) -> None:
    manifest_hash = sha256_hex(files_of(registry.witnessed)["manifest.json"])
    engine = create_engine_for(registry.url)
    with engine.connect() as connection:
        row = connection.execute(
            select(EvidencePack.id, EvidencePack.packed_by).where(
                EvidencePack.manifest_sha256 == manifest_hash
            )
        ).one()
        payload = connection.execute(
            select(EventRecord.payload).where(
                EventRecord.kind == "evidence_pack.packed", EventRecord.aggregate_id == row.id
            )
        ).scalar_one()
        audited = connection.execute(
            select(func.count()).where(AuditEntry.reason == REASON, AuditEntry.channel == CHANNEL)
        ).scalar_one()
    engine.dispose()
    assert set(json.loads(payload)) == {"id", "manifest_sha256", "packed_by", "packed_at"}
    assert json.loads(payload)["manifest_sha256"] == manifest_hash
    assert registry.child not in payload and audited >= 3


def test_a_witnessed_pack_proves_to_the_cosigned_checkpoint_and_its_consistency(registry: Registry) -> None:
    manifest = json.loads(files_of(registry.witnessed)["manifest.json"])
    assert manifest["unwitnessed"] is False
    assert [c["witnessed"] for c in manifest["checkpoints"]] == [True, False]
    report = verify_pack(registry.witnessed, registry.log_keys, [registry.witness.verifier()])
    assert report.ok, report.failures
    names = {c.name: c for c in report.checks}
    old, new = (c["size"] for c in manifest["checkpoints"])
    assert names[f"consistency {old} → {new}"].ok
    assert "cosigned by witness witness.test/w1" in names[f"checkpoint {old}"].detail
    # another witness's key does not vouch for it
    stranger = Cosigner.generate("witness.test/w1").verifier()
    assert "no given witness key's cosignature verifies" in failures(
        verify_pack(registry.witnessed, registry.log_keys, [stranger])
    )


def test_a_person_of_another_region_or_a_role_without_the_right_is_refused(registry: Registry) -> None:
    body = {"person_ref": registry.child, "reason": REASON}
    outside = registry.client("police-bali").post("/api/v1/evidence/packs", json=body)
    assert outside.status_code == 403 and "outside your scope" in outside.json()["detail"]
    registrar = registry.client("registrar").post("/api/v1/evidence/packs", json=body)
    assert registrar.status_code == 403 and "evidence:pack" in registrar.json()["detail"]
    no_reason = registry.client("police").post("/api/v1/evidence/packs", json={"person_ref": registry.child})
    assert no_reason.status_code == 422 and [e["field"] for e in no_reason.json()["errors"]] == ["reason"]
    court = registry.client("court").post("/api/v1/evidence/packs", json=body)
    assert court.status_code == 200 and verify_pack(court.content, registry.log_keys).ok


# --- tampering ------------------------------------------------------------------------------------


def _first_event(timeline: dict[str, Any], table: str) -> dict[str, Any]:
    return next(e for e in timeline["events"] if e["aggregate"] == table)


def test_an_altered_record_is_refused_naming_the_event(registry: Registry) -> None:
    def alter(timeline: dict[str, Any]) -> dict[str, Any]:
        event = _first_event(timeline, "relinquishments")
        event["payload"]["occurred_on"] = "2001-01-01"
        return timeline

    seq = _first_event(json.loads(files_of(registry.witnessed)["timeline.json"]), "relinquishments")["seq"]
    found = failures(verify_pack(rewritten(registry.witnessed, "timeline.json", alter), registry.log_keys))
    assert f"event {seq} (relinquishments#" in found and "not to its stated commitment" in found


def test_an_altered_record_with_its_commitment_recomputed_is_not_proven(registry: Registry) -> None:
    from jaga.evidence.verify import event_leaf

    def alter(timeline: dict[str, Any]) -> dict[str, Any]:
        event = _first_event(timeline, "placements")
        event["payload"]["kind"] = "altered"
        event["commitment"] = event_leaf(event)[0].hex()
        return timeline

    found = failures(verify_pack(rewritten(registry.witnessed, "timeline.json", alter), registry.log_keys))
    assert "(placements#" in found and "not proven in checkpoint" in found


def test_an_edit_without_the_manifest_is_refused_naming_the_file(registry: Registry) -> None:
    pack = rewritten(registry.witnessed, "custody.json", lambda c: {**c, "reason": "x"}, fix_manifest=False)
    assert "custody.json: SHA-256 is" in failures(verify_pack(pack, registry.log_keys))


def test_reordered_events_are_refused(registry: Registry) -> None:
    def swap(timeline: dict[str, Any]) -> dict[str, Any]:
        events = timeline["events"]
        events[0], events[1] = events[1], events[0]
        return timeline

    found = failures(verify_pack(rewritten(registry.witnessed, "timeline.json", swap), registry.log_keys))
    assert "timeline.json: event" in found and "out of order" in found


def test_a_removed_event_is_refused_naming_it(registry: Registry) -> None:
    removed: list[int] = []

    def remove(timeline: dict[str, Any]) -> dict[str, Any]:
        removed.append(timeline["events"].pop(1)["seq"])
        return timeline

    found = failures(verify_pack(rewritten(registry.witnessed, "timeline.json", remove), registry.log_keys))
    assert f"event {removed[0]}: listed in manifest.json but missing from timeline.json" in found
    gone = rewritten(registry.witnessed, "proofs.json", lambda p: p, fix_manifest=False)
    files = files_of(gone)
    del files["certificates.json"]
    assert "certificates.json: listed in manifest.json but missing" in failures(
        verify_pack(zipped(files), registry.log_keys)
    )


def test_an_altered_proof_is_refused_naming_the_event(registry: Registry) -> None:
    def alter(proofs: dict[str, Any]) -> dict[str, Any]:
        proof = proofs["inclusion"][0]
        proof["hashes"][0] = "00" * 32
        return proofs

    first = json.loads(files_of(registry.witnessed)["proofs.json"])["inclusion"][0]["seq"]
    found = failures(verify_pack(rewritten(registry.witnessed, "proofs.json", alter), registry.log_keys))
    assert f"event {first} (" in found and "inclusion proof leads to root" in found

    def alter_consistency(proofs: dict[str, Any]) -> dict[str, Any]:
        proofs["consistency"][0]["hashes"][-1] = "11" * 32
        return proofs

    found = failures(
        verify_pack(rewritten(registry.witnessed, "proofs.json", alter_consistency), registry.log_keys)
    )
    assert "consistency" in found and "does not verify" in found


def test_a_swapped_checkpoint_is_refused(registry: Registry) -> None:
    files = files_of(registry.witnessed)
    manifest = json.loads(files["manifest.json"])
    older, latest = (c["file"] for c in manifest["checkpoints"])
    pack = rewritten(registry.witnessed, latest, lambda _: files[older], as_json=False)
    size = manifest["checkpoints"][1]["size"]
    found = failures(verify_pack(pack, registry.log_keys))
    assert f"checkpoint {size}: {latest} is a checkpoint of size" in found


def test_a_forged_log_signature_is_refused(registry: Registry) -> None:
    files = files_of(registry.witnessed)
    latest = json.loads(files["manifest.json"])["checkpoints"][0]  # the one the events are proven to
    note = parse_note(files[latest["file"]])
    checkpoint = parse_checkpoint_text(note.text)
    forger = Ed25519Signer.generate(load_keys(registry.keys).signer.name)
    forged = checkpoint.sign(forger).format().encode()
    pack = rewritten(registry.witnessed, latest["file"], lambda _: forged, as_json=False)
    found = failures(verify_pack(pack, registry.log_keys))
    assert (
        f"checkpoint {latest['size']}: {latest['file']} is not a checkpoint signed by the given log key"
        in found
    )
    # and every event proven to it is then unproven, by name, as is the consistency that starts there
    assert "proofs.json holds it, but not both checkpoints verify" in found
    assert f"leads to checkpoint {latest['size']}, which the pack does not hold verified" in found


def test_not_a_zip_is_refused() -> None:
    report = verify_pack(b"PK\x03\x04 not really", [])
    assert not report.ok and "pack: not a readable zip file" in report.failures[0]


# --- the command line -----------------------------------------------------------------------------


def test_the_cli_packs_and_verifies_and_fails_a_tampered_pack(registry: Registry, tmp_path: Path) -> None:
    earlier = registry.client("police").get(
        f"/api/v1/people/{registry.child}/timeline", params={"reason": "an earlier read 99"}
    )
    assert earlier.status_code == 200
    out = tmp_path / "pack.zip"
    made = jaga(
        registry.url,
        "evidence",
        "pack",
        "--person",
        registry.child,
        "--reason",
        REASON,
        "--out",
        str(out),
        token=registry.tokens["court"],
    )
    assert made.exit_code == 0, made.output
    assert "manifest SHA-256" in made.output and out.stat().st_mode & 0o077 == 0
    # the custody record names who read these records before, and why (an exact match on the ids)
    reads = json.loads(files_of(out.read_bytes())["custody.json"])["reads"]
    before = [r for r in reads if r["reason"] == "an earlier read 99"]
    assert before and {r["account"] for r in before} == {"police"}
    assert {"people", "relinquishments"} <= {r["resource"] for r in before}
    vkey = tmp_path / "ledger.vkey"
    vkey.write_text(load_keys(registry.keys).vkey + "\n")
    checked = jaga(registry.url, "evidence", "verify", str(out), "--vkey", str(vkey))
    assert checked.exit_code == 0, checked.output
    assert "✓ timeline.json" in checked.output and "contents verify, but it is UNSEALED" in checked.output

    def alter(timeline: dict[str, Any]) -> dict[str, Any]:
        timeline["events"][-1]["payload"]["id"] = 999_999
        return timeline

    bad = tmp_path / "bad.zip"
    bad.write_bytes(rewritten(out.read_bytes(), "timeline.json", alter))
    refused = jaga(registry.url, "evidence", "verify", str(bad), "--vkey", str(vkey))
    assert refused.exit_code == 1
    assert "✗ event" in refused.output and "evidence pack fails 2 check" in refused.output
    # the rewritten manifest is no longer the one the pack's own (logged) packing event names
    assert "✗ packing.json (event" in refused.output and "packing event of another pack" in refused.output
    without = jaga(
        registry.url, "evidence", "pack", "--person", registry.child, "--reason", REASON, "--out", str(out)
    )
    assert without.exit_code == 5  # no token: the command acts as an account


# --- an adoption case -----------------------------------------------------------------------------


def test_an_adoption_case_is_packed_with_its_childs_records(registry: Registry) -> None:
    from jaga.registry import AdoptionCase

    engine = create_engine_for(registry.url)
    with engine.connect() as connection:
        case = connection.execute(
            select(AdoptionCase.ref)
            .where(AdoptionCase.region_code.startswith("33"))
            .order_by(AdoptionCase.id)
        ).first()
    engine.dispose()
    assert case is not None
    court = registry.client("court")
    answer = court.post("/api/v1/evidence/packs", json={"case_ref": case[0], "reason": REASON})
    assert answer.status_code == 200, answer.text
    files = files_of(answer.content)
    manifest = json.loads(files["manifest.json"])
    assert manifest["subject"]["kind"] == "adoption_case" and manifest["subject"]["ref"] == case[0]
    tables = {e["aggregate"] for e in json.loads(files["timeline.json"])["events"]}
    assert {"adoption_cases", "adoption_steps", "people"} <= tables
    report = verify_pack(answer.content, registry.log_keys)
    assert report.ok, report.failures
    both = court.post(
        "/api/v1/evidence/packs", json={"case_ref": case[0], "person_ref": registry.child, "reason": REASON}
    )
    assert both.status_code == 422 and "exactly one of person_ref, case_ref and flag_id" in both.text
    unknown = court.post("/api/v1/evidence/packs", json={"case_ref": "A-NONE-0000", "reason": REASON})
    assert unknown.status_code == 404
    police = registry.client("police")
    no_flag = police.post("/api/v1/evidence/packs", json={"flag_id": 2**62, "reason": REASON})
    assert no_flag.status_code == 404
    huge = police.post("/api/v1/evidence/packs", json={"flag_id": 2**63, "reason": REASON})
    assert huge.status_code == 422


# --- encrypted to a recipient (age) -------------------------------------------------------------------


def test_a_pack_encrypted_to_the_court_opens_only_with_its_identity(
    registry: Registry, tmp_path: Path
) -> None:
    pyrage = pytest.importorskip(
        "pyrage", reason="pyrage (age) is an optional dependency: pip install pyrage"
    )
    identity = pyrage.x25519.Identity.generate()
    key = tmp_path / "court.key"
    key.write_text(f"{identity}\n", encoding="ascii")
    answer = registry.client("police").post(
        "/api/v1/evidence/packs",
        json={"person_ref": registry.child, "reason": REASON, "recipients": [str(identity.to_public())]},
    )
    assert answer.status_code == 200 and answer.content.startswith(b"age-encryption.org/v1\n")
    assert answer.headers["content-disposition"].endswith('.zip.age"')
    sealed = tmp_path / "pack.zip.age"
    sealed.write_bytes(answer.content)
    vkey = tmp_path / "ledger.vkey"
    vkey.write_text(load_keys(registry.keys).vkey + "\n")
    opened = jaga(
        registry.url, "evidence", "verify", str(sealed), "--vkey", str(vkey), "--identity", str(key)
    )
    assert opened.exit_code == 0, opened.output
    assert "contents verify, but it is UNSEALED" in opened.output
    closed = jaga(registry.url, "evidence", "verify", str(sealed), "--vkey", str(vkey))
    assert closed.exit_code == 3 and "encrypted (age)" in closed.output
    packs = _count(registry.url, EvidencePack)
    bad = registry.client("police").post(
        "/api/v1/evidence/packs",
        json={"person_ref": registry.child, "reason": REASON, "recipients": ["age1notakey"]},
    )
    assert bad.status_code == 422 and "recipient 1 is not an age X25519 public key" in bad.text
    assert _count(registry.url, EvidencePack) == packs  # refused before anything was packed or logged


def _count(url: str, model: Any) -> int:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        found = int(connection.execute(select(func.count()).select_from(model)).scalar_one())
    engine.dispose()
    return found


# --- a flag ---------------------------------------------------------------------------------------


def test_a_flag_is_packed_with_the_records_it_names_and_its_review(registry: Registry) -> None:
    from jaga.flags.models import Flag, FlagStatusChange

    engine = create_engine_for(registry.url)
    with engine.connect() as connection:
        flag_id = connection.execute(  # the pipeline moved this one to review (a ledgered change)
            select(FlagStatusChange.flag_id).order_by(FlagStatusChange.id)
        ).scalar_one()
        kind = connection.execute(select(Flag.kind).where(Flag.id == flag_id)).scalar_one()
    engine.dispose()
    body = {"flag_id": flag_id, "reason": REASON}
    answer = registry.client("police").post("/api/v1/evidence/packs", json=body)
    assert answer.status_code == 200, answer.text
    files = files_of(answer.content)
    manifest = json.loads(files["manifest.json"])
    assert manifest["subject"] == {"kind": "flag", "ref": f"F-{flag_id}", "flag_kind": kind}
    tables = {e["aggregate"] for e in json.loads(files["timeline.json"])["events"]}
    assert "flag_status_changes" in tables and len(tables) >= 2
    report = verify_pack(answer.content, registry.log_keys)
    assert report.ok, report.failures
    # courts hear flags through a case: no flags:read
    court = registry.client("court").post("/api/v1/evidence/packs", json=body)
    assert court.status_code == 403 and "flags:read" in court.json()["detail"]
