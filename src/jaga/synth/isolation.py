"""Keeping ground truth away from the code it evaluates.

Two independent locks:
* `find_truth_readers()` reads the source of detector packages (linkage, flags) and reports every import
  of `jaga.synth` and every string that names a `truth` folder or file; tests run it on the real
  packages, and on a planted offender to show that it catches one.
* `guard_truth()` is a context manager around running detectors: while it is active, opening any file
  under a `truth/` directory raises `TruthAccessDenied` (a Python audit hook, PEP 578), however the path
  was built.
"""

from __future__ import annotations

import ast
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

DETECTOR_PACKAGES = ("linkage", "flags")
TRUTH_NAMES = (
    "truth",
    "identities.csv",
    "scheme_members.csv",
    "schemes.csv",
    "lookalikes.csv",
    "tip_subjects.csv",
)


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def find_truth_readers(package_dirs: list[Path]) -> list[Violation]:
    """Every place in these packages' sources that imports the generator or names its truth files."""
    violations: list[Violation] = []
    for folder in package_dirs:
        for path in sorted(folder.rglob("*.py")):
            if "evaluat" in path.name:  # the one place allowed to read truth (flags evaluate)
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                else:
                    names = []
                for name in names:
                    if name == "jaga.synth" or name.startswith("jaga.synth."):
                        violations.append(Violation(path, getattr(node, "lineno", 0), f"imports {name}"))
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    parts = {p.lower() for p in PurePath(node.value.replace("\\", "/")).parts}
                    hit = parts & set(TRUTH_NAMES)
                    if hit:
                        violations.append(Violation(path, node.lineno, f"names {sorted(hit)[0]!r}"))
    return violations


class TruthAccessDenied(PermissionError):
    """Something opened the synthetic ground truth while detectors were running."""


_state = threading.local()
_installed = False


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event != "open" or not getattr(_state, "guarding", False):
        return
    target = args[0] if args else None
    if isinstance(target, bytes):
        target = target.decode(errors="replace")
    if isinstance(target, str | PurePath) and "truth" in PurePath(str(target)).parts:
        raise TruthAccessDenied(f"ground truth opened while detectors run: {target}")


@contextmanager
def guard_truth() -> Iterator[None]:
    """Refuse, in this thread, every attempt to open a file under a `truth/` directory."""
    global _installed
    if not _installed:  # audit hooks cannot be removed, so install once and switch per thread
        sys.addaudithook(_hook)
        _installed = True
    previous = getattr(_state, "guarding", False)
    _state.guarding = True
    try:
        yield
    finally:
        _state.guarding = previous
