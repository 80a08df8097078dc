"""`jaga bench link --ablation`: what each Indonesian name-normalisation step is worth.

jaga links `jaga synth` people and the independent generator's records (`jaga.altgen`, several seeds) once
with every step of `jaga.names.STEPS` on and once with each step switched off in turn (the data made once per
set, the model trained afresh for each run), and prints F1 and recall per set against the truth, with the
Splink reference of the same run for scale. A step earns its place only if switching it off lowers F1 on
both Indonesian sets (docs/linkage.md "Name normalisation, step by step").
"""

from __future__ import annotations

import math
import statistics
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.table import Table

from jaga.altgen.evaluate import Score
from jaga.bench import splink_reference as reference
from jaga.bench.linkage import (
    RECORDS_PER_BIRTH,
    THRESHOLD,
    _altgen_jaga,
    _reference_outcome,
    _subsets,
    _synth_jaga,
    console,
)
from jaga.bench.linkage_data import (
    altgen,
    altgen_identities,
    altgen_splink_people,
    synth_identities,
    synth_people,
    true_pairs,
)
from jaga.linkage.clusters import PairScores, pairwise_scores
from jaga.linkage.features import names_ablated
from jaga.linkage.link import RunOptions
from jaga.names import STEPS
from jaga.synth.generator import synthesise
from jaga.synth.isolation import guard_truth
from jaga.synth.scenario import Scenario

ALL_ON = "none (every step on)"


@dataclass
class Measured:
    """One data set's scores with one step switched off (or none)."""

    dataset: str
    removed: str
    scores: PairScores
    indonesian: Score | None = None  # altgen: pairs where either record has Indonesian-specific noise


@dataclass
class Ablation:
    measured: list[Measured] = field(default_factory=list)
    reference: dict[str, PairScores] = field(default_factory=dict)  # data set -> the Splink reference


def _configs(steps: Sequence[str]) -> list[tuple[str, list[str]]]:
    return [(ALL_ON, []), *((step, [step]) for step in steps)]


def _each_config(
    dataset: str,
    steps: Sequence[str],
    link: Callable[[], dict[str, str]],
    score: Callable[[dict[str, str]], tuple[PairScores, Score | None]],
) -> list[Measured]:
    out = []
    for removed, off in _configs(steps):
        console.print(f"  {dataset}: without {removed}", highlight=False)
        with names_ablated(off):
            clusters = link()
        scores, indonesian = score(clusters)
        out.append(Measured(dataset, removed, scores, indonesian))
    return out


def ablate_synth(records: int, seed: int, options: RunOptions, steps: Sequence[str], into: Ablation) -> None:
    label = f"synth ~{records:,}"
    births = max(100, math.ceil(records / RECORDS_PER_BIRTH))
    with tempfile.TemporaryDirectory(prefix="jaga-bench-ablation-") as tmp:
        folder = Path(tmp) / "synth"
        synthesise(births=births, seed=seed, out=folder, scenario=Scenario(name="bench"))
        people = synth_people(folder)
        with guard_truth():
            runs = {}
            for removed, off in _configs(steps):
                console.print(f"  {label}: without {removed}", highlight=False)
                with names_ablated(off):
                    runs[removed] = _synth_jaga(people, options)[0]
            splink_table = reference.synth_table(people)
        truth = synth_identities(folder)
        into.measured += [Measured(label, removed, pairwise_scores(c, truth)) for removed, c in runs.items()]
        ref = _reference_outcome(label, [splink_table], reference.synth(), options, truth, true_pairs(truth))
        into.reference[label] = ref.scores


def ablate_altgen(
    entities: int, seed: int, options: RunOptions, steps: Sequence[str], into: Ablation
) -> None:
    label = f"altgen {entities:,} (seed {seed})"
    with tempfile.TemporaryDirectory(prefix="jaga-bench-ablation-") as tmp:
        folder = Path(tmp)
        data = altgen(entities, seed, folder / "data")
        runs = {}
        for removed, off in _configs(steps):
            console.print(f"  {label}: without {removed}", highlight=False)
            with names_ablated(off):
                runs[removed] = _altgen_jaga(data, folder, options)[0]
        splink_table = reference.synth_table(altgen_splink_people(data.records))
        truth = altgen_identities(data.truth_csv)  # from here on: scoring only
        for removed, clusters in runs.items():
            subsets = {s.subset: s for s in _subsets(clusters, folder, data.truth_csv)}
            into.measured.append(
                Measured(label, removed, pairwise_scores(clusters, truth), subsets.get("indonesian"))
            )
        ref = _reference_outcome(label, [splink_table], reference.synth(), options, truth, true_pairs(truth))
        into.reference[label] = ref.scores


def run(
    *,
    datasets: Sequence[str],
    records: int,
    seed: int,
    altgen_entities: int,
    altgen_seeds: Sequence[int],
    options: RunOptions,
    steps: Sequence[str] = tuple(STEPS),
) -> Ablation:
    result = Ablation()
    if "synth" in datasets:
        ablate_synth(records, seed, options, steps, result)
    if "altgen" in datasets:
        for altgen_seed in altgen_seeds or [seed]:
            ablate_altgen(altgen_entities, altgen_seed, options, steps, result)
    print_ablation(result)
    return result


def print_ablation(result: Ablation) -> None:
    datasets = list(dict.fromkeys(m.dataset for m in result.measured))
    base = {m.dataset: m.scores.f1 for m in result.measured if m.removed == ALL_ON}
    table = Table(
        "step switched off",
        *(f"{d} F1 (change)" for d in datasets),
        "altgen mean change",
        "verdict",
        title=f"Name normalisation ablation: jaga's F1 at match probability {THRESHOLD} with each step off",
    )
    removed_order = list(dict.fromkeys(m.removed for m in result.measured))
    for removed in removed_order:
        row = {m.dataset: m for m in result.measured if m.removed == removed}
        changes = {d: row[d].scores.f1 - base[d] for d in datasets if d in row}
        altgen_changes = [c for d, c in changes.items() if d.startswith("altgen")]
        synth_changes = [c for d, c in changes.items() if d.startswith("synth")]
        altgen_mean = statistics.fmean(altgen_changes) if altgen_changes else math.nan
        table.add_row(
            removed if removed == ALL_ON else f"{removed}: {STEPS[removed]}",
            *(
                f"{row[d].scores.f1:.4f}" + ("" if removed == ALL_ON else f" ({changes[d]:+.4f})")
                if d in row
                else "-"
                for d in datasets
            ),
            "" if removed == ALL_ON else f"{altgen_mean:+.4f}",
            "" if removed == ALL_ON else _verdict(synth_changes, altgen_mean),
        )
    console.print(table)
    recall = Table(
        "step switched off",
        *(f"{d} Indonesian-noise recall" for d in datasets if d.startswith("altgen")),
        title="altgen: recall on pairs with Indonesian-specific noise",
    )
    for removed in removed_order:
        row = {m.dataset: m for m in result.measured if m.removed == removed}
        recall.add_row(removed, *(_indonesian_recall(row.get(d)) for d in datasets if d.startswith("altgen")))
    console.print(recall)
    for dataset, scores in result.reference.items():
        console.print(
            f"Splink reference, {dataset}: precision {scores.precision:.4f}, recall {scores.recall:.4f}, "
            f"F1 {scores.f1:.4f}",
            highlight=False,
        )


def _indonesian_recall(measured: Measured | None) -> str:
    score = measured.indonesian if measured else None
    return f"{score.recall:.4f}" if score else "-"


def _verdict(synth_changes: list[float], altgen_mean: float) -> str:
    """Keep a step if switching it off lowers F1 on a set and raises it on none (changes within 0.0005 are
    no change: a set that never writes, say, degrees cannot show what stripping them is worth)."""
    tolerance = 0.0005
    synth = statistics.fmean(synth_changes) if synth_changes else math.nan
    named = [(n, c) for n, c in (("synth", synth), ("altgen", altgen_mean)) if not math.isnan(c)]
    if any(c > tolerance for _, c in named):
        return "remove or change: F1 rises without it on " + ", ".join(n for n, c in named if c > tolerance)
    helped = [n for n, c in named if c < -tolerance]
    if not helped:
        return "no measurable effect"
    if len(helped) == len(named):
        return "keep: F1 falls without it on every set"
    return f"keep: F1 falls without it on {', '.join(helped)}, no change elsewhere"
