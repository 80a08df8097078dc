"""`jaga flags run`: every detector over the registry, the results stored in one transaction.

The run is recorded first (`running`), then the registry is read into frames in one read transaction,
the detectors run without touching the database, and their candidates are stored in one write
transaction that also marks the run `done`. A crash leaves the previous flags as they were and the run
marked `running` or `failed`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from jaga.db import Clock, utc_now
from jaga.flags.candidates import Candidate
from jaga.flags.detectors import DETECTORS, Detect
from jaga.flags.frames import Frames, load_frames
from jaga.flags.models import FlagRun
from jaga.flags.rules import RULES
from jaga.flags.rules.tips import corroborate
from jaga.flags.store import store_candidates, store_one

Progress = Callable[[str], None]


@dataclass
class RunSummary:
    run_id: int
    as_of: date
    found: int
    new: int
    refreshed: int
    gone: int
    by_kind: dict[str, int]
    rows: dict[str, int]  # rows read per table
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage: load, each detector, store

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


def run_flags(
    sessions: sessionmaker[Session],
    *,
    today: date | None = None,
    clock: Clock = utc_now,
    detectors: Sequence[tuple[str, Detect]] | None = None,
    progress: Progress | None = None,
) -> RunSummary:
    """Run `detectors` (default: every registered one) and store their flags; the run's summary."""
    say = progress or (lambda _: None)
    chosen = list(DETECTORS if detectors is None else detectors)
    as_of = today or clock().date()
    with sessions() as session:
        run = FlagRun(started_at=clock(), status="running", as_of=as_of, found=0, new=0, gone=0)
        session.add(run)
        session.commit()
        run_id = run.id
    try:
        return _run(sessions, run_id, as_of, chosen, clock, say)
    except BaseException as exc:
        with sessions() as session:
            failed = session.get(FlagRun, run_id)
            if failed is not None:
                failed.status, failed.finished_at = "failed", clock()
                failed.notes = f"failed: {type(exc).__name__}"  # the type only: messages may hold data
                session.commit()
        raise


def _run(
    sessions: sessionmaker[Session],
    run_id: int,
    as_of: date,
    detectors: list[tuple[str, Detect]],
    clock: Clock,
    say: Progress,
) -> RunSummary:
    timings: dict[str, float] = {}
    say("load")
    started = time.perf_counter()
    with sessions() as session:
        frames = load_frames(session, own_snapshot=True)  # a fresh session: nothing written in it
        session.rollback()  # a read: release the snapshot (and SQLite's lock) before detecting
    timings["load"] = time.perf_counter() - started
    found: list[Candidate] = []
    for name, detect in detectors:
        say(name)
        started = time.perf_counter()
        found.extend(detect(frames, today=as_of))
        timings[name] = time.perf_counter() - started
    # Tips raise flags already found (jaga.flags.rules.tips): the one stage that reads other candidates,
    # run (and timed) when the registry holds tips.
    if frames.tips.height:
        say("tips")
        started = time.perf_counter()
        found.extend(corroborate(frames, found))
        timings["tips"] = time.perf_counter() - started
    say("store")
    started = time.perf_counter()
    with sessions() as session:
        stored = store_candidates(session, run_id=run_id, candidates=found, at=clock())
        timings["store"] = time.perf_counter() - started
        run = session.get(FlagRun, run_id)
        assert run is not None
        run.status, run.finished_at = "done", clock()
        run.found, run.new, run.gone = stored.found, stored.new, stored.gone
        run.timings = json.dumps({k: round(v, 3) for k, v in timings.items()})
        run.counts = json.dumps(stored.by_kind)
        session.commit()
    return RunSummary(
        run_id=run_id,
        as_of=as_of,
        found=stored.found,
        new=stored.new,
        refreshed=stored.refreshed,
        gone=stored.gone,
        by_kind=stored.by_kind,
        rows=frames.sizes(),
        timings=timings,
    )


@dataclass(frozen=True)
class OneFlag:
    run_id: int
    flag_id: int | None  # None: the rule does not fire for this subject (any flag it had is left as is)
    new: bool


def refresh_one(
    sessions: sessionmaker[Session],
    *,
    kind: str,
    subject_type: str,
    subject_ref: str,
    today: date | None = None,
    clock: Clock = utc_now,
) -> OneFlag:
    """Run the one record rule `kind` and store only its flag on one subject (a reviewer's decision just
    changed what the rule sees, e.g. a confirmed face candidate). The registry is still read whole (the
    rules read frames), but no other detector runs and no other flag is refreshed or marked gone: that
    stays with the scheduled `jaga flags run`. Recorded as a run of its own, with a note saying so."""
    rules = dict(RULES)
    if kind not in rules:
        raise ValueError(f"no record rule named {kind!r}")
    as_of = today or clock().date()
    with sessions() as session:
        run = FlagRun(
            started_at=clock(),
            status="running",
            as_of=as_of,
            found=0,
            new=0,
            gone=0,
            notes=f"one subject: {kind} on one {subject_type}",
        )
        session.add(run)
        session.commit()
        run_id = run.id
    try:
        return _refresh_one(sessions, run_id, rules[kind], (kind, subject_type, subject_ref), as_of, clock)
    except BaseException as exc:
        with sessions() as session:
            failed = session.get(FlagRun, run_id)
            if failed is not None:
                failed.status, failed.finished_at = "failed", clock()
                failed.notes = f"failed: {type(exc).__name__}"
                session.commit()
        raise


def _refresh_one(
    sessions: sessionmaker[Session],
    run_id: int,
    rule: Callable[[Frames, date], list[Candidate]],
    key: tuple[str, str, str],
    as_of: date,
    clock: Clock,
) -> OneFlag:
    kind = key[0]
    started = time.perf_counter()
    with sessions() as session:
        frames = load_frames(session, own_snapshot=True)
        session.rollback()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    found = [c for c in rule(frames, as_of) if c.key == key]
    detected = time.perf_counter() - started
    with sessions() as session:
        flag_id, new = None, False
        if found:
            best = max(found, key=lambda c: c.score)
            flag_id, new = store_one(session, run_id=run_id, candidate=best, at=clock())
        done = session.get(FlagRun, run_id)
        assert done is not None
        done.status, done.finished_at = "done", clock()
        done.found, done.new = len(found[:1]), int(new)
        done.timings = json.dumps({"load": round(loaded, 3), kind: round(detected, 3)})
        done.counts = json.dumps({kind: len(found[:1])})
        session.commit()
    return OneFlag(run_id, flag_id, new)
