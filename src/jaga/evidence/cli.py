"""`jaga evidence pack` and `jaga evidence seal` (act as an account: police or court) and `jaga evidence
verify` (anyone, offline: no database, no token)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from jaga.access.cli import acting
from jaga.cli_support import CliContext, console, obj, read_vkeys
from jaga.db import UnitOfWork
from jaga.errors import EvidenceInvalid, InvalidInput
from jaga.evidence.encryption import check_recipients, decrypt_with, encrypt_to, is_encrypted
from jaga.evidence.format import MANIFEST
from jaga.evidence.seal import SealRefused, seal_pack
from jaga.evidence.sealing import seal_receipt
from jaga.evidence.services import PackMade, pack_case, pack_flag, pack_person
from jaga.evidence.trust import WitnessTrust
from jaga.evidence.verify import PackReport, verify_pack
from jaga.evidence.witnessed import PackOptions, server_trust
from jaga.files import atomic_write_bytes
from jaga.registry import Purpose
from jaga.sequencer.witnessing import load_policies

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
    require_witnessed: Annotated[
        bool,
        typer.Option(
            "--require-witnessed",
            help="refuse (exit 6) unless every event is in a checkpoint the configured witnesses verifiably "
            "cosigned (JAGA_WITNESS_VKEYS or JAGA_WITNESS_POLICY), rather than pack with a warning",
        ),
    ] = False,
) -> None:
    """Pack a person's records, events, salts, proofs, checkpoints and custody record (police, court)."""
    if [person, case, flag].count(None) != 2:
        raise InvalidInput("give exactly one of --person REF, --case REF and --flag ID")
    if recipient:
        check_recipients(recipient)
    context = obj(ctx)
    actor = acting(context)
    purpose = Purpose(reason, "cli evidence pack")
    options = PackOptions(_trust(context), require_witnessed)
    with UnitOfWork(context.ready_sessions()) as uow:
        if person is not None:
            made = pack_person(uow, actor, person, purpose=purpose, options=options)
        elif case is not None:
            made = pack_case(uow, actor, case, purpose=purpose, options=options)
        else:
            assert flag is not None
            made = pack_flag(uow, actor, flag, purpose=purpose, options=options)
    content = encrypt_to(made.content, recipient) if recipient else made.content
    atomic_write_bytes(out, content)  # 0600: the pack names a child
    console.print(
        f"wrote {out} ({len(content):,} bytes{', encrypted' if recipient else ''}): {made.events} events, "
        f"checkpoints {', '.join(str(s) for s in made.checkpoints)}, {_witnessed(made)}",
        highlight=False,
    )
    for warning in made.warnings:
        console.print(f"[yellow]warning[/]: {warning}", highlight=False, soft_wrap=True)
    if made.not_in_log:
        console.print(f"{made.not_in_log} newer events are not in the log yet and are not in the pack")
    console.print(f"manifest SHA-256 {made.manifest_sha256} (logged as evidence pack #{made.pack_id})")
    console.print(
        f"unsealed: once the log holds its packing event (seq {made.packing_seq}) under a witnessed "
        f"checkpoint, run `jaga evidence seal {out} --out SEALED`",
        highlight=False,
    )


def _trust(context: CliContext) -> WitnessTrust:
    settings = context.settings
    return server_trust(list(settings.witness_vkeys), settings.witness_policy)


def _witnessed(made: PackMade) -> str:
    if made.witnessed:
        return f"witnessed (cosignatures verified: {', '.join(made.witnesses)})"
    return "NOT witnessed (no checkpoint the configured witnesses verifiably cosigned covers it)"


def _open(pack_file: Path, identity: Path | None) -> bytes:
    if not pack_file.is_file():
        raise InvalidInput(f"no such file: {pack_file}")
    data = pack_file.read_bytes()
    if is_encrypted(data):
        if identity is None:
            raise InvalidInput("the pack is encrypted (age): give --identity with the recipient's key file")
        data = decrypt_with(data, identity)
    return data


def _manifest(data: bytes) -> tuple[str, int]:
    """The pack's manifest hash and its latest checkpoint's size (what a seal is asked for)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            raw = archive.read(MANIFEST)
        manifest = json.loads(raw)
        size = max(int(c["size"]) for c in manifest["checkpoints"])
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise InvalidInput(f"not an evidence pack with a readable {MANIFEST} ({type(exc).__name__})") from exc
    return hashlib.sha256(raw).hexdigest(), size


@app.command()
def seal(
    ctx: typer.Context,
    pack_file: Annotated[Path, typer.Argument(metavar="PACK", help="the evidence pack (zip)")],
    out: Annotated[Path, typer.Option(help="the sealed zip to write")],
    receipt: Annotated[
        Path | None,
        typer.Option(help="apply this receipt (from POST /api/v1/evidence/seals) offline instead of asking"),
    ] = None,
    identity: Annotated[
        Path | None, typer.Option(help="an age identity file, to open an encrypted pack")
    ] = None,
    recipient: Annotated[
        list[str] | None,
        typer.Option("--recipient", help="encrypt the sealed pack to this age public key (repeatable)"),
    ] = None,
) -> None:
    """Add the log's proof that the registry made this pack: its packing event's inclusion proof up to a
    witnessed checkpoint, and consistency from the pack's own checkpoint (police, court)."""
    if recipient:
        check_recipients(recipient)
    elif pack_file.is_file() and is_encrypted(pack_file.read_bytes()):
        # Never write in the clear what arrived encrypted, by omission.
        raise InvalidInput("the pack is encrypted (age): give --recipient to encrypt the sealed pack too")
    data = _open(pack_file, identity)
    digest, from_size = _manifest(data)
    if receipt is not None:
        given = _receipt_file(receipt)
        packing, seal_value, where = given["packing"], given["seal"], f"receipt {receipt}"
    else:
        context = obj(ctx)
        actor = acting(context)
        with context.ready_sessions()() as session:
            made = seal_receipt(
                session, actor, digest, from_size=from_size, trust=_trust(context), now=datetime.now(UTC)
            )
        packing, seal_value = made.packing, made.seal
        where = f"checkpoint {made.checkpoint_size}, cosigned by {', '.join(made.witnesses)}"
    try:
        sealed = seal_pack(data, packing, seal_value)
    except SealRefused as exc:
        raise InvalidInput(str(exc)) from exc
    content = encrypt_to(sealed, recipient) if recipient else sealed
    atomic_write_bytes(out, content)  # 0600: the pack names a child
    console.print(
        f"wrote {out} ({len(content):,} bytes): sealed, packing event {packing.get('seq')} proven to {where}",
        highlight=False,
    )


def _receipt_file(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(value, dict) or not {"packing", "seal"} <= set(value):
            raise ValueError("expected an object with packing and seal")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(f"{path} is not a seal receipt ({exc})") from exc
    return value


def print_report(report: PackReport) -> None:
    marks = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[yellow]-[/]"}
    for check in report.checks:
        console.print(f"{marks[check.ok]} {check.name}: {check.detail}", highlight=False, soft_wrap=True)
    where = (
        "the seal proves the log holds it"
        if report.sealed
        else "compare it with the pack's evidence_pack.packed event in the log"
    )
    console.print(f"manifest SHA-256 {report.manifest_sha256 or '-'}: {where}", highlight=False)


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
    policy: Annotated[
        Path | None,
        typer.Option(
            help="judge the witnesses by this C2SP tlog-policy file (or folder of *.policy files, each with "
            "its validity window): every checkpoint an event is proven to must meet its quorum"
        ),
    ] = None,
    require_seal: Annotated[
        bool, typer.Option("--require-seal", help="fail (exit 1) if the pack is not sealed")
    ] = False,
) -> None:
    """Check a pack offline and print each check: files, commitments, proofs, signatures, cosignatures,
    the witness policy, and the seal."""
    data = _open(pack_file, identity)
    report = verify_pack(
        data,
        read_vkeys(vkey, "--vkey"),
        read_vkeys(witness_vkey or [], "--witness-vkey"),
        policy=load_policies(policy) if policy is not None else None,
        now=datetime.now(UTC),
    )
    print_report(report)
    failures = report.failures
    if require_seal and not report.sealed:
        failures = [*failures, "seal: the pack is not sealed, and --require-seal was given"]
    if failures:
        raise EvidenceInvalid(failures)
    if report.sealed:
        unchecked = (
            "" if witness_vkey or policy else " (its witnesses not checked: give --witness-vkey or --policy)"
        )
        console.print(
            f"[green]the pack verifies and is sealed[/]: {report.events} events; the log proves the "
            f"registry made this very pack{unchecked}",
            highlight=False,
        )
    else:
        console.print(
            f"[yellow]the pack's contents verify, but it is UNSEALED[/]: {report.events} events; the log "
            "does not yet prove that the registry made this pack (seal it: `jaga evidence seal`)",
            highlight=False,
        )
