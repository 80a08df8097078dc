"""`jaga workbench`: the server operator's upkeep of what the workbench keeps on disk."""

from __future__ import annotations

import typer

from jaga.cli_support import console, obj
from jaga.db import utc_now

app = typer.Typer(help="Upkeep of the workbench's files (server operator).", no_args_is_help=True)


@app.command("sweep")
def sweep_command(ctx: typer.Context) -> None:
    """Remove import results and rejected rows that ended web sessions left in
    $JAGA_DATA_DIR/workbench-imports, and uploads a killed server left (run it from a timer, e.g. hourly;
    `jaga serve` does it when it starts, and the import pages on every visit)."""
    from jaga.workbench.import_results import sweep_imports

    context = obj(ctx)
    removed = sweep_imports(context.settings.data_dir, context.ready_sessions(), utc_now)
    console.print(f"workbench imports: {removed} folder(s) or file(s) removed")
