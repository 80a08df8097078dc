"""Storing what a run found: one flag per kind and subject, kept across runs.

A flag found again keeps its id, its status and its review trail (a dismissed flag stays dismissed) and
gets the new evidence; a flag not found again is marked `present = false`, never deleted, so its trail
survives and it comes back with its status if a later run finds it again.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, bindparam, select, update
from sqlalchemy.orm import Session

from jaga.db.bulk import bulk_insert
from jaga.flags.candidates import Candidate
from jaga.flags.models import Flag, FlagStatus

UPDATE_CHUNK = 5000


@dataclass(frozen=True)
class Stored:
    found: int
    new: int
    refreshed: int
    gone: int
    by_kind: dict[str, int]


def _json_default(value: object) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"{type(value).__name__} is not JSON-able evidence")


def evidence_json(candidate: Candidate) -> str:
    try:
        return json.dumps(
            candidate.evidence, sort_keys=True, ensure_ascii=False, allow_nan=False, default=_json_default
        )
    except (TypeError, ValueError) as exc:  # a detector's bug: name the kind, never the values
        raise ValueError(f"evidence of a {candidate.kind!r} candidate is not JSON-able: {exc}") from exc


def deduplicate(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per kind and subject: the highest-scoring one."""
    best: dict[tuple[str, str, str], Candidate] = {}
    for candidate in candidates:
        held = best.get(candidate.key)
        if held is None or candidate.score > held.score:
            best[candidate.key] = candidate
    return list(best.values())


def _values(candidate: Candidate) -> dict[str, Any]:
    return {
        "score": float(candidate.score),
        "evidence": evidence_json(candidate),
        "explanation_id": candidate.explanation_id,
        "explanation_en": candidate.explanation_en,
        "records": json.dumps(list(candidate.records), ensure_ascii=False),
        "region_code": candidate.region_code,
    }


def store_candidates(
    session: Session, *, run_id: int, candidates: Iterable[Candidate], at: datetime
) -> Stored:
    """Insert new flags, refresh found ones, mark the rest gone, in the session's transaction."""
    unique = deduplicate(candidates)
    existing = {
        (kind, subject_type, subject_ref): flag_id
        for flag_id, kind, subject_type, subject_ref in session.execute(
            select(Flag.id, Flag.kind, Flag.subject_type, Flag.subject_ref)
        )
    }
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for candidate in unique:
        flag_id = existing.get(candidate.key)
        if flag_id is None:
            inserts.append(
                {
                    "kind": candidate.kind,
                    "subject_type": candidate.subject_type,
                    "subject_ref": candidate.subject_ref,
                    **_values(candidate),
                    "status": FlagStatus.OPEN.value,
                    "present": True,
                    "first_run_id": run_id,
                    "last_run_id": run_id,
                    "first_seen_at": at,
                    "last_seen_at": at,
                    "status_changed_at": None,
                }
            )
        else:
            updates.append({"flag_id": flag_id, **_values(candidate)})
    bulk_insert(session, Flag.__table__, inserts)
    if updates:
        table = cast(Table, Flag.__table__)
        statement = (
            update(table)
            .where(table.c.id == bindparam("flag_id"))
            .values(
                score=bindparam("score"),
                evidence=bindparam("evidence"),
                explanation_id=bindparam("explanation_id"),
                explanation_en=bindparam("explanation_en"),
                records=bindparam("records"),
                region_code=bindparam("region_code"),
                present=True,
                last_run_id=run_id,
                last_seen_at=at,
            )
        )
        for start in range(0, len(updates), UPDATE_CHUNK):
            session.connection().execute(statement, updates[start : start + UPDATE_CHUNK])
    marked = session.execute(
        update(Flag).where(Flag.present.is_(True), Flag.last_run_id != run_id).values(present=False)
    )
    gone = cast(CursorResult[Any], marked).rowcount
    return Stored(
        found=len(unique),
        new=len(inserts),
        refreshed=len(updates),
        gone=int(gone or 0),
        by_kind=dict(sorted(Counter(c.kind for c in unique).items())),
    )


def store_one(session: Session, *, run_id: int, candidate: Candidate, at: datetime) -> tuple[int, bool]:
    """Insert or refresh the one flag of `candidate`'s kind and subject, touching no other flag (a
    targeted run: flags it did not look for are neither refreshed nor marked gone). (flag id, new?)"""
    flag = session.scalar(
        select(Flag).where(
            Flag.kind == candidate.kind,
            Flag.subject_type == candidate.subject_type,
            Flag.subject_ref == candidate.subject_ref,
        )
    )
    values = _values(candidate)
    if flag is None:
        flag = Flag(
            kind=candidate.kind,
            subject_type=candidate.subject_type,
            subject_ref=candidate.subject_ref,
            **values,
            status=FlagStatus.OPEN.value,
            present=True,
            first_run_id=run_id,
            last_run_id=run_id,
            first_seen_at=at,
            last_seen_at=at,
            status_changed_at=None,
        )
        session.add(flag)
        session.flush()
        return flag.id, True
    for name, value in values.items():
        setattr(flag, name, value)
    flag.present, flag.last_run_id, flag.last_seen_at = True, run_id, at
    session.flush()
    return flag.id, False
