"""Attaching photos: one or a batch, checked (record, region, basis, date, file, its one face), the image
encrypted to the vault and the row ledgered; and the sweep of images a killed writer left behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.access import Action, Actor, check_reason
from jaga.db import EventKind, UnitOfWork
from jaga.errors import InvalidInput, PhotosRejected, RecordNotFound, TooLarge
from jaga.faces.embedding import MODEL_VERSION, FaceModel, clean_photo
from jaga.faces.models import Basis, FaceVector, Photo, SubjectKind
from jaga.faces.services.common import MAX_BATCH, REF_PREFIX, audit
from jaga.faces.vault import PhotoVault
from jaga.regions import format_code
from jaga.registry import MissingReport, Person, Placement, new_ref


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
    audit(uow, actor, [photo.id], why, channel)
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
