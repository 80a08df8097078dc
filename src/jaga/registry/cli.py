"""`jaga import KIND FILE` and `jaga export KIND`: bulk records in and out, as an account."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from jaga.access.cli import acting
from jaga.cli_support import console, err_console, obj
from jaga.errors import ImportRejected, InvalidInput
from jaga.files import atomic_text
from jaga.registry.importers import FileFormat, detect_format, export_records, run_import
from jaga.registry.kinds import KINDS

KIND_HELP = "one of: " + ", ".join(KINDS)


def _kind(name: str) -> str:
    if name not in KINDS:
        raise InvalidInput(f"unknown kind {name!r}; {KIND_HELP}")
    return name


def import_command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=KIND_HELP)],
    file: Annotated[
        Path, typer.Argument(help="CSV or JSON Lines file (UTF-8), as documented in docs/imports.md")
    ],
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv or jsonl (default: from the extension)")
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="write the valid rows; put the invalid ones in --rejects")
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option(help="where rejected rows go (needs --skip-invalid)")
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="problem report CSV (default: under data/import-reports/)")
    ] = None,
    chunk_size: Annotated[
        int, typer.Option(min=1, max=100_000, help="rows validated and written together")
    ] = 1000,
) -> None:
    """Import records of KIND from FILE, all or nothing: any invalid row and nothing is written, with a
    report naming each bad row, column and reason (exit 3)."""
    context = obj(ctx)
    spec = KINDS[_kind(kind)]
    file_format = detect_format(file, fmt)
    if rejects is not None and not skip_invalid:
        raise InvalidInput("--rejects only makes sense with --skip-invalid")
    actor = acting(context)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report_path = report or context.settings.data_dir / "import-reports" / f"{kind}-{stamp}.csv"
    with Progress(
        TextColumn(f"importing {kind}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,  # a log or a pipe gets the summary line only
    ) as progress:
        task = progress.add_task(kind, total=file.stat().st_size if file.exists() else None)
        try:
            summary = run_import(
                context.ready_sessions(),
                actor=actor,
                kind=spec,
                path=file,
                fmt=file_format,
                report_path=report_path,
                skip_invalid=skip_invalid,
                rejects_path=rejects,
                chunk_size=chunk_size,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        except ImportRejected as exc:
            progress.stop()
            _show_problems(report_path)
            raise exc
    warned = f", {summary.warned} with warnings" if summary.warned else ""
    console.print(
        f"{summary.kind}: {summary.rows} rows read, {summary.written} written, {summary.rejected} rejected"
        + warned
    )
    if summary.rejected:
        console.print(f"rejected rows: {summary.rejects}; reasons: {summary.report}")
    if summary.warned:
        console.print(f"warnings: {summary.report}", soft_wrap=True)


def _show_problems(report_path: Path, limit: int = 50) -> None:
    import csv

    if not report_path.exists():
        return
    table = Table("row", "column", "reason", title="invalid rows (nothing was written)")
    with report_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        shown = 0
        for shown, entry in enumerate((e for e in reader if e.get("severity") != "warning"), start=1):
            if shown > limit:
                break
            table.add_row(entry["row"], entry["column"] or "-", entry["reason"])
    err_console.print(table)
    if shown > limit:
        err_console.print(f"... more in {report_path}")


def export_command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=KIND_HELP)],
    out: Annotated[
        Path | None, typer.Option("--out", help="file to write (default: standard output)")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or jsonl")] = "csv",
    reason: Annotated[
        str | None, typer.Option(help="why you export personal records (required for them; audited)")
    ] = None,
) -> None:
    """Export the records of KIND you may read, in KIND's import format."""
    context = obj(ctx)
    actor = acting(context)
    file_format = FileFormat(fmt) if fmt in ("csv", "jsonl") else detect_format(Path(f"x.{fmt}"))
    sessions = context.ready_sessions()
    with atomic_text(out, newline="") if out else nullcontext(sys.stdout) as handle:  # 0600, all or nothing
        count = export_records(
            sessions,
            actor=actor,
            kind_name=_kind(kind),
            out=handle,
            fmt=file_format,
            reason=reason,
            channel=f"cli export {kind}",
        )
    err_console.print(f"{count} {kind} exported" + (f" to {out}" if out else ""), highlight=False)
