"""Photos and face matching over HTTP, on a database of their own (confirming runs the flag rules, which
read committed data): the same flow as the command line, the warning on every candidate answer, the
audit of every read, and 4xx (never 500) for bad photos and bad requests."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.access import AuditEntry
from jaga.app import create_app
from jaga.db import create_engine_for
from jaga.settings import Settings
from tests.conftest import PreparedDatabase, fast_token_hasher
from tests.faces.conftest import Registry, build_registry

REASON = "LP/B/123/VI/2025"


@pytest.fixture
def setup(throwaway_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, Registry]]:
    engine = create_engine_for(throwaway_url)
    with Session(engine) as session:
        built = build_registry(session)
    engine.dispose()
    settings = Settings(
        database_url=throwaway_url, environment="test", base_url="https://jaga.test", data_dir=tmp_path
    )
    app = create_app(settings, token_hasher=fast_token_hasher())
    with TestClient(app, raise_server_exceptions=True) as client:
        yield client, built


def _auth(database: PreparedDatabase, account: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {database.tokens[account]}"}


def _post_photo(client: TestClient, headers: dict[str, str], photo: Path, **fields: str) -> object:
    with photo.open("rb") as handle:
        return client.post(
            "/api/v1/photos",
            headers=headers,
            data={"reason": REASON, **fields},
            files={"file": (photo.name, handle)},
        )


def test_the_api_finds_the_same_person_in_another_province_and_a_confirmation_raises_the_flag(
    setup: tuple[TestClient, Registry],
    database: PreparedDatabase,
    face_images: dict[str, Path],
    tmp_path: Path,
) -> None:
    client, registry = setup
    police, social = _auth(database, "police"), _auth(database, "social_worker")
    report = _post_photo(
        client, police, face_images["obama2.jpg"], kind="missing_report", ref=registry.report_ref,
        basis="consent", consent_by="father", taken_by="Unit PPA", taken_on="2025-05-20", age_months="28",
    )  # fmt: skip
    assert report.status_code == 201, report.text  # type: ignore[attr-defined]
    intake = _post_photo(
        client, social, face_images["obama.jpg"], kind="person", ref=registry.intake_ref,
        basis="court_order", order_ref="12/Pdt.P/2025/PN Dps", taken_by="LKSA", taken_on="2025-09-02",
    )  # fmt: skip
    assert intake.status_code == 201, intake.text  # type: ignore[attr-defined]
    intake_ref = intake.json()["ref"]  # type: ignore[attr-defined]

    matched = client.post("/api/v1/faces/match", headers=police, json={"reason": REASON})
    assert matched.status_code == 200, matched.text
    body = matched.json()
    assert "young children is weak" in body["warning"] and body["warning_id"]
    [found] = body["reports"]
    first = found["candidates"][0]
    assert (first["intake_photo_ref"], first["intake_person_ref"], first["rank_for_report"]) == (
        intake_ref,
        registry.intake_ref,
        1,
    )
    assert first["is_match"] is False and first["filters"]["age_band"].startswith("±")

    queue = client.get("/api/v1/faces/candidates", headers=social, params={"reason": REASON})
    assert queue.status_code == 200 and "never a match" in queue.json()["warning"]
    assert [c["candidate_id"] for c in queue.json()["candidates"]] == [first["candidate_id"]]
    bali = client.get(
        "/api/v1/faces/candidates", headers=_auth(database, "police-bali"), params={"reason": REASON}
    )
    assert bali.json()["candidates"] == [] and bali.json()["outside_your_region"] == 1

    decided = client.post(
        f"/api/v1/faces/candidates/{first['candidate_id']}/decision",
        headers=police,
        json={"decision": "confirm", "note": "orang tua mengenali"},
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["flag"]["status"] == "open" and decided.json()["flag"]["score"] == 1.0
    flags = client.get(
        "/api/v1/flags", headers=police, params={"reason": REASON, "kind": "missing_child_reappears"}
    )
    assert flags.status_code == 200, flags.text
    assert registry.report_ref in json.dumps(flags.json())

    image = client.get(f"/api/v1/photos/{intake_ref}/image", headers=police, params={"reason": "api-audit-1"})
    assert image.status_code == 200 and image.headers["cache-control"] == "no-store"
    assert hashlib.sha256(image.content).hexdigest() == intake.json()["sha256"]  # type: ignore[attr-defined]
    listed = client.get(
        "/api/v1/photos", headers=_auth(database, "auditor"), params={"reason": "api-audit-2"}
    )
    assert listed.status_code == 200 and len(listed.json()) == 2
    engine = create_engine_for(client.app.state.settings.database_url)  # type: ignore[attr-defined]
    with Session(engine) as session:
        reasons = {
            (e.reason, e.channel)
            for e in session.scalars(select(AuditEntry).where(AuditEntry.resource == "photos"))
        }
    engine.dispose()
    assert ("api-audit-1", "api GET /api/v1/photos/{ref}/image") in reasons
    assert ("api-audit-2", "api GET /api/v1/photos") in reasons


def test_bad_photos_and_requests_answer_4xx(
    setup: tuple[TestClient, Registry],
    database: PreparedDatabase,
    face_images: dict[str, Path],
    two_faces: Path,
    no_face: Path,
    tmp_path: Path,
) -> None:
    client, registry = setup
    police = _auth(database, "police")
    fields = {
        "kind": "missing_report", "ref": registry.report_ref, "basis": "consent", "consent_by": "mother",
        "taken_by": "Unit PPA", "taken_on": "2025-05-20",
    }  # fmt: skip
    nothing = _post_photo(client, police, no_face, **fields)
    assert nothing.status_code == 422 and nothing.json()["type"].endswith("/no-face")  # type: ignore[attr-defined]
    several = _post_photo(client, police, two_faces, **fields)
    assert several.status_code == 422, several.text  # type: ignore[attr-defined]
    assert len(several.json()["faces"]) == 2  # type: ignore[attr-defined]
    assert several.json()["faces"][0]["left"] < several.json()["faces"][1]["left"]  # type: ignore[attr-defined]
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    unreadable = _post_photo(client, police, junk, **fields)
    assert unreadable.status_code == 422 and unreadable.json()["type"].endswith("/photo-unreadable")  # type: ignore[attr-defined]
    client.app.state.settings.photo_upload_mb = 1  # type: ignore[attr-defined]
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8\xff" + bytes(1024 * 1024 + 10))
    oversized = _post_photo(client, police, big, **fields)
    assert oversized.status_code == 413 and oversized.json()["type"].endswith("/photo-too-large")  # type: ignore[attr-defined]
    future = _post_photo(client, police, face_images["obama.jpg"], **{**fields, "taken_on": "2999-01-01"})
    assert future.status_code == 422  # type: ignore[attr-defined]
    no_reason = client.get("/api/v1/photos", headers=police)
    assert no_reason.status_code == 422
    institution = client.post(
        "/api/v1/faces/match", headers=_auth(database, "institution"), json={"reason": REASON}
    )
    assert institution.status_code == 403
    unknown = client.post(
        "/api/v1/faces/candidates/999999/decision", headers=police, json={"decision": "confirm"}
    )
    assert unknown.status_code == 404
    missing_image = client.get("/api/v1/photos/PH-NOPE/image", headers=police, params={"reason": REASON})
    assert missing_image.status_code == 404


def test_refusals_read_in_indonesian(
    setup: tuple[TestClient, Registry],
    database: PreparedDatabase,
    face_images: dict[str, Path],
    two_faces: Path,
    no_face: Path,
    tmp_path: Path,
) -> None:
    """Every refusal of the photo routes has its Indonesian detail (none falls back to English with the
    note saying so), and its title too."""
    client, registry = setup
    police = _auth(database, "police")
    indonesian = {**police, "Accept-Language": "id"}
    fields = {
        "kind": "missing_report", "ref": registry.report_ref, "basis": "consent", "consent_by": "mother",
        "taken_by": "Unit PPA", "taken_on": "2025-05-20",
    }  # fmt: skip
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    face = face_images["obama.jpg"]
    cases = {
        "no face": (no_face, {}),
        "several": (two_faces, {}),
        "no such face": (two_faces, {"face": "3"}),
        "face 0": (face, {"face": "0"}),
        "unreadable": (junk, {}),
        "future": (face, {"taken_on": "2999-01-01"}),
        "consent by nobody": (face, {"consent_by": ""}),
        "court order without number": (face, {"basis": "court_order", "consent_by": ""}),
        "police order without number": (face, {"basis": "police_order", "consent_by": ""}),
        "not a child": (face, {"age_months": "400"}),
        "taken by nobody": (face, {"taken_by": " "}),
    }
    details: dict[str, str] = {}
    for name, (photo, changed) in cases.items():
        answer = _post_photo(client, indonesian, photo, **{**fields, **changed})
        body = answer.json()  # type: ignore[attr-defined]
        assert 400 <= answer.status_code < 500, (name, answer.status_code)  # type: ignore[attr-defined]
        assert "rincian dalam bahasa Inggris" not in body["detail"], (name, body["detail"])
        english = _post_photo(client, police, photo, **{**fields, **changed}).json()  # type: ignore[attr-defined]
        assert english["type"] == body["type"] and english["detail"] != body["detail"], name
        details[name] = body["detail"]
    assert details["no such face"].startswith("wajah 3 tidak ada") and "2 wajah" in details["no such face"]
    assert "penetapan pengadilan" in details["court order without number"]
    assert "perintah polisi" in details["police order without number"]

    # A photo whose image is gone from the store (see `jaga photos check`): 404, in Indonesian.
    added = _post_photo(client, police, face, **fields)
    assert added.status_code == 201, added.text  # type: ignore[attr-defined]
    ref = added.json()["ref"]  # type: ignore[attr-defined]
    (tmp_path / "photos" / f"{ref}.photo").unlink()
    gone = client.get(f"/api/v1/photos/{ref}/image", headers=indonesian, params={"reason": REASON})
    assert gone.status_code == 404 and gone.json()["detail"].startswith(f"gambar foto {ref} tidak ada")
    wrong = client.post("/api/v1/faces/match", headers=indonesian, json={"reason": REASON, "region": "99x"})
    assert wrong.status_code == 422 and "rincian dalam bahasa Inggris" not in wrong.json()["detail"]
