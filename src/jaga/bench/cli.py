"""`jaga bench ...`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Measure throughput on this machine; prints figures.", no_args_is_help=True)

# The benchmarks that run on both databases take the same two options.
SCRATCH_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PostgresUrl = Annotated[
    str, typer.Option(help="server for the PostgreSQL run (a scratch database is created and dropped)")
]
SkipPostgres = Annotated[bool, typer.Option(help="SQLite only")]


@app.command("import")
def import_bench(
    births: Annotated[int, typer.Option(min=100, help="births to import")] = 50_000,
    postgres_url: PostgresUrl = SCRATCH_SERVER,
    skip_postgres: SkipPostgres = False,
) -> None:
    """Bulk birth import with events, on SQLite and PostgreSQL: records per second."""
    from jaga.bench.imports import run

    run(births=births, postgres_url=None if skip_postgres else postgres_url)


@app.command("ledger")
def ledger_bench(
    leaves: Annotated[int, typer.Option(min=1000, help="entries to append")] = 1_000_000,
    events: Annotated[int, typer.Option(min=100, help="database events to integrate")] = 100_000,
    postgres_url: PostgresUrl = SCRATCH_SERVER,
    skip_postgres: SkipPostgres = False,
) -> None:
    """Append, proofs and certificate verification against pymerkle (roots must be equal); QR size at
    national scale; the sequencer's throughput and the audit's on SQLite and PostgreSQL."""
    from jaga.bench import ledger, sequencer

    ledger.run(leaves=leaves)
    sequencer.run(events=events, postgres_url=None if skip_postgres else postgres_url)


@app.command("link")
def link_bench(
    ctx: typer.Context,
    datasets: Annotated[
        str, typer.Option(help="comma-separated: febrl1, febrl2, febrl3, febrl4, synth, altgen")
    ] = "febrl1,febrl2,febrl3,febrl4,synth,altgen",
    records: Annotated[
        list[int] | None, typer.Option("--records", help="synthetic person records to link (repeatable)")
    ] = None,
    engine: Annotated[str, typer.Option(help="duckdb or spark")] = "duckdb",
    seed: Annotated[int, typer.Option(help="synthetic data seed (synth and altgen)")] = 7,
    altgen_entities: Annotated[
        int, typer.Option(min=1, help="persons made by the independent generator (jaga.altgen)")
    ] = 5_000,
    altgen_seeds: Annotated[
        str | None, typer.Option(help="comma-separated seeds of the independent generator (default: --seed)")
    ] = None,
    ablation: Annotated[
        bool,
        typer.Option(
            "--ablation",
            help="link synth (the first --records) and altgen with each name-normalisation step switched off "
            "in turn, and print F1 per step (FEBRL is not used: its names are not Indonesian)",
        ),
    ] = False,
) -> None:
    """Identity linkage vs Splink configured as its docs recommend, on FEBRL 1-4, synthetic records and the
    independent generator's: blocking recall, pairs scored, precision, recall, F1, time (and for altgen the
    scores on pairs with Indonesian-specific noise)."""
    from jaga.bench import linkage_ablation
    from jaga.bench.linkage import parse_datasets, parse_seeds, run
    from jaga.linkage.cli import engine_resources
    from jaga.linkage.engines import Engine
    from jaga.linkage.link import RunOptions

    seeds = parse_seeds(altgen_seeds) if altgen_seeds else [seed]
    if ablation:
        linkage_ablation.run(
            datasets=parse_datasets(datasets),
            records=(records or [20_000])[0],
            seed=seed,
            altgen_entities=altgen_entities,
            altgen_seeds=seeds,
            options=RunOptions(engine=Engine(engine), resources=engine_resources(ctx)),
        )
        return
    run(
        datasets=parse_datasets(datasets),
        records=records or [100_000, 1_000_000],
        engine=Engine(engine),
        seed=seed,
        altgen_entities=altgen_entities,
        altgen_seeds=seeds,
        resources=engine_resources(ctx),
    )


@app.command("link-scale")
def link_scale_bench(
    dedupe: Annotated[
        list[int] | None, typer.Option("--dedupe", help="records to deduplicate (repeatable; 0: none)")
    ] = None,
    link: Annotated[
        list[int] | None, typer.Option("--link", help="records per file, linking two (repeatable; 0: none)")
    ] = None,
    reference_up_to: Annotated[
        int, typer.Option(help="also run plain Splink (its docs' settings) on files up to this size")
    ] = 1_000_000,
    memory_limit: Annotated[str, typer.Option(help="jaga link csv --memory-limit")] = "4GiB",
    folder: Annotated[
        Path, typer.Option(help="where the generated files, outputs and logs go (files are reused)")
    ] = Path("bench-link-scale"),
    seed: Annotated[int, typer.Option(help="generator seed")] = 7,
) -> None:
    """Time and peak RSS of `jaga link csv` (each run its own process) at 100k, 1M and 10M records and
    linking 10M x 10M, beside plain Splink on the same files; precision and recall against the planted
    duplicates."""
    from jaga.bench.link_scale import run

    run(
        dedupe=[100_000, 1_000_000, 10_000_000] if dedupe is None else dedupe,
        link=[10_000_000] if link is None else link,
        reference_up_to=reference_up_to,
        folder=folder,
        memory_limit=memory_limit,
        seed=seed,
    )


@app.command("flags")
def flags_bench(
    births: Annotated[int, typer.Option(min=100, help="synthetic births in the registry")] = 100_000,
    seed: Annotated[int, typer.Option(help="synthetic data seed")] = 7,
    database: Annotated[
        str | None, typer.Option(help="time an existing registry at this URL instead of building one")
    ] = None,
    keep: Annotated[Path | None, typer.Option(help="build the registry in this folder and keep it")] = None,
    copies: Annotated[
        int, typer.Option(min=1, help="replicate the built registry this many times (other people each)")
    ] = 1,
) -> None:
    """`jaga flags run` on a synthetic registry: seconds per stage (load, each detector, store)."""
    from jaga.bench.flags import run

    run(births=births, seed=seed, database=database, keep=keep, copies=copies)


@app.command("flags-quality")
def flags_quality_bench(
    budget: Annotated[int, typer.Option(min=1, help="subjects a review team looks at")] = 50,
    held_out_only: Annotated[bool, typer.Option(help="only the held-out seeds and scenarios")] = False,
    seed: Annotated[list[int] | None, typer.Option(help="only the case(s) of this seed")] = None,
    births: Annotated[int | None, typer.Option(min=100, help="births per case instead of its own")] = None,
    every_scheme_tipped: Annotated[
        bool, typer.Option(help="sensitivity: every ring and fake foundation reported, by name, three times")
    ] = False,
    generators: Annotated[
        str, typer.Option(help="comma-separated: synth (jaga synth), altgen (the independent generator)")
    ] = "synth",
) -> None:
    """Flags judged against synthetic truth on several seeds and scenarios (tuning vs held-out):
    precision, recall per scheme type and whole rings at the review budget, look-alike false alarms,
    each without and with the synthetic tips (sent between two flag runs on the same registry)."""
    from jaga.bench.flags_quality import run

    run(
        budget=budget,
        held_out_only=held_out_only,
        seeds=tuple(seed or ()),
        births=births,
        every_scheme_tipped=every_scheme_tipped,
        generators=tuple(g.strip() for g in generators.split(",") if g.strip()),
    )


@app.command("portal")
def portal_bench(
    births: Annotated[int, typer.Option(min=100, help="synthetic births in the served registry")] = 500,
    seconds: Annotated[float, typer.Option(min=1, help="seconds of load per path")] = 10.0,
    concurrency: Annotated[int, typer.Option(min=1, max=1000, help="keep-alive connections")] = 32,
    browser_runs: Annotated[int, typer.Option(min=1, help="verifications timed in Chromium")] = 10,
) -> None:
    """The public portal under loopback load: requests/s and p50/p99 of the verify page and the public
    status endpoint against a static file of the same server; the browser's time to an offline verdict."""
    from jaga.bench.portal import run

    run(births=births, seconds=seconds, concurrency=concurrency, browser_runs=browser_runs)


@app.command("field")
def field_bench(
    records: Annotated[int, typer.Option(min=10, max=1_000_000, help="records recorded and synced")] = 2_000,
    chunk: Annotated[int, typer.Option(min=1, max=10_000, help="events per sync request")] = 500,
) -> None:
    """Field offices: records/s through `jaga field sync` over loopback against `jaga import`'s path in the
    same run, and the device's cost of signing and chaining against schema validation alone."""
    from jaga.bench.field import run

    run(records=records, chunk=chunk)


@app.command("evidence")
def evidence_bench(
    births: Annotated[int, typer.Option(min=100, help="synthetic births in the registry")] = 2_000,
    repeat: Annotated[int, typer.Option(min=1, max=1000, help="runs per path (the median is shown)")] = 5,
    seed: Annotated[int, typer.Option(help="synthetic data seed")] = 7,
) -> None:
    """Evidence packs: pack and verify time for an adoption case on a `jaga synth` registry, against a
    canonical-JSON export of the same events and the ledger's own proof checks in the same run; events/s
    and pack size; and the seal."""
    from jaga.bench.evidence import run

    run(births=births, repeat=repeat, seed=seed)


@app.command("licences")
def licences_bench(
    institutions: Annotated[int, typer.Option(min=10, help="institutions (LKSA, foundations)")] = 5_000,
    facilities: Annotated[
        int, typer.Option(min=10, help="hospitals, puskesmas, clinics, practices")
    ] = 30_000,
    attendants: Annotated[int, typer.Option(min=10, help="midwives and nurses")] = 100_000,
    seed: Annotated[int, typer.Option(help="synthetic data seed")] = 7,
    postgres_url: PostgresUrl = SCRATCH_SERVER,
    skip_postgres: SkipPostgres = False,
) -> None:
    """The public licence check (/lembaga) on a national registry: milliseconds per typical search."""
    from jaga.bench.licences import run

    run(
        institutions=institutions,
        facilities=facilities,
        attendants=attendants,
        seed=seed,
        postgres_url=None if skip_postgres else postgres_url,
    )


@app.command("workbench")
def workbench_bench(
    births: Annotated[int, typer.Option(min=100, help="synthetic births in the registry")] = 100_000,
    requests: Annotated[int, typer.Option(min=1, help="timed requests of each page and of its API")] = 100,
    seed: Annotated[int, typer.Option(help="synthetic data seed")] = 7,
    keep: Annotated[
        Path | None,
        typer.Option(help="keep the SQLite registry in this folder, and reuse it if built with these births"),
    ] = None,
    postgres_url: PostgresUrl = SCRATCH_SERVER,
    skip_postgres: SkipPostgres = False,
) -> None:
    """The workbench's busiest pages (work queue, flag list, child timeline) served for real, logged in
    through /masuk: p50/p99 against the JSON API for the same data, in the same run, on a registry after
    the whole pipeline (import, tips, linkage, flags, log)."""
    from jaga.bench.workbench import run

    run(
        births=births,
        seed=seed,
        requests=requests,
        keep=keep,
        postgres_url=None if skip_postgres else postgres_url,
    )


@app.command("faces")
def faces_bench(
    photos: Annotated[
        Path | None,
        typer.Option(help="labelled photos, FOLDER/<person>/<photo>: photos/s and rank-1/rank-10 on them"),
    ] = None,
    sizes: Annotated[
        list[int] | None, typer.Option("--size", min=10, help="stored vectors to search (repeatable)")
    ] = None,
    queries: Annotated[int, typer.Option(min=3, help="queries per size")] = 20,
    repeats: Annotated[int, typer.Option(min=1, help="passes over the photos for photos/s")] = 3,
) -> None:
    """Face matching: photos/s (1 and 2 processes), exact search latency at 10k/100k/1M vectors and
    memory, each against the face_recognition package's way; rank-1/rank-10 on labelled photos."""
    from jaga.bench.faces import SIZES, run

    run(photos=photos, sizes=sizes or list(SIZES), queries=queries, repeats=repeats)


@app.command("witness")
def witness_bench(
    checkpoints: Annotated[
        int, typer.Option(min=2, max=100_000, help="successive checkpoints each log pushes")
    ] = 300,
    step: Annotated[int, typer.Option(min=1, max=10_000, help="entries added between two checkpoints")] = 10,
    folder: Annotated[
        Path | None,
        typer.Option(help="where the witness's folders go (their disk's fsync is most of the cost)"),
    ] = None,
) -> None:
    """A witness (`jaga witness serve`) over loopback: cosigned checkpoints/s against requests refused at
    once in the same run, jaga's log pushing to it, the core without HTTP, and where the time goes."""
    from jaga.bench.witness import run

    run(checkpoints=checkpoints, step=step, folder=folder)
