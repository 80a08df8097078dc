"""All-or-nothing imports: every row validated by the API's own schema and written by the same use case.

The whole file is one transaction. Rows are validated and written in chunks (constant memory), the next
chunks read and validated in a thread while one is written (`_ReadAhead`); every problem is streamed to a
report file. At the end: any problem and no `skip_invalid` means rollback and
ImportRejected, so nothing is written; otherwise the good rows commit together and, with `skip_invalid`,
the bad ones go to the rejects file with their reasons. Refused or not, a given rejects file receives the
invalid rows with their reasons, so that they can be corrected and sent again (the workbench's import
page offers it for download after a refusal).
"""

from __future__ import annotations

import csv
import json
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import Clock, UnitOfWork, utc_now
from jaga.db.bulk import prepare_bulk_load
from jaga.errors import ImportFileInvalid, ImportRejected, JagaError
from jaga.files import PendingFile
from jaga.registry.importers.reader import FileFormat, RawRow, RowSource, open_rows
from jaga.registry.kinds import Kind
from jaga.registry.schemas.types import FROM_FILE
from jaga.registry.services.batch import Batch, RowProblem
from jaga.spreadsheet import SafeCsvWriter

DEFAULT_CHUNK = 1000
SHOWN_PROBLEMS = 50  # kept in memory for the terminal; the report file has them all

Progress = Callable[[int, int], None]  # (bytes read, total bytes)
Describe = Callable[[RowProblem], str]  # one problem as the rejects file's reasons column says it


def describe_in_english(problem: RowProblem) -> str:
    return f"{problem.field or 'row'}: {problem.reason}"


@dataclass
class ImportSummary:
    kind: str
    rows: int
    written: int
    rejected: int
    report: Path | None
    rejects: Path | None
    first_problems: list[RowProblem]
    warned: int = 0  # rows written with warnings (listed in the report, severity "warning")


def validation_problems(row: int, exc: ValidationError, values: dict[str, Any]) -> list[RowProblem]:
    """Pydantic's errors as row problems, without echoing the submitted values."""
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        location = error.get("loc", ())
        field = str(location[0]) if location else None
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        blank = field is not None and (values.get(field) is None or str(values.get(field)).strip() == "")
        if len(location) == 1 and (error.get("type") == "missing" or blank):
            message = "is required"
        if len(location) > 1:
            message = f"{'.'.join(str(p) for p in location[1:])}: {message}"
        problems.append(RowProblem(row, field, message))
    return problems


class _Report:
    """Streams problems (and warnings) to a CSV report and remembers the first problems for the terminal."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._file: PendingFile | None = None
        self._writer: Any = None
        self.count = 0
        self.bad_rows = 0  # a row's problems arrive together, so counting changes of row counts rows
        self._last_row: int | None = None
        self.first: list[RowProblem] = []
        self.warnings = 0
        self.warned_rows = 0
        self._last_warned: int | None = None

    def _write(self, problem: RowProblem, severity: str) -> None:
        if self._writer is None and self.path is not None:
            self._file = PendingFile(self.path, newline="")
            self._writer = SafeCsvWriter(csv.writer(self._file.text))
            self._writer.writerow(["row", "column", "reason", "severity"])
        if self._writer is not None:
            self._writer.writerow([problem.row, problem.field or "", problem.reason, severity])

    def warn(self, warning: RowProblem) -> None:
        """A row written with a warning: reported, never a reason to refuse the file."""
        self._write(warning, "warning")
        self.warnings += 1
        if warning.row != self._last_warned:
            self.warned_rows += 1
            self._last_warned = warning.row

    def add(self, problem: RowProblem) -> None:
        self._write(problem, "error")
        self.count += 1
        if problem.row != self._last_row:
            self.bad_rows += 1
            self._last_row = problem.row
        if len(self.first) < SHOWN_PROBLEMS:
            self.first.append(problem)

    def close(self, *, keep: bool) -> None:
        if self._file is not None:
            self._file.commit() if keep else self._file.discard()


class _Rejects:
    """The rejected rows, in the input's own format, with a `_reasons` column or field."""

    def __init__(self, path: Path, fmt: FileFormat, columns: list[str]) -> None:
        self._pending = PendingFile(path, newline="")
        self._file = self._pending.text
        self._fmt = fmt
        self._csv: Any = None
        if fmt == FileFormat.CSV:
            self._csv = SafeCsvWriter(csv.writer(self._file))
            self._csv.writerow(["_row", *columns, "_reasons"])
        self._columns = columns

    def add(self, row: RawRow, reasons: str) -> None:
        if self._csv is not None:
            fields = list(row.raw) if isinstance(row.raw, list) else []
            fields += [""] * (len(self._columns) - len(fields))
            self._csv.writerow([row.number, *fields[: len(self._columns)], reasons])
        else:
            try:
                value = json.loads(row.raw) if isinstance(row.raw, str) else {}
            except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
                value = {"_raw": row.raw}
            if not isinstance(value, dict):
                value = {"_raw": value}
            self._file.write(
                json.dumps({"_row": row.number, **value, "_reasons": reasons}, ensure_ascii=False)
            )
            self._file.write("\n")

    def close(self, *, keep: bool) -> None:
        self._pending.commit() if keep else self._pending.discard()


@dataclass
class _Checked:
    """A chunk of rows as read and validated, before any of it is written."""

    rows: list[RawRow]
    valid: list[tuple[int, Any]]  # (row number, validated input)
    problems: list[RowProblem]  # the other rows' problems, in row order
    position: int  # bytes of the file read once the chunk was


def _checked_chunks(
    source: RowSource, size: int, validate: Callable[[dict[str, Any]], Any]
) -> Iterator[_Checked]:
    """The file's rows in chunks of `size`, each row validated by the kind's schema. Touches no database:
    this is the part of an import that can run ahead of the writes (see `_ReadAhead`)."""
    rows = source.rows
    while True:
        chunk = list(islice(rows, size))
        if not chunk:
            return
        valid: list[tuple[int, Any]] = []
        problems: list[RowProblem] = []
        for raw in chunk:
            if raw.problem is not None:
                problems.append(RowProblem(raw.number, None, raw.problem))
                continue
            try:
                valid.append((raw.number, validate(raw.values)))
            except ValidationError as exc:
                problems.extend(validation_problems(raw.number, exc, raw.values))
        yield _Checked(chunk, valid, problems, source.position())


class _End:
    """The reading thread's last item: the end of the file, or the exception that stopped it."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class _ReadAhead:
    """Reads and validates the next chunks in a thread while the current one is written.

    Every database statement stays on the importing thread, in the same order as without it, so the
    transaction, the moment an error surfaces and what a crash leaves are unchanged; only reading the
    file and the schema checks move. The overlap comes from the database calls, during which the
    importing thread releases the GIL: PostgreSQL's round trips and the end of each COPY, where the
    client waits for the server to catch up, and SQLite's own work. At most DEPTH chunks wait, so memory
    stays constant. An exception in the thread (a file that stops being UTF-8) is raised here in its turn,
    after the chunks read before it.
    """

    DEPTH = 2

    def __init__(self, chunks: Iterator[_Checked]) -> None:
        self._queue: queue.Queue[_Checked | _End] = queue.Queue(maxsize=self.DEPTH)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(chunks,), name="jaga-import-read", daemon=True
        )
        self._thread.start()

    def _run(self, chunks: Iterator[_Checked]) -> None:
        try:
            for checked in chunks:
                if not self._put(checked):
                    return
        except BaseException as exc:  # handed to the importing thread, which decides
            self._put(_End(exc))
            return
        self._put(_End())

    def _put(self, item: _Checked | _End) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator[_Checked]:
        while True:
            item = self._queue.get()
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield item

    def close(self) -> None:
        """Stop reading (the import ended, or stopped early) and wait for the thread."""
        self._stop.set()
        self._thread.join()


def run_import(
    sessions: sessionmaker[Session],
    *,
    actor: Actor,
    kind: Kind,
    path: Path,
    fmt: FileFormat,
    report_path: Path | None,
    skip_invalid: bool = False,
    rejects_path: Path | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    clock: Clock = utc_now,
    progress: Progress | None = None,
    describe: Describe = describe_in_english,
    read_ahead_chunks: bool = True,
) -> ImportSummary:
    """Import a file of `kind` as `actor`. Raises ImportRejected (nothing written) on any invalid row,
    unless `skip_invalid`, which writes the good rows. Either way the bad rows go to `rejects_path`, when
    given, each with its reasons as `describe` words them (the report file keeps them in English)."""
    if skip_invalid and rejects_path is None:
        raise ImportFileInvalid("--skip-invalid needs --rejects FILE, so that no row is silently lost")
    if kind.write_action is not None:
        actor.require(kind.write_action)  # refuse before reading a byte, not once per row
    source = open_rows(path, fmt, allowed=kind.columns, required=kind.required_columns)
    report = _Report(report_path)
    rejects = _Rejects(rejects_path, fmt, source.columns) if rejects_path else None
    total_rows = 0
    read_ahead: _ReadAhead | None = None
    try:
        with UnitOfWork(sessions, clock) as uow:
            prepare_bulk_load(uow.session)
            batch = Batch(uow, actor)
            context = {"today": batch.today, FROM_FILE: True}
            # `kind.schema.model_validate(values, context=context)` without its Python wrapper (per row).
            validate = kind.schema.__pydantic_validator__.validate_python
            chunks = _checked_chunks(source, chunk_size, lambda values: validate(values, context=context))
            read_ahead = _ReadAhead(chunks) if read_ahead_chunks else None
            for checked in read_ahead if read_ahead is not None else chunks:
                valid = checked.valid
                by_number = {raw.number: raw for raw in checked.rows}
                reasons: dict[int, list[str]] = {}
                total_rows += len(checked.rows)
                for problem in checked.problems:
                    report.add(problem)
                    reasons.setdefault(problem.row, []).append(describe(problem))
                if valid:
                    outcome = kind.write(batch, valid)
                    for problem in outcome.problems:
                        report.add(problem)
                        reasons.setdefault(problem.row, []).append(describe(problem))
                    for warning in outcome.warnings:
                        report.warn(warning)
                uow.flush_events()
                uow.session.expunge_all()  # constant memory: rows already flushed need not stay loaded
                if rejects is not None:
                    for number in sorted(reasons):
                        rejects.add(by_number[number], "; ".join(reasons[number]))
                if progress is not None:
                    progress(checked.position, source.size)
            if total_rows == 0:
                raise ImportFileInvalid(f"file {path.name} has no data rows")
            if report.count and not skip_invalid:
                uow.rollback()
                raise ImportRejected(kind.name, report.bad_rows, str(report.path) if report.path else None)
            uow.commit()
    except BaseException as exc:
        # The report and rejects files appear whole, or not at all: kept when the import ended or was
        # refused on purpose (they say why), removed after a bug or an interruption.
        complete = isinstance(exc, JagaError)
        raise
    else:
        complete = True
    finally:
        if read_ahead is not None:
            read_ahead.close()  # before the file it reads is closed
        source.close()
        report.close(keep=complete)
        if rejects is not None:
            rejects.close(keep=complete)
    return ImportSummary(
        kind=kind.name,
        rows=total_rows,
        written=total_rows - report.bad_rows,
        rejected=report.bad_rows,
        report=report.path if report.count or report.warnings else None,
        rejects=rejects_path if skip_invalid and report.count else None,
        first_problems=report.first,
        warned=report.warned_rows,
    )
