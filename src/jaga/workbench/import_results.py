"""What an import from the workbench left behind: its result and its rejected rows, private to the session.

Each import gets a random id. Its result (counts, the first problems and warnings) and, after a refusal,
its rejects file lie in a folder of the officer's web session:

    <data_dir>/workbench-imports/sessions/<session id>/<import id>.json
    <data_dir>/workbench-imports/sessions/<session id>/<import id>.rejects

Folders are 0700 and files 0600. Only the session that made them finds them (another session, even the
same officer's, gets a 404), and they go when the session ends: the folders of sessions no longer live
(logged out, idle, past the absolute limit) and anything older than a session can live are removed by
every visit to the import pages, when `jaga serve` starts, and by `jaga workbench sweep` (for a timer:
without it, a server whose import pages nobody opens keeps an ended session's rejected rows until its
next restart). Uploads in progress have their own folder (`uploads/`), emptied likewise.
"""

from __future__ import annotations

import csv
import json
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from jaga.access.logins import ABSOLUTE_LIMIT, live_session_ids
from jaga.db import Clock, UnitOfWork
from jaga.files import atomic_write, private_folder
from jaga.spreadsheet import restore

SHOWN = 100  # problems (and warnings) listed on the page; the count of the rest is shown with them
_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")  # secrets.token_urlsafe(16)
KEEP_SECONDS = ABSOLUTE_LIMIT.total_seconds()


@dataclass
class Entry:
    row: int
    column: str
    reason: str  # in English, as the importer reports it; the page translates it


@dataclass
class ImportResult:
    id: str
    kind: str
    fmt: str
    refused: bool
    rows: int = 0  # data rows read
    written: int = 0
    bad_rows: int = 0
    problems: list[Entry] = field(default_factory=list)
    problem_count: int = 0
    warnings: list[Entry] = field(default_factory=list)
    warning_count: int = 0
    warned_rows: int = 0
    has_rejects: bool = False

    @property
    def more_problems(self) -> int:
        return self.problem_count - len(self.problems)

    @property
    def more_warnings(self) -> int:
        return self.warning_count - len(self.warnings)


def read_report(report: Path, result: ImportResult) -> None:
    """Fill `result`'s problems and warnings from the importer's report CSV (absent: none)."""
    if not report.exists():
        return
    bad: set[int] = set()
    warned: set[int] = set()
    with report.open(encoding="utf-8", newline="") as handle:
        for line in csv.DictReader(handle):
            entry = Entry(int(line["row"]), restore(line["column"]), restore(line["reason"]))
            if line["severity"] == "warning":
                result.warning_count += 1
                warned.add(entry.row)
                if len(result.warnings) < SHOWN:
                    result.warnings.append(entry)
            else:
                result.problem_count += 1
                bad.add(entry.row)
                if len(result.problems) < SHOWN:
                    result.problems.append(entry)
    result.bad_rows, result.warned_rows = len(bad), len(warned)


class ImportStore:
    """The private folders of the workbench's imports under `root` (`<data_dir>/workbench-imports`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.uploads = root / "uploads"
        self.sessions = root / "sessions"

    @staticmethod
    def new_id() -> str:
        return secrets.token_urlsafe(16)

    def _folder(self, session_id: int) -> Path:
        return self.sessions / str(int(session_id))

    def rejects_path(self, session_id: int, import_id: str) -> Path:
        return private_folder(self._folder(session_id)) / f"{import_id}.rejects"

    def save(self, session_id: int, result: ImportResult) -> None:
        path = private_folder(self._folder(session_id)) / f"{result.id}.json"
        atomic_write(path, json.dumps(asdict(result), ensure_ascii=False))

    def load(self, session_id: int, import_id: str) -> ImportResult | None:
        """The result of this session's import `import_id`; None for another session's or an expired one."""
        if not _ID.match(import_id):
            return None
        path = self._folder(session_id) / f"{import_id}.json"
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        problems = [Entry(**e) for e in data.pop("problems")]
        warnings = [Entry(**e) for e in data.pop("warnings")]
        return ImportResult(**data, problems=problems, warnings=warnings)

    def rejects(self, session_id: int, import_id: str) -> Path | None:
        if not _ID.match(import_id):
            return None
        path = self._folder(session_id) / f"{import_id}.rejects"
        return path if path.is_file() else None

    def sweep(self, live: Callable[[Iterable[int]], set[int]]) -> int:
        """Remove what ended sessions left, and anything older than a session can live (`live` tells which
        session ids are still live); returns how many session folders and files went."""
        cutoff = time.time() - KEEP_SECONDS
        removed = 0
        if self.sessions.is_dir():
            folders = {int(p.name): p for p in self.sessions.iterdir() if p.name.isdigit()}
            keep = live(folders) if folders else set()
            for session_id, folder in folders.items():
                if session_id not in keep:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed += 1
                    continue
                removed += sum(_remove_if_older(item, cutoff) for item in folder.iterdir())
        if self.uploads.is_dir():
            # left by a process that died while importing
            removed += sum(_remove_if_older(item, cutoff) for item in self.uploads.iterdir())
        return removed


def _remove_if_older(path: Path, cutoff: float) -> bool:
    try:
        if path.stat().st_mtime >= cutoff:
            return False
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:  # removed meanwhile by another request's sweep
        return False
    return True


def sweep_imports(data_dir: Path, sessions: sessionmaker[Session], clock: Clock) -> int:
    """Sweep `<data_dir>/workbench-imports` (see the module docstring): the import pages, `jaga serve`'s
    start and `jaga workbench sweep` all call this. Returns how many folders and files went."""

    def live(ids: Iterable[int]) -> set[int]:
        with UnitOfWork(sessions, clock) as uow:
            return live_session_ids(uow, ids)

    return ImportStore(data_dir / "workbench-imports").sweep(live)
