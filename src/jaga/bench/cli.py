"""`jaga bench ...`."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(help="Measure throughput on this machine; prints figures.", no_args_is_help=True)


@app.command("import")
def import_bench(
    births: Annotated[int, typer.Option(min=100, help="births to import")] = 50_000,
    postgres_url: Annotated[
        str, typer.Option(help="server for the PostgreSQL run (a scratch database is created and dropped)")
    ] = "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    skip_postgres: Annotated[bool, typer.Option(help="SQLite only")] = False,
) -> None:
    """Bulk birth import with events, on SQLite and PostgreSQL: records per second."""
    from jaga.bench.imports import run

    run(births=births, postgres_url=None if skip_postgres else postgres_url)


@app.command("ledger")
def ledger_bench(
    leaves: Annotated[int, typer.Option(min=1000, help="entries to append")] = 1_000_000,
    events: Annotated[int, typer.Option(min=100, help="database events to integrate")] = 100_000,
    postgres_url: Annotated[
        str, typer.Option(help="server for the PostgreSQL run (a scratch database is created and dropped)")
    ] = "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    skip_postgres: Annotated[bool, typer.Option(help="SQLite only")] = False,
) -> None:
    """Append, proofs and certificate verification against pymerkle (roots must be equal); QR size at
    national scale; the sequencer's throughput and the audit's on SQLite and PostgreSQL."""
    from jaga.bench import ledger, sequencer

    ledger.run(leaves=leaves)
    sequencer.run(events=events, postgres_url=None if skip_postgres else postgres_url)


@app.command("link")
def link_bench(
    records: Annotated[
        list[int] | None, typer.Option("--records", help="person records to link (repeatable)")
    ] = None,
    engine: Annotated[str, typer.Option(help="duckdb or spark")] = "duckdb",
    seed: Annotated[int, typer.Option(help="synthetic data seed")] = 7,
) -> None:
    """Identity linkage vs a plain Splink model on synthetic records: precision, recall, F1, time."""
    from jaga.bench.linkage import run
    from jaga.linkage.engines import Engine

    run(records=records or [100_000, 1_000_000], engine=Engine(engine), seed=seed)
