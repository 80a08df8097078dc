"""The work queue's counts from the face and field packages (`jaga.workbench.queue_sources`), on both
databases, on a registry filled by `jaga synth`, into which the real commands put face candidates (two
photos and `jaga faces match`) and a field conflict (a device's batch whose NIK the civil registry holds
under another name). Each count shows only to the roles that may open its queue, counts only the
actor's region, names nobody and is not audited."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jaga.access import Action, AuditEntry
from jaga.db import create_engine_for
from jaga.faces import FaceCandidate, Photo
from jaga.field import FieldConflict
from jaga.workbench.queue_sources import QueueSource, install
from tests.faces.conftest import face_images, photograph_registry  # noqa: F401 (fixture)
from tests.field.conftest import field_conflict_in_registry
from tests.workbench.conftest import (  # noqa: F401 (fixtures)
    WorkbenchRegistry,
    log_in,
    wb_clock,
    with_passwords,
    workbench,
    workbench_folder,
)

pytestmark = pytest.mark.slow
Workbench = Callable[[], TestClient]
REASON = "LP/B/77/IX/2025 pencocokan foto"


@pytest.fixture(scope="module")
def with_conflict(with_passwords: WorkbenchRegistry, tmp_path_factory: pytest.TempPathFactory) -> str:  # noqa: F811
    url = with_passwords.url
    field_conflict_in_registry(url, with_passwords.tokens, tmp_path_factory.mktemp("queue-field"))
    return url


@pytest.fixture(scope="module")
def with_candidates(
    with_conflict: str,
    with_passwords: WorkbenchRegistry,  # noqa: F811
    face_images: dict[str, Path],  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    data_dir = tmp_path_factory.mktemp("queue-faces")
    found = photograph_registry(with_conflict, data_dir, with_passwords.tokens, face_images, reason=REASON)
    assert found, "the match found no candidate"
    return with_conflict


def _counts(workbench: Workbench, username: str) -> dict[str, int]:  # noqa: F811
    client = workbench()
    assert log_in(client, username).status_code == 303  # type: ignore[attr-defined]
    page = client.get("/kerja")
    assert page.status_code == 200, page.text
    found = re.findall(r'data-queue-source="(\w+)" data-count="(\d+)"', page.text)
    return {name: int(count) for name, count in found}


def _page(workbench: Workbench, username: str, lang: str = "id") -> str:  # noqa: F811
    client = workbench()
    assert log_in(client, username).status_code == 303  # type: ignore[attr-defined]
    return client.get(f"/kerja?lang={lang}").text


def _open_conflicts_within(url: str, scope: str) -> int:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        regions = connection.scalars(select(FieldConflict.region_code).where(FieldConflict.status == "open"))
        found = sum(1 for region in regions if region.startswith(scope))
    engine.dispose()
    return found


def _pending_within(url: str, scope: str) -> int:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(FaceCandidate.region_code, Photo.region_code)
            .join(Photo, Photo.id == FaceCandidate.report_photo_id)
            .where(FaceCandidate.status == "pending")
        ).all()
    engine.dispose()
    return sum(1 for intake, report in rows if intake.startswith(scope) and report.startswith(scope))


def _audit_rows(url: str) -> int:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        found = int(connection.scalar(select(func.count()).select_from(AuditEntry)) or 0)
    engine.dispose()
    return found


def test_field_conflicts_are_counted_for_the_roles_that_read_them_in_their_region_only(
    workbench: Workbench,  # noqa: F811
    with_conflict: str,
) -> None:
    everywhere = _open_conflicts_within(with_conflict, "")
    assert everywhere >= 1
    assert _counts(workbench, "registrar").get("field") == everywhere
    # Central Java's social worker sees the province's conflicts (the synthetic registry is in 33) ...
    assert _counts(workbench, "social-jateng").get("field") == _open_conflicts_within(with_conflict, "33")
    # ... Semarang's registrar only the city's, whatever the conflict's region is
    assert _counts(workbench, "registrar-semarang").get("field") == _open_conflicts_within(
        with_conflict, "3374"
    )
    # a role that does not open the conflict queue has no card
    assert "field" not in _counts(workbench, "facility")
    assert "field" not in _counts(workbench, "police")


def test_the_field_card_links_to_its_queue_in_both_languages_names_nobody_and_is_not_audited(
    workbench: Workbench,  # noqa: F811
    with_conflict: str,
) -> None:
    before = _audit_rows(with_conflict)
    indonesian = _page(workbench, "registrar")  # no purpose set: nothing on the page reads a record
    assert "Peristiwa lapangan yang menunggu keputusan" in indonesian
    assert 'href="/kerja/field"' in indonesian.split('data-queue-source="field"')[1].split("</li>")[0]
    assert "Nama Lapangan Berbeda" not in indonesian  # the held event's name
    assert "Field events held for a decision" in _page(workbench, "registrar", "en")
    assert _audit_rows(with_conflict) == before


def test_face_candidates_are_counted_for_reviewers_in_their_region_only(
    workbench: Workbench,  # noqa: F811
    with_candidates: str,
) -> None:
    pending = _pending_within(with_candidates, "")
    assert pending >= 1
    assert _counts(workbench, "police").get("faces") == pending
    assert _counts(workbench, "social-jateng").get("faces") == _pending_within(with_candidates, "33")
    assert _counts(workbench, "police-bali").get("faces") == 0  # the registry is in Central Java
    assert "faces" not in _counts(workbench, "registrar")  # no face review for this role
    page = _page(workbench, "police")
    assert "Kandidat wajah untuk ditinjau" in page
    assert 'href="/kerja/faces"' in page.split('data-queue-source="faces"')[1].split("</li>")[0]


def test_queue_source_names_are_unique() -> None:
    source = QueueSource(
        "faces", "Face candidates to review", Action.FACES_REVIEW, lambda uow, actor: 0, "/x"
    )
    with pytest.raises(ValueError, match="unique"):
        install(FastAPI(), [source, source])
