"""`jaga photos` and `jaga faces` on a database of their own (the commands commit), acting as accounts:
a different photo of the same person, added to an intake record in another province, comes back as a
candidate for the missing report; confirming it links the records and raises the flag; every read of a
photo is audited; bad photos are refused with exit 3."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.access import AuditEntry
from jaga.db import EventRecord, create_engine_for, record_state
from jaga.db.canonical import canonical_bytes
from jaga.faces import FaceReview, FaceVector, Photo
from jaga.faces.embedding import MODEL_VERSION
from jaga.linkage.models import LinkDecision
from jaga.registry import Person
from tests.cli_helpers import jaga
from tests.conftest import PreparedDatabase
from tests.faces.conftest import Registry, build_registry

REASON = "LP/B/123/VI/2025/Polrestabes Semarang"


@pytest.fixture
def registry(throwaway_url: str) -> Registry:
    engine = create_engine_for(throwaway_url)
    with Session(engine) as session:
        built = build_registry(session)
    engine.dispose()
    return built


def _add(url: str, data_dir: Path, token: str, kind: str, ref: str, photo: Path, *extra: str) -> dict:
    done = jaga(
        url,
        "photos",
        "add",
        kind,
        ref,
        str(photo),
        "--reason",
        REASON,
        "--format",
        "json",
        *extra,
        token=token,
        data_dir=data_dir,
    )
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def _report_photo(url: str, data_dir: Path, token: str, ref: str, photo: Path) -> dict:
    return _add(
        url, data_dir, token, "missing-report", ref, photo,
        "--basis", "consent", "--consent-by", "mother", "--taken-by", "keluarga (via Unit PPA)",
        "--taken-on", "2025-05-01", "--age-months", "30",
    )  # fmt: skip


def _intake_photo(url: str, data_dir: Path, token: str, ref: str, photo: Path, kind: str = "person") -> dict:
    return _add(
        url, data_dir, token, kind, ref, photo,
        "--basis", "police_order", "--order-ref", "SP/77/IX/2025", "--taken-by", "LKSA Denpasar",
        "--taken-on", "2025-09-02", "--age-months", "34",
    )  # fmt: skip


def test_a_different_photo_of_the_same_person_in_another_province_is_a_candidate_and_confirming_it_links_and_flags(
    throwaway_url: str,
    database: PreparedDatabase,
    registry: Registry,
    face_images: dict[str, Path],
    tmp_path: Path,
) -> None:
    url, police, social = throwaway_url, database.tokens["police"], database.tokens["social_worker"]
    added = _report_photo(url, tmp_path, police, registry.report_ref, face_images["obama.jpg"])
    assert added["region_code"] == "33.74" and added["faces_found"] == 1
    # The intake photo goes on the placement that took the child in (its child is the intake record).
    intake = _intake_photo(
        url, tmp_path, social, registry.placement_ref, face_images["obama3.jpg"], "placement"
    )
    assert (intake["kind"], intake["subject_ref"], intake["person_ref"]) == (
        "placement",
        registry.placement_ref,
        registry.intake_ref,
    )
    other = _intake_photo(url, tmp_path, social, registry.other_intake_ref, face_images["biden.jpg"])
    assert intake["region_code"] == "51.71"

    matched = jaga(
        url, "faces", "match", "--reason", REASON, "--format", "json", token=police, data_dir=tmp_path
    )
    assert matched.exit_code == 0, matched.output
    result = json.loads(matched.stdout)
    assert "young children is weak" in result["warning"] and "never a match" in result["warning"]
    [report] = result["reports"]
    assert report["report_ref"] == registry.report_ref
    first = report["candidates"][0]
    assert (first["intake_person_ref"], first["intake_photo_ref"], first["rank_for_report"]) == (
        registry.intake_ref,
        intake["ref"],
        1,
    )
    assert first["intake_region_code"] == "51.71" and first["is_match"] is False
    assert 0 < first["distance"] < 0.6
    assert first["filters"]["sex"] == "M" and first["filters"]["model_version"] == MODEL_VERSION
    # The other man is not ranked above the same person (at dlib's default setting he is not shown).
    ranked = [c["intake_photo_ref"] for c in report["candidates"]]
    assert other["ref"] not in ranked[:1]
    # Each intake photo's nearest open reports, too.
    by_intake = {i["intake_photo_ref"]: i for i in result["intakes"]}
    assert by_intake[intake["ref"]]["candidates"][0]["report_ref"] == registry.report_ref

    queue = jaga(
        url, "faces", "review", "--reason", REASON, "--format", "json", token=police, data_dir=tmp_path
    )
    assert queue.exit_code == 0, queue.output
    pending = json.loads(queue.stdout)
    assert "never a match" in pending["warning"]
    assert first["candidate_id"] in [c["candidate_id"] for c in pending["candidates"]]

    confirmed = jaga(
        url, "faces", "review", "--confirm", str(first["candidate_id"]), "--note", "dicek dengan keluarga",
        "--format", "json", token=police, data_dir=tmp_path,
    )  # fmt: skip
    assert confirmed.exit_code == 0, confirmed.output
    decided = json.loads(confirmed.stdout)
    assert decided["decision"] == "confirmed" and decided["linked_as_same_person"] is True
    flag = decided["flag"]
    assert flag is not None and flag["present"] is True and flag["status"] == "open"
    assert flag["score"] == 1.0  # an open report, the child found in another province

    engine = create_engine_for(url)
    with Session(engine) as session:
        child_id = session.scalar(select(Person.id).where(Person.ref == registry.missing_child_ref))
        intake_id = session.scalar(select(Person.id).where(Person.ref == registry.intake_ref))
        decision = session.scalar(select(LinkDecision))
        assert decision is not None
        assert {decision.left_id, decision.right_id} == {child_id, intake_id} and decision.decision == "same"
        review = session.scalar(select(FaceReview))
        assert review is not None and review.decision == "confirmed"
        kinds = set(session.scalars(select(EventRecord.kind)))
        assert {"photo.added", "face_review.recorded", "link_decision.recorded"} <= kinds
        # The events hold the photo's record and its image's hash, never the image or its face vector.
        payload = json.loads(
            session.scalar(select(EventRecord.payload).where(EventRecord.kind == "photo.added").limit(1))
            or "{}"
        )
        assert len(payload["sha256"]) == 64 and "vector" not in payload
        # What `jaga ledger audit` checks: each ledgered row is exactly its latest event's state.
        for row in [*session.scalars(select(Photo)), *session.scalars(select(FaceReview))]:
            latest = session.scalar(
                select(EventRecord.payload)
                .where(EventRecord.aggregate == row.__tablename__, EventRecord.aggregate_id == row.id)
                .order_by(EventRecord.seq.desc())
                .limit(1)
            )
            assert latest == canonical_bytes(record_state(row)).decode()
    engine.dispose()

    again = jaga(
        url, "faces", "review", "--confirm", str(first["candidate_id"]), token=police, data_dir=tmp_path
    )
    assert again.exit_code == 6  # already confirmed


def test_photos_are_encrypted_at_rest_and_every_read_is_audited(
    throwaway_url: str,
    database: PreparedDatabase,
    registry: Registry,
    face_images: dict[str, Path],
    tmp_path: Path,
) -> None:
    url, police = throwaway_url, database.tokens["police"]
    added = _report_photo(url, tmp_path, police, registry.report_ref, face_images["obama2.jpg"])
    [stored] = list((tmp_path / "photos").glob("*.photo"))  # beside it only the writers' lock file
    sealed = stored.read_bytes()
    assert b"JFIF" not in sealed and b"\xff\xd8\xff" not in sealed[:64]  # not a readable JPEG
    key = tmp_path / "keys" / "photos.key"
    assert key.stat().st_mode & 0o777 == 0o600

    listed = jaga(
        url, "photos", "list", "--reason", "audit-test-1", "--format", "json", token=police, data_dir=tmp_path
    )
    assert listed.exit_code == 0, listed.output
    [item] = json.loads(listed.stdout)
    assert (item["ref"], item["basis"], item["consent_by"], item["age_months"]) == (
        added["ref"],
        "consent",
        "mother",
        30,
    )
    out = tmp_path / "seen.jpg"
    shown = jaga(
        url, "photos", "show", added["ref"], "--reason", "audit-test-2", "--out", str(out),
        token=police, data_dir=tmp_path,
    )  # fmt: skip
    assert shown.exit_code == 0, shown.output
    assert hashlib.sha256(out.read_bytes()).hexdigest() == added["sha256"]

    no_reason = jaga(
        url,
        "photos",
        "show",
        added["ref"],
        "--reason",
        " ",
        "--out",
        str(out),
        token=police,
        data_dir=tmp_path,
    )
    assert no_reason.exit_code == 3 and "reason" in no_reason.output
    bali = jaga(
        url, "photos", "show", added["ref"], "--reason", "audit-test-3", "--out", str(out),
        token=database.tokens["police-bali"], data_dir=tmp_path,
    )  # fmt: skip
    assert bali.exit_code == 5 and "outside your scope" in bali.output
    registrar = jaga(
        url,
        "photos",
        "list",
        "--reason",
        "audit-test-4",
        token=database.tokens["registrar"],
        data_dir=tmp_path,
    )
    assert registrar.exit_code == 5

    engine = create_engine_for(url)
    with Session(engine) as session:
        photo_id = session.scalar(select(Photo.id).where(Photo.ref == added["ref"]))
        entries = {
            e.reason: e for e in session.scalars(select(AuditEntry).where(AuditEntry.resource == "photos"))
        }
        assert {"audit-test-1", "audit-test-2"} <= set(entries)
        assert json.loads(entries["audit-test-2"].record_ids) == [photo_id]
        assert entries["audit-test-2"].channel == "cli photos show"
        assert "audit-test-3" not in entries  # refused before anything was read
        vector = session.scalar(select(FaceVector).where(FaceVector.photo_id == photo_id))
        assert vector is not None and vector.model_version == MODEL_VERSION and len(vector.vector) == 128 * 4
        original = np.frombuffer(vector.vector, dtype=np.float32)
        # As after a model change: the photo's vector is of another version, so it has none current.
        vector.model_version = "an-older-model"
        session.commit()
    engine.dispose()
    embedded = jaga(url, "faces", "embed", data_dir=tmp_path)
    assert embedded.exit_code == 0, embedded.output
    assert "1 of 1 photos given a" in embedded.output
    assert "0 of 0" in jaga(url, "faces", "embed", data_dir=tmp_path).output
    engine = create_engine_for(url)
    with Session(engine) as session:
        vectors = {
            v.model_version: v
            for v in session.scalars(select(FaceVector).where(FaceVector.photo_id == photo_id))
        }
        assert set(vectors) == {"an-older-model", MODEL_VERSION}
        again = np.frombuffer(vectors[MODEL_VERSION].vector, dtype=np.float32)
        # From the stored (re-encoded) image and the chosen face's box: nearly the same descriptor.
        assert float(np.linalg.norm(again - original)) < 0.05
    engine.dispose()


def test_bad_photos_and_bad_requests_are_refused_with_exit_3(
    throwaway_url: str,
    database: PreparedDatabase,
    registry: Registry,
    face_images: dict[str, Path],
    two_faces: Path,
    no_face: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, police = throwaway_url, database.tokens["police"]
    base = ("--reason", REASON, "--basis", "consent", "--consent-by", "mother", "--taken-by", "Unit PPA",
            "--taken-on", "2025-05-01")  # fmt: skip

    def add(photo: Path, *extra: str, token: str = police, ref: str = registry.report_ref):  # type: ignore[no-untyped-def]
        return jaga(
            url,
            "photos",
            "add",
            "missing-report",
            ref,
            str(photo),
            *base,
            *extra,
            token=token,
            data_dir=tmp_path,
        )

    nothing = add(no_face)
    assert nothing.exit_code == 3 and "no face was found" in nothing.output
    several = add(two_faces)
    assert several.exit_code == 3 and "shows 2 faces" in several.output and "--face N" in several.output
    assert "1: left" in several.output and "2: left" in several.output
    beyond = add(two_faces, "--face", "3")
    assert beyond.exit_code == 3 and "face 3 does not exist" in beyond.output
    text = tmp_path / "not-a-photo.jpg"
    text.write_bytes(b"this is not an image at all")
    unreadable = add(text)
    assert unreadable.exit_code == 3 and "not a JPEG, PNG or WebP" in unreadable.output
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8\xff" + bytes(2 * 1024 * 1024))
    monkeypatch.setenv("JAGA_PHOTO_UPLOAD_MB", "1")
    oversized = add(big)
    assert oversized.exit_code == 3 and "larger than the limit" in oversized.output
    monkeypatch.delenv("JAGA_PHOTO_UPLOAD_MB")
    consent = jaga(
        url, "photos", "add", "missing-report", registry.report_ref, str(face_images["obama.jpg"]),
        "--reason", REASON, "--basis", "consent", "--taken-by", "Unit PPA", "--taken-on", "2025-05-01",
        token=police, data_dir=tmp_path,
    )  # fmt: skip
    assert consent.exit_code == 3 and "who consented" in consent.output
    order = jaga(
        url, "photos", "add", "person", registry.intake_ref, str(face_images["obama.jpg"]),
        "--reason", REASON, "--basis", "court_order", "--taken-by", "LKSA", "--taken-on", "2025-09-02",
        token=police, data_dir=tmp_path,
    )  # fmt: skip
    assert order.exit_code == 3 and "--order-ref" in order.output
    social = add(face_images["obama.jpg"], token=database.tokens["social_worker"])
    assert social.exit_code == 5  # a missing report's photo is the police's to add
    unknown = add(face_images["obama.jpg"], ref="M-NOPE")
    assert unknown.exit_code == 4
    # The officer picks the face: the left one of the two.
    picked = add(two_faces, "--face", "1", "--format", "json")
    assert picked.exit_code == 0, picked.output
    assert json.loads(picked.stdout)["faces_found"] == 2
    assert not any(p.name.endswith(".part") for p in (tmp_path / "photos").iterdir())
    # Refused photos left nothing behind: only the one added and the writers' lock file are there.
    stored = sorted(p.name for p in (tmp_path / "photos").iterdir())
    assert stored == [".writers.lock", f"{json.loads(picked.stdout)['ref']}.photo"]


def test_a_batch_of_photos_is_imported_row_by_row_with_refusals_named(
    throwaway_url: str,
    database: PreparedDatabase,
    registry: Registry,
    face_images: dict[str, Path],
    no_face: Path,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "intake.jpg").write_bytes(face_images["obama3.jpg"].read_bytes())
    (folder / "wall.png").write_bytes(no_face.read_bytes())
    (folder / "photos.csv").write_text(
        "kind,ref,file,basis,taken_by,taken_on,order_ref,age_months\n"
        f"person,{registry.intake_ref},intake.jpg,police_order,LKSA Denpasar,2025-09-02,SP/77,34\n"
        f"person,{registry.other_intake_ref},wall.png,police_order,LKSA Denpasar,2025-09-03,SP/78,30\n"
        f"shelf,{registry.other_intake_ref},intake.jpg,police_order,LKSA Denpasar,2025-09-03,SP/78,30\n"
        f"person,{registry.other_intake_ref},absent.jpg,police_order,LKSA Denpasar,2025-09-03,SP/78,30\n",
        encoding="utf-8",
    )
    done = jaga(
        throwaway_url, "photos", "import", str(folder / "photos.csv"), "--reason", "intake batch 2025-09",
        token=database.tokens["social_worker"], data_dir=tmp_path,
    )  # fmt: skip
    assert done.exit_code == 3, done.output
    assert "1 photo(s) added, 3 refused" in done.output
    assert "row 3: no face was found" in done.output
    assert "row 4: kind" in done.output and "row 5: cannot read its photo file: No such file" in done.output
    assert "absent" not in done.output  # file names may be children's names: never in a message
    listed = jaga(
        throwaway_url, "photos", "list", "--reason", "check batch", "--format", "json",
        token=database.tokens["social_worker"], data_dir=tmp_path,
    )  # fmt: skip
    [photo] = json.loads(listed.stdout)
    assert (photo["subject_ref"], photo["age_months"], photo["order_ref"]) == (
        registry.intake_ref,
        34,
        "SP/77",
    )
