"""Photos and face matching as use cases, for the API and the command line alike.

Every use case checks the actor's role and the record's region. Every read of a photo, its metadata or
a candidate list is a read of a child's record: it needs a reason and leaves an audit entry (resource
`photos`). A photo's image is encrypted at rest (jaga.faces.vault); the ledgered row holds its SHA-256.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Action, Actor, audit_read, check_reason
from jaga.db import Clock, EventKind, UnitOfWork
from jaga.errors import Conflict, InvalidInput, JagaError, PhotosRejected, RecordNotFound, TooLarge
from jaga.faces.embedding import MODEL_VERSION, FaceModel, clean_photo
from jaga.faces.models import (
    INTAKE_KINDS,
    Basis,
    CandidateStatus,
    FaceCandidate,
    FaceReview,
    FaceVector,
    Photo,
    SubjectKind,
)
from jaga.faces.search import AgeBand, distances, top_k
from jaga.faces.vault import PhotoVault
from jaga.flags.models import Flag
from jaga.flags.runs import refresh_one
from jaga.linkage.review import decide_pair
from jaga.regions import format_code, parse_code
from jaga.registry import MissingReport, Person, Placement, new_ref

REF_PREFIX = "PH"
RESOURCE = "photos"
TOP_PER_REPORT = 10
TOP_PER_INTAKE = 3
MAX_BATCH = 100  # photos per batch request (each is checked and its face found in the request)
# dlib's own suggestion for adults (0.6); for young children it means less. A setting, not a claim.
MAX_DISTANCE = 0.6
MAX_STORED_BYTES = 1024 * 1024 * 1024  # stored images were checked on the way in
# Said with every candidate list, on every channel.
WARNING = (
    "Face recognition of young children is weak: faces change fast, and dlib's model was trained on "
    "adults. A distance is never a match: it only orders candidates for a person to compare the records. "
    "The thresholds and ranks shown are settings, not claims of accuracy."
)
WARNING_ID = (
    "Pengenalan wajah anak kecil lemah: wajah berubah cepat, dan model dlib dilatih dengan wajah orang "
    "dewasa. Jarak bukan kecocokan: jarak hanya mengurutkan kandidat untuk diperiksa oleh petugas."
)


@dataclass(frozen=True)
class PhotoIn:
    kind: SubjectKind
    ref: str  # the missing report's or the person's ref
    basis: Basis
    reason: str | None
    taken_by: str
    taken_on: date
    consent_by: str | None = None
    order_ref: str | None = None
    age_months: int | None = None
    face: int | None = None  # which face, numbered from the left, when the photo shows several


def _audit(uow: UnitOfWork, actor: Actor, ids: list[int], reason: str, channel: str) -> None:
    audit_read(
        uow.session,
        actor=actor,
        action="read",
        resource=RESOURCE,
        record_ids=ids,
        reason=reason,
        channel=channel,
        at=uow.clock(),
    )


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def _check_basis(data: PhotoIn) -> None:
    if data.basis == Basis.CONSENT and not (data.consent_by or "").strip():
        raise InvalidInput(
            "a photo taken with consent names who consented (--consent-by, e.g. mother)",
            message_id="foto yang diambil dengan persetujuan menyebut siapa yang menyetujui "
            "(--consent-by, mis. ibu)",
        )
    if data.basis in (Basis.COURT_ORDER, Basis.POLICE_ORDER) and not (data.order_ref or "").strip():
        raise InvalidInput(
            f"a photo taken under a {data.basis.value.replace('_', ' ')} names it (--order-ref)",
            message_id="foto yang diambil berdasarkan "
            f"{'penetapan pengadilan' if data.basis == Basis.COURT_ORDER else 'perintah polisi'} "
            "menyebut nomornya (--order-ref)",
        )
    if not data.taken_by.strip():
        raise InvalidInput(
            "say who took the photo (--taken-by)",
            message_id="sebutkan siapa yang mengambil foto (--taken-by)",
        )
    if data.face is not None and data.face < 1:
        raise InvalidInput("face numbers start at 1", message_id="nomor wajah dimulai dari 1")
    if data.age_months is not None and not 0 <= data.age_months <= 216:
        raise InvalidInput(
            "age in months must be between 0 and 216 (a child)",
            message_id="usia dalam bulan harus antara 0 dan 216 (seorang anak)",
        )


@dataclass(frozen=True)
class _Subject:
    child: Person
    region_code: str
    report: MissingReport | None = None
    placement: Placement | None = None


def _subject(session: Session, actor: Actor, data: PhotoIn) -> _Subject:
    if data.kind == SubjectKind.PLACEMENT:
        actor.require(Action.PLACEMENTS_WRITE)
        placement = session.scalar(select(Placement).where(Placement.ref == data.ref))
        if placement is None:
            raise RecordNotFound("placement", data.ref)
        actor.require_region(placement.region_code, what=f"placement {data.ref}")
        placed = session.get(Person, placement.child_id)
        assert placed is not None
        return _Subject(placed, placement.region_code, placement=placement)
    if data.kind == SubjectKind.MISSING_REPORT:
        actor.require(Action.MISSING_WRITE)
        report = session.scalar(select(MissingReport).where(MissingReport.ref == data.ref))
        if report is None:
            raise RecordNotFound("missing-child report", data.ref)
        actor.require_region(report.region_code, what=f"missing-child report {data.ref}")
        child = session.get(Person, report.child_id)
        assert child is not None
        return _Subject(child, report.region_code, report=report)
    actor.require(Action.PEOPLE_WRITE)
    person = session.scalar(select(Person).where(Person.ref == data.ref))
    if person is None:
        raise RecordNotFound("person", data.ref)
    actor.require_region(person.region_code, what=f"person {data.ref}")
    return _Subject(person, person.region_code)


def photo_view(photo: Photo, subject_ref: str, person_ref: str) -> dict[str, Any]:
    return {
        "ref": photo.ref,
        "kind": photo.subject_kind,
        "subject_ref": subject_ref,
        "person_ref": person_ref,
        "region_code": format_code(photo.region_code),
        "basis": photo.basis,
        "consent_by": photo.consent_by,
        "order_ref": photo.order_ref,
        "taken_by": photo.taken_by,
        "taken_on": photo.taken_on.isoformat(),
        "age_months": photo.age_months,
        "sha256": photo.sha256,
        "media_type": photo.media_type,
        "width": photo.width,
        "height": photo.height,
        "faces_found": photo.faces_found,
        "face_number": photo.face_number,
        "face_box": [photo.face_left, photo.face_top, photo.face_right, photo.face_bottom],
        "added_at": photo.created_at,
    }


def add_photo(
    uow: UnitOfWork,
    actor: Actor,
    vault: PhotoVault,
    data: PhotoIn,
    content: bytes,
    *,
    max_bytes: int,
    channel: str,
    model: FaceModel | None = None,
    describe: bool = True,
) -> dict[str, Any]:
    """Attach a photo to a missing report or a person record: checked, its face found and described,
    the image encrypted to the vault, the record ledgered (the log commits to its SHA-256 only).

    `describe=False` (uploads from the workbench, batch imports): the face is found now, so that no face
    or several faces are told at once, and the descriptor is left to the worker (`jaga faces worker`,
    `embed_missing`): the photo is pending until then, and never compared."""
    staged = _stage(
        uow, actor, data, content, max_bytes=max_bytes, channel=channel, model=model, describe=describe
    )
    _store(uow, vault, [staged])
    return staged[2]


def _stage(
    uow: UnitOfWork,
    actor: Actor,
    data: PhotoIn,
    content: bytes,
    *,
    max_bytes: int,
    channel: str,
    model: FaceModel | None,
    describe: bool,
) -> tuple[str, bytes, dict[str, Any]]:
    """The photo's row (and vector) in the session, not committed: (ref, image to store, view)."""
    actor.require(Action.PHOTOS_ADD)
    why = check_reason(data.reason)
    _check_basis(data)
    session = uow.session
    subject = _subject(session, actor, data)
    report, child = subject.report, subject.child
    now = uow.clock()
    if data.taken_on > now.date():
        raise InvalidInput(
            "the photo cannot have been taken in the future (--taken-on)",
            message_id="foto tidak mungkin diambil di masa depan (--taken-on)",
        )
    age = data.age_months
    if child.birth_date is not None:
        if data.taken_on < child.birth_date:
            raise InvalidInput(
                "the photo's date is before the child's recorded birth date",
                message_id="tanggal foto lebih awal dari tanggal lahir anak yang tercatat",
            )
        age = _months_between(child.birth_date, data.taken_on)  # the record's birth date decides
    clean = clean_photo(content, max_bytes=max_bytes)
    face_model = model or FaceModel.shared()
    box, number, found = face_model.locate(clean.pixels, choose=data.face)
    region = subject.region_code
    photo = Photo(
        ref=new_ref(REF_PREFIX),
        region_code=region,
        created_at=now,
        subject_kind=data.kind.value,
        missing_report_id=report.id if report is not None else None,
        placement_id=subject.placement.id if subject.placement is not None else None,
        person_id=child.id,
        basis=data.basis.value,
        consent_by=(data.consent_by or "").strip() or None,
        order_ref=(data.order_ref or "").strip() or None,
        taken_by=data.taken_by.strip(),
        taken_on=data.taken_on,
        age_months=age,
        reason=why,
        added_by=actor.principal_id,
        sha256=clean.sha256,
        media_type=clean.media_type,
        width=clean.width,
        height=clean.height,
        faces_found=found,
        face_number=number,
        face_left=box[0],
        face_top=box[1],
        face_right=box[2],
        face_bottom=box[3],
    )
    session.add(photo)
    session.flush()
    if describe:
        vector = face_model.descriptor(clean.pixels, box)
        session.add(
            FaceVector(
                photo_id=photo.id, model_version=MODEL_VERSION, vector=vector.tobytes(), computed_at=now
            )
        )
    uow.record(EventKind.PHOTO_ADDED, photo, actor_id=actor.principal_id)
    _audit(uow, actor, [photo.id], why, channel)
    view = photo_view(photo, data.ref, child.ref)
    view["embedded"] = describe
    return photo.ref, clean.content, view


def _store(uow: UnitOfWork, vault: PhotoVault, staged: list[tuple[str, bytes, dict[str, Any]]]) -> None:
    """Write the staged images to the vault and commit their rows: all of them or none."""
    # Once a process, what a killed writer left behind (skipped, to try again, while a write is in flight).
    if vault.folder not in _swept and sweep_orphans(uow.session, vault, wait=False) is not None:
        _swept.add(vault.folder)
    with vault.writing():  # no sweep between the files and the commit of their rows
        written: list[str] = []
        try:
            for ref, content, _view in staged:
                written.append(ref)
                vault.put(ref, content)
            uow.commit()
        except BaseException:
            for ref in written:
                vault.discard(ref)
            raise


def add_photos(
    uow: UnitOfWork,
    actor: Actor,
    vault: PhotoVault,
    items: list[tuple[PhotoIn, bytes]],
    *,
    max_bytes: int,
    channel: str,
    model: FaceModel | None = None,
) -> list[dict[str, Any]]:
    """Attach a batch of photos, all or none: every photo is checked (record, region, basis, file, its
    one face) and a refused batch raises PhotosRejected naming every refused item; nothing is stored. The
    descriptors are left to the worker, as for uploads."""
    if not 1 <= len(items) <= MAX_BATCH:
        raise InvalidInput(
            f"a batch holds 1 to {MAX_BATCH} photos",
            message_id=f"satu kiriman memuat 1 sampai {MAX_BATCH} foto",
        )
    staged: list[tuple[str, bytes, dict[str, Any]]] = []
    refused: list[dict[str, object]] = []
    for number, (data, content) in enumerate(items, start=1):
        try:
            # every check comes before the item's rows are added: a refused item adds nothing
            staged.append(
                _stage(
                    uow,
                    actor,
                    data,
                    content,
                    max_bytes=max_bytes,
                    channel=channel,
                    model=model,
                    describe=False,
                )
            )
        except (InvalidInput, RecordNotFound, TooLarge) as exc:
            refused.append({"item": number, "problem": exc.problem, "detail": exc.message})
    if refused:
        raise PhotosRejected(refused)
    _store(uow, vault, staged)
    return [view for _ref, _content, view in staged]


_swept: set[Path] = set()


def sweep_orphans(session: Session, vault: PhotoVault, *, wait: bool = True) -> list[str] | None:
    """Remove the stored images that no committed photo row names (left by a writer killed between its
    file and its commit); the removed refs, or None if `wait` is false and a write is in flight.

    `session` must see every row committed before the sweep takes the vault's lock: on PostgreSQL each
    statement of a READ COMMITTED transaction does; on SQLite every transaction begins IMMEDIATE, holding
    the write lock, so no other writer commits while it is open and its snapshot is the latest. (Its own
    uncommitted rows have no file yet: the file is written after the sweep.)"""

    def committed(refs: list[str]) -> list[str]:
        return list(session.scalars(select(Photo.ref).where(Photo.ref.in_(refs))))

    return vault.sweep(committed, wait=wait)


def _views(session: Session, photos: list[Photo]) -> list[dict[str, Any]]:
    people = {
        p.id: p.ref
        for p in session.scalars(select(Person).where(Person.id.in_({x.person_id for x in photos})))
    }
    report_ids = {x.missing_report_id for x in photos if x.missing_report_id is not None}
    reports = {
        r.id: r.ref for r in session.scalars(select(MissingReport).where(MissingReport.id.in_(report_ids)))
    }
    placement_ids = {x.placement_id for x in photos if x.placement_id is not None}
    placements = {
        p.id: p.ref for p in session.scalars(select(Placement).where(Placement.id.in_(placement_ids)))
    }

    def subject_ref(photo: Photo) -> str:
        if photo.missing_report_id is not None:
            return reports[photo.missing_report_id]
        if photo.placement_id is not None:
            return placements[photo.placement_id]
        return people[photo.person_id]

    return [photo_view(p, subject_ref(p), people[p.person_id]) for p in photos]


def list_photos(
    uow: UnitOfWork,
    actor: Actor,
    *,
    reason: str | None,
    channel: str,
    kind: SubjectKind | None = None,
    ref: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Photos' descriptions (never the images) in the actor's region, newest first, audited."""
    actor.require(Action.PHOTOS_READ)
    why = check_reason(reason)
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit must be between 1 and 1000", message_id="limit harus antara 1 dan 1000")
    session = uow.session
    query = select(Photo).where(Photo.region_code.startswith(actor.region_scope, autoescape=True))
    if kind is not None:
        query = query.where(Photo.subject_kind == kind.value)
    if ref is not None:
        report = session.scalar(select(MissingReport.id).where(MissingReport.ref == ref))
        placement = session.scalar(select(Placement.id).where(Placement.ref == ref))
        person = session.scalar(select(Person.id).where(Person.ref == ref))
        if report is not None:
            query = query.where(Photo.missing_report_id == report)
        elif placement is not None:
            query = query.where(Photo.placement_id == placement)
        elif person is not None:  # a person's photos, whatever record they are attached to
            query = query.where(Photo.person_id == person)
        else:
            raise RecordNotFound("missing-child report, placement or person", ref)
    photos = list(session.scalars(query.order_by(Photo.id.desc()).limit(limit)))
    _audit(uow, actor, [p.id for p in photos], why, channel)
    views = _views(session, photos)
    uow.commit()
    return views


def read_photo(
    uow: UnitOfWork, actor: Actor, vault: PhotoVault, ref: str, *, reason: str | None, channel: str
) -> tuple[str, bytes]:
    """A photo's image (media type, bytes), decrypted for an actor who may see it; audited."""
    actor.require(Action.PHOTOS_READ)
    why = check_reason(reason)
    photo = uow.session.scalar(select(Photo).where(Photo.ref == ref))
    if photo is None:
        raise RecordNotFound("photo", ref)
    actor.require_region(photo.region_code, what=f"photo {ref}")
    _audit(uow, actor, [photo.id], why, channel)
    media = photo.media_type
    uow.commit()  # the audit entry is written before the image leaves
    return media, vault.get(ref)


# --- matching ------------------------------------------------------------------------------------------


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
    result = _listing(session, actor, pending_only=False)
    result["settings"] = {
        "top_per_report": top,
        "top_per_intake": per_intake,
        "max_distance": max_distance,
        "model_version": MODEL_VERSION,
        "compared": {"open_report_photos": len(wanted), "intake_photos": len(intakes)},
    }
    _audit(uow, actor, result.pop("_ids"), why, channel)
    uow.commit()
    return result


def _candidate_view(
    c: FaceCandidate, photos: dict[int, Photo], refs: dict[int, str], reports: dict[int, str]
) -> dict[str, Any]:
    report_photo, intake_photo = photos[c.report_photo_id], photos[c.intake_photo_id]
    return {
        "candidate_id": c.id,
        "report_ref": reports[c.missing_report_id],
        "report_photo_ref": report_photo.ref,
        "missing_child_ref": refs[report_photo.person_id],
        "intake_photo_ref": intake_photo.ref,
        "intake_person_ref": refs[intake_photo.person_id],
        "intake_region_code": format_code(intake_photo.region_code),
        "distance": round(c.distance, 4),
        "rank_for_report": c.rank_for_report,
        "rank_for_intake": c.rank_for_intake,
        "filters": json.loads(c.filters),
        "status": c.status,
        "model_version": c.model_version,
        "is_match": False,  # never: a person decides
    }


def _listing(
    session: Session, actor: Actor, *, pending_only: bool, limit: int | None = None
) -> dict[str, Any]:
    query = select(FaceCandidate).where(FaceCandidate.model_version == MODEL_VERSION)
    if pending_only:
        query = query.where(FaceCandidate.status == CandidateStatus.PENDING.value)
    candidates = list(session.scalars(query.order_by(FaceCandidate.distance, FaceCandidate.id)))
    photo_ids = {c.report_photo_id for c in candidates} | {c.intake_photo_id for c in candidates}
    photos = {p.id: p for p in session.scalars(select(Photo).where(Photo.id.in_(photo_ids)))}
    visible, hidden = [], 0
    for c in candidates:
        if photos[c.report_photo_id].region_code.startswith(actor.region_scope) and c.region_code.startswith(
            actor.region_scope
        ):
            visible.append(c)
        else:
            hidden += 1
    if limit is not None:
        visible = visible[:limit]
    refs = {
        p.id: p.ref
        for p in session.scalars(
            select(Person).where(Person.id.in_({photos[i].person_id for i in photo_ids}))
        )
    }
    reports = {
        r.id: r.ref
        for r in session.scalars(
            select(MissingReport).where(MissingReport.id.in_({c.missing_report_id for c in visible}))
        )
    }
    views = [_candidate_view(c, photos, refs, reports) for c in visible]
    by_report: dict[str, list[dict[str, Any]]] = {}
    by_intake: dict[str, list[dict[str, Any]]] = {}
    for view in views:
        if view["rank_for_report"] is not None:
            by_report.setdefault(view["report_ref"], []).append(view)
        if view["rank_for_intake"] is not None:
            by_intake.setdefault(view["intake_photo_ref"], []).append(view)
    ids = sorted({p.id for c in visible for p in (photos[c.report_photo_id], photos[c.intake_photo_id])})
    return {
        "warning": WARNING,
        "warning_id": WARNING_ID,
        "reports": [
            {"report_ref": ref, "candidates": sorted(items, key=lambda v: v["rank_for_report"])}
            for ref, items in sorted(by_report.items())
        ],
        "intakes": [
            {
                "intake_photo_ref": ref,
                "intake_person_ref": items[0]["intake_person_ref"],
                "candidates": sorted(items, key=lambda v: v["rank_for_intake"]),
            }
            for ref, items in sorted(by_intake.items())
        ],
        "queue": views,
        "outside_your_region": hidden,
        "_ids": ids,
    }


def count_pending_candidates(uow: UnitOfWork, actor: Actor) -> int:
    """How many candidates of the current model wait for a review in the actor's region: both the report's
    photo and the intake (the candidate's region) inside it, as the review queue shows them. Reads no
    photo or record, so it is not audited."""
    actor.require(Action.FACES_REVIEW)
    scope = actor.region_scope
    query = (
        select(func.count())
        .select_from(FaceCandidate)
        .join(Photo, Photo.id == FaceCandidate.report_photo_id)
        .where(
            FaceCandidate.model_version == MODEL_VERSION,
            FaceCandidate.status == CandidateStatus.PENDING.value,
            Photo.region_code.startswith(scope, autoescape=True),
            FaceCandidate.region_code.startswith(scope, autoescape=True),
        )
    )
    return int(uow.session.scalar(query) or 0)


def review_queue(
    uow: UnitOfWork, actor: Actor, *, reason: str | None, channel: str, limit: int = 50
) -> dict[str, Any]:
    """Pending candidates in the actor's region, nearest first (audited)."""
    actor.require(Action.FACES_REVIEW)
    why = check_reason(reason)
    if not 1 <= limit <= 500:
        raise InvalidInput("limit must be between 1 and 500", message_id="limit harus antara 1 dan 500")
    listing = _listing(uow.session, actor, pending_only=True, limit=limit)
    _audit(uow, actor, listing.pop("_ids"), why, channel)
    uow.commit()
    return {
        "warning": listing["warning"],
        "warning_id": listing["warning_id"],
        "candidates": listing["queue"],
        "outside_your_region": listing["outside_your_region"],
    }


def get_candidate(
    uow: UnitOfWork, actor: Actor, candidate_id: int, *, reason: str | None, channel: str
) -> dict[str, Any]:
    """One candidate (any status), with its review trail, for a reviewer in both photos' region; the
    warning comes with it. Audited as a read of both photos' records."""
    actor.require(Action.FACES_REVIEW)
    why = check_reason(reason)
    session = uow.session
    candidate = session.get(FaceCandidate, candidate_id)
    if candidate is None:
        raise RecordNotFound("face candidate", str(candidate_id))
    photos = {
        p.id: p
        for p in session.scalars(
            select(Photo).where(Photo.id.in_((candidate.report_photo_id, candidate.intake_photo_id)))
        )
    }
    for photo in photos.values():
        actor.require_region(photo.region_code, what=f"face candidate {candidate_id}")
    refs = {
        p.id: p.ref
        for p in session.scalars(select(Person).where(Person.id.in_({p.person_id for p in photos.values()})))
    }
    report = session.get(MissingReport, candidate.missing_report_id)
    assert report is not None
    view = _candidate_view(candidate, photos, refs, {report.id: report.ref})
    view["report_status"] = report.status
    view["reviews"] = [
        {
            "decision": r.decision,
            "note": r.note,
            "decided_at": r.decided_at,
            "distance_shown": r.distance_shown,
        }
        for r in session.scalars(
            select(FaceReview).where(FaceReview.candidate_id == candidate.id).order_by(FaceReview.id)
        )
    ]
    view["warning"], view["warning_id"] = WARNING, WARNING_ID
    _audit(uow, actor, sorted(photos), why, channel)
    uow.commit()
    return view


def decide(
    uow: UnitOfWork, actor: Actor, candidate_id: int, *, confirm: bool, note: str | None = None
) -> dict[str, Any]:
    """A person's decision on a candidate, recorded and ledgered. Confirming says the two records are
    the same child: it records linkage's review decision for the two person records (so identities,
    later linkage runs and the flag rules follow it). Dismissing says only that the reviewer did not find
    them the same; it does not declare two different children."""
    actor.require(Action.FACES_REVIEW)
    if note is not None and len(note) > 500:
        raise InvalidInput(
            "a note holds at most 500 characters", message_id="catatan paling banyak 500 karakter"
        )
    session = uow.session
    candidate = session.get(FaceCandidate, candidate_id)
    if candidate is None:
        raise RecordNotFound("face candidate", str(candidate_id))
    report_photo = session.get(Photo, candidate.report_photo_id)
    intake_photo = session.get(Photo, candidate.intake_photo_id)
    report = session.get(MissingReport, candidate.missing_report_id)
    assert report_photo is not None and intake_photo is not None and report is not None
    for photo in (report_photo, intake_photo):
        actor.require_region(photo.region_code, what=f"photo {photo.ref}")
    decision = CandidateStatus.CONFIRMED if confirm else CandidateStatus.DISMISSED
    if candidate.status == decision.value:
        raise Conflict(
            f"face candidate {candidate_id} is already {decision.value}",
            message_id=f"kandidat wajah {candidate_id} sudah "
            f"{'dikonfirmasi' if decision.value == 'confirmed' else 'ditolak'}",
        )
    now = uow.clock()
    review = FaceReview(
        candidate_id=candidate.id,
        missing_report_id=report.id,
        report_photo_id=report_photo.id,
        intake_photo_id=intake_photo.id,
        decision=decision.value,
        distance_shown=f"{candidate.distance:.4f}",
        model_version=candidate.model_version,
        note=note,
        principal_id=actor.principal_id,
        decided_at=now,
    )
    session.add(review)
    candidate.status = decision.value
    session.flush()
    uow.record(EventKind.FACE_REVIEW_RECORDED, review, actor_id=actor.principal_id)
    linked = False
    if confirm:
        note_text = f"face candidate {candidate.id} confirmed by a reviewer" + (f": {note}" if note else "")
        linked = decide_pair(
            uow, actor, report_photo.person_id, intake_photo.person_id, same=True, note=note_text[:500]
        )
    people = {
        p.id: p.ref
        for p in session.scalars(
            select(Person).where(Person.id.in_((report_photo.person_id, intake_photo.person_id)))
        )
    }
    result = {
        "candidate_id": candidate.id,
        "decision": decision.value,
        "report_ref": report.ref,
        "missing_child_ref": people[report_photo.person_id],
        "intake_person_ref": people[intake_photo.person_id],
        "linked_as_same_person": confirm,
        "same_identity_now": linked,
    }
    uow.commit()
    return result


def forget_candidates(session: Session) -> None:
    """Remove every pending candidate (tests and re-runs under a new model version)."""
    session.execute(delete(FaceCandidate).where(FaceCandidate.status == CandidateStatus.PENDING.value))


def raise_flags(sessions: sessionmaker[Session], report_ref: str, *, clock: Clock) -> dict[str, Any] | None:
    """After a confirmation: run the `missing_child_reappears` rule and store only this report's flag
    (jaga.flags.runs.refresh_one: no other detector, no other flag), and say what the flag is now (None:
    the rule did not fire, e.g. the intake record has no relinquishment, placement or adoption case dated
    after the child was last seen). The reviewer's decision is already committed: the rule reads it."""
    refreshed = refresh_one(
        sessions,
        kind="missing_child_reappears",
        subject_type="missing_report",
        subject_ref=report_ref,
        clock=clock,
    )
    if refreshed.flag_id is None:
        return None
    with sessions() as session:
        flag = session.get(Flag, refreshed.flag_id)
        assert flag is not None
        return {
            "flag_id": flag.id,
            "score": round(flag.score, 4),
            "status": flag.status,
            "present": flag.present,
            "new": refreshed.new,
        }


def pending_count(session: Session) -> int:
    """How many photos wait for the current model version's descriptor (the worker's queue)."""
    return int(session.scalar(select(func.count()).select_from(Photo).where(~_has_current().exists())) or 0)


def _has_current() -> Any:
    return select(FaceVector.id).where(
        FaceVector.photo_id == Photo.id, FaceVector.model_version == MODEL_VERSION
    )


def embed_missing(
    sessions: sessionmaker[Session],
    vault: PhotoVault,
    *,
    clock: Clock,
    model: FaceModel | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 50,
    skip: set[int] | None = None,
    limit: int | None = None,
) -> dict[str, int]:
    """Compute the current model version's vector for every photo that lacks one (uploads and imports
    that left it to the worker, or a model change), from the stored image and the face the officer chose
    (its box): {computed, failed, total}. Server operator's maintenance; nothing is shown, so nothing is
    audited.

    The queue is the photos themselves: a photo is pending until a vector of the current version exists.
    Each batch commits once, so a crash leaves every photo either with its vector or still pending; two
    workers at once only race to the unique (photo, version) pair, and the loser's batch is redone photo
    by photo. A photo whose image cannot be read is counted as failed and added to `skip` (the caller's
    set), so that a loop does not retry it forever; `jaga photos check` reports it."""
    face_model = model or FaceModel.shared()
    skipped = skip if skip is not None else set()
    with sessions() as session:
        todo = [
            (photo_id, ref)
            for photo_id, ref in session.execute(
                select(Photo.id, Photo.ref).where(~_has_current().exists()).order_by(Photo.id)
            )
            if photo_id not in skipped
        ][:limit]
    done = failed = 0

    def describe(session: Session, photo_id: int, ref: str) -> bool:
        photo = session.get(Photo, photo_id)
        assert photo is not None
        try:
            pixels = clean_photo(vault.get(ref), max_bytes=MAX_STORED_BYTES).pixels
        except (JagaError, OSError):
            skipped.add(photo_id)
            return False
        box = (photo.face_left, photo.face_top, photo.face_right, photo.face_bottom)
        vector = face_model.descriptor(pixels, box)
        session.add(
            FaceVector(
                photo_id=photo_id, model_version=MODEL_VERSION, vector=vector.tobytes(), computed_at=clock()
            )
        )
        return True

    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        try:
            with sessions() as session:
                results = [describe(session, photo_id, ref) for photo_id, ref in chunk]
                session.commit()
        except IntegrityError:  # another worker described one of them first: one by one, skipping theirs
            results = []
            for photo_id, ref in chunk:
                with sessions() as session:
                    if (
                        session.scalar(_has_current().where(FaceVector.photo_id == photo_id).limit(1))
                        is not None
                    ):
                        results.append(False)
                        continue
                    results.append(describe(session, photo_id, ref))
                    session.commit()
        done += sum(results)
        failed += sum(
            1 for (photo_id, _), ok in zip(chunk, results, strict=True) if not ok and photo_id in skipped
        )
        if progress is not None:
            progress(min(start + batch, len(todo)), len(todo))
    return {"computed": done, "failed": failed, "total": len(todo)}
