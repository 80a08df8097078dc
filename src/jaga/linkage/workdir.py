"""The temporary folder of one `jaga link csv` run, and the sweep of those a killed run left behind.

A run's folder holds a DuckDB file, its spill and Parquet features: gigabytes at ten million records.
`TemporaryDirectory` removes it when the run ends, but not when the process is killed (`kill -9`, the
out-of-memory killer, a closed terminal). So the folder is named `jaga-link-<pid>-<random>`, and each
run first removes the `jaga-link-<pid>-*` folders (in the same temporary directory, owned by the same
user) whose process no longer exists.

Limits, on purpose: a folder whose pid was reused by a live process is kept until that process ends;
folders of an older jaga (`jaga-link-<random>`, no pid) are never touched. The temporary directory must
not be shared between PID namespaces (two containers on one `/tmp`): a pid is only meaningful in its own.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFIX = "jaga-link-"
_OWNED = re.compile(re.escape(PREFIX) + r"(\d+)-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, under another user
        return True
    return True


def sweep_stale(base: Path) -> list[Path]:
    """Remove the run folders in `base` whose owning process is dead; returns those removed."""
    removed: list[Path] = []
    for entry in base.glob(PREFIX + "*"):
        match = _OWNED.match(entry.name)
        if match is None or not entry.is_dir() or entry.is_symlink():
            continue
        if entry.stat().st_uid != os.getuid() or _alive(int(match[1])):
            continue
        shutil.rmtree(entry, ignore_errors=True)  # another run may be sweeping the same folder
        removed.append(entry)
    return removed


@contextmanager
def run_folder() -> Iterator[Path]:
    """A fresh folder for this run in the temporary directory, after sweeping dead runs' folders there;
    removed when the block ends (and by a later run's sweep if this process is killed)."""
    base = Path(tempfile.gettempdir())
    sweep_stale(base)
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=base))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
