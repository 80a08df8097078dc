"""The `jaga` command line: one Typer app per capability, mounted here."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jaga import __version__
from jaga.cli_support import CliContext, JagaGroup, console, obj
from jaga.errors import exit_code_table

# \b keeps Click from re-wrapping the table.
EXIT_CODES = (
    "\b\nExit codes:\n"
    + exit_code_table()
    + "\nA bug prints one line with an error id; its traceback goes to $JAGA_DATA_DIR/logs/errors.log"
    + "\n(and to stderr with JAGA_DEBUG=1)."
)


app = typer.Typer(
    cls=JagaGroup,
    help="jaga: a registry that makes baby trafficking disguised as adoption hard to hide.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    database_url: Annotated[
        str | None, typer.Option(help="SQLAlchemy URL (default: JAGA_DATABASE_URL or data/jaga.db)")
    ] = None,
    token: Annotated[
        str | None, typer.Option(help="API token to act with (default: JAGA_TOKEN)", show_default=False)
    ] = None,
) -> None:
    from pydantic import ValidationError

    from jaga.errors import InvalidInput
    from jaga.settings import get_settings

    try:
        settings = get_settings()
    except ValidationError as exc:  # a bad JAGA_* variable is the user's to fix, not a bug
        problems = "; ".join(
            (f"JAGA_{'_'.join(str(part) for part in e['loc']).upper()}: " if e["loc"] else "") + e["msg"]
            for e in exc.errors()
        )
        raise InvalidInput(f"settings: {problems}") from exc
    updates: dict[str, object] = {}
    if database_url:
        updates["database_url"] = database_url
    if token:
        from pydantic import SecretStr

        updates["token"] = SecretStr(token)
    if updates:
        settings = settings.model_validate({**settings.model_dump(), **updates})
    ctx.obj = CliContext(settings)
    ctx.call_on_close(ctx.obj.close)


@app.command()
def version() -> None:
    """Print jaga's version."""
    console.print(__version__)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="address to listen on (default: JAGA_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="port (default: JAGA_PORT)")] = None,
) -> None:
    """Run the web server (API at /api/v1, OpenAPI at /openapi.json, health at /healthz)."""
    import logging

    import uvicorn

    from jaga.app import create_app
    from jaga.db import utc_now
    from jaga.workbench.import_results import sweep_imports

    context = obj(ctx)
    settings = context.settings
    sessions = context.ready_sessions()  # refuse to serve an unmigrated database
    # What ended web sessions left on disk goes now, not at the first visit to the import pages.
    sweep_imports(settings.data_dir, sessions, utc_now)
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # /healthz reads the revision on every call
    app_ = create_app(settings)
    bind_host, bind_port = host or settings.host, port or settings.port
    console.print(f"jaga {__version__} serving on http://{bind_host}:{bind_port} (docs at /docs)")
    # uvicorn's own access log prints full URLs, whose query strings may hold personal data; jaga logs
    # route templates itself.
    uvicorn.run(app_, host=bind_host, port=bind_port, access_log=False, log_level=settings.log_level.lower())


def _mount() -> None:
    from jaga.access.cli import app as users_app
    from jaga.altgen.cli import app as altgen_app
    from jaga.bench.cli import app as bench_app
    from jaga.certificates.cli import app as certificate_app
    from jaga.certificates.cli import verify_command
    from jaga.db.cli import app as db_app
    from jaga.demo.cli import demo_command
    from jaga.evidence.cli import app as evidence_app
    from jaga.faces.cli import faces_app, photos_app
    from jaga.field.cli import app as field_app
    from jaga.flags.cli import app as flags_app
    from jaga.ledger.cli import app as ledger_app
    from jaga.linkage.cli import app as link_app
    from jaga.linkage.cli import review_app
    from jaga.nik.cli import app as nik_app
    from jaga.registry.cli import export_command, import_command
    from jaga.synth.cli import synth_command
    from jaga.tips.cli import app as tips_app
    from jaga.witness.cli import app as witness_app
    from jaga.workbench.cli import app as workbench_app

    app.add_typer(db_app, name="db")
    app.add_typer(users_app, name="users")
    app.add_typer(nik_app, name="nik")
    app.add_typer(bench_app, name="bench")
    app.add_typer(ledger_app, name="ledger")
    app.add_typer(witness_app, name="witness")
    app.add_typer(certificate_app, name="certificate")
    app.add_typer(link_app, name="link")
    app.add_typer(review_app, name="review")
    app.add_typer(flags_app, name="flags")
    app.add_typer(tips_app, name="tips")
    app.add_typer(photos_app, name="photos")
    app.add_typer(faces_app, name="faces")
    app.add_typer(evidence_app, name="evidence")
    app.add_typer(field_app, name="field")
    app.add_typer(workbench_app, name="workbench")
    app.command("verify")(verify_command)
    app.command("import")(import_command)
    app.command("export")(export_command)
    app.command("synth")(synth_command)
    app.add_typer(altgen_app, name="altgen")
    app.command("demo")(demo_command)


_mount()


def main() -> None:
    app()


__all__ = ["Path", "app", "main"]
