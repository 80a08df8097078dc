"""A crash at any moment leaves the photos' rows and their encrypted files consistent: real `jaga photos add`
processes are killed (-9) while they write, and afterwards every committed photo has an image that
decrypts, and every stored image belongs to a committed photo once the next writer or `jaga photos check`
has swept what the killed one left behind.

On PostgreSQL the kill is made to land in the narrowest window, after the file is written and before the
row commits: the test holds the event counter's row lock, which the writer needs to commit. On SQLite the
writer holds the database's write lock itself, so the kill lands wherever the file's appearance finds it.
"""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from jaga.db import EventSequence, create_engine_for
from jaga.faces import Photo
from tests.cli_helpers import jaga, jaga_process
from tests.conftest import POSTGRES_SERVER, PreparedDatabase
from tests.faces.conftest import build_registry

REASON = "LP/B/123/VI/2025/Polrestabes Semarang"


def _add_args(report_ref: str, photo: Path) -> list[str]:
    return [
        "photos", "add", "missing-report", report_ref, str(photo), "--reason", REASON,
        "--basis", "consent", "--consent-by", "mother", "--taken-by", "keluarga (via Unit PPA)",
        "--taken-on", "2025-05-01", "--age-months", "30",
    ]  # fmt: skip


def _stored(folder: Path) -> set[str]:
    """The refs whose image (or a half-written one) is in the photo folder."""
    if not folder.exists():
        return set()
    return {p.name.split(".photo")[0].lstrip(".") for p in folder.iterdir() if ".photo" in p.name}


def _committed(url: str) -> set[str]:
    engine = create_engine_for(url)
    try:
        with Session(engine) as session:
            return set(session.scalars(select(Photo.ref)))
    finally:
        engine.dispose()


def _blocked_on_lock(url: str) -> bool:
    """Whether some backend of this database waits for a row lock (the writer, at its commit)."""
    admin = create_engine(POSTGRES_SERVER)
    try:
        with admin.connect() as connection:
            return bool(
                connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = :db AND wait_event_type = 'Lock'"
                    ),
                    {"db": make_url(url).database},
                ).scalar_one()
            )
    finally:
        admin.dispose()


def _kill_while_writing(url: str, report_ref: str, photo: Path, token: str, data_dir: Path) -> None:
    """Start a writer and kill it -9 as soon as its image appears (on PostgreSQL: once it is blocked
    before its commit, its image written)."""
    folder = data_dir / "photos"
    before = _stored(folder)
    postgres = make_url(url).get_backend_name() == "postgresql"
    engine = create_engine_for(url)
    holder = engine.connect() if postgres else None
    process: subprocess.Popen[str] | None = None
    try:
        if holder is not None:
            holder.begin()
            holder.execute(select(EventSequence.next_seq).with_for_update())
        process = jaga_process(url, *_add_args(report_ref, photo), token=token, data_dir=data_dir)
        deadline = time.monotonic() + 300
        while not (_stored(folder) - before) or (postgres and not _blocked_on_lock(url)):
            assert process.poll() is None, (
                "the writer ended before it could be killed: " + (process.communicate()[1])
            )
            assert time.monotonic() < deadline, "the writer never wrote its image"
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)  # closes its pipes
        assert process.returncode == -signal.SIGKILL
    finally:
        if holder is not None:
            holder.rollback()
            holder.close()
        engine.dispose()
        if (
            process is not None and process.poll() is None
        ):  # pragma: no cover - only when an assertion above failed
            process.kill()
            process.communicate()


def _consistent(url: str, data_dir: Path, token: str) -> set[str]:
    """Every committed photo's image is stored and decrypts; returns the committed refs."""
    committed = _committed(url)
    for ref in committed:
        shown = jaga(
            url, "photos", "show", ref, "--reason", REASON, "--out", str(data_dir / f"{ref}.out"),
            token=token, data_dir=data_dir,
        )  # fmt: skip
        assert shown.exit_code == 0, shown.output
    return committed


def test_killing_photo_writers_midway_leaves_rows_and_images_consistent(
    database: PreparedDatabase, throwaway_url: str, tmp_path: Path, face_images: dict[str, Path]
) -> None:
    url, police, folder = throwaway_url, database.tokens["police"], tmp_path / "photos"
    engine = create_engine_for(url)
    with Session(engine) as session:
        registry = build_registry(session)
    engine.dispose()
    photo = face_images["obama.jpg"]

    _kill_while_writing(url, registry.report_ref, photo, police, tmp_path)
    left = _stored(folder) - _committed(url)
    if database.dialect == "postgresql":  # killed before its commit, for certain: its image is an orphan
        assert left and not _committed(url)
    # The next writer (a new process: this one) sweeps what the killed one left, and adds its own photo.
    added = jaga(url, *_add_args(registry.report_ref, photo), token=police, data_dir=tmp_path)
    assert added.exit_code == 0, added.output
    committed = _consistent(url, tmp_path, police)
    assert committed and _stored(folder) == committed

    # Again, swept this time by `jaga photos check` (it waits for writes in flight, and there is none).
    _kill_while_writing(url, registry.report_ref, photo, police, tmp_path)
    if database.dialect == "postgresql":
        assert _stored(folder) - _committed(url)
    checked = jaga(url, "photos", "check", data_dir=tmp_path)
    assert checked.exit_code == 0, checked.output
    committed = _consistent(url, tmp_path, police)
    assert _stored(folder) == committed
    assert "image(s) missing" in checked.stdout and " 0 image(s) missing" in checked.stdout

    # A committed photo whose image is gone is reported (exit 3), and its row is never touched.
    victim = sorted(committed)[0]
    (folder / f"{victim}.photo").unlink()
    checked = jaga(url, "photos", "check", data_dir=tmp_path)
    assert checked.exit_code == 3 and f"missing: {victim}" in checked.stdout
    assert _committed(url) == committed
