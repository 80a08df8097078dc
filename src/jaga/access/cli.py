"""`jaga users ...`: accounts and API tokens, from the server's command line.

Whoever runs these has the database itself, so they act as the server operator (recorded as such in the
event log). Everything else on the command line acts as an account, through its token.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from jaga.access.credentials import begin_totp, confirm_totp, remove_totp, require_totp, set_password
from jaga.access.roles import OPERATOR, Actor, Role
from jaga.access.services import (
    authenticate,
    bind_account,
    bindings,
    create_principal,
    get_principal,
    issue_token,
    list_principals,
    revoke_principal,
)
from jaga.access.tokens import TokenHasher
from jaga.access.totp import TotpBox
from jaga.cli_support import CliContext, console, obj
from jaga.db import UnitOfWork
from jaga.errors import InvalidInput, NotAuthenticated
from jaga.regions import format_code

app = typer.Typer(help="Accounts and API tokens (server operator).", no_args_is_help=True)

OFFICIAL_HELP = (
    "ref of the official the account acts as (registrar, social_worker, court, police): its "
    "registrations and adoption steps name that official, inside the official's region"
)
FEED_HELP = (
    "name of the agency system the account transcribes records from (e.g. SIAK): each row names the "
    "official who acted"
)


def acting(context: CliContext) -> Actor:
    """The account behind --token / JAGA_TOKEN: the CLI obeys the same roles and regions as the API."""
    token = context.settings.token.get_secret_value() if context.settings.token else None
    if not token:
        raise NotAuthenticated("this command acts as an account: pass --token or set JAGA_TOKEN")
    with context.ready_sessions()() as session:
        return authenticate(session, TokenHasher(), token)


@app.command()
def create(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="3-64 characters: a-z, 0-9, '.', '_', '-'")],
    role: Annotated[Role, typer.Option(help="what the account may do")],
    region: Annotated[str, typer.Option(help="region code it is confined to; '' for the whole country")] = "",
    official: Annotated[str | None, typer.Option(help=OFFICIAL_HELP)] = None,
    feed: Annotated[str | None, typer.Option(help=FEED_HELP)] = None,
) -> None:
    """Create an account and print its first API token (shown once)."""
    sessions = obj(ctx).ready_sessions()
    with UnitOfWork(sessions) as uow:
        created = create_principal(
            uow,
            TokenHasher(),
            actor=OPERATOR,
            username=username,
            role=role,
            region_scope=region,
            official_ref=official,
            feed=feed,
        )
    scope = format_code(created.principal.region_scope) or "national"
    acting = f", acts as official {official}" if official else f", feed {feed}" if feed else ""
    console.print(f"created {username} ({role.value}, {scope}{acting})")
    console.print(f"token: {created.token}", highlight=False, soft_wrap=True)
    console.print("store the token now: it is not shown again", style="dim")


@app.command("list")
def list_command(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False
) -> None:
    """List accounts (no tokens)."""
    with obj(ctx).ready_sessions()() as session:
        principals = list_principals(session, actor=OPERATOR)
        bound = bindings(session, [p.id for p in principals])
    if as_json:
        console.print_json(
            json.dumps(
                [
                    {
                        "username": p.username,
                        "role": p.role,
                        "region_scope": format_code(p.region_scope),
                        "official_ref": bound[p.id].official_ref if p.id in bound else None,
                        "feed": bound[p.id].feed if p.id in bound else None,
                        "active": p.active,
                        "created_at": p.created_at.isoformat(),
                    }
                    for p in principals
                ]
            )
        )
        return
    table = Table("username", "role", "region scope", "acts as", "active", "created")
    for p in principals:
        binding = bound.get(p.id)
        acts_as = "-" if binding is None else binding.official_ref or f"feed {binding.feed}"
        table.add_row(
            p.username,
            p.role,
            format_code(p.region_scope) or "national",
            acts_as,
            "yes" if p.active else "revoked",
            p.created_at.strftime("%Y-%m-%d %H:%M"),
        )
    console.print(table)


@app.command()
def bind(
    ctx: typer.Context,
    username: str,
    official: Annotated[str | None, typer.Option(help=OFFICIAL_HELP)] = None,
    feed: Annotated[str | None, typer.Option(help=FEED_HELP)] = None,
) -> None:
    """Bind an existing account to the official it acts as (or make it a feed account), once."""
    if official is None and feed is None:
        raise InvalidInput("give --official O-... (or --feed NAME)")
    with UnitOfWork(obj(ctx).ready_sessions()) as uow:
        bind_account(uow, actor=OPERATOR, username=username, official_ref=official, feed=feed)
    console.print(f"bound {username} to " + (f"official {official}" if official else f"feed {feed}"))


@app.command()
def revoke(ctx: typer.Context, username: str) -> None:
    """Deactivate an account and every token it has."""
    with UnitOfWork(obj(ctx).ready_sessions()) as uow:
        revoke_principal(uow, actor=OPERATOR, username=username)
    console.print(f"revoked {username}")


@app.command()
def token(ctx: typer.Context, username: str) -> None:
    """Issue a further API token for an active account (shown once)."""
    with UnitOfWork(obj(ctx).ready_sessions()) as uow:
        plaintext = issue_token(uow, TokenHasher(), actor=OPERATOR, username=username)
    console.print(f"token: {plaintext}", highlight=False, soft_wrap=True)


def _read_secret(prompt: str) -> str:
    """A line from stdin: typed at a hidden prompt on a terminal, or piped (`... | jaga users password`)."""
    import sys

    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


@app.command()
def password(ctx: typer.Context, username: str) -> None:
    """Set an account's workbench password, read from stdin (never an argument: it would stay in the
    shell's history). At least 12 characters, nothing common or easy to guess."""
    context = obj(ctx)
    first = _read_secret("new password: ")
    import sys

    if sys.stdin.isatty() and _read_secret("again: ") != first:
        raise InvalidInput("the two passwords differ; nothing was changed")
    with UnitOfWork(context.ready_sessions()) as uow:
        set_password(uow, actor=OPERATOR, username=username, password=first)
    console.print(f"password set for {username}")


@app.command()
def totp(
    ctx: typer.Context,
    username: str,
    remove: Annotated[bool, typer.Option("--remove", help="remove the account's second factor")] = False,
) -> None:
    """Enrol a second factor (TOTP) for an account: scan the code shown with an authenticator app, then
    type the code the app shows (read from stdin) to confirm it."""
    context = obj(ctx)
    sessions = context.ready_sessions()
    if remove:
        with UnitOfWork(sessions) as uow:
            remove_totp(uow, actor=OPERATOR, username=username)
        console.print(f"second factor removed for {username}")
        return
    with sessions() as session:
        get_principal(session, username)  # fail before showing a secret for no account
    enrolment = begin_totp(username=username)
    import segno

    segno.make_qr(enrolment.uri).terminal(compact=True)  # prints to stdout
    console.print(f"or type this key into the app: {enrolment.secret}", highlight=False)
    code = _read_secret("code shown by the app: ")
    with UnitOfWork(sessions) as uow:
        confirm_totp(
            uow,
            TotpBox(context.settings.key_dir),
            actor=OPERATOR,
            username=username,
            secret=enrolment.secret,
            code=code,
        )
    console.print(f"second factor enrolled for {username}: the workbench asks for a code at each login")


@app.command("require-totp")
def require_totp_command(
    ctx: typer.Context,
    role: Role,
    off: Annotated[bool, typer.Option("--off", help="stop requiring it")] = False,
) -> None:
    """Require a second factor at login of every account of ROLE (accounts without one cannot log in)."""
    with UnitOfWork(obj(ctx).ready_sessions()) as uow:
        require_totp(uow, actor=OPERATOR, role=role, required=not off)
    console.print(f"second factor {'no longer ' if off else ''}required for role {role.value}")


__all__ = ["acting", "app"]
