"""`jaga synth`: generate a synthetic Indonesia in the import formats, with ground truth apart."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jaga.cli_support import console, err_console


def synth_command(
    births: Annotated[int, typer.Option(min=100, help="births in the base population")] = 10_000,
    seed: Annotated[int, typer.Option(help="same seed, same files")] = 1,
    out: Annotated[Path, typer.Option(help="empty folder to write into")] = Path("data/synth"),
    scenario: Annotated[Path | None, typer.Option(help="scenario TOML (see docs/synth.md)")] = None,
) -> None:
    """Write a synthetic population with planted trafficking schemes: import files in OUT, the ground truth
    in OUT/truth/ (for evaluation only: detectors never read it), the import plan in OUT/manifest.json."""
    from jaga.synth.generator import synthesise
    from jaga.synth.scenario import load_scenario

    plan = load_scenario(scenario)
    with Progress(
        TextColumn("synthesising births"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as progress:
        task = progress.add_task("births", total=births)
        summary = synthesise(
            births=births,
            seed=seed,
            out=out,
            scenario=plan,
            progress=lambda done, total: progress.update(task, completed=done),
        )
    console.print(
        f"{summary.births:,} births, {summary.records:,} records in {summary.seconds:.1f} s "
        f"({summary.records / summary.seconds:,.0f} records/s) -> {out}"
    )
    console.print("planted: " + ", ".join(f"{k} {v}" for k, v in summary.planted.items()))
    console.print(
        f"tips from the public: {summary.tips:,} in tips.csv (jaga demo sends them as the public would)"
    )
