"""`jaga ledger ...`: the log's keys, integration, static export, proofs and audits (server operator).

An adapter over `jaga.sequencer` (the log's database side); the rest of `jaga.ledger` stays pure.

Like `jaga db`, these act with the database and the key folder themselves, not through an account.
"""

from __future__ import annotations

import base64
import getpass
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jaga.cli_support import CliContext, console, err_console, obj, read_vkeys
from jaga.errors import AuditFailed, InvalidInput, JagaError, QuorumNotMet, Unavailable, WitnessPolicyInvalid
from jaga.ledger import LedgerError, parse_note, parse_vkey
from jaga.ledger.note import Verifier
from jaga.sequencer.audit import audit, record_audit
from jaga.sequencer.integrate import DEFAULT_BATCH, integrate
from jaga.sequencer.keys import init_keys, load_keys, promote_next_key, published_verifiers
from jaga.sequencer.services import (
    add_cosignatures,
    export_tiles,
    pending_events,
    prove_consistency,
    prove_inclusion,
    state,
)
from jaga.sequencer.witnessing import endpoints, load_policies, push_checkpoint

app = typer.Typer(help="The tamper-evident log of registry events (server operator).", no_args_is_help=True)

VkeyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--vkey",
        help="trusted log verifier key, or a file holding it (repeatable; default: the key folder's)",
    ),
]


def _verifiers(context: CliContext, vkeys: list[str] | None) -> list[Verifier]:
    if not vkeys:
        return published_verifiers(context.settings.key_dir)
    return read_vkeys(vkeys, "--vkey")


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


@app.command()
def init(
    ctx: typer.Context,
    rotate: Annotated[
        bool, typer.Option("--rotate", help="create the next key of a rotation (see docs/ledger.md)")
    ] = False,
) -> None:
    """Create the log's signing key (once) in the key folder; prints the verifier key to publish."""
    settings = obj(ctx).settings
    keys = init_keys(settings.key_dir, settings.ledger_origin, rotation=rotate)
    created = keys.next_signer if rotate and keys.next_signer is not None else keys.signer
    console.print(f"{'next ' if rotate else ''}log key created in {settings.key_dir} (never commit it)")
    console.print(created.verifier().vkey(), highlight=False, soft_wrap=True)


@app.command()
def promote(ctx: typer.Context) -> None:
    """Finish a key rotation: the next key becomes the log's key; the old private key is erased."""
    keys = promote_next_key(obj(ctx).settings.key_dir)
    console.print(f"the log now signs with {keys.vkey}", highlight=False, soft_wrap=True)


@app.command()
def vkey(ctx: typer.Context) -> None:
    """Print the log's verifier keys (signed-note format), current first."""
    for verifier in published_verifiers(obj(ctx).settings.key_dir):
        console.print(verifier.vkey(), highlight=False, soft_wrap=True)  # type: ignore[attr-defined]


@app.command("integrate")
def integrate_command(
    ctx: typer.Context,
    batch: Annotated[int, typer.Option(min=1, help="events per transaction and checkpoint")] = DEFAULT_BATCH,
    follow: Annotated[bool, typer.Option(help="keep integrating new events until interrupted")] = False,
    interval: Annotated[float, typer.Option(min=0.1, help="seconds between polls with --follow")] = 2.0,
    push: Annotated[
        bool,
        typer.Option(help="push each new checkpoint to the witnesses of JAGA_WITNESS_POLICY (if set)"),
    ] = True,
) -> None:
    """Append every committed event to the log and sign a checkpoint after each batch; then push the
    latest checkpoint to the witnesses and publish it with their cosignatures."""
    context = obj(ctx)
    sessions = context.ready_sessions()
    keys = load_keys(context.settings.key_dir)
    while True:
        with sessions() as session:
            pending = pending_events(session)
        with Progress(
            TextColumn("integrating"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
            disable=pending < batch,
        ) as bar:
            task = bar.add_task("events", total=pending)
            done = integrate(
                sessions,
                keys,
                origin=context.settings.ledger_origin,
                batch=batch,
                progress=lambda added, task=task: bar.update(task, completed=added),  # type: ignore[misc]
            )
        rate = done.added / done.seconds if done.seconds else 0.0
        if done.added or not follow:
            console.print(
                f"log size {done.size} (+{done.added} in {done.seconds:.1f} s, {rate:,.0f} events/s), "
                f"root {_b64(done.root)}",
                highlight=False,
            )
        if push and done.added and context.settings.witness_policy is not None:
            # A witness that is down must not stop the log: its failure is printed, and the next run
            # (or `jaga ledger witness-push`) asks again.
            try:
                _push(context, strict=False)
            except JagaError as exc:  # e.g. a policy file being edited: say so, keep integrating
                err_console.print(f"[red]✗[/] witnesses not asked: {exc.message}", highlight=False)
        if not follow:
            return
        time.sleep(interval)


def _push(context: CliContext, *, strict: bool) -> None:
    path = context.settings.witness_policy
    if path is None:
        raise WitnessPolicyInvalid("no witness policy: set JAGA_WITNESS_POLICY (see docs/ledger.md)")
    policies = load_policies(path)
    now = datetime.now(UTC)
    policy = policies.at(now)
    if policy is None:
        raise WitnessPolicyInvalid(f"no witness policy in {path} is in force at {now:%Y-%m-%d %H:%M} UTC")
    targets = endpoints(policy)
    if not targets:
        raise WitnessPolicyInvalid(f"the witness policy {policy.source} names no witness with a URL")
    log = published_verifiers(context.settings.key_dir)
    pushed = push_checkpoint(context.ready_sessions(), log, targets)
    for result in pushed.results:
        mark = "[green]✓[/]" if result.ok else "[red]✗[/]"
        console.print(f"{mark} witness {result.witness}: {result.detail}", highlight=False)
    judgement = policies.judge(parse_note(pushed.checkpoint), now=now)
    console.print(f"checkpoint {pushed.size}: {judgement.describe()}", highlight=False)
    if not strict:
        return
    if not any(result.ok for result in pushed.results):
        raise Unavailable("no witness cosigned the checkpoint")
    if not judgement.met:
        raise QuorumNotMet(f"checkpoint {pushed.size}: {judgement.describe()}")


@app.command("witness-push")
def witness_push(ctx: typer.Context) -> None:
    """Push the latest checkpoint to the witnesses of JAGA_WITNESS_POLICY (C2SP tlog-witness), publish
    it with the cosignatures collected; fails unless the policy's quorum is met."""
    _push(obj(ctx), strict=True)


@app.command()
def checkpoint(ctx: typer.Context) -> None:
    """Print the latest signed checkpoint."""
    with obj(ctx).ready_sessions()() as session:
        note = state(session).checkpoint
    typer.echo(note, nl=False)


@app.command("export-tiles")
def export_tiles_command(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="folder to write (checkpoint, tile/...) for a static host")],
) -> None:
    """Write a static copy of the log (tlog-tiles layout) any web host can serve."""
    with obj(ctx).ready_sessions()() as session:
        written = export_tiles(session, folder)
        size = state(session).size
    console.print(f"wrote {written} files for a log of size {size} to {folder}")


def _operator() -> str:
    """The operating-system account running the command (how an operator is known on the server)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment nor the password database
        return "operator"


def _run_by(by: str | None) -> str:
    name = _operator() if by is None else " ".join(by.split())
    if not name or len(name) > 64 or not name.isprintable():
        raise InvalidInput("--by: give who runs the audit in 1 to 64 printable characters")
    return name


@app.command("audit")
def audit_command(
    ctx: typer.Context,
    vkeys: VkeyOption = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="who runs it, kept with the result (default: the operating-system account); "
            "e.g. --by scheduler for a nightly run",
        ),
    ] = None,
) -> None:
    """Check every registry row against its events and every event against the signed log; the outcome
    and counts are kept (`ledger_audits`) and shown on the workbench's ledger status."""
    context = obj(ctx)
    verifiers = _verifiers(context, vkeys)
    run_by = _run_by(by)
    sessions = context.ready_sessions()
    started_at = datetime.now(UTC)
    with sessions() as session:
        report = audit(session, verifiers, origin=context.settings.ledger_origin)
    with sessions() as session, session.begin():
        record_audit(session, report, run_by=run_by, started_at=started_at, finished_at=datetime.now(UTC))
    console.print(
        f"log size {report.log_size}: {report.events_checked} events and {report.rows_checked} rows checked, "
        f"{report.pending_events} events not yet integrated",
        highlight=False,
    )
    for problem in report.problems:
        console.print(f"[red]✗[/] {problem}", highlight=False)
    if not report.clean:
        raise AuditFailed(f"{len(report.problems)} problems found")
    console.print("[green]✓[/] every row, event and tile agrees with the signed log")


@app.command()
def prove(
    ctx: typer.Context,
    seq: Annotated[int, typer.Argument(min=1, help="event sequence number")],
    old_size: Annotated[
        int | None, typer.Option(help="instead: prove the log of this size is a prefix of the current one")
    ] = None,
) -> None:
    """Print an inclusion proof for event SEQ (or a consistency proof) as JSON."""
    with obj(ctx).ready_sessions()() as session:
        if old_size is not None:
            size, hashes = prove_consistency(session, old_size)
            out = {"old_size": old_size, "size": size, "proof": [_b64(h) for h in hashes]}
        else:
            proof = prove_inclusion(session, seq)
            out = {
                "seq": seq,
                "index": proof.index,
                "size": proof.size,
                "proof": [_b64(h) for h in proof.proof],
                "checkpoint": proof.checkpoint,
            }
    typer.echo(json.dumps(out, indent=2))


@app.command("add-cosignature")
def add_cosignature_command(
    ctx: typer.Context,
    note_file: Annotated[
        Path,
        typer.Argument(
            help="checkpoint note carrying witness cosignatures", exists=True, dir_okay=False, readable=True
        ),
    ],
) -> None:
    """Attach witness cosignatures (from configured witnesses, JAGA_WITNESS_VKEYS) to a checkpoint."""
    context = obj(ctx)
    try:
        witnesses = [parse_vkey(v) for v in context.settings.witness_vkeys]
    except LedgerError as exc:
        raise InvalidInput(f"JAGA_WITNESS_VKEYS: {exc}") from exc
    text = note_file.read_text(encoding="utf-8")
    with context.ready_sessions()() as session, session.begin():
        added = add_cosignatures(session, text, published_verifiers(context.settings.key_dir), witnesses)
    console.print(f"cosignatures added: {', '.join(added)}")
