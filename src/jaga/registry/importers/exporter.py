"""Exports in the import formats, page by page (constant memory), each page read through the audited
read path like any other read of personal records."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any, TextIO

from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import Clock, UnitOfWork, utc_now
from jaga.errors import InvalidInput
from jaga.registry.importers.reader import FileFormat
from jaga.registry.kinds import KINDS, READS, Kind
from jaga.registry.services.reads import Purpose, list_records
from jaga.spreadsheet import SafeCsvWriter

PAGE = 500


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def _records(
    sessions: sessionmaker[Session], kind: Kind, actor: Actor, purpose: Purpose, clock: Clock
) -> Iterator[dict[str, Any]]:
    read = READS["adoption-cases"] if kind.name == "adoption-steps" else kind.read
    if read is None:
        raise InvalidInput(f"{kind.name} cannot be exported on its own")
    cursor = None
    while True:
        with UnitOfWork(sessions, clock) as uow:
            page = list_records(uow, read, actor=actor, purpose=purpose, limit=PAGE, cursor=cursor)
            if kind.export_enrich is not None:
                kind.export_enrich(uow.session, page.items)
        if kind.name == "adoption-steps":
            for case in page.items:
                for step in case["steps"][1:]:  # the application step travels with the case
                    documents = "; ".join(f"{d['kind']}={d['number']}" for d in step["documents"])
                    yield {**step, "case_ref": case["ref"], "documents": documents or None}
        else:
            yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def export_records(
    sessions: sessionmaker[Session],
    *,
    actor: Actor,
    kind_name: str,
    out: TextIO,
    fmt: FileFormat,
    reason: str | None,
    channel: str,
    clock: Clock = utc_now,
) -> int:
    """Write every record of a kind the actor may read, in that kind's import format; returns the count."""
    kind = KINDS.get(kind_name)
    if kind is None:
        raise InvalidInput(f"unknown kind {kind_name!r}; known: {', '.join(KINDS)}")
    columns = kind.columns
    writer = SafeCsvWriter(csv.writer(out)) if fmt == FileFormat.CSV else None
    if writer is not None:
        writer.writerow(columns)
    count = 0
    for record in _records(sessions, kind, actor, Purpose(reason, channel), clock):
        row = {c: _plain(record.get(c)) for c in columns}
        if writer is not None:
            writer.writerow(["" if row[c] is None else row[c] for c in columns])
        else:
            out.write(json.dumps({k: v for k, v in row.items() if v is not None}, ensure_ascii=False) + "\n")
        count += 1
    return count
