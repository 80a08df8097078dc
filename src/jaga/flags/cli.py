"""`jaga flags run|list|show|review`: run the detectors (server operator) and read and review flags
(as the account in JAGA_TOKEN, like the API)."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from jaga.access.cli import acting
from jaga.cli_support import console, err_console, obj
from jaga.db import UnitOfWork
from jaga.flags.models import FlagStatus
from jaga.spreadsheet import SafeCsvWriter

app = typer.Typer(
    help="Suspicious-pattern flags: run the detectors, read and review flags.", no_args_is_help=True
)

ReasonOption = Annotated[str, typer.Option(help="why you read these flags (kept in the audit trail)")]
LIST_COLUMNS = (
    "id",
    "score",
    "kind",
    "subject_type",
    "subject_ref",
    "status",
    "region_code",
    "explanation_en",
)


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


@app.command("run")
def run_command(
    ctx: typer.Context,
    today: Annotated[
        str | None, typer.Option(help="judge as of this date (YYYY-MM-DD); default: today")
    ] = None,
) -> None:
    """Run every detector over the registry and store the flags (server operator)."""
    from jaga.flags.runs import run_flags

    as_of = _parse_date(today) if today else None
    sessions = obj(ctx).ready_sessions()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,  # a log or a pipe gets the summary only
    ) as progress:
        task = progress.add_task("starting", total=None)
        summary = run_flags(
            sessions, today=as_of, progress=lambda stage: progress.update(task, description=stage)
        )
    console.print(
        f"run {summary.run_id} (as of {summary.as_of}): {summary.found:,} flags, {summary.new:,} new, "
        f"{summary.refreshed:,} found again, {summary.gone:,} no longer found; {summary.seconds:.1f} s",
        highlight=False,
    )
    table = Table("kind", "flags")
    for kind, count in summary.by_kind.items():
        table.add_row(kind, f"{count:,}")
    console.print(table)
    stages = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in summary.timings.items())
    console.print(f"stages: {stages}", style="dim", highlight=False)


def _parse_date(text: str) -> date:
    from jaga.errors import InvalidInput

    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"--today must be a date as YYYY-MM-DD, not {text!r}") from exc


@app.command("list")
def list_command(
    ctx: typer.Context,
    reason: ReasonOption,
    kind: Annotated[str | None, typer.Option(help="only this kind, e.g. nik_mismatch")] = None,
    status: Annotated[FlagStatus | None, typer.Option(help="only flags in this status")] = None,
    region: Annotated[str | None, typer.Option(help="only this region and below, e.g. 33.74")] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table, json or csv")] = OutputFormat.TABLE,
    limit: Annotated[int, typer.Option(min=1, max=500, help="at most this many flags")] = 50,
    include_gone: Annotated[bool, typer.Option(help="also flags the latest run no longer found")] = False,
) -> None:
    """Flags in your region, most suspicious first (audited)."""
    from jaga.flags.services import FlagFilter, list_flags

    context = obj(ctx)
    actor = acting(context)
    wanted = FlagFilter(kind=kind, status=status, region=region, present_only=not include_gone)
    with UnitOfWork(context.ready_sessions()) as uow:
        page = list_flags(uow, actor, wanted=wanted, reason=reason, channel="cli flags list", limit=limit)
    _render(page.items, output)


def _render(items: list[dict[str, Any]], output: OutputFormat) -> None:
    if output == OutputFormat.JSON:
        sys.stdout.write(json.dumps(items, default=str, ensure_ascii=False, indent=2) + "\n")
        return
    if output == OutputFormat.CSV:
        writer = SafeCsvWriter(csv.writer(sys.stdout))
        writer.writerow([*LIST_COLUMNS, "records"])
        for item in items:
            writer.writerow([*(item[c] for c in LIST_COLUMNS), " ".join(item["records"])])
        return
    # The id and the subject's ref are what a reader acts on (`flags show ID`, `flags review ID`): their
    # columns never shrink below the longest value, so a narrow terminal wraps the explanation instead.
    table = Table()
    table.add_column(
        "id", no_wrap=True, justify="right", min_width=max((len(str(i["id"])) for i in items), default=2)
    )
    table.add_column("score", no_wrap=True)
    table.add_column("kind", overflow="fold")
    table.add_column(
        "subject", overflow="fold", min_width=max((len(str(i["subject_ref"])) for i in items), default=7)
    )
    table.add_column("status", overflow="fold")
    table.add_column("region", no_wrap=True)
    table.add_column("explanation", ratio=1, overflow="fold")
    for item in items:
        table.add_row(
            str(item["id"]),
            f"{item['score']:.2f}",
            item["kind"],
            f"{item['subject_type']} {item['subject_ref']}",
            item["status"],
            item["region_code"],
            item["explanation_en"],
        )
    console.print(table)
    if not items:
        console.print("no flags match", style="dim")


@app.command("show")
def show_command(
    ctx: typer.Context, flag_id: Annotated[int, typer.Argument(min=1)], reason: ReasonOption
) -> None:
    """One flag: its explanation in both languages, the evidence, the records and the review trail."""
    from jaga.flags.services import get_flag

    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        flag = get_flag(uow, actor, flag_id, reason=reason, channel="cli flags show")
    _show(flag)


def _show(flag: dict[str, Any]) -> None:
    console.print(
        f"flag {flag['id']}: {flag['kind']} on {flag['subject_type']} {flag['subject_ref']} "
        f"(score {flag['score']:.2f}, {flag['status']}{'' if flag['present'] else ', no longer found'})",
        highlight=False,
    )
    console.print(f"ID: {flag['explanation_id']}", highlight=False)
    console.print(f"EN: {flag['explanation_en']}", highlight=False)
    console.print_json(json.dumps(flag["evidence"], default=str, ensure_ascii=False))
    console.print(f"records: {' '.join(flag['records'])}", highlight=False)
    for change in flag["history"]:
        console.print(
            f"  {change['changed_at']:%Y-%m-%d %H:%M} {change['from_status']} -> {change['to_status']}"
            f" (account {change['principal_id']}): {change['note'] or ''}",
            highlight=False,
        )


@app.command("review")
def review_command(
    ctx: typer.Context,
    flag_id: Annotated[int, typer.Argument(min=1)],
    status: Annotated[FlagStatus, typer.Option(help="under_review, dismissed, escalated or open")],
    note: Annotated[str | None, typer.Option(help="why (required to dismiss or escalate)")] = None,
) -> None:
    """Change a flag's status, with a note (acts as your account; recorded in the ledger)."""
    from jaga.flags.services import change_status

    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        flag = change_status(uow, actor, flag_id, status=status, note=note, channel="cli flags review")
    console.print(f"flag {flag['id']} is now {flag['status']}", highlight=False)


@app.command("evaluate")
def evaluate_command(
    ctx: typer.Context,
    truth: Annotated[Path, typer.Option(help="the synthetic data folder (or its truth/ folder) imported")],
    budget: Annotated[int, typer.Option(min=1, help="subjects a review team looks at, best first")] = 50,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json")] = OutputFormat.TABLE,
) -> None:
    """Judge the latest run's flags against synthetic ground truth: precision, recall per scheme type
    and for whole rings at the review budget, false alarms on the benign look-alikes, each flag kind
    (tip_corroborates too), and the same figures without the tips' flags."""
    from jaga.flags.evaluate import evaluate_database, summary_tables

    with obj(ctx).ready_sessions()() as session:
        evaluation = evaluate_database(session, truth, budget=budget)
    if output == OutputFormat.JSON:
        sys.stdout.write(json.dumps(evaluation.as_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    for title, header, rows in summary_tables(evaluation):
        table = Table(*header, title=title)
        for row in rows:
            table.add_row(*row)
        console.print(table)
    for alarm in evaluation.lookalike_flags:
        console.print(f"false alarm on a look-alike: {alarm}", style="red", highlight=False)
