"""`jaga tips list|show|ask|status`: read and handle anonymous tips, as the account in JAGA_TOKEN (like
the API; every read audited with its reason)."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from jaga.access.cli import acting
from jaga.cli_support import console, obj
from jaga.db import UnitOfWork
from jaga.spreadsheet import SafeCsvWriter
from jaga.tips.models import TipStatus

app = typer.Typer(
    help="Anonymous tips from the public portal: read them, ask the tipster, decide.", no_args_is_help=True
)

ReasonOption = Annotated[str, typer.Option(help="why you read these tips (kept in the audit trail)")]
LIST_COLUMNS = (
    "ref",
    "received_at",
    "status",
    "desk",
    "region_code",
    "platform",
    "phone",
    "handle",
    "url",
    "matches",
)


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def _json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, default=str, ensure_ascii=False, indent=2) + "\n")


@app.command("list")
def list_command(
    ctx: typer.Context,
    reason: ReasonOption,
    status: Annotated[TipStatus | None, typer.Option(help="only tips in this status")] = None,
    region: Annotated[str | None, typer.Option(help="only this region and below, e.g. 33.74")] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table, json or csv")] = OutputFormat.TABLE,
    limit: Annotated[int, typer.Option(min=1, max=500, help="at most this many tips")] = 50,
) -> None:
    """Tips in your region, newest first; whole-country accounts also see the national desk (audited)."""
    from jaga.tips.services import TipFilter, list_tips

    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        page = list_tips(
            uow,
            actor,
            wanted=TipFilter(status=status, region=region),
            reason=reason,
            channel="cli tips list",
            limit=limit,
        )
    if output == OutputFormat.JSON:
        _json(page.items)
        return
    if output == OutputFormat.CSV:
        writer = SafeCsvWriter(csv.writer(sys.stdout))
        writer.writerow(LIST_COLUMNS)
        for item in page.items:
            writer.writerow([item[c] if item[c] is not None else "" for c in LIST_COLUMNS])
        return
    table = Table()
    table.add_column("ref", no_wrap=True, min_width=max((len(i["ref"]) for i in page.items), default=3))
    for name in ("received", "status", "region", "platform", "matches"):
        table.add_column(name, overflow="fold")
    table.add_column("says", ratio=1, overflow="fold")
    for item in page.items:
        says = item["phone"] or item["handle"] or item["url"] or (item["description"] or "")[:80]
        table.add_row(
            item["ref"],
            f"{item['received_at']:%Y-%m-%d %H:%M}",
            item["status"],
            item["region_code"] or "national desk",
            item["platform"],
            str(item["matches"]),
            says,
        )
    console.print(table)
    if not page.items:
        console.print("no tips match", style="dim")


@app.command("show")
def show_command(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="the tip's ref, T-...")],
    reason: ReasonOption,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json")] = OutputFormat.TABLE,
) -> None:
    """One tip: what it says, the follow-ups, what it matched in the registry, its status history."""
    from jaga.tips.services import get_tip

    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        tip = get_tip(uow, actor, ref, reason=reason, channel="cli tips show")
    if output == OutputFormat.JSON:
        _json(tip)
        return
    _show(tip)


def say(text: str) -> None:
    console.print(text, highlight=False, markup=False)  # tip text may hold [brackets]: never markup


def _show(tip: dict[str, Any]) -> None:
    say(f"tip {tip['ref']} ({tip['status']}), received {tip['received_at']:%Y-%m-%d %H:%M} UTC")
    say(f"desk: {tip['region_code'] or 'national'}; place as written: {tip['place'] or '-'}")
    for name in ("platform", "url", "handle", "phone", "price_rupiah"):
        if tip[name] is not None:
            say(f"{name}: {tip[name]}")
    if tip["description"]:
        say(f"description: {tip['description']}")
    for shot in tip["screenshots"]:
        say(f"screenshot: {shot['sha256']} ({shot['media_type']}, {shot['width']}x{shot['height']})")
    for message in tip["messages"]:
        who = "officer asks" if message["kind"] == "question" else "tipster adds"
        reply = f" (answering #{message['reply_to']})" if message["reply_to"] else ""
        say(f"#{message['id']} {message['created_at']:%Y-%m-%d %H:%M} {who}{reply}: {message['body']}")
    if tip["matches"]:
        table = Table("field", "matches", "ref", "region", "how", "strength", title="matches")
        for match in tip["matches"]:
            table.add_row(
                match["field"],
                match["target_type"],
                match["target_ref"],
                match["target_region_code"] or "-",
                match["method"],
                f"{match['strength']:.2f}",
            )
        console.print(table)
    for change in tip["history"]:
        say(
            f"  {change['at']:%Y-%m-%d %H:%M} -> {change['status']} "
            f"(account {change['principal_id']}): {change['note'] or ''}"
        )


@app.command("ask")
def ask_command(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="the tip's ref, T-...")],
    question: Annotated[str, typer.Option(help="what you ask the tipster (they see it with their receipt)")],
) -> None:
    """Ask the tipster a question (ledgered); it appears on their status page."""
    from jaga.tips.schemas import QuestionIn
    from jaga.tips.services import ask_question

    body = _parse(QuestionIn, {"question": question})
    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        ask_question(uow, actor, ref, question=body.question, channel="cli tips ask")
    console.print(f"question added to tip {ref}", highlight=False)


@app.command("status")
def status_command(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="the tip's ref, T-...")],
    status: Annotated[TipStatus, typer.Option(help="under_review, referred or closed")],
    note: Annotated[str | None, typer.Option(help="why, or to whom (required to refer or close)")] = None,
) -> None:
    """Change a tip's status, with a note (ledgered); the tipster sees the new status."""
    from jaga.tips.schemas import StatusIn
    from jaga.tips.services import change_status

    body = _parse(StatusIn, {"status": status.value, "note": note})
    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        tip = change_status(uow, actor, ref, status=body.status, note=body.note, channel="cli tips status")
    console.print(f"tip {tip['ref']} is now {tip['status']}", highlight=False)


def _parse(model: Any, values: dict[str, Any]) -> Any:
    from pydantic import ValidationError

    from jaga.errors import InvalidInput

    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise InvalidInput(
            "; ".join(f"{'.'.join(map(str, e['loc'])) or 'input'}: {e['msg']}" for e in exc.errors())
        ) from exc
