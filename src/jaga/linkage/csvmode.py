"""`jaga link csv`: linkage for agencies that bring spreadsheets instead of a registry.

One file deduplicates it; two files link them (a record of one to records of the other). Columns are
given roles on the command line (`--map full_name=NAMA --map date_of_birth=TGL_LAHIR`); a role given
several columns joins them in order. Output: the pairs above the threshold with their probability and
reasons, and optionally every record's cluster.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa

from jaga.errors import InvalidInput
from jaga.files import atomic_text
from jaga.linkage.clusters import Edge, cluster
from jaga.linkage.engines import Engine, EngineResources
from jaga.linkage.explain import explain, summary
from jaga.linkage.features import FeatureReport, feature_row, feature_table
from jaga.linkage.link import RunOptions, score
from jaga.linkage.roles import IDENTITY_ROLES, NAME_ROLES, Role
from jaga.spreadsheet import SafeCsvWriter

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # agencies' address cells can be long


@dataclass(frozen=True)
class Mapping:
    id_column: str
    roles: dict[Role, tuple[str, ...]]


def parse_mapping(id_column: str, pairs: Sequence[str]) -> Mapping:
    """`ROLE=COLUMN[,COLUMN...]` pairs into roles; a role named twice gets both columns, in order."""
    roles: dict[Role, tuple[str, ...]] = {}
    known = ", ".join(r.value for r in Role)
    for pair in pairs:
        role_text, sep, columns_text = pair.partition("=")
        if not sep or not role_text.strip() or not columns_text.strip():
            raise InvalidInput(f"--map {pair!r}: expected ROLE=COLUMN (roles: {known})")
        try:
            role = Role(role_text.strip())
        except ValueError:
            raise InvalidInput(
                f"--map {pair!r}: unknown role {role_text.strip()!r} (roles: {known})"
            ) from None
        columns = tuple(c.strip() for c in columns_text.split(",") if c.strip())
        roles[role] = roles.get(role, ()) + columns
    if not pairs:
        raise InvalidInput(f"give at least one --map ROLE=COLUMN (roles: {known})")
    if not any(role in roles for role in (*NAME_ROLES, *IDENTITY_ROLES)):
        raise InvalidInput(
            "map a name (full_name, or given_name and surname), national_id or identifier: "
            "there is nothing to link on"
        )
    return Mapping(id_column, roles)


def read_file(path: Path, mapping: Mapping, *, source: str, report: FeatureReport, today: date) -> pa.Table:
    """A CSV file's feature table; InvalidInput naming the file and the problem if it cannot be used."""
    if not path.is_file():
        raise InvalidInput(f"{path} does not exist")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames
            if not header:
                raise InvalidInput(f"{path.name} is empty: it needs a header row and records")
            wanted = {mapping.id_column, *(c for columns in mapping.roles.values() for c in columns)}
            missing = sorted(wanted - set(header))
            if missing:
                named = ", ".join(repr(m) for m in missing)
                raise InvalidInput(f"{path.name} has no column {named} (its columns: {', '.join(header)})")
            rows, seen = [], set()
            for line, record in enumerate(reader, start=2):
                identifier = (record.get(mapping.id_column) or "").strip()
                if not identifier:
                    raise InvalidInput(
                        f"{path.name} line {line}: the id column {mapping.id_column!r} is empty"
                    )
                if identifier in seen:
                    raise InvalidInput(f"{path.name} line {line}: id {identifier!r} appears twice")
                seen.add(identifier)
                values: dict[Role, str | None] = {
                    role: " ".join(
                        (record.get(c) or "").strip() for c in columns if (record.get(c) or "").strip()
                    )
                    or None
                    for role, columns in mapping.roles.items()
                    if role != Role.IDENTIFIER
                }
                # Each identifier column is its own identifier, never joined to the next.
                identifiers = [record.get(c) for c in mapping.roles.get(Role.IDENTIFIER, ())]
                rows.append(
                    feature_row(
                        identifier, source, values, today=today, report=report, identifiers=identifiers
                    )
                )
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name} is not UTF-8 (byte {exc.start}); save it as UTF-8 CSV") from None
    except csv.Error as exc:
        raise InvalidInput(f"{path.name} is not readable CSV: {exc}") from None
    if not rows:
        raise InvalidInput(f"{path.name} has a header but no records")
    return feature_table(rows)


@dataclass(frozen=True)
class CsvResult:
    records: int
    pairs_written: int
    clusters: int
    report: FeatureReport
    notes: list[str]


def link_files(
    left: Path,
    right: Path | None,
    mapping: Mapping,
    *,
    out: Path,
    clusters_out: Path | None,
    threshold: float,
    engine: Engine,
    today: date,
    resources: EngineResources | None = None,
) -> CsvResult:
    if not 0 < threshold < 1:
        raise InvalidInput("--threshold is a match probability between 0 and 1")
    report = FeatureReport()
    tables = [read_file(left, mapping, source="left", report=report, today=today)]
    if right is not None:
        tables.append(read_file(right, mapping, source="right", report=report, today=today))
    scored = score(
        tables,
        link_type="link_only" if right is not None else "dedupe_only",
        options=RunOptions(engine=engine, resources=resources or EngineResources(), keep_threshold=threshold),
    )
    left_ids = set(tables[0].column("unique_id").to_pylist())
    written = 0
    with atomic_text(out, newline="") as handle:  # 0600, whole or not at all
        writer = SafeCsvWriter(csv.writer(handle))
        writer.writerow(["left_id", "right_id", "match_probability", "match_weight", "explanation"])
        for pair in sorted(scored.pairs.to_pylist(), key=lambda p: -p["match_probability"]):
            a, b = pair["unique_id_l"], pair["unique_id_r"]
            if right is not None and str(pair.get("source_dataset_l", "")).endswith("1"):
                a, b = b, a  # keep the left file's record on the left
            writer.writerow(
                [
                    a,
                    b,
                    f"{pair['match_probability']:.6f}",
                    f"{pair['match_weight']:.3f}",
                    summary(explain(pair, scored.levels)),
                ]
            )
            written += 1
    identities = 0
    if clusters_out is not None:
        identities = _write_clusters(
            clusters_out, tables, scored.pairs, threshold, left_ids, two_files=right is not None
        )
    return CsvResult(sum(t.num_rows for t in tables), written, identities, report, scored.notes)


def _write_clusters(
    path: Path,
    tables: list[pa.Table],
    pairs: pa.Table,
    threshold: float,
    left_ids: set[str],
    *,
    two_files: bool,
) -> int:
    def key(source: str, identifier: str) -> str:
        return f"{source}\x1f{identifier}"

    ids = [key(t.column("source")[0].as_py(), i) for t in tables for i in t.column("unique_id").to_pylist()]
    edges = []
    for pair in pairs.to_pylist():
        left_source = "right" if two_files and str(pair.get("source_dataset_l", "")).endswith("1") else "left"
        right_source = ("left" if left_source == "right" else "right") if two_files else "left"
        edges.append(
            Edge(
                key(left_source, pair["unique_id_l"]),
                key(right_source, pair["unique_id_r"]),
                pair["match_probability"],
            )
        )
    niks = dict(zip(ids, [n for t in tables for n in t.column("nik").to_pylist()], strict=True))
    clusters = cluster(ids, edges, threshold=threshold, niks=niks)
    numbers: dict[str, int] = {}
    with atomic_text(path, newline="") as handle:
        writer = SafeCsvWriter(csv.writer(handle))
        writer.writerow(["cluster_id", "file", "id"])
        for member in ids:
            number = numbers.setdefault(clusters[member], len(numbers) + 1)
            source, identifier = member.split("\x1f", 1)
            writer.writerow([number, source, identifier])
    return len(numbers)
