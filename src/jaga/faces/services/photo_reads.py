"""Reading photos: their descriptions in the actor's region, and one image; each read audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.access import Action, Actor, check_reason
from jaga.db import UnitOfWork
from jaga.errors import InvalidInput, RecordNotFound
from jaga.faces.models import Photo, SubjectKind
from jaga.faces.services.common import audit
from jaga.faces.services.photos import photo_view
from jaga.faces.vault import PhotoVault
from jaga.registry import MissingReport, Person, Placement


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
    audit(uow, actor, [p.id for p in photos], why, channel)
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
    audit(uow, actor, [photo.id], why, channel)
    media = photo.media_type
    uow.commit()  # the audit entry is written before the image leaves
    return media, vault.get(ref)
