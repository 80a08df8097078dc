"""`jaga evidence pack` (acts as an account: police or court) and `jaga evidence verify` (anyone,
offline: no database, no token)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jaga.access.cli import acting
from jaga.cli_support import console, obj, read_vkeys
from jaga.db import UnitOfWork
from jaga.errors import EvidenceInvalid, InvalidInput
from jaga.evidence.encryption import check_recipients, decrypt_with, encrypt_to, is_encrypted
from jaga.evidence.services import pack_case, pack_flag, pack_person
from jaga.evidence.verify import PackReport, verify_pack
from jaga.files import atomic_write_bytes
from jaga.registry import Purpose

app = typer.Typer(help="Evidence packs for court: pack a person's records with their proofs; verify a pack.")


@app.command()
def pack(
    ctx: typer.Context,
    reason: Annotated[
        str, typer.Option(help="why (e.g. a case number); kept in the audit trail and the pack")
    ],
    out: Annotated[Path, typer.Option(help="the zip file to write")],
    person: Annotated[str | None, typer.Option(help="pack this person's records (their ref)")] = None,
    case: Annotated[str | None, typer.Option(help="or: this adoption case's (its child's records)")] = None,
    flag: Annotated[
        int | None, typer.Option(min=1, max=2**62, help="or: the records this flag names (police)")
    ] = None,
    recipient: Annotated[
        list[str] | None,
        typer.Option("--recipient", help="encrypt the pack to this age public key, age1... (repeatable)"),
    ] = None,
) -> None:
    """Pack a person's records, events, salts, proofs, checkpoints and custody record (police, court)."""
    if [person, case, flag].count(None) != 2:
        raise InvalidInput("give exactly one of --person REF, --case REF and --flag ID")
    if recipient:
        check_recipients(recipient)
    context = obj(ctx)
    actor = acting(context)
    purpose = Purpose(reason, "cli evidence pack")
    with UnitOfWork(context.ready_sessions()) as uow:
        if person is not None:
            made = pack_person(uow, actor, person, purpose=purpose)
        elif case is not None:
            made = pack_case(uow, actor, case, purpose=purpose)
        else:
            assert flag is not None
            made = pack_flag(uow, actor, flag, purpose=purpose)
    content = encrypt_to(made.content, recipient) if recipient else made.content
    atomic_write_bytes(out, content)  # 0600: the pack names a child
    witnessed = "witnessed" if made.witnessed else "NOT witnessed (no cosigned checkpoint covers it)"
    console.print(
        f"wrote {out} ({len(content):,} bytes{', encrypted' if recipient else ''}): {made.events} events, "
        "checkpoints "
        f"{', '.join(str(s) for s in made.checkpoints)}, {witnessed}",
        highlight=False,
    )
    if made.not_in_log:
        console.print(f"{made.not_in_log} newer events are not in the log yet and are not in the pack")
    console.print(f"manifest SHA-256 {made.manifest_sha256} (logged as evidence pack #{made.pack_id})")


def print_report(report: PackReport) -> None:
    marks = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[yellow]-[/]"}
    for check in report.checks:
        console.print(f"{marks[check.ok]} {check.name}: {check.detail}", highlight=False, soft_wrap=True)
    console.print(
        f"manifest SHA-256 {report.manifest_sha256 or '-'}: compare it with the pack's "
        "evidence_pack.packed event in the log",
        highlight=False,
    )


@app.command()
def verify(
    pack_file: Annotated[Path, typer.Argument(metavar="PACK", help="the evidence pack (zip)")],
    vkey: Annotated[
        list[str],
        typer.Option("--vkey", help="the registry log's verifier key, or a file holding it (repeatable)"),
    ],
    witness_vkey: Annotated[
        list[str] | None, typer.Option("--witness-vkey", help="a trusted witness's key (repeatable)")
    ] = None,
    identity: Annotated[
        Path | None, typer.Option(help="an age identity file, to open a pack encrypted to its key")
    ] = None,
) -> None:
    """Check a pack offline and print each check: files, commitments, proofs, signatures, cosignatures."""
    if not pack_file.is_file():
        raise InvalidInput(f"no such file: {pack_file}")
    data = pack_file.read_bytes()
    if is_encrypted(data):
        if identity is None:
            raise InvalidInput("the pack is encrypted (age): give --identity with the recipient's key file")
        data = decrypt_with(data, identity)
    report = verify_pack(
        data,
        read_vkeys(vkey, "--vkey"),
        read_vkeys(witness_vkey or [], "--witness-vkey"),
    )
    print_report(report)
    if not report.ok:
        raise EvidenceInvalid(report.failures)
    console.print(f"[green]the pack verifies[/]: {report.events} events", highlight=False)
