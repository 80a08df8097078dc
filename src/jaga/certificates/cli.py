"""`jaga certificate ...` (acts as an account, like the API) and `jaga verify` (anyone, offline)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from jaga.access.cli import acting
from jaga.certificates import services
from jaga.certificates.documents import LogAccess, payload_of, pdf_of
from jaga.certificates.payload import is_payload
from jaga.certificates.services import CertificateView
from jaga.certificates.verify import Verification, verify_online, verify_payload
from jaga.cli_support import CliContext, console, obj, read_vkeys
from jaga.db import UnitOfWork
from jaga.errors import CertificateInvalid, InvalidInput, SigningKeyMissing
from jaga.files import atomic_write_bytes
from jaga.registry import Purpose
from jaga.sequencer import published_verifiers
from jaga.sequencer.witnessing import load_policies

app = typer.Typer(
    help="Verifiable birth and adoption certificates (acts as your account).", no_args_is_help=True
)

ReasonOption = Annotated[str, typer.Option(help="why you read this child's record (kept in the audit trail)")]


def _log(context: CliContext) -> LogAccess:
    return LogAccess(
        context.settings.key_dir, context.settings.ledger_origin, context.settings.witness_policy
    )


def _show(view: CertificateView) -> None:
    console.print(
        f"certificate {view.ref}: {view.kind}, {view.status}, for {view.subject_ref}", highlight=False
    )


def _write_pdf(context: CliContext, view: CertificateView, out: Path) -> None:
    pdf = pdf_of(context.sessions(), view, _log(context), base_url=context.settings.served_url)
    atomic_write_bytes(out, pdf)  # 0600: a certificate names a child
    console.print(f"wrote {out} ({len(pdf):,} bytes)")


@app.command()
def issue(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="birth or adoption")],
    subject_ref: Annotated[str, typer.Argument(help="the birth's ref, or the adoption case's ref")],
    reason: ReasonOption,
    out: Annotated[Path | None, typer.Option(help="also write the PDF here")] = None,
) -> None:
    """Issue a certificate for a registered birth or adoption (registrars)."""
    if kind != "birth" and kind != "adoption":
        raise InvalidInput(f"kind must be birth or adoption, not {kind!r}")
    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        view = services.issue(
            uow,
            actor,
            kind="birth" if kind == "birth" else "adoption",
            subject_ref=subject_ref,
            purpose=Purpose(reason, "cli certificate issue"),
        )
    _show(view)
    if out is not None:
        _write_pdf(context, view, out)


@app.command()
def pdf(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="certificate number")],
    reason: ReasonOption,
    out: Annotated[Path, typer.Option(help="PDF file to write")],
) -> None:
    """Write a certificate's PDF with its QR proof."""
    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        view = services.get(uow, actor, ref, purpose=Purpose(reason, "cli certificate pdf"))
    _write_pdf(context, view, out)


@app.command()
def payload(ctx: typer.Context, ref: Annotated[str, typer.Argument()], reason: ReasonOption) -> None:
    """Print a certificate's QR payload (JG1:...), e.g. to verify it or to print it elsewhere."""
    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        services.get(uow, actor, ref, purpose=Purpose(reason, "cli certificate payload"))
    typer.echo(payload_of(context.sessions(), ref, _log(context)))


@app.command()
def revoke(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option(help="why (e.g. a court order number); no personal data")],
) -> None:
    """Revoke a certificate (registrars); `jaga verify --online` then reports it."""
    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        view = services.revoke(uow, actor, ref, reason=reason)
    _show(view)


def _print(result: Verification) -> None:
    marks = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[yellow]-[/]"}
    for check in result.checks:
        console.print(f"{marks[check.ok]} {check.name}: {check.detail}", highlight=False, soft_wrap=True)
    content = result.content
    if content:
        console.print("what the certificate states:")
        for key, value in content.items():
            if key not in ("v",) and value is not None:
                console.print(f"  {key}: {value}", highlight=False, soft_wrap=True)


def verify_command(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            help="a PDF, a photo or scan of the QR code, the verify link it holds (https://…/v#JG1U:…), "
            "or the JG1: text"
        ),
    ],
    vkey: Annotated[
        list[str] | None,
        typer.Option("--vkey", help="the registry log's verifier key, or a file holding it (repeatable)"),
    ] = None,
    witness_vkey: Annotated[
        list[str] | None, typer.Option("--witness-vkey", help="a trusted witness's key (repeatable)")
    ] = None,
    min_witnesses: Annotated[
        int | None, typer.Option(min=0, help="cosignatures required (default: 1 if witness keys are given)")
    ] = None,
    policy: Annotated[
        Path | None,
        typer.Option(
            help="judge the witnesses by this C2SP tlog-policy file (or folder of *.policy files) instead of "
            "--witness-vkey: the policy in force when the certificate was cosigned applies"
        ),
    ] = None,
    online: Annotated[
        str | None,
        typer.Option(help="also ask this jaga server for revocations and check its log, e.g. https://…"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the checks as JSON")] = False,
) -> None:
    """Verify a certificate: offline against the log's public key; with --online, also its current status."""
    context = obj(ctx)
    if is_payload(source) or source.strip().lower().startswith(("http://", "https://")):
        text = source.strip()  # a link or text: verified as given (a link that is not one fails `format`)
    else:
        from jaga.certificates.qr import payload_from_file

        text = payload_from_file(Path(source))
    if vkey:
        log_keys = read_vkeys(vkey, "--vkey")
    else:
        try:
            log_keys = published_verifiers(context.settings.key_dir)
        except SigningKeyMissing as exc:
            raise InvalidInput(
                "no trusted log key: pass --vkey (the registry's published verifier key)"
            ) from exc
    witnesses = (
        read_vkeys(witness_vkey, "--witness-vkey")
        if witness_vkey
        else read_vkeys(list(context.settings.witness_vkeys), "JAGA_WITNESS_VKEYS")
    )
    policies = load_policies(policy) if policy is not None else None
    result = verify_payload(text, log_keys, witnesses, min_witnesses=min_witnesses, policy=policies)
    if online:
        verify_online(result, online, log_keys)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "ok": result.ok,
                    "verdict": result.verdict,
                    "online": result.online,
                    "checks": [
                        {"name": c.name, "ok": c.ok, "code": c.code, "detail": c.detail, "params": c.params}
                        for c in result.checks
                    ],
                    "certificate": result.record,
                    "content": result.content,
                },
                indent=2,
                default=str,
            )
        )
    else:
        _print(result)
    if not result.ok:
        failed = [c.name for c in result.checks if c.ok is False]
        raise CertificateInvalid(f"the certificate does not verify ({', '.join(failed)})")
    if not as_json:
        console.print("[green]the certificate is authentic[/]" + ("" if online else " (offline checks)"))
