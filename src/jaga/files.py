"""Writing files that must never be seen half-written or, unless meant for the public, readable by others.

Every file a command writes goes to a private temporary file in the same folder (mkstemp creates it 0600,
so nothing is readable by others, even briefly), is fsynced, given its final mode and renamed over the
target: a crash, a bug or Ctrl-C leaves either the old file or the new one, never a torso. Folders these
functions create are 0700. Files default to 0600 (records, reports and keys hold personal or secret
data); public material (verifier keys, log tiles) passes `mode=0o644`, and its folders keep the usual
permissions so that a web server can read them.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO, cast

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
PUBLIC_FILE = 0o644


def private_folder(path: Path) -> Path:
    """Create `path` and its missing parents as 0700 folders; existing folders are left as they are."""
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
    return path


class _Pending:
    """A file being written beside `path` under a temporary name; `commit()` renames it into place with
    its final mode, `discard()` removes it."""

    def __init__(self, path: Path, mode: int, open_mode: str, newline: str | None = None) -> None:
        if mode & 0o077:
            path.parent.mkdir(parents=True, exist_ok=True)
        else:
            private_folder(path.parent)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        self.path, self.mode, self.temporary = path, mode, Path(temporary)
        encoding = None if "b" in open_mode else "utf-8"
        self.handle: IO[Any] = os.fdopen(descriptor, open_mode, encoding=encoding, newline=newline)

    def commit(self) -> None:
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.chmod(self.temporary, self.mode)
            os.replace(self.temporary, self.path)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        self.handle.close()
        self.temporary.unlink(missing_ok=True)


class PendingFile(_Pending):
    """A text file written over time (a report streamed row by row) that appears at `path` only on
    `commit()`; `discard()` leaves no trace of it."""

    def __init__(self, path: Path, *, mode: int = PRIVATE_FILE, newline: str | None = None) -> None:
        super().__init__(path, mode, "w", newline)
        self.text = cast(TextIO, self.handle)


@contextmanager
def _atomic(pending: _Pending) -> Iterator[IO[Any]]:
    try:
        yield pending.handle
    except BaseException:
        pending.discard()
        raise
    pending.commit()


@contextmanager
def atomic_text(path: Path, mode: int = PRIVATE_FILE, newline: str | None = None) -> Iterator[TextIO]:
    """A UTF-8 text stream that becomes `path` (with `mode`) only if the block ends without an exception;
    otherwise the temporary file is removed and `path` is untouched. `newline=""` for CSV writers."""
    with _atomic(_Pending(path, mode, "w", newline)) as handle:
        yield cast(TextIO, handle)


@contextmanager
def atomic_binary(path: Path, mode: int = PRIVATE_FILE) -> Iterator[BinaryIO]:
    """Like `atomic_text`, for bytes (PDFs, tiles)."""
    with _atomic(_Pending(path, mode, "wb")) as handle:
        yield cast(BinaryIO, handle)


def atomic_write(path: Path, text: str, mode: int = PRIVATE_FILE) -> None:
    """Write `text` to `path` all at once (see `atomic_text`)."""
    with atomic_text(path, mode) as handle:
        handle.write(text)


def fsync_folder(path: Path) -> None:
    """Make a rename inside `path` durable: until the folder itself is fsynced, a power cut may leave
    the old directory entry in place even though the new file's data reached the disk."""
    descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def durable_write(path: Path, text: str, mode: int = PRIVATE_FILE) -> None:
    """`atomic_write`, then fsync the folder: once this returns, the new content survives a crash."""
    atomic_write(path, text, mode)
    fsync_folder(path.parent)


def atomic_write_bytes(path: Path, data: bytes, mode: int = PRIVATE_FILE) -> None:
    """Write `data` to `path` all at once (see `atomic_binary`)."""
    with atomic_binary(path, mode) as handle:
        handle.write(data)


def append_private(path: Path, text: str) -> None:
    """Append `text` to `path`, creating it 0600 (and its folders 0700) if needed; for logs."""
    private_folder(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write(text)
