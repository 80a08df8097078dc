"""`jaga bench faces` on the face-recognition sdist's photos (three of one man, one of another): every
figure is printed, the search agrees with the reference (checked inside the bench), and the real second
photos of the same man rank first. No timing is asserted."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from jaga.cli import app
from tests.faces.conftest import face_images  # noqa: F401  (the session fixture, shared)


def test_the_face_bench_prints_speed_memory_and_ranks(face_images: dict[str, Path], tmp_path: Path) -> None:  # noqa: F811
    folder = tmp_path / "labelled"
    for name, path in face_images.items():
        person = folder / ("obama" if name.startswith("obama") else "biden")
        person.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, person / name)
    done = CliRunner().invoke(
        app, ["bench", "faces", "--photos", str(folder), "--size", "2000", "--queries", "3", "--repeats", "1"]
    )
    assert done.exit_code == 0, done.output
    text = done.output
    assert "not accuracy on children" in text
    for label in ("jaga, 1 process", "reference, 1 process", "jaga, 2 processes", "2,000", "peak memory"):
        assert label in text
    assert "real second photos: rank-1 3/3" in text  # the three photos of one man find each other
    plumbing = re.search(r"augmented probes \(plumbing check, not accuracy\): rank-1 (\d+)/(\d+)", text)
    assert plumbing is not None and int(plumbing.group(2)) >= 20
