"""The workbench's face pages through a test client, on both databases, with real photos: upload with
its precise errors (no face, several faces and the officer's pick, unreadable, oversized), the worker,
the review queue by report, a confirmation that links the records and refreshes only the report's flag,
the audited photo route, and the role and region checks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import OPERATOR, AuditEntry
from jaga.access.credentials import set_password
from jaga.app import create_app
from jaga.db import UnitOfWork, create_engine_for
from jaga.faces import FaceCandidate, FaceVector, Photo
from jaga.faces.services import WARNING, WARNING_ID
from jaga.flags.models import Flag, FlagRun
from jaga.linkage.models import LinkDecision
from jaga.settings import Settings
from tests.cli_helpers import jaga
from tests.conftest import ACCOUNTS, PreparedDatabase, fast_token_hasher
from tests.faces.conftest import Registry, build_registry
from tests.workbench.conftest import ORIGIN, PASSWORD, csrf_of, log_in

PURPOSE = "LP/B/123/VI/2025 Polrestabes"


@dataclass
class Site:
    app: object
    url: str
    data_dir: Path
    registry: Registry
    factory: sessionmaker[Session]
    clients: list[TestClient]

    def client(self, username: str | None, *, purpose: bool = True) -> TestClient:
        client = TestClient(self.app, raise_server_exceptions=False, follow_redirects=False)  # type: ignore[arg-type]
        self.clients.append(client)
        if username is not None:
            assert log_in(client, username).status_code == 303  # type: ignore[attr-defined]
            if purpose:
                csrf = csrf_of(client.get("/kerja").text)
                done = client.post(
                    "/kerja/tujuan", data={"csrf": csrf, "purpose": PURPOSE}, headers={"Origin": ORIGIN}
                )
                assert done.status_code == 303
        return client

    def sessions(self) -> sessionmaker[Session]:
        return self.factory


@pytest.fixture
def site(throwaway_url: str, tmp_path: Path) -> Iterator[Site]:
    engine = create_engine_for(throwaway_url)
    with Session(engine) as session:
        built = build_registry(session)
    sessions = sessionmaker(engine, expire_on_commit=False)
    for username in ACCOUNTS:
        with UnitOfWork(sessions) as uow:
            set_password(uow, actor=OPERATOR, username=username, password=PASSWORD)
    settings = Settings(database_url=throwaway_url, environment="test", data_dir=tmp_path, photo_upload_mb=1)
    app = create_app(settings, sessions=sessions, token_hasher=fast_token_hasher())
    site = Site(app, throwaway_url, tmp_path, built, sessions, [])
    yield site
    for client in site.clients:
        client.close()
    engine.dispose()


def _upload(client: TestClient, photo: Path | tuple[str, bytes], **fields: str) -> object:
    page = client.get("/kerja/faces/upload")
    assert page.status_code == 200, page.text
    name, content = (photo.name, photo.read_bytes()) if isinstance(photo, Path) else photo
    data = {
        "csrf": csrf_of(page.text),
        "reason": PURPOSE,
        "taken_by": "Unit PPA",
        "basis": "consent",
        "consent_by": "ibu",
        **fields,
    }
    return client.post(
        "/kerja/faces/upload", data=data, files={"file": (name, content)}, headers={"Origin": ORIGIN}
    )


def _photos(site: Site) -> dict[str, bool]:
    """photo ref -> whether it has a vector"""
    with site.sessions()() as session:
        refs = list(session.scalars(select(Photo.ref).order_by(Photo.id)))
        embedded = set(session.scalars(select(Photo.ref).join(FaceVector, FaceVector.photo_id == Photo.id)))
    return {ref: ref in embedded for ref in refs}


def _uploaded(answer: object) -> str:
    assert answer.status_code == 200, answer.text  # type: ignore[attr-defined]
    return answer.text.split('data-face-uploaded="')[1].split('"')[0]  # type: ignore[attr-defined]


def test_an_upload_tells_each_problem_precisely_and_lets_the_officer_pick_a_face(
    site: Site, face_images: dict[str, Path], two_faces: Path, no_face: Path
) -> None:
    police = site.client("police")
    ref = site.registry.report_ref
    common = {"kind": "missing_report", "ref": ref, "taken_on": "2025-05-20", "age_months": "28"}
    answer = _upload(police, no_face, **common)
    assert answer.status_code == 422 and 'data-error="no-face"' in answer.text  # type: ignore[attr-defined]
    answer = _upload(police, ("notes.jpg", b"not an image at all"), **common)
    assert answer.status_code == 422 and 'data-error="photo-unreadable"' in answer.text  # type: ignore[attr-defined]
    answer = _upload(police, ("big.jpg", b"\xff\xd8" + b"0" * (1024 * 1024 + 10)), **common)
    assert answer.status_code == 413 and 'data-error="photo-too-large"' in answer.text  # type: ignore[attr-defined]
    answer = _upload(police, two_faces, **common)
    text = answer.text  # type: ignore[attr-defined]
    assert answer.status_code == 422 and 'data-error="several-faces"' in text  # type: ignore[attr-defined]
    assert 'data-face-thumb="1"' in text and 'data-face-thumb="2"' in text and "data:image/jpeg" in text
    assert f'value="{ref}"' in text  # what the officer typed is kept
    assert _photos(site) == {}  # nothing stored by any refused upload
    chosen = _uploaded(_upload(police, two_faces, face="1", **common))
    answer = _upload(police, face_images["obama.jpg"], **{**common, "ref": "MR-NO-SUCH"})
    assert answer.status_code == 404  # type: ignore[attr-defined]
    assert _photos(site) == {chosen: False}  # pending: the worker describes it


def test_upload_worker_queue_and_confirmation_link_the_records_and_raise_only_that_flag(
    site: Site, database: PreparedDatabase, face_images: dict[str, Path]
) -> None:
    police, social = site.client("police"), site.client("social_worker")
    report_photo = _uploaded(
        _upload(
            police, face_images["obama2.jpg"], kind="missing_report", ref=site.registry.report_ref,
            taken_on="2025-05-20", age_months="28",
        )
    )  # fmt: skip
    intake_photo = _uploaded(
        _upload(
            social, face_images["obama.jpg"], kind="person", ref=site.registry.intake_ref,
            basis="court_order", order_ref="12/Pdt.P/2025/PN Dps", taken_on="2025-09-02",
        )
    )  # fmt: skip
    assert _photos(site) == {report_photo: False, intake_photo: False}
    done = jaga(site.url, "faces", "worker", "--once", data_dir=site.data_dir)
    assert done.exit_code == 0, done.output
    assert "2 photo(s) embedded" in done.output
    assert _photos(site) == {report_photo: True, intake_photo: True}
    matched = jaga(
        site.url, "faces", "match", "--reason", PURPOSE, "--format", "json", token=database.tokens["police"]
    )
    assert matched.exit_code == 0, matched.output
    [found] = json.loads(matched.stdout)["reports"]
    candidate = found["candidates"][0]
    assert candidate["intake_photo_ref"] == intake_photo

    queue = police.get("/kerja/faces")
    assert queue.status_code == 200
    assert f'data-face-report="{site.registry.report_ref}"' in queue.text
    assert f'data-face-candidate="{candidate["candidate_id"]}"' in queue.text
    assert f'data-face-distance="{candidate["distance"]:.4f}"' in queue.text
    assert 'data-face-rank="1"' in queue.text and "data-face-filters" in queue.text
    assert WARNING_ID in queue.text and 'data-face-setting="max_distance"' in queue.text
    # The age band the candidate was found with, in the page's language (stored in English).
    assert "di sekitar usia 28 bulan pada 20 Mei 2025" in queue.text and "months at" not in queue.text
    english = police.get("/kerja/faces?lang=en")
    assert str(escape(WARNING)) in english.text and "Face candidates" in english.text
    assert "around 28 months at May 20, 2025" in english.text

    # An unrelated flag that a whole flag run would mark gone (nothing finds it): it must stay as it is.
    sessions = site.sessions()
    with sessions() as session:
        run = FlagRun(started_at=datetime.now(UTC), status="done", as_of=datetime.now(UTC).date())
        session.add(run)
        session.flush()
        other = Flag(
            kind="mother_age_implausible", subject_type="birth", subject_ref="B-UNRELATED", score=0.9,
            evidence="{}", explanation_id="x", explanation_en="x", records="[]", region_code="3374",
            status="open", present=True, first_run_id=run.id, last_run_id=run.id,
            first_seen_at=datetime.now(UTC), last_seen_at=datetime.now(UTC),
        )  # fmt: skip
        session.add(other)
        session.commit()
        other_id, other_run = other.id, run.id

    path = f"/kerja/faces/candidates/{candidate['candidate_id']}"
    page = police.get(path)
    assert page.status_code == 200 and WARNING_ID in page.text and "data-face-confirm" in page.text
    assert f'src="/kerja/faces/photos/{report_photo}"' in page.text
    refused = police.post(
        path,
        data={"csrf": csrf_of(page.text), "decision": "confirm", "reason": ""},
        headers={"Origin": ORIGIN},
    )
    assert refused.status_code == 422 and 'data-error="decision"' in refused.text
    decided = police.post(
        path,
        data={
            "csrf": csrf_of(page.text),
            "decision": "confirm",
            "reason": "tahi lalat di pipi kiri, tanggal cocok",
        },
        headers={"Origin": ORIGIN},
    )
    assert decided.status_code == 303, decided.text
    after = police.get(path)
    assert 'data-face-status="confirmed"' in after.text and 'data-face-review="confirmed"' in after.text
    with sessions() as session:
        assert session.scalar(select(FaceCandidate.status)) == "confirmed"
        assert session.scalar(select(func.count()).select_from(LinkDecision)) == 1
        flag = session.scalars(
            select(Flag).where(
                Flag.kind == "missing_child_reappears", Flag.subject_ref == site.registry.report_ref
            )
        ).one()
        assert flag.present and flag.status == "open"
        runs = list(session.scalars(select(FlagRun).where(FlagRun.id != other_run)))
        assert [r.notes for r in runs] == ["one subject: missing_child_reappears on one missing_report"]
        untouched = session.get(Flag, other_id)
        assert untouched is not None and untouched.present and untouched.last_run_id == other_run


def test_a_photo_is_shown_only_within_a_task_and_every_view_is_audited(
    site: Site, face_images: dict[str, Path]
) -> None:
    police = site.client("police")
    ref = _uploaded(
        _upload(
            police, face_images["obama2.jpg"], kind="missing_report", ref=site.registry.report_ref,
            taken_on="2025-05-20",
        )
    )  # fmt: skip
    image = police.get(f"/kerja/faces/photos/{ref}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    assert "no-store" in image.headers["cache-control"]
    no_task = site.client("police", purpose=False).get(f"/kerja/faces/photos/{ref}")
    assert no_task.status_code == 422
    anonymous = site.client(None).get(f"/kerja/faces/photos/{ref}")
    assert anonymous.status_code == 303 and "/masuk" in anonymous.headers["location"]
    assert site.client("registrar").get(f"/kerja/faces/photos/{ref}").status_code == 403
    assert site.client("police-bali").get(f"/kerja/faces/photos/{ref}").status_code == 403  # Semarang's
    with site.sessions()() as session:
        reads = list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.channel == "workbench GET /kerja/faces/photos/{ref}")
            )
        )
    assert len(reads) == 1 and reads[0].reason == PURPOSE and ref not in (reads[0].channel or "")


def test_only_police_and_social_workers_review_and_only_in_their_region(site: Site) -> None:
    for account in ("registrar", "facility", "court", "admin"):
        assert site.client(account).get("/kerja/faces").status_code == 403, account
    for account in ("police", "social_worker", "police-bali", "social-jateng"):
        assert site.client(account).get("/kerja/faces").status_code == 200, account
    assert site.client("registrar").get("/kerja/faces/upload").status_code == 403
    assert site.client("police").get("/kerja/faces/candidates/999999").status_code == 404
    nav = site.client("police").get("/kerja").text
    assert 'href="/kerja/faces"' in nav
    assert 'href="/kerja/faces"' not in site.client("registrar").get("/kerja").text
