"""The descriptor worker's use cases: the photos waiting for the current model's vector, and computing
them from the stored images in committed batches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from jaga.db import Clock
from jaga.errors import JagaError
from jaga.faces.embedding import MODEL_VERSION, FaceModel, clean_photo
from jaga.faces.models import FaceVector, Photo
from jaga.faces.services.common import MAX_STORED_BYTES
from jaga.faces.vault import PhotoVault


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
