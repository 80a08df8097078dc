"""`jaga altgen ...`: write an independent synthetic data set of agencies' person records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jaga.cli_support import console

app = typer.Typer(
    help="Independent generators written from DOMAIN.md alone: person records (to judge linkage) and "
    "scenario worlds (to judge the flags).",
    no_args_is_help=True,
)


@app.command("people")
def people_command(
    entities: Annotated[int, typer.Option(min=1, help="true persons (mothers and children)")] = 1000,
    seed: Annotated[int, typer.Option(help="same seed, same files")] = 1,
    out: Annotated[Path, typer.Option(help="folder for records.csv and truth.csv")] = Path("data/altgen"),
) -> None:
    """Write OUT/records.csv (the agencies' records) and OUT/truth.csv (record -> person, noise applied;
    for evaluation only: link records.csv, then score against truth.csv)."""
    from jaga.altgen.people import generate, write
    from jaga.errors import InvalidInput

    if out.exists() and not out.is_dir():
        raise InvalidInput(f"--out {out} is a file; give a folder")
    dataset = generate(entities, seed)
    records, truth = write(dataset, out)
    console.print(
        f"{len(dataset.persons):,} persons, {len(dataset.records):,} records: {records} (truth: {truth})",
        highlight=False,
    )


@app.command("score")
def score_command(
    truth: Annotated[Path, typer.Argument(help="truth.csv written by `jaga altgen people`")],
    pairs: Annotated[Path | None, typer.Option(help="pairs.csv written by `jaga link csv`")] = None,
    clusters: Annotated[
        Path | None, typer.Option(help="clusters.csv written by `jaga link csv --clusters`")
    ] = None,
    by_kind: Annotated[bool, typer.Option(help="also score the pairs touched by each noise kind")] = False,
) -> None:
    """Pairwise precision, recall and F1 against the truth: overall, and on pairs with Indonesian-specific,
    generic or no noise."""
    from jaga.altgen.evaluate import score_clusters, score_pairs, table
    from jaga.errors import InvalidInput

    if pairs is None and clusters is None:
        raise InvalidInput("give --pairs, --clusters or both")
    for label, path in (("pairs", pairs), ("clusters", clusters)):
        if path is None:
            continue
        for needed in (path, truth):
            if not needed.is_file():
                raise InvalidInput(f"{needed} does not exist")
        try:
            scorer = score_pairs if label == "pairs" else score_clusters
            scores = scorer(path, truth)
            kinds = [s for s in scorer(path, truth, by_kind=True) if s.true_pairs >= 10] if by_kind else []
        except (ValueError, KeyError) as exc:
            raise InvalidInput(f"{path.name}: {exc}") from None
        console.print(f"{label} ({path.name}):", highlight=False)
        console.print(table(scores), highlight=False)
        if kinds:
            console.print(f"{label} by noise kind (pairs where either record has it; 10 or more):")
            console.print(table(kinds), highlight=False)


@app.command("world")
def world_command(
    births: Annotated[int, typer.Option(min=100, help="ordinary births in the world")] = 8000,
    seed: Annotated[int, typer.Option(help="same seed, same files")] = 1,
    out: Annotated[Path, typer.Option(help="empty folder for the import files and truth/")] = Path(
        "data/altgen-world"
    ),
    hidden: Annotated[float, typer.Option(min=0.0, max=1.0, help="how well the rings hide (0-1)")] = 0.5,
) -> None:
    """Write an independent scenario world for judging the flags: import files in OUT (in the order and
    as the roles of OUT/manifest.json), the planted rings and look-alikes in OUT/truth/ (for evaluation
    only: `jaga flags evaluate OUT` after importing, linking and flagging)."""
    from jaga.altgen.scenarios import Shape, build, write
    from jaga.errors import InvalidInput

    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvalidInput(f"--out {out} must be a new or empty folder")
    shape = Shape(births=births, hidden=hidden)
    world = build(shape, seed)
    write(world, out, shape=shape, seed=seed)
    rows = sum(len(r) for r in world.rows.values())
    console.print(
        f"{rows:,} records in {out}; {len(world.schemes)} planted schemes and "
        f"{len(world.lookalikes)} look-alike records in {out / 'truth'}",
        highlight=False,
    )
