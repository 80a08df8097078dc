"""Matching: every open report's photos against the intake photos (sex, aged-on age band, region), the
nearest stored as candidates for review. It proposes candidates; it never decides."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.access import Action, Actor, check_reason
from jaga.db import UnitOfWork
from jaga.errors import InvalidInput
from jaga.faces.embedding import MODEL_VERSION
from jaga.faces.models import INTAKE_KINDS, CandidateStatus, FaceCandidate, FaceVector, Photo
from jaga.faces.search import AgeBand, distances, top_k
from jaga.faces.services.common import MAX_DISTANCE, TOP_PER_INTAKE, TOP_PER_REPORT, audit
from jaga.faces.services.review import candidate_listing
from jaga.regions import format_code, parse_code
from jaga.registry import MissingReport, Person


@dataclass(frozen=True)
class _Stored:
    photo: Photo
    vector: np.ndarray[Any, np.dtype[np.float32]]
    sex: str | None
    person_ref: str
    report: MissingReport | None


def _load(session: Session) -> tuple[list[_Stored], list[_Stored]]:
    """(open reports' photos, intake photos), each with its current-model vector."""
    rows = session.execute(
        select(Photo, FaceVector.vector, Person.sex, Person.ref)
        .join(FaceVector, FaceVector.photo_id == Photo.id)
        .join(Person, Person.id == Photo.person_id)
        .where(FaceVector.model_version == MODEL_VERSION)
        .order_by(Photo.id)
    ).all()
    reports = {
        r.id: r
        for r in session.scalars(
            select(MissingReport).where(MissingReport.id.in_({p.missing_report_id for p, *_ in rows}))
        )
    }
    wanted, intakes = [], []
    for photo, vector, sex, person_ref in rows:
        item = _Stored(
            photo,
            np.frombuffer(vector, dtype=np.float32),
            sex,
            person_ref,
            reports.get(photo.missing_report_id) if photo.missing_report_id is not None else None,
        )
        if photo.subject_kind in INTAKE_KINDS:
            intakes.append(item)
        elif item.report is not None and item.report.status == "open":
            wanted.append(item)
    return wanted, intakes


def _allowed(
    report: _Stored, intakes: list[_Stored], band: AgeBand, region: str
) -> tuple[np.ndarray[Any, np.dtype[np.bool_]], dict[str, Any]]:
    """Which intake photos the report's photo may be compared with, and the filters as applied."""
    mask = np.ones(len(intakes), dtype=bool)
    sex_used = age_used = 0
    for index, intake in enumerate(intakes):
        if intake.photo.person_id == report.photo.person_id:
            mask[index] = False
            continue
        if report.sex and intake.sex:
            sex_used += 1
            if report.sex != intake.sex:
                mask[index] = False
                continue
        if report.photo.age_months is not None and intake.photo.age_months is not None:
            age_used += 1
            expected = band.expected(report.photo.age_months, report.photo.taken_on, intake.photo.taken_on)
            if not band.allows(expected, intake.photo.age_months):
                mask[index] = False
                continue
        if region and not intake.photo.region_code.startswith(region):
            mask[index] = False
    filters = {
        "model_version": MODEL_VERSION,
        "sex": report.sex or "unknown",
        "age_band": (
            f"±max({band.floor_months} months, {round(band.share * 100)}%) around "
            f"{report.photo.age_months} months at {report.photo.taken_on.isoformat()}, aged on"
            if report.photo.age_months is not None
            else "not applied: the child's age is unknown"
        ),
        "region": format_code(region) if region else "all (children are moved across provinces)",
    }
    return mask, filters


def match(
    uow: UnitOfWork,
    actor: Actor,
    *,
    reason: str | None,
    channel: str,
    top: int = TOP_PER_REPORT,
    per_intake: int = TOP_PER_INTAKE,
    max_distance: float = MAX_DISTANCE,
    region: str | None = None,
) -> dict[str, Any]:
    """For every open missing report with a photo, its `top` nearest intake photos; for every intake
    photo, its `per_intake` nearest open reports. Stores them as candidates for review and returns those
    in the actor's region (audited)."""
    actor.require(Action.FACES_REVIEW)
    why = check_reason(reason)
    if not 1 <= top <= 100 or not 1 <= per_intake <= 100:
        raise InvalidInput(
            "top and per-intake must be between 1 and 100",
            message_id="top dan per-intake harus antara 1 dan 100",
        )
    if not 0 < max_distance <= 2:
        raise InvalidInput(
            "max distance must be above 0 and at most 2",
            message_id="jarak maksimum harus di atas 0 dan paling banyak 2",
        )
    try:
        narrowed = parse_code(region) if region else ""
    except ValueError as exc:
        raise InvalidInput(f"region: {exc}", message_id=f"wilayah: {exc}") from exc
    session = uow.session
    now = uow.clock()
    band = AgeBand()
    wanted, intakes = _load(session)
    stored = np.stack([i.vector for i in intakes]) if intakes else np.zeros((0, 128), dtype=np.float32)
    stored_sq = np.einsum("ij,ij->i", stored, stored)
    pairs: dict[tuple[int, int], dict[str, Any]] = {}
    by_report: dict[int, list[tuple[float, int, int]]] = {}  # report id -> (distance, report photo, intake)
    # Each intake photo's nearest reports, exactly: per intake photo, the `per_intake` smallest distances
    # to a report (its nearest photo of that report), merged report by report.
    count = len(intakes)
    best = np.full((count, per_intake), np.inf, dtype=np.float32)
    best_photo = np.full((count, per_intake), -1, dtype=np.int64)  # index into `wanted`
    shown: dict[int, dict[str, Any]] = {}  # index into `wanted` -> its filters
    grouped: dict[int, list[int]] = {}
    for position, item in enumerate(wanted):
        assert item.report is not None
        grouped.setdefault(item.report.id, []).append(position)
    for report_id, positions in grouped.items():
        nearest = np.full(count, np.inf, dtype=np.float32)
        nearest_photo = np.full(count, -1, dtype=np.int64)
        for position in positions:
            item = wanted[position]
            mask, filters = _allowed(item, intakes, band, narrowed)
            shown[position] = filters
            found = distances(item.vector, stored, stored_sq)
            mask &= found <= max_distance
            for index in top_k(found, mask, top):
                intake = intakes[index]
                pairs[(item.photo.id, intake.photo.id)] = {
                    "distance": float(found[index]),
                    "filters": filters,
                    "report": item,
                    "intake": intake,
                }
                by_report.setdefault(report_id, []).append(
                    (float(found[index]), item.photo.id, intake.photo.id)
                )
            allowed = np.where(mask, found, np.inf).astype(np.float32)
            closer = allowed < nearest
            nearest[closer], nearest_photo[closer] = allowed[closer], position
        merged = np.concatenate([best, nearest[:, None]], axis=1)
        merged_photo = np.concatenate([best_photo, nearest_photo[:, None]], axis=1)
        order = np.argsort(merged, axis=1, kind="stable")[:, :per_intake]
        best = np.take_along_axis(merged, order, axis=1)
        best_photo = np.take_along_axis(merged_photo, order, axis=1)
    ranks_report: dict[tuple[int, int], int] = {}
    for found_list in by_report.values():
        seen: set[int] = set()  # an intake photo once per report: its nearest report photo
        for _distance, report_photo, intake_photo in sorted(found_list):
            if intake_photo in seen or len(seen) >= top:
                continue
            seen.add(intake_photo)
            ranks_report[(report_photo, intake_photo)] = len(seen)
    ranks_intake: dict[tuple[int, int], int] = {}
    for index, column in zip(*np.nonzero(np.isfinite(best)), strict=True):
        item, intake = wanted[int(best_photo[index, column])], intakes[int(index)]
        key = (item.photo.id, intake.photo.id)
        ranks_intake[key] = int(column) + 1
        pairs.setdefault(
            key,
            {
                "distance": float(best[index, column]),
                "filters": shown[int(best_photo[index, column])],
                "report": item,
                "intake": intake,
            },
        )
    kept = set(ranks_report) | set(ranks_intake)
    existing = {
        (c.report_photo_id, c.intake_photo_id): c
        for c in session.scalars(select(FaceCandidate).where(FaceCandidate.model_version == MODEL_VERSION))
    }
    for key, old in existing.items():  # pending candidates not found again are dropped
        if key not in kept and old.status == CandidateStatus.PENDING.value:
            session.delete(old)
    for key in kept:
        pair = pairs[key]
        candidate = existing.get(key)
        if candidate is None:
            candidate = FaceCandidate(
                model_version=MODEL_VERSION,
                missing_report_id=pair["report"].report.id,
                report_photo_id=key[0],
                intake_photo_id=key[1],
                status=CandidateStatus.PENDING.value,
            )
            session.add(candidate)
        candidate.region_code = pair["intake"].photo.region_code
        candidate.distance = pair["distance"]
        candidate.rank_for_report = ranks_report.get(key)
        candidate.rank_for_intake = ranks_intake.get(key)
        candidate.filters = json.dumps(pair["filters"], ensure_ascii=False, sort_keys=True)
        candidate.found_at = now
    session.flush()
    result = candidate_listing(session, actor, pending_only=False)
    result["settings"] = {
        "top_per_report": top,
        "top_per_intake": per_intake,
        "max_distance": max_distance,
        "model_version": MODEL_VERSION,
        "compared": {"open_report_photos": len(wanted), "intake_photos": len(intakes)},
    }
    audit(uow, actor, result.pop("_ids"), why, channel)
    uow.commit()
    return result
