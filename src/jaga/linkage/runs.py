"""`jaga link run`: link every person record in the registry into identities, obeying reviewers.

One run reads the people (with mothers' names from births), trains and scores on the chosen engine,
clusters with reviewers' decisions as constraints, and replaces the current identities in one
transaction: a crash leaves the previous identities in place and the run marked failed or running.
Pairs between the review and match thresholds that nobody has decided yet form the review queue.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from jaga.db import Clock, utc_now
from jaga.db.bulk import bulk_insert
from jaga.errors import InvalidInput
from jaga.linkage.clusters import Edge, cluster
from jaga.linkage.engines import Engine, EngineResources
from jaga.linkage.explain import explain
from jaga.linkage.features import FeatureReport
from jaga.linkage.link import RunOptions, Scored, score
from jaga.linkage.models import Identity, IdentityLink, LinkDecision, LinkRun
from jaga.linkage.sources import registry_input

SAME, DIFFERENT = "same", "different"
LINKED, REVIEW, KEPT_APART = "linked", "review", "rejected"


@dataclass
class RunSummary:
    run_id: int
    records: int
    pairs: int
    linked: int
    review: int
    identities: int
    multi_record_identities: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def decisions(session: Session) -> list[LinkDecision]:
    return list(session.scalars(select(LinkDecision)))


def _labels(found: list[LinkDecision]) -> pa.Table | None:
    same = [d for d in found if d.decision == SAME]
    if not same:
        return None
    return pa.Table.from_pylist(
        [
            {"unique_id_l": str(d.left_id), "unique_id_r": str(d.right_id), "clerical_match_score": 1.0}
            for d in same
        ]
    )


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def run_linkage(
    sessions: sessionmaker[Session],
    *,
    engine: Engine = Engine.DUCKDB,
    resources: EngineResources | None = None,
    match_threshold: float = 0.9,
    review_threshold: float = 0.5,
    clock: Clock = utc_now,
    progress: Callable[[str], None] | None = None,
) -> RunSummary:
    if not 0 < review_threshold <= match_threshold < 1:
        raise InvalidInput("thresholds must satisfy 0 < review threshold <= match threshold < 1")
    say = progress or (lambda _: None)
    started = time.perf_counter()
    with sessions() as session, session.begin():
        run = LinkRun(
            started_at=clock(),
            status="running",
            engine=engine.value,
            match_threshold=match_threshold,
            review_threshold=review_threshold,
        )
        session.add(run)
        session.flush()
        run_id = run.id
    try:
        say("reading people")
        with sessions() as session:
            report = FeatureReport()
            read = registry_input(session, today=clock().date(), report=report)
            table = read.table
            found = decisions(session)
        say(f"training and scoring {table.num_rows:,} records on {engine.value}")
        scored = score(
            [table],
            link_type="dedupe_only",
            options=RunOptions(
                engine=engine, resources=resources or EngineResources(), keep_threshold=review_threshold
            ),
            labels=_labels(found),
        )
        say("clustering")
        ids = table.column("unique_id").to_pylist()
        pairs = scored.pairs.to_pylist()
        edges = [Edge(p["unique_id_l"], p["unique_id_r"], p["match_probability"]) for p in pairs]
        accepted = [(str(d.left_id), str(d.right_id)) for d in found if d.decision == SAME]
        rejected = [(str(d.left_id), str(d.right_id)) for d in found if d.decision == DIFFERENT]
        said_same = {frozenset(pair) for pair in accepted}
        rejected += [pair for pair in read.apart if frozenset(pair) not in said_same]  # twins (sources.py)
        niks = dict(zip(ids, table.column("nik").to_pylist(), strict=True))
        clusters = cluster(
            ids, edges, threshold=match_threshold, accepted=accepted, rejected=rejected, niks=niks
        )
        decided = {_ordered(d.left_id, d.right_id): d.decision for d in found}
        say("storing identities")
        summary = _store(sessions, run_id, pairs, clusters, decided, scored, match_threshold, clock)
    except BaseException:
        with sessions() as session, session.begin():
            failed = session.get(LinkRun, run_id)
            if failed is not None:
                failed.status, failed.finished_at = "failed", clock()
        raise
    summary.seconds = time.perf_counter() - started
    summary.timings = scored.timings
    summary.notes = [*scored.notes, f"{report.placeholders:,} unnamed newborns linked through their mothers"]
    return summary


def _store(
    sessions: sessionmaker[Session],
    run_id: int,
    pairs: list[dict[str, object]],
    clusters: dict[str, str],
    decided: dict[tuple[int, int], str],
    scored: Scored,
    match_threshold: float,
    clock: Clock,
) -> RunSummary:
    link_rows = []
    linked = review = 0
    for pair in pairs:
        left, right = _ordered(int(str(pair["unique_id_l"])), int(str(pair["unique_id_r"])))
        probability = float(pair["match_probability"])  # type: ignore[arg-type]
        decision = decided.get((left, right))
        # A rejected pair keeps the model's score (for `jaga link evaluate`) but is never linked or queued.
        if decision == DIFFERENT:
            status = KEPT_APART
        elif probability >= match_threshold or decision == SAME:
            status = LINKED
        else:
            status = REVIEW
        linked += status == LINKED
        review += status == REVIEW and decision is None
        link_rows.append(
            {
                "run_id": run_id,
                "left_id": left,
                "right_id": right,
                "match_probability": probability,
                "match_weight": float(pair["match_weight"]),  # type: ignore[arg-type]
                "status": status,
                "explanation": json.dumps([e.as_dict() for e in explain(pair, scored.levels)]),
            }
        )
    identity_rows = [
        {"person_id": int(person), "identity_id": int(identity), "run_id": run_id}
        for person, identity in clusters.items()
    ]
    sizes: dict[str, int] = {}
    for identity in clusters.values():
        sizes[identity] = sizes.get(identity, 0) + 1
    with sessions() as session, session.begin():
        # Links of earlier runs go, except those a reviewer's decision still points at.
        kept = select(LinkDecision.link_id).where(LinkDecision.link_id.is_not(None))
        session.execute(
            delete(IdentityLink).where(IdentityLink.run_id != run_id, IdentityLink.id.not_in(kept))
        )
        session.execute(delete(Identity))
        for start in range(0, len(link_rows), 20_000):
            _insert_links(session, link_rows[start : start + 20_000])
        for start in range(0, len(identity_rows), 50_000):
            bulk_insert(session, Identity.__table__, identity_rows[start : start + 50_000])
        run = session.get(LinkRun, run_id)
        assert run is not None
        run.status, run.finished_at = "done", clock()
        run.records, run.pairs, run.identities = len(clusters), len(link_rows), len(sizes)
        run.model = json.dumps(scored.model)
        run.notes = json.dumps(scored.notes)
    return RunSummary(
        run_id=run_id,
        records=len(clusters),
        pairs=len(link_rows),
        linked=linked,
        review=review,
        identities=len(sizes),
        multi_record_identities=sum(1 for n in sizes.values() if n > 1),
        seconds=0.0,
    )


def _insert_links(session: Session, rows: list[dict[str, object]]) -> None:
    # Ids are allocated by the database here (no registry event needs them in advance).
    session.execute(insert(IdentityLink), rows)
