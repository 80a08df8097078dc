"""`jaga bench link`: jaga's linkage against a plain Splink model on the same synthetic records, with the
identity truth as the judge: pairwise precision, recall and F1 of the clusters, and the wall time.

The plain model is what a careful newcomer would write with Splink's defaults: its name and date-of-birth
comparisons on the raw fields, exact NIK, sex and region, and simple blocking; no Indonesian name
handling, no NIK-derived facts, no newborn placeholders. Both are trained the same way (prior from
near-certain pairs, u by random sampling, m by EM on sampled blocks) and clustered the same way.
"""

from __future__ import annotations

import itertools
import logging
import math
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import splink.comparison_library as cl
from rich.table import Table
from splink import Linker, SettingsCreator, block_on

from jaga.bench.linkage_data import synth_identities, synth_people
from jaga.cli_support import make_console
from jaga.linkage.clusters import Edge, PairScores, cluster, pairwise_scores
from jaga.linkage.engines import Engine, EngineResources, db_api
from jaga.linkage.features import FeatureReport, feature_row, feature_table
from jaga.linkage.link import RunOptions, score
from jaga.linkage.sources import person_roles
from jaga.synth.generator import synthesise
from jaga.synth.isolation import guard_truth
from jaga.synth.scenario import Scenario

console = make_console()
RECORDS_PER_BIRTH = 3.09  # person records per synthetic birth (mothers, children, other sources), measured
THRESHOLD = 0.9


@dataclass
class Outcome:
    model: str
    records: int
    pairs_scored: int
    scores: PairScores
    seconds: float
    examples: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]]


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


def _baseline_table(people: list[dict[str, Any]]) -> pa.Table:
    rows = [
        {
            "unique_id": p["id"],
            "full_name": (p.get("full_name") or "").strip().lower() or None,
            "dob": p.get("birth_date") or None,
            "sex": p.get("sex") or None,
            "nik": p.get("nik") or None,
            "region": p.get("address_region_code") or p.get("region_code") or None,
            "mother_name": (p.get("mother_name") or "").strip().lower() or None,
        }
        for p in people
    ]
    return pa.Table.from_pylist(rows)


def _baseline(table: pa.Table, engine: Engine, options: RunOptions) -> pa.Table:
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("full_name"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("nik"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("region"),
            cl.NameComparison("mother_name"),
        ],
        # Blocking on the name alone explodes at national scale (thousands of "siti aminah"): a careful
        # newcomer adds the region to it, as to the date.
        blocking_rules_to_generate_predictions=[
            block_on("full_name", "region"),
            block_on("nik"),
            block_on("dob", "region"),
        ],
    )
    api = db_api(engine, options.resources)
    linker = Linker(api.register(table), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("nik", "dob"), block_on("full_name", "dob")], recall=options.recall
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=options.max_u_pairs, seed=options.seed)
    for rule in (block_on("dob"), block_on("full_name")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=options.max_em_pairs
        )
    predictions = linker.inference.predict(threshold_match_probability=options.keep_threshold)
    return predictions.as_pyarrow_table()  # type: ignore[no-untyped-call]


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


def measure(folder: Path, engine: Engine, resources: EngineResources | None = None) -> list[Outcome]:
    people = synth_people(folder)
    by_ref = {p["id"]: p for p in people}
    outcomes: list[Outcome] = []
    options = RunOptions(engine=engine, resources=resources or EngineResources())
    ids = [p["id"] for p in people]

    with guard_truth():  # the models run with the ground truth locked away
        started = time.perf_counter()
        report = FeatureReport()
        today = date.today()
        table = feature_table(
            [
                feature_row(p["id"], p["source_kind"], person_roles(p), today=today, report=report)
                for p in people
            ]
        )
        scored = score([table], link_type="dedupe_only", options=options)
        niks = dict(zip(table.column("unique_id").to_pylist(), table.column("nik").to_pylist(), strict=True))
        ours = cluster(ids, _edges(scored.pairs), threshold=THRESHOLD, niks=niks)
        ours_seconds = time.perf_counter() - started

        started = time.perf_counter()
        plain_pairs = _baseline(_baseline_table(people), engine, options)
        plain = cluster(ids, _edges(plain_pairs), threshold=THRESHOLD)
        plain_seconds = time.perf_counter() - started

    truth = synth_identities(folder)
    outcomes.append(
        Outcome(
            "jaga",
            len(ids),
            scored.pairs.num_rows,
            pairwise_scores(ours, truth),
            ours_seconds,
            _examples(ours, truth, by_ref),
        )
    )
    outcomes.append(
        Outcome(
            "plain Splink", len(ids), plain_pairs.num_rows, pairwise_scores(plain, truth), plain_seconds, {}
        )
    )
    return outcomes


def run(
    *,
    records: list[int],
    engine: Engine,
    seed: int = 7,
    examples: bool = True,
    resources: EngineResources | None = None,
) -> list[Outcome]:
    results: list[Outcome] = []
    for target in records:
        births = max(100, math.ceil(target / RECORDS_PER_BIRTH))
        with tempfile.TemporaryDirectory(prefix="jaga-bench-link-") as tmp:
            folder = Path(tmp) / "synth"
            console.print(f"synthesising {births:,} births (~{target:,} person records) ...")
            synthesise(births=births, seed=seed, out=folder, scenario=Scenario(name="bench"))
            console.print(f"linking with jaga and with plain Splink on {engine.value} ...")
            results.extend(measure(folder, engine, resources))
    _print(results, examples=examples)
    return results


def _print(results: list[Outcome], *, examples: bool) -> None:
    table = Table(
        "model",
        "records",
        "pairs scored",
        "precision",
        "recall",
        "F1",
        "seconds",
        title="Identity linkage vs truth",
    )
    for r in results:
        table.add_row(
            r.model,
            f"{r.records:,}",
            f"{r.pairs_scored:,}",
            f"{r.scores.precision:.4f}",
            f"{r.scores.recall:.4f}",
            f"{r.scores.f1:.4f}",
            f"{r.seconds:.1f}",
        )
    console.print(table)
    console.print(
        f"pairwise scores of the clusters at match probability {THRESHOLD}; seconds include feature building"
    )
    if not examples:
        return
    last = next((r for r in reversed(results) if r.examples), None)
    if last is None:
        return
    for kind, pairs in last.examples.items():
        console.print(f"[bold]{kind} pairs (jaga, {last.records:,} records)[/]")
        for left, right in pairs:
            console.print(f"  {left}\n  {right}\n", highlight=False, soft_wrap=True)
