"""Photos added in a batch (all or none) wait for the worker; `jaga faces worker` and
`POST /api/v1/faces/embed` describe them; a worker killed (-9) mid-queue leaves every photo either with
its current-model vector or still pending, and the next run finishes the queue."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from jaga.app import create_app
from jaga.cli import app
from jaga.db import create_engine_for
from jaga.faces import FaceVector, Photo
from jaga.faces.embedding import MODEL_VERSION
from jaga.settings import Settings
from tests.cli_helpers import jaga, jaga_process
from tests.conftest import PreparedDatabase, fast_token_hasher
from tests.faces.conftest import Registry, build_registry

REASON = "LP/B/123/VI/2025"


@pytest.fixture
def setup(throwaway_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, Registry, str, Path]]:
    engine = create_engine_for(throwaway_url)
    with Session(engine) as session:
        built = build_registry(session)
    engine.dispose()
    settings = Settings(database_url=throwaway_url, environment="test", data_dir=tmp_path)
    app = create_app(settings, token_hasher=fast_token_hasher())
    with TestClient(app, raise_server_exceptions=True) as client:
        yield client, built, throwaway_url, tmp_path


def _counts(url: str) -> tuple[int, int, set[str]]:
    """(photos, vectors, the vectors' model versions)"""
    engine = create_engine_for(url)
    with Session(engine) as session:
        photos = session.scalar(select(func.count()).select_from(Photo)) or 0
        vectors = session.scalar(select(func.count()).select_from(FaceVector)) or 0
        versions = set(session.scalars(select(FaceVector.model_version)))
    engine.dispose()
    return photos, vectors, versions


def _item(name: str, registry: Registry) -> dict[str, object]:
    return {
        "file": name, "kind": "person", "ref": registry.intake_ref, "basis": "court_order",
        "order_ref": "12/Pdt.P/2025/PN Dps", "taken_by": "LKSA", "taken_on": "2025-09-02",
    }  # fmt: skip


def _batch(client: TestClient, token: str, items: list[dict[str, object]], files: dict[str, Path]) -> object:
    return client.post(
        "/api/v1/photos/batch",
        headers={"Authorization": f"Bearer {token}"},
        data={"reason": REASON, "manifest": json.dumps(items)},
        files=[("files", (name, path.read_bytes())) for name, path in files.items()],
    )


def test_a_batch_is_all_or_none_and_its_photos_wait_for_the_embedder(
    setup: tuple[TestClient, Registry, str, Path],
    database: PreparedDatabase,
    face_images: dict[str, Path],
    no_face: Path,
) -> None:
    client, registry, url, data_dir = setup
    token = database.tokens["social_worker"]
    files = {"a.jpg": face_images["obama.jpg"], "wall.png": no_face}
    refused = _batch(client, token, [_item("a.jpg", registry), _item("wall.png", registry)], files)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    body = refused.json()  # type: ignore[attr-defined]
    assert body["type"].endswith("/photos-rejected")
    assert body["refused"] == [{"item": 2, "problem": "no-face", "detail": body["refused"][0]["detail"]}]
    assert _counts(url)[0] == 0
    assert (
        not [p for p in (data_dir / "photos").rglob("*") if p.is_file()]
        if (data_dir / "photos").exists()
        else True
    )
    unnamed = _batch(client, token, [_item("a.jpg", registry)], files)
    assert unnamed.status_code == 422  # type: ignore[attr-defined]
    assert "exactly once" in unnamed.json()["detail"]  # type: ignore[attr-defined]

    files = {"a.jpg": face_images["obama.jpg"], "b.jpg": face_images["biden.jpg"]}
    added = _batch(client, token, [_item("a.jpg", registry), _item("b.jpg", registry)], files)
    assert added.status_code == 201, added.text  # type: ignore[attr-defined]
    assert [p["embedded"] for p in added.json()] == [False, False]  # type: ignore[attr-defined]
    assert _counts(url)[:2] == (2, 0)
    auth = {"Authorization": f"Bearer {token}"}
    first = client.post("/api/v1/faces/embed", headers=auth, json={"limit": 1})
    assert first.json() == {"computed": 1, "failed": 0, "pending": 1}
    second = client.post("/api/v1/faces/embed", headers=auth, json={"limit": 5})
    assert second.json() == {"computed": 1, "failed": 0, "pending": 0}
    assert _counts(url) == (2, 2, {MODEL_VERSION})
    refused_role = client.post(
        "/api/v1/faces/embed", headers={"Authorization": f"Bearer {database.tokens['registrar']}"}, json={}
    )
    assert refused_role.status_code == 403


def test_a_killed_worker_leaves_each_photo_embedded_or_pending_and_the_next_one_finishes(
    setup: tuple[TestClient, Registry, str, Path],
    database: PreparedDatabase,
    face_images: dict[str, Path],
) -> None:
    client, registry, url, data_dir = setup
    names = ["obama.jpg", "obama2.jpg", "obama3.jpg", "biden.jpg"]
    files = {f"{n}-{i}.jpg": face_images[n] for i in range(2) for n in names}  # 8 photos
    items = [_item(name, registry) for name in files]
    added = _batch(client, database.tokens["social_worker"], items, files)
    assert added.status_code == 201, added.text  # type: ignore[attr-defined]
    worker = jaga_process(url, "faces", "worker", "--batch", "1", "--interval", "0.5", data_dir=data_dir)
    deadline = time.monotonic() + 300
    while _counts(url)[1] == 0:  # the first photo is described and committed: kill it in the queue's middle
        assert worker.poll() is None, worker.communicate()
        assert time.monotonic() < deadline, "the worker described nothing"
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.communicate()
    photos, vectors, versions = _counts(url)
    assert photos == 8 and 1 <= vectors <= 8 and versions == {MODEL_VERSION}
    done = jaga(url, "faces", "worker", "--once", data_dir=data_dir)
    assert done.exit_code == 0, done.output
    assert f"{8 - vectors} photo(s) embedded" in done.output
    assert _counts(url) == (8, 8, {MODEL_VERSION})


def test_the_worker_reports_a_photo_whose_image_is_gone_and_describes_the_rest(
    setup: tuple[TestClient, Registry, str, Path],
    database: PreparedDatabase,
    face_images: dict[str, Path],
) -> None:
    client, registry, url, data_dir = setup
    files = {"a.jpg": face_images["obama.jpg"], "b.jpg": face_images["biden.jpg"]}
    added = _batch(client, database.tokens["social_worker"], [_item(n, registry) for n in files], files)
    assert added.status_code == 201, added.text  # type: ignore[attr-defined]
    lost = added.json()[0]["ref"]  # type: ignore[attr-defined]
    [stored] = [p for p in (data_dir / "photos").rglob("*") if p.is_file() and lost in p.name]
    stored.unlink()
    # in Bahasa Indonesia where the locale says so (the other tests read the English)
    env = {"JAGA_DATABASE_URL": url, "JAGA_DATA_DIR": str(data_dir), "LANGUAGE": "id"}
    done = CliRunner().invoke(app, ["faces", "worker", "--once"], env=env)
    assert done.exit_code == 3, done.output
    assert "1 foto diberi deskriptor wajah, 1 gambarnya tidak dapat dibaca" in done.output
    assert _counts(url)[:2] == (2, 1)
