"""Where synthetic records go: CSV files in exactly the import formats, the ground truth apart under
`truth/`, and `manifest.json`, the import plan (which file, which kind, which role, in which order).

Base records stream out chunk by chunk (bounded memory); the few records of care paths and schemes are
held back and written shuffled at the end, so that no file's row order tells planted from real.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from jaga.registry import KINDS
from jaga.synth.rand import Rand

TRUTH_DIR = "truth"


@dataclass(frozen=True)
class FileSpec:
    name: str
    kind: str
    role: str  # the account role that imports it
    buffered: bool  # written at the end, shuffled (small files) rather than streamed
    sort_by: str | None = None  # written in this column's order instead (after shuffling ties)


# The import plan, in order: later files refer to records of earlier ones.
FILES: tuple[FileSpec, ...] = (
    FileSpec("facilities.csv", "facilities", "admin", False),
    FileSpec("attendants.csv", "attendants", "admin", False),
    FileSpec("officials.csv", "officials", "admin", False),
    FileSpec("institutions.csv", "institutions", "admin", True),
    FileSpec("people-facility.csv", "people", "facility", False),
    FileSpec("people-civil-registry.csv", "people", "registrar", False),
    FileSpec("births-facility.csv", "births", "facility", False),
    FileSpec("births-civil-registry.csv", "births", "registrar", False),
    FileSpec("birth-registrations.csv", "birth-registrations", "registrar", False),
    FileSpec("people-institution.csv", "people", "institution", True),
    FileSpec("people-social-service.csv", "people", "social_worker", True),
    FileSpec("people-police.csv", "people", "police", True),
    FileSpec("relinquishments.csv", "relinquishments", "institution", True),
    FileSpec("adoption-cases.csv", "adoption-cases", "social_worker", True),
    FileSpec("placements.csv", "placements", "social_worker", True),
    # Steps in date order: each case's steps must arrive in the order they were taken.
    FileSpec("adoption-steps-1-social.csv", "adoption-steps", "social_worker", True, "occurred_on"),
    FileSpec("adoption-steps-2-court.csv", "adoption-steps", "court", True, "occurred_on"),
    FileSpec("adoption-steps-3-registrar.csv", "adoption-steps", "registrar", True, "occurred_on"),
    FileSpec("adoption-steps-4-social.csv", "adoption-steps", "social_worker", True, "occurred_on"),
    FileSpec("missing-reports.csv", "missing-reports", "police", True),
)
BY_NAME = {f.name: f for f in FILES}

TRUTH_FILES = {
    "identities.csv": ("file", "ref", "true_id", "role"),
    "schemes.csv": ("scheme_id", "type", "hidden", "description"),
    "scheme_members.csv": ("scheme_id", "file", "ref", "role"),
    "lookalikes.csv": ("lookalike_id", "type", "file", "ref", "description"),
    # Row `row` of tips.csv: about a scheme, an innocent entity, a look-alike, or nothing in the registry
    # (`vague`); the entity the tipster had in mind, and how they wrote it (`jaga.synth.tip_text`).
    "tip_subjects.csv": ("row", "about", "scheme_id", "named_file", "named_ref", "named_as"),
}


class Output:
    def __init__(self, folder: Path, rng: Rand) -> None:
        self.folder = folder
        self.rng = rng
        folder.mkdir(parents=True, exist_ok=True)
        (folder / TRUTH_DIR).mkdir(exist_ok=True)
        self._handles: dict[str, TextIO] = {}
        self._writers: dict[str, Any] = {}
        self._columns: dict[str, list[str]] = {}
        self._held: dict[str, list[list[Any]]] = {}
        self._pending: dict[str, list[list[Any]]] = {}
        self.counts: dict[str, int] = {}
        self._checked: set[frozenset[str]] = set()
        self._buffered = {spec.name: spec.buffered for spec in FILES}
        for spec in FILES:
            self._open(spec.name, KINDS[spec.kind].columns, folder / spec.name)
            self._held[spec.name] = []
            self._pending[spec.name] = []
        for name, columns in TRUTH_FILES.items():
            self._open(f"{TRUTH_DIR}/{name}", list(columns), folder / TRUTH_DIR / name)

    def _open(self, key: str, columns: list[str], path: Path) -> None:
        handle = path.open("w", encoding="utf-8", newline="")
        writer = csv.writer(handle)
        writer.writerow(columns)
        self._handles[key], self._writers[key], self._columns[key] = handle, writer, columns
        self.counts[key] = 0

    def add(self, name: str, row: dict[str, Any]) -> None:
        """A record for import file `name` (streamed with the current chunk, or held for the end).

        Values go to the csv writer as they are: it writes None as an empty cell and dates and times in
        ISO form (their str()), which is what the importer reads.
        """
        columns = self._columns[name]
        keys = frozenset(row)
        if keys not in self._checked:
            unknown = keys - set(columns)
            if unknown:
                raise AssertionError(f"{name}: unknown columns {sorted(unknown)}")
            self._checked.add(keys)
        get = row.get
        (self._held if self._buffered[name] else self._pending)[name].append([get(c) for c in columns])

    def truth(self, name: str, *values: Any) -> None:
        key = f"{TRUTH_DIR}/{name}"
        self._writers[key].writerow(values)
        self.counts[key] += 1

    def extra(self, name: str, columns: Sequence[str], rows: list[list[Any]]) -> None:
        """A file outside the import plan (`tips.csv`: what the public sends, not an agency's records),
        written whole, in the order given."""
        with (self.folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(rows)
        self.counts[name] = len(rows)

    def identity(self, file: str, ref: str, true_id: str, role: str) -> None:
        self.truth("identities.csv", file, ref, true_id, role)

    def flush_chunk(self) -> None:
        """Write the current chunk's streamed rows, each file shuffled on its own."""
        for name, rows in self._pending.items():
            if rows:
                self._write_shuffled(name, rows)
                self._pending[name] = []

    def _write_shuffled(self, name: str, rows: list[list[Any]]) -> None:
        shuffled = [rows[i] for i in self.rng.permutation(len(rows))]
        sort_by = BY_NAME[name].sort_by if name in BY_NAME else None
        if sort_by is not None:
            column = self._columns[name].index(sort_by)
            shuffled.sort(key=lambda row: str(row[column]))
        self._writers[name].writerows(shuffled)
        self.counts[name] += len(rows)

    def close(self, manifest: dict[str, Any], noise: dict[str, Any]) -> None:
        self.flush_chunk()
        for name, rows in self._held.items():
            if rows:
                self._write_shuffled(name, rows)
        for handle in self._handles.values():
            handle.close()
        plan = [
            {"file": spec.name, "kind": spec.kind, "role": spec.role, "rows": self.counts[spec.name]}
            for spec in FILES
        ]
        (self.folder / "manifest.json").write_text(
            json.dumps({**manifest, "imports": plan}, indent=2, default=str) + "\n", encoding="utf-8"
        )
        (self.folder / TRUTH_DIR / "noise.json").write_text(
            json.dumps(noise, indent=2) + "\n", encoding="utf-8"
        )


def read_manifest(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return data


def files_in_order(folder: Path) -> Iterable[tuple[Path, str, str]]:
    for entry in read_manifest(folder)["imports"]:
        if entry["rows"]:
            yield folder / entry["file"], entry["kind"], entry["role"]


def tips_file(folder: Path) -> Path | None:
    """The folder's tips (`tips.csv`, to be sent through `jaga.tips.submit_tip`), if it has any."""
    entry = read_manifest(folder).get("tips")
    return folder / entry["file"] if entry and entry["rows"] else None
