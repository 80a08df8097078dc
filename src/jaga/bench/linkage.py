"""`jaga bench link`: jaga's linkage against Splink configured as its documentation recommends
(`jaga.bench.splink_reference`), on the public FEBRL data sets 1-4 and on `jaga synth` people, in the same
process and run, with the identity truth as the judge; and on the independent generator's records
(`jaga.altgen`, `ALTGEN_MAP`), where it also prints the scores on pairs with Indonesian-specific noise.

jaga runs as users run it: FEBRL through `jaga link csv`'s own function (`link_files`, the columns mapped
to jaga's roles as a user would, `FEBRL_MAP`), synthetic people through the registry's feature rows. For
each data set and model it prints the blocking recall (true pairs that at least one prediction blocking
rule brings in), the pairs scored (the pairs the blocking rules bring in), pairwise precision, recall
and F1 of the clusters at match probability `THRESHOLD`, and the wall time of training, scoring and
clustering. jaga's model is measured as it is: nothing here is tuned on these data sets.
"""

from __future__ import annotations

import csv
import itertools
import math
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from jaga.altgen.evaluate import Score, score_clusters
from jaga.bench import splink_reference as reference
from jaga.bench.linkage_data import (
    FEBRL,
    Altgen,
    Febrl,
    altgen,
    altgen_identities,
    altgen_splink_people,
    febrl,
    synth_identities,
    synth_people,
    true_pairs,
)
from jaga.cli_support import make_console
from jaga.errors import InvalidInput
from jaga.linkage import model
from jaga.linkage.clusters import Edge, PairScores, cluster, pairwise_scores
from jaga.linkage.csvmode import link_files, parse_mapping, read_file
from jaga.linkage.engines import Engine, EngineResources
from jaga.linkage.features import FeatureReport, feature_row, feature_table, present_columns
from jaga.linkage.link import RunOptions, score
from jaga.linkage.sources import person_roles, twins_apart
from jaga.synth.generator import synthesise
from jaga.synth.isolation import guard_truth
from jaga.synth.scenario import Scenario

console = make_console()
RECORDS_PER_BIRTH = 3.09  # person records per synthetic birth (mothers, children, other sources), measured
THRESHOLD = 0.9
DATASETS = (*FEBRL, "synth", "altgen")
# FEBRL's columns given jaga's roles, as `jaga link csv --map` would (docs/linkage.md "Public data"): the
# social security number is a generic identifier, the suburb a locality, the state a state.
FEBRL_MAP = (
    "given_name=given_name",
    "surname=surname",
    "date_of_birth=date_of_birth",
    "identifier=soc_sec_id",
    "address=street_number,address_1,address_2",
    "locality=suburb",
    "postcode=postcode",
    "state=state",
)
# The independent generator's records given jaga's roles, as docs/linkage.md "An independent generator" maps
# them for `jaga link csv`.
ALTGEN_MAP = (
    "full_name=full_name",
    "date_of_birth=birth_date",
    "sex=sex",
    "national_id=nik",
    "mother_name=mother_name",
    "address=address",
    "region=region_code",
)


@dataclass
class Outcome:
    dataset: str
    model: str
    records: int
    blocking: reference.Blocking
    scores: PairScores
    seconds: float
    examples: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    clusters: dict[str, str] = field(default_factory=dict, repr=False)  # id -> cluster
    subsets: list[Score] = field(default_factory=list)  # altgen: by noise ("indonesian", "generic", ...)


def _read_clusters(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["cluster_id"] for row in csv.DictReader(handle)}


def _write_clusters(clusters: dict[str, str], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["cluster_id", "file", "id"])
        writer.writerows([c, "left", i] for i, c in clusters.items())


def _edges(pairs: pa.Table) -> list[Edge]:
    return [
        Edge(left, right, probability)
        for left, right, probability in zip(
            pairs.column("unique_id_l").to_pylist(),
            pairs.column("unique_id_r").to_pylist(),
            pairs.column("match_probability").to_pylist(),
            strict=True,
        )
    ]


def _jaga_blocking(
    tables: Sequence[pa.Table], link: bool, truth_pairs: list[tuple[str, str]]
) -> reference.Blocking:
    """The pairs jaga's own prediction blocking rules bring in (read from its model, not changed)."""
    columns = set.intersection(*(present_columns(t) for t in tables))
    settings = model.settings(columns, link_type="link_only" if link else "dedupe_only")
    return reference.measure_blocking(tables, settings, truth_pairs)


def _write_febrl(records: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rec_id", *reference.FEBRL_COLUMNS])
        for r in records:
            writer.writerow(
                [
                    r["rec_id"],
                    *("" if r.get(c) != r.get(c) else (r.get(c) or "") for c in reference.FEBRL_COLUMNS),
                ]
            )


def _febrl_jaga(
    data: Febrl, folder: Path, options: RunOptions, truth_pairs: list[tuple[str, str]]
) -> Outcome:
    paths = []
    for i, records in enumerate(data.files):
        paths.append(folder / f"{data.name}-{i}.csv")
        _write_febrl(records, paths[-1])
    mapping = parse_mapping("rec_id", FEBRL_MAP)
    link = len(paths) > 1
    today = date.today()
    started = time.perf_counter()
    result = link_files(
        paths[0],
        paths[1] if link else None,
        mapping,
        out=folder / "pairs.csv",
        clusters_out=folder / "clusters.csv",
        threshold=THRESHOLD,
        engine=options.engine,
        today=today,
        resources=options.resources,
    )
    seconds = time.perf_counter() - started
    clusters = _read_clusters(folder / "clusters.csv")
    tables = [
        read_file(p, mapping, source=f"f{i}", report=FeatureReport(), today=today)
        for i, p in enumerate(paths)
    ]
    notes = [
        f"{role}: {count:,} values unreadable" for role, count in sorted(result.report.unreadable.items())
    ]
    return Outcome(
        data.name,
        "jaga (link csv)",
        result.records,
        _jaga_blocking(tables, link, truth_pairs),
        pairwise_scores(clusters, data.truth),
        seconds,
        notes=notes,
    )


def _reference_outcome(
    name: str,
    tables: list[pa.Table],
    ref: reference.Reference,
    options: RunOptions,
    truth: dict[str, str],
    truth_pairs: list[tuple[str, str]],
) -> Outcome:
    ids = [i for t in tables for i in t.column("unique_id").to_pylist()]
    started = time.perf_counter()
    pairs = reference.predict(
        tables, ref, engine=options.engine, resources=options.resources, seed=options.seed
    )
    clusters = cluster(ids, _edges(pairs), threshold=THRESHOLD)
    seconds = time.perf_counter() - started
    return Outcome(
        name,
        "Splink reference",
        len(ids),
        reference.measure_blocking(tables, ref.settings, truth_pairs),
        pairwise_scores(clusters, truth),
        seconds,
        clusters=clusters,
    )


def measure_febrl(name: str, options: RunOptions) -> list[Outcome]:
    data = febrl(name)
    link = len(data.files) > 1
    sides = [{r["rec_id"] for r in f} for f in data.files] if link else None
    pairs = true_pairs(data.truth, sides)
    with tempfile.TemporaryDirectory(prefix="jaga-bench-febrl-") as tmp:
        ours = _febrl_jaga(data, Path(tmp), options, pairs)
    tables = [reference.febrl_table(f) for f in data.files]
    ref = reference.febrl("link_only" if link else "dedupe_only")
    return [ours, _reference_outcome(name, tables, ref, options, data.truth, pairs)]


def _examples(
    clusters: dict[str, str], truth: dict[str, str], people: dict[str, dict[str, Any]], limit: int = 5
) -> dict[str, list[tuple[dict[str, Any], dict[str, Any]]]]:
    """A few missed pairs (same person, apart) and false pairs (different people, together)."""
    shown = ("full_name", "birth_date", "sex", "nik", "region_code", "mother_name", "source_kind")

    def view(ref: str) -> dict[str, Any]:
        return {k: people[ref].get(k) for k in shown if people[ref].get(k)}

    by_truth: dict[str, list[str]] = {}
    by_cluster: dict[str, list[str]] = {}
    for ref in clusters:
        by_truth.setdefault(truth.get(ref, ref), []).append(ref)
        by_cluster.setdefault(clusters[ref], []).append(ref)
    missed = [
        (view(a), view(b))
        for members in by_truth.values()
        for a, b in itertools.pairwise(members)
        if clusters[a] != clusters[b]
    ][:limit]
    false = [
        (view(a), view(b))
        for members in by_cluster.values()
        for a, b in itertools.pairwise(members)
        if truth.get(a) != truth.get(b)
    ][:limit]
    return {"missed": missed, "false": false}


def _synth_jaga(people: list[dict[str, Any]], options: RunOptions) -> tuple[dict[str, str], pa.Table, float]:
    """jaga on synthetic people through the registry's feature rows: (clusters, feature table, seconds)."""
    ids = [p["id"] for p in people]
    started = time.perf_counter()
    report = FeatureReport()
    today = date.today()
    table = feature_table(
        [feature_row(p["id"], p["source_kind"], person_roles(p), today=today, report=report) for p in people]
    )
    scored = score([table], link_type="dedupe_only", options=options)
    niks = dict(zip(table.column("unique_id").to_pylist(), table.column("nik").to_pylist(), strict=True))
    # as a registry run does (`jaga.linkage.runs`): twins kept apart
    offices = {p["id"]: f"{p['source_kind']}:{p['source_ref']}" for p in people if p.get("source_ref")}
    twins = twins_apart(table, offices)
    clusters = cluster(ids, _edges(scored.pairs), threshold=THRESHOLD, niks=niks, rejected=twins)
    return clusters, table, time.perf_counter() - started


def measure_synth(folder: Path, options: RunOptions, label: str) -> list[Outcome]:
    people = synth_people(folder)
    by_ref = {p["id"]: p for p in people}
    with guard_truth():  # the models run with the ground truth locked away
        ours, table, ours_seconds = _synth_jaga(people, options)
        splink_table = reference.synth_table(people)
    truth = synth_identities(folder)
    pairs = true_pairs(truth)
    return [
        Outcome(
            label,
            "jaga",
            len(people),
            _jaga_blocking([table], False, pairs),
            pairwise_scores(ours, truth),
            ours_seconds,
            _examples(ours, truth, by_ref),
        ),
        _reference_outcome(label, [splink_table], reference.synth(), options, truth, pairs),
    ]


def _altgen_jaga(data: Altgen, folder: Path, options: RunOptions) -> tuple[dict[str, str], int, Any, float]:
    """jaga through `link_files` on records.csv with `ALTGEN_MAP`: (clusters, records, report, seconds)."""
    mapping = parse_mapping("record_id", ALTGEN_MAP)
    started = time.perf_counter()
    result = link_files(
        data.records_csv,
        None,
        mapping,
        out=folder / "pairs.csv",
        clusters_out=folder / "jaga-clusters.csv",
        threshold=THRESHOLD,
        engine=options.engine,
        today=date.today(),
        resources=options.resources,
    )
    seconds = time.perf_counter() - started
    return _read_clusters(folder / "jaga-clusters.csv"), result.records, result.report, seconds


def _subsets(clusters: dict[str, str], folder: Path, truth_csv: Path) -> list[Score]:
    path = folder / "scored-clusters.csv"
    _write_clusters(clusters, path)
    return [s for s in score_clusters(path, truth_csv) if s.subset != "all"]


def measure_altgen(entities: int, seed: int, options: RunOptions) -> list[Outcome]:
    """jaga through `link_files` on records.csv with `ALTGEN_MAP`, the Splink reference (its `synth` model,
    built for these columns) on the same records prepared for it; truth.csv is read only to score."""
    label = f"altgen {entities:,} (seed {seed})"
    with tempfile.TemporaryDirectory(prefix="jaga-bench-altgen-") as tmp:
        folder = Path(tmp)
        data = altgen(entities, seed, folder / "data")
        clusters, records, report, seconds = _altgen_jaga(data, folder, options)
        mapping = parse_mapping("record_id", ALTGEN_MAP)
        table = read_file(
            data.records_csv, mapping, source="left", report=FeatureReport(), today=date.today()
        )
        splink_table = reference.synth_table(altgen_splink_people(data.records))
        truth = altgen_identities(data.truth_csv)  # from here on: scoring only
        pairs = true_pairs(truth)
        ours = Outcome(
            label,
            "jaga (link csv)",
            records,
            _jaga_blocking([table], False, pairs),
            pairwise_scores(clusters, truth),
            seconds,
            notes=[f"{role}: {n:,} values unreadable" for role, n in sorted(report.unreadable.items())],
            clusters=clusters,
        )
        theirs = _reference_outcome(label, [splink_table], reference.synth(), options, truth, pairs)
        for outcome in (ours, theirs):
            outcome.subsets = _subsets(outcome.clusters, folder, data.truth_csv)
    return [ours, theirs]


def parse_datasets(text: str) -> list[str]:
    chosen = [d.strip().lower() for d in text.split(",") if d.strip()]
    unknown = [d for d in chosen if d not in DATASETS]
    if unknown or not chosen:
        raise InvalidInput(f"--datasets {text!r}: choose among {', '.join(DATASETS)} (comma-separated)")
    return chosen


def parse_seeds(text: str) -> list[int]:
    try:
        seeds = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InvalidInput(f"--altgen-seeds {text!r}: whole numbers, comma-separated") from None
    if not seeds:
        raise InvalidInput("--altgen-seeds: give at least one seed")
    return seeds


def run(
    *,
    datasets: Sequence[str] = DATASETS,
    records: Sequence[int] = (100_000,),
    engine: Engine = Engine.DUCKDB,
    seed: int = 7,
    altgen_entities: int = 5_000,
    altgen_seeds: Sequence[int] = (),
    examples: bool = True,
    resources: EngineResources | None = None,
) -> list[Outcome]:
    """`altgen_seeds`: the independent generator's seeds, one data set each (default: `seed`)."""
    options = RunOptions(engine=engine, resources=resources or EngineResources())
    steps = [d for d in datasets if d in FEBRL] + [f"synth {n:,}" for n in records if "synth" in datasets]
    steps += [f"altgen {s}" for s in (altgen_seeds or [seed])] if "altgen" in datasets else []
    results: list[Outcome] = []
    with Progress(
        TextColumn("linking {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("", total=len(steps))
        for step in steps:
            progress.update(task, description=f"{step} with jaga and the Splink reference on {engine.value}")
            if step in FEBRL:
                results.extend(measure_febrl(step, options))
            elif step.startswith("altgen"):
                results.extend(measure_altgen(altgen_entities, int(step.split()[1]), options))
            else:
                target = int(step.split()[1].replace(",", ""))
                births = max(100, math.ceil(target / RECORDS_PER_BIRTH))
                with tempfile.TemporaryDirectory(prefix="jaga-bench-link-") as tmp:
                    folder = Path(tmp) / "synth"
                    synthesise(births=births, seed=seed, out=folder, scenario=Scenario(name="bench"))
                    results.extend(measure_synth(folder, options, f"synth ~{target:,}"))
            progress.advance(task)
    _print(results, examples=examples)
    return results


def _print(results: list[Outcome], *, examples: bool) -> None:
    table = Table(
        "data set",
        "model",
        "records",
        "blocking recall",
        "pairs scored",
        "precision",
        "recall",
        "F1",
        "seconds",
        title="Identity linkage vs truth: jaga and Splink as its docs recommend",
    )
    for r in results:
        table.add_row(
            r.dataset,
            r.model,
            f"{r.records:,}",
            f"{r.blocking.recall:.4f}",
            f"{r.blocking.pairs:,}",
            f"{r.scores.precision:.4f}",
            f"{r.scores.recall:.4f}",
            f"{r.scores.f1:.4f}",
            f"{r.seconds:.1f}",
        )
    console.print(table)
    console.print(
        f"pairwise scores of the clusters at match probability {THRESHOLD}; blocking recall: true pairs that "
        "at least one prediction blocking rule brings in; pairs scored: pairs the blocking rules bring in; "
        "seconds: training, scoring and clustering (jaga's include feature building)",
        soft_wrap=True,
    )
    _print_subsets(results)
    for r in results:
        for note in r.notes:
            console.print(f"{r.dataset}, {r.model}: {note}", highlight=False)
    if not examples:
        return
    last = next((r for r in reversed(results) if r.examples), None)
    if last is None:
        return
    for kind, pairs in last.examples.items():
        console.print(f"[bold]{kind} pairs (jaga, {last.dataset})[/]")
        for left, right in pairs:
            console.print(f"  {left}\n  {right}\n", highlight=False, soft_wrap=True)


def _print_subsets(results: list[Outcome]) -> None:
    rows = [(r, s) for r in results for s in r.subsets if s.true_pairs or s.predicted]
    if not rows:
        return
    table = Table(
        "data set",
        "model",
        "pairs with",
        "true pairs",
        "precision",
        "recall",
        "F1",
        title="By noise: pairs where a record has Indonesian-specific noise, only generic noise, or none",
    )
    for r, s in rows:
        table.add_row(
            r.dataset,
            r.model,
            {"indonesian": "Indonesian noise", "generic": "generic noise only"}.get(s.subset, "no noise"),
            f"{s.true_pairs:,}",
            f"{s.precision:.4f}",
            f"{s.recall:.4f}",
            f"{s.f1:.4f}",
        )
    console.print(table)
