"""`jaga link ...` (runs, spreadsheets, agreement with reviewers) and `jaga review ...` (the queue)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import TaskID
from rich.table import Table

from jaga.access.cli import acting
from jaga.cli_support import console, err_console, obj
from jaga.db import UnitOfWork
from jaga.linkage.engines import Engine, EngineResources
from jaga.linkage.roles import Role
from jaga.registry import Purpose

app = typer.Typer(help="Identity linkage: the same person across agencies' records.", no_args_is_help=True)
review_app = typer.Typer(
    help="Decide the pairs the linkage is unsure about (acts as your account).", no_args_is_help=True
)


def engine_resources(ctx: typer.Context) -> EngineResources:
    """The engines' resource settings, from `Settings` (JAGA_DUCKDB_MEMORY_LIMIT, JAGA_SPARK_*)."""
    settings = obj(ctx).settings
    return EngineResources(
        duckdb_memory_limit=settings.duckdb_memory_limit,
        spark_master=settings.spark_master,
        spark_partitions=settings.spark_partitions,
        spark_driver_memory=settings.spark_driver_memory,
    )


class _StageBar:
    """A Rich progress bar on stderr, one task per stage of `link csv` (records done where known)."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=False,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> _StageBar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._finish()
        self._progress.stop()

    def _finish(self) -> None:
        if self._task is not None:
            task = self._progress.tasks[-1]
            self._progress.update(self._task, total=task.total or task.completed or 1)
            self._progress.update(self._task, completed=task.total or task.completed or 1)

    def stage(self, name: str, total: int | None = None) -> None:
        self._finish()
        if not err_console.is_terminal:  # a log file: one line per stage, so a long run shows where it is
            err_console.print(f"stage: {name}", highlight=False)
        self._task = self._progress.add_task(name, total=total)

    def advance(self, count: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, count)


EngineOption = Annotated[Engine, typer.Option(help="duckdb (one machine) or spark (national scale)")]


@app.command("run")
def run_command(
    ctx: typer.Context,
    engine: EngineOption = Engine.DUCKDB,
    match_threshold: Annotated[float, typer.Option(help="link pairs at or above this probability")] = 0.9,
    review_threshold: Annotated[
        float, typer.Option(help="queue pairs from this probability for review")
    ] = 0.5,
) -> None:
    """Link every person record in the registry into identities (server operator)."""
    from jaga.linkage.runs import run_linkage

    sessions = obj(ctx).ready_sessions()
    summary = run_linkage(
        sessions,
        engine=engine,
        resources=engine_resources(ctx),
        match_threshold=match_threshold,
        review_threshold=review_threshold,
        progress=lambda step: err_console.print(f"[dim]{step} ...[/]"),
    )
    console.print(
        f"run {summary.run_id}: {summary.records:,} records -> {summary.identities:,} identities "
        f"({summary.multi_record_identities:,} with several records); {summary.linked:,} pairs linked, "
        f"{summary.review:,} waiting for review; {summary.seconds:.1f} s",
        highlight=False,
    )
    for note in summary.notes:
        console.print(f"  {note}", style="dim", highlight=False)


@app.command("csv")
def csv_command(
    ctx: typer.Context,
    left: Annotated[Path, typer.Argument(help="CSV file to deduplicate, or the first of two to link")],
    right: Annotated[Path | None, typer.Argument(help="second CSV file: link its records to LEFT's")] = None,
    id_column: Annotated[str, typer.Option("--id", help="the column holding each record's id")] = "id",
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help=(
                f"ROLE=COLUMN[,COLUMN]; repeatable. Roles: {', '.join(Role)}. A role's columns are joined "
                "in order, except identifier's: each is its own identifier (identifier=PASPOR,NO_RM). "
                "national_id values that are not a NIK are kept as identifiers; family_id (the KK) is "
                "evidence, never an identity alone. See docs/linkage.md."
            ),
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="pairs CSV to write")] = Path("pairs.csv"),
    clusters: Annotated[Path | None, typer.Option(help="also write every record's cluster here")] = None,
    threshold: Annotated[float, typer.Option(help="match probability a pair needs to be written")] = 0.9,
    engine: EngineOption = Engine.DUCKDB,
    memory_limit: Annotated[
        str,
        typer.Option(
            help="memory the run may use (DuckDB gets half and spills the rest to disk); e.g. 4GiB, 512MB"
        ),
    ] = "4GiB",
) -> None:
    """Deduplicate one spreadsheet or link two, with Indonesian name handling; no registry needed.
    Streams: ten million records fit in --memory-limit (see docs/linkage.md, "Scale")."""
    from jaga.linkage.csvmode import link_files, parse_mapping

    parsed = parse_mapping(id_column, mapping or [])
    resources = engine_resources(ctx)
    with _StageBar() as bar:
        result = link_files(
            left,
            right,
            parsed,
            out=out,
            clusters_out=clusters,
            threshold=threshold,
            engine=engine,
            today=date.today(),
            resources=resources,
            memory_limit=memory_limit,
            progress=bar,
        )
    console.print(
        f"{result.records:,} records: {result.pairs_written:,} pairs written to {out}", highlight=False
    )
    if clusters is not None:
        console.print(f"{result.clusters:,} clusters written to {clusters}", highlight=False)
    for role, count in sorted(result.report.unreadable.items()):
        console.print(
            f"  {count:,} unreadable {role} values were treated as missing", style="yellow", highlight=False
        )
    stages = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in result.timings.items())
    console.print(f"  time: {stages}", style="dim", highlight=False)


@app.command("evaluate")
def evaluate_command(ctx: typer.Context) -> None:
    """Compare the latest run with reviewers' decisions, threshold by threshold."""
    from jaga.linkage.agreement import agreement

    with obj(ctx).ready_sessions()() as session:
        result = agreement(session)
    if not result.decided:
        console.print("no decisions yet: review some pairs first (jaga review next)")
        return
    table = Table(
        "threshold",
        "linked & same",
        "linked but different",
        "same but not linked",
        "precision",
        "recall",
        "F1",
    )
    for row in result.table:
        table.add_row(
            f"{row.threshold:.2f}" + (" (current)" if row.threshold == result.current_threshold else ""),
            str(row.agreed_same),
            str(row.wrongly_linked),
            str(row.missed),
            f"{row.precision:.3f}",
            f"{row.recall:.3f}",
            f"{row.f1:.3f}",
        )
    console.print(table)
    best = result.best
    assert best is not None
    console.print(
        f"{result.decided} decisions ({result.same} same). Best agreement at threshold {best.threshold:.2f}; "
        "pass it to `jaga link run --match-threshold`. With 30 or more 'same' decisions, runs also "
        "re-estimate the model's m probabilities from them.",
        highlight=False,
    )


ReasonOption = Annotated[
    str, typer.Option(help="why you read these people's records (kept in the audit trail)")
]


@review_app.command("next")
def review_next(ctx: typer.Context, reason: ReasonOption) -> None:
    """Show the undecided pair the model is least sure about, with its reasons."""
    from jaga.linkage.review import next_for_review

    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        item = next_for_review(uow, actor, purpose=Purpose(reason, "cli review next"))
    if item is None:
        console.print("nothing to review in your region")
        return
    table = Table("", "left", "right")
    for key in item.left:
        table.add_row(key, str(item.left[key] or "-"), str(item.right[key] or "-"))
    console.print(f"pair {item.link_id}: match probability {item.probability:.3f} ({item.remaining} waiting)")
    console.print(table)
    for evidence in item.evidence:
        console.print(
            f"  {evidence['weight']:+6.1f}  {evidence['comparison']}: {evidence['level']}", highlight=False
        )
    console.print(f"decide with: jaga review accept {item.link_id}  |  jaga review reject {item.link_id}")


def _decide(ctx: typer.Context, link_id: int, *, same: bool, note: str | None) -> None:
    from jaga.linkage.review import decide

    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        done = decide(uow, actor, link_id, same=same, note=note)
    together = "now one identity" if done.same_identity else "kept apart"
    console.print(f"{done.left_ref} and {done.right_ref}: {done.decision} ({together})", highlight=False)


NoteOption = Annotated[str | None, typer.Option(help="why (no personal data needed)")]


@review_app.command("accept")
def review_accept(ctx: typer.Context, link_id: int, note: NoteOption = None) -> None:
    """The two records are the same person."""
    _decide(ctx, link_id, same=True, note=note)


@review_app.command("reject")
def review_reject(ctx: typer.Context, link_id: int, note: NoteOption = None) -> None:
    """The two records are different people."""
    _decide(ctx, link_id, same=False, note=note)


@app.command("identity")
def identity_command(
    ctx: typer.Context,
    person_ref: Annotated[str, typer.Argument(help="a person's ref")],
    reason: ReasonOption,
) -> None:
    """Every record of the same person (as your account; audited)."""
    from jaga.linkage.review import identity_of

    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        found = identity_of(uow, actor, person_ref, purpose=Purpose(reason, "cli link identity"))
    if not found["linked"]:
        console.print("no linkage run has covered this record yet: run `jaga link run`")
    table = Table("ref", "source", "name", "NIK", "sex", "born", "region")
    for record in found["records"]:
        table.add_row(
            record["ref"],
            record["source_kind"],
            record["full_name"] or "-",
            record["nik"] or "-",
            record["sex"] or "-",
            record["birth_date"] or "-",
            record["region_code"],
        )
    console.print(table)
    if found["outside_your_region"]:
        console.print(f"{found['outside_your_region']} more records lie outside your region", style="dim")
