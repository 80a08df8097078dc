"""Face tests: real photos of one person and of others, taken from the `face-recognition` 1.3.0 source
distribution at test time (pip download into a temporary folder; never committed), and a small registry
with a missing-child report and intake records in another province.

No package ships labelled photos of children: these are adults. They check the plumbing and the ranking
(a different photo of the same person comes back as a candidate), not accuracy on children.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.flags import DENPASAR, SEMARANG, Rows

SDIST = "face-recognition==1.3.0"
IMAGES = ("obama.jpg", "obama2.jpg", "obama3.jpg", "biden.jpg")
REQUIRE = os.environ.get("JAGA_REQUIRE_FACE_IMAGES") == "1"  # CI: a missing download fails, not skips


@pytest.fixture(scope="session")
def face_images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """name -> path of the sdist's test photos (three of one man, one of another), in a temp folder."""
    return download_face_images(tmp_path_factory.mktemp("face-recognition-sdist"))


def download_face_images(folder: Path) -> dict[str, Path]:
    """The sdist's test photos, downloaded with pip into `folder` (skips, or fails on CI, without them)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            SDIST,
            "--no-deps",
            "--no-binary",
            ":all:",
            "-d",
            str(folder),
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    archives = list(folder.glob("face_recognition-1.3.0.tar.gz"))
    if done.returncode != 0 or not archives:
        message = f"could not download the {SDIST} sdist for its test photos (pip exit {done.returncode})"
        if REQUIRE:
            pytest.fail(message)
        pytest.skip(message)
    found: dict[str, Path] = {}
    with tarfile.open(archives[0]) as archive:
        for member in archive.getmembers():
            name = Path(member.name).name
            if "/tests/test_images/" in member.name and name in IMAGES and member.isfile():
                extracted = archive.extractfile(member)
                assert extracted is not None
                target = folder / name
                target.write_bytes(extracted.read())
                found[name] = target
    assert sorted(found) == sorted(IMAGES)
    return found


@pytest.fixture(scope="session")
def two_faces(face_images: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two people side by side: obama (left) and biden (right), at the same height."""
    left, right = Image.open(face_images["obama.jpg"]), Image.open(face_images["biden.jpg"])
    height = 800
    left = left.resize((round(left.width * height / left.height), height))
    right = right.resize((round(right.width * height / right.height), height))
    both = Image.new("RGB", (left.width + right.width, height))
    both.paste(left, (0, 0))
    both.paste(right.convert("RGB"), (left.width, 0))
    path = tmp_path_factory.mktemp("two-faces") / "two.jpg"
    both.save(path, format="JPEG", quality=90)
    return path


@pytest.fixture(scope="session")
def no_face(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A photo of nothing: a grey gradient."""
    image = Image.linear_gradient("L").resize((400, 300)).convert("RGB")
    path = tmp_path_factory.mktemp("no-face") / "wall.png"
    out = io.BytesIO()
    image.save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return path


@dataclass(frozen=True)
class Registry:
    report_ref: str  # an open missing report, Kota Semarang (Jawa Tengah)
    missing_child_ref: str
    intake_ref: str  # a child taken into an LKSA in Kota Denpasar (Bali), months later
    other_intake_ref: str  # another child in the same LKSA
    placement_ref: str


def build_registry(session: Session) -> Registry:
    """The records: a boy reported missing in Semarang, and two boys placed in a Denpasar institution
    after he was last seen, one of them recorded under another name (no NIK, no birth date)."""
    rows = Rows(session)
    child = rows.person(source_kind="police", sex="M", full_name="Anak Hilang", name_normalised="anak hilang")
    report = rows.missing(child, date(2025, 6, 1), region_code=SEMARANG)
    institution = rows.institution(region_code=DENPASAR)
    intake = rows.person(source_kind="institution", sex="M", region_code=DENPASAR)
    placement = rows.placement(
        intake, "institution", date(2025, 9, 1), region_code=DENPASAR, institution_id=institution.id
    )
    other = rows.person(source_kind="institution", sex="M", region_code=DENPASAR)
    rows.placement(
        other, "institution", date(2025, 9, 3), region_code=DENPASAR, institution_id=institution.id
    )
    session.commit()
    return Registry(report.ref, child.ref, intake.ref, other.ref, placement.ref)


def photograph_registry(
    url: str, data_dir: Path, tokens: dict[str, str], photos: dict[str, Path], *, reason: str
) -> list[dict[str, Any]]:
    """Through the public path (`jaga photos add`, then `jaga faces match`): a photo on a synthetic
    missing-child report (police) and another photo of the same man on a synthetic person record taken
    later (social worker), so the photo and face routes read real rows, and face tables fill. The
    match's candidates are returned. (Used by the tests that walk a synthetic registry.)"""
    from jaga.db import create_engine_for
    from jaga.registry.models import MissingReport, Person
    from tests.cli_helpers import jaga

    engine = create_engine_for(url)
    with Session(engine) as session:
        report = session.scalars(select(MissingReport).order_by(MissingReport.id).limit(1)).one()
        child = session.get(Person, report.child_id)
        assert child is not None
        # A person born within days of the missing child (or, like it, without a birth date), so that
        # the match's age band lets the two photos meet; the intake photo is taken a month later.
        born = child.birth_date
        near = (
            Person.birth_date.between(born - timedelta(days=20), born + timedelta(days=20))
            if born is not None
            else Person.birth_date.is_(None)
        )
        other = session.scalars(
            select(Person)
            .where(Person.id != child.id, Person.sex == child.sex, near)
            .order_by(Person.id)
            .limit(1)
        ).one()
        first = min(date.today() - timedelta(days=31), (born or date(2024, 1, 1)) + timedelta(days=400))
        subjects = [
            ("missing-report", report.ref, first, "police", "obama.jpg",
             ["--basis", "consent", "--consent-by", "mother"]),
            ("person", other.ref, first + timedelta(days=30), "social_worker", "obama3.jpg",
             ["--basis", "police_order", "--order-ref", "SP/77/IX/2025"]),
        ]  # fmt: skip
    engine.dispose()
    for kind, ref, taken, account, name, basis in subjects:
        done = jaga(
            url, "photos", "add", kind, ref, str(photos[name]), *basis, "--reason", reason,
            "--taken-by", "Unit PPA", "--taken-on", taken.isoformat(), "--age-months", "13",
            token=tokens[account], data_dir=data_dir,
        )  # fmt: skip
        assert done.exit_code == 0, done.output
    matched = jaga(url, "faces", "match", "--reason", reason, "--format", "json", token=tokens["police"])
    assert matched.exit_code == 0, matched.output
    return [c for report in json.loads(matched.stdout)["reports"] for c in report["candidates"]]
