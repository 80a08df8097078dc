"""`jaga field`: offline field offices. On the device: init, record, outbox, export, ack. On the server:
enrol, revoke, devices, import, conflicts (acting as the account behind --token / JAGA_TOKEN)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from jaga.access.cli import acting
from jaga.cli_support import console, err_console, obj
from jaga.db import UnitOfWork
from jaga.errors import BatchRefused, EventContentConflict, InvalidInput, JagaError
from jaga.field.node import DEFAULT_STALE_MINUTES, FIELD_KINDS, VKEY_FILE
from jaga.files import atomic_write

app = typer.Typer(
    help="Offline field offices: signed, hash-chained records carried to the server.", no_args_is_help=True
)

NodeDir = Annotated[Path, typer.Option("--dir", help="the field node's folder (made by `jaga field init`)")]
KIND_HELP = "one of: " + ", ".join(FIELD_KINDS)


def _now() -> datetime:
    return datetime.now(UTC)


# --- the device ---------------------------------------------------------------------------------------


@app.command()
def init(
    server: Annotated[
        str, typer.Option(help="the jaga server this node syncs with, e.g. https://jaga.example")
    ],
    office: Annotated[str, typer.Option(help="the field office's ref (puskesmas, Disdukcapil office, team)")],
    node_dir: NodeDir,
    officer: Annotated[
        str | None, typer.Option(help="default officer (server username) for `jaga field record`")
    ] = None,
) -> None:
    """Create a field node: a local database with the registry's schema and an Ed25519 device key."""
    from jaga.field.node import init_node

    info = init_node(node_dir, server=server, office=office, officer=officer)
    console.print(f"field node {info.device} for office {info.office} in {node_dir}")
    console.print(f"device key for enrolment: {node_dir / VKEY_FILE}", soft_wrap=True)
    console.print("ask the district admin to run: jaga field enrol --device-vkey device.vkey --office ...")


def _read_rows(file: Path | None, csv_file: Path | None) -> tuple[list[dict[str, Any]], bool]:
    if (file is None) == (csv_file is None):
        raise InvalidInput("give exactly one of --file ROW.json and --csv ROWS.csv")
    path = file or csv_file
    assert path is not None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read {path.name} ({type(exc).__name__})") from exc
    if csv_file is not None:
        return [dict(row) for row in csv.DictReader(io.StringIO(text, newline=""))], True
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise InvalidInput(f"{path.name} is not JSON") from exc
    rows = value if isinstance(value, list) else [value]
    if not all(isinstance(row, dict) for row in rows):
        raise InvalidInput(f"{path.name}: expected a JSON object (or a list of them)")
    return rows, False


@app.command()
def record(
    kind: Annotated[str, typer.Argument(help=KIND_HELP)],
    node_dir: NodeDir,
    file: Annotated[Path | None, typer.Option("--file", help="one record (or a list) as JSON")] = None,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="records as CSV, columns as `jaga import`")
    ] = None,
    officer: Annotated[str | None, typer.Option(help="the officer (server username) recording it")] = None,
) -> None:
    """Validate records exactly as the server does and store them as signed events in the outbox."""
    from jaga.field.node import open_node
    from jaga.field.node import record as record_rows

    rows, from_file = _read_rows(file, csv_file)
    node = open_node(node_dir)
    try:
        who = officer or node.info.officer
        if not who:
            raise InvalidInput("--officer is required (no default officer was given to `jaga field init`)")
        recorded = record_rows(node, kind, rows, officer=who, now=_now(), from_file=from_file)
    finally:
        node.close()
    for item in recorded:
        refs = " ".join(f"{name}={value}" for name, value in item.refs.items())
        console.print(f"event {item.event_id} (#{item.seq}) pending {refs}", highlight=False)


@app.command()
def outbox(
    node_dir: NodeDir,
    stale_minutes: Annotated[
        int, typer.Option(min=1, help="a `sending` item older than this goes back to pending")
    ] = DEFAULT_STALE_MINUTES,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Each outbox item's state: pending, sending, sent or refused (with the last error)."""
    from jaga.field.node import open_node
    from jaga.field.node import outbox as outbox_items

    node = open_node(node_dir)
    try:
        items = outbox_items(node, now=_now(), stale_minutes=stale_minutes)
    finally:
        node.close()
    rows = [
        {
            "seq": i.seq,
            "event_id": i.event_id,
            "kind": i.kind,
            "officer": i.officer,
            "created_at": i.created_at.isoformat(),
            "state": i.state,
            "attempts": i.attempts,
            "last_error": i.last_error,
        }
        for i in items
    ]
    if as_json:
        console.print_json(json.dumps(rows))
        return
    table = Table("#", "event id", "kind", "state", "attempts", "last error")
    for r in rows:
        table.add_row(
            str(r["seq"]),
            str(r["event_id"]),
            str(r["kind"]),
            str(r["state"]),
            str(r["attempts"]),
            str(r["last_error"] or ""),
        )
    console.print(table)


@app.command()
def export(
    node_dir: NodeDir,
    out: Annotated[Path, typer.Option(help="the batch file to write, e.g. batch.jaga")],
) -> None:
    """Write every event the server has not acknowledged to a batch file (the sneakernet path)."""
    from jaga.field.node import export_batch, open_node

    node = open_node(node_dir)
    try:
        count = export_batch(node, out, now=_now())
    finally:
        node.close()
    console.print(
        f"{count} event(s) written to {out}" if count else "nothing to send: every event was acknowledged"
    )


@app.command()
def ack(
    receipt: Annotated[Path, typer.Argument(help="the receipt `jaga field import --receipt` wrote")],
    node_dir: NodeDir,
) -> None:
    """Mark outbox items sent or refused from the server's receipt."""
    from jaga.field.node import apply_receipt, open_node

    try:
        value = json.loads(receipt.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read the receipt {receipt.name} ({type(exc).__name__})") from exc
    if not isinstance(value, dict):
        raise InvalidInput("the receipt is not a JSON object")
    node = open_node(node_dir)
    try:
        counts = apply_receipt(node, value, now=_now())
    finally:
        node.close()
    console.print(f"{counts['sent']} sent, {counts['refused']} refused")


# --- the server ---------------------------------------------------------------------------------------


@app.command()
def enrol(
    ctx: typer.Context,
    device_vkey: Annotated[Path, typer.Option(help="the device's public key file (device.vkey)")],
    office: Annotated[str, typer.Option(help="the field office's ref")],
    reason: Annotated[str, typer.Option(help="why this device is enrolled (kept with it)")],
    region: Annotated[str | None, typer.Option(help="the office's region code (default: your scope)")] = None,
) -> None:
    """Enrol a field device (district admin, inside the admin's region)."""
    from jaga.field.services import enrol_device

    context = obj(ctx)
    actor = acting(context)
    try:
        vkey = device_vkey.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"--device-vkey: cannot read {device_vkey} ({type(exc).__name__})") from exc
    with UnitOfWork(context.ready_sessions()) as uow:
        device = enrol_device(uow, actor=actor, vkey=vkey, office=office, reason=reason, region=region)
        console.print(
            f"enrolled {device.device_id} for office {device.office_ref} in region {device.region_code}"
        )


@app.command()
def revoke(
    ctx: typer.Context,
    device: Annotated[str, typer.Argument(help="the device id, FD-...")],
    reason: Annotated[str, typer.Option(help="why (kept with the device)")],
) -> None:
    """Revoke a field device: its batches are refused from now on."""
    from jaga.field.services import revoke_device

    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        revoked = revoke_device(uow, actor=actor, device_id=device, reason=reason)
        console.print(f"revoked {revoked.device_id}")


@app.command()
def devices(ctx: typer.Context) -> None:
    """List the enrolled devices in your region."""
    from jaga.field.services import list_devices

    context = obj(ctx)
    actor = acting(context)
    table = Table("device", "office", "region", "enrolled", "events", "revoked")
    with UnitOfWork(context.ready_sessions()) as uow:
        for d in list_devices(uow, actor=actor):
            table.add_row(
                d.device_id, d.office_ref, d.region_code, d.enrolled_at.strftime("%Y-%m-%d"), str(d.last_seq),
                d.revoked_at.strftime("%Y-%m-%d") if d.revoked_at else "-",
            )  # fmt: skip
    console.print(table)


@app.command("import")
def import_command(
    ctx: typer.Context,
    batch: Annotated[Path, typer.Argument(help="a batch file from `jaga field export`")],
    receipt: Annotated[
        Path | None, typer.Option(help="write the per-event report here, for `jaga field ack` on the device")
    ] = None,
) -> None:
    """Verify a device's batch (enrolment, signatures, chain) and apply it, all or nothing."""
    from jaga.field.services import receive_batch

    context = obj(ctx)
    actor = acting(context)
    try:
        data = batch.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {batch} ({type(exc).__name__})") from exc
    try:
        with UnitOfWork(context.ready_sessions()) as uow:
            report = receive_batch(uow, actor=actor, data=data)
    except JagaError as exc:
        if receipt is not None:
            events = exc.report if isinstance(exc, BatchRefused) else []
            if isinstance(exc, EventContentConflict):
                events = [{"event_id": e, "outcome": "refused", "reason": exc.message} for e in exc.conflicts]
            atomic_write(
                receipt,
                json.dumps({"refused": True, "error": exc.message, "events": events}, indent=2) + "\n",
            )
        if isinstance(exc, BatchRefused):
            for entry in exc.report:
                if entry["outcome"] == "refused":
                    err_console.print(
                        f"event {entry['position']} ({entry['event_id']}): {entry['reason']}", highlight=False
                    )
        raise
    summary = report.as_dict()
    if receipt is not None:
        atomic_write(receipt, json.dumps(summary, indent=2) + "\n")
    console.print(
        f"device {report.device}: {summary['applied']} applied, {summary['already_have']} already held, "
        f"{summary['held']} held for review"
    )


@app.command()
def conflicts(
    ctx: typer.Context,
    reason: Annotated[str, typer.Option(help="why you read them (kept in the audit trail)")],
    as_json: Annotated[
        bool, typer.Option("--json", help="print JSON, with each field-by-field diff")
    ] = False,
) -> None:
    """The field events held for review (the same NIK registered centrally meanwhile, and the like)."""
    from jaga.field.conflicts import list_conflicts

    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        found = list_conflicts(uow, actor=actor, reason=reason, channel="cli jaga field conflicts")
    if as_json:
        console.print_json(
            json.dumps(
                [{**c.__dict__, "created_at": c.created_at.isoformat()} for c in found], ensure_ascii=False
            )
        )
        return
    table = Table("id", "event id", "device", "record", "conflict", "differing fields (legal status *)")
    for c in found:
        differing = sorted({d["field"] + ("*" if d["legal_status"] else "") for d in c.diff if not d["same"]})
        table.add_row(str(c.id), c.event_id, c.device_id, c.record_kind, c.kind, ", ".join(differing) or "-")
    console.print(table)


@app.command()
def resolve(
    ctx: typer.Context,
    conflict: Annotated[int, typer.Argument(help="the conflict's id (`jaga field conflicts`)")],
    note: Annotated[str, typer.Option(help="why (kept with the decision)")],
    apply: Annotated[
        bool, typer.Option("--apply/--dismiss", help="write the field record as recorded, or leave it out")
    ],
) -> None:
    """Decide a held field event: --apply writes it beside the central record (nothing merged)."""
    from jaga.field.conflicts import dependents, resolve_conflict

    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        done = resolve_conflict(
            uow, actor=actor, conflict_id=conflict, decision="apply" if apply else "dismiss", note=note
        )
        console.print(
            f"conflict {done.id} {done.status}" + (f": record {done.record_ref}" if done.record_ref else "")
        )
        for held in dependents(uow, done):  # released by an apply, or still waiting
            console.print(
                f"  dependent conflict {held.id} {held.status}"
                + (f": record {held.record_ref}" if held.record_ref else f" ({held.kind}: {held.reason})")
            )


@app.command("sync")
def sync_command(
    ctx: typer.Context,
    node_dir: NodeDir,
    chunk: Annotated[int, typer.Option(min=1, max=10_000, help="events per request")] = 500,
    timeout: Annotated[float, typer.Option(min=1, help="seconds to wait for each socket operation")] = 60,
    request_deadline: Annotated[
        float | None,
        typer.Option(min=1, help="seconds for a whole request (default: --timeout + 0.5 s per chunk event)"),
    ] = None,
    server: Annotated[str | None, typer.Option(help="the server (default: the one given to init)")] = None,
) -> None:
    """Send the outbox to the server over HTTP, chunk by chunk; run it again to resume after a break."""
    from jaga.errors import NotAuthenticated, Unavailable
    from jaga.field.node import open_node, sync
    from jaga.field.transport import default_deadline, http_transport

    settings = obj(ctx).settings
    token = settings.token.get_secret_value() if settings.token else None
    if not token:
        raise NotAuthenticated("sync acts as an account on the server: pass --token or set JAGA_TOKEN")
    node = open_node(node_dir)
    try:
        target = server or node.info.server
        deadline = request_deadline or default_deadline(timeout, chunk)
        transport = http_transport(target, token, timeout, deadline)
        summary = sync(node, transport, now=_now(), chunk=chunk)
    finally:
        node.close()
    console.print(f"{summary.sent} sent, {summary.refused} refused in {summary.chunks} request(s)")
    if summary.stopped and summary.refused:
        raise InvalidInput(f"sync refused: {summary.stopped}; see `jaga field outbox`")
    if summary.stopped:
        raise Unavailable(f"sync stopped: {summary.stopped}")
