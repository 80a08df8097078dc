"""Photos of children as attachments of records, their face vectors, match candidates and reviews.

`photos` is a registry record (ledgered): which record the photo belongs to, its legal basis, who took it
and when, the child's age then, and the SHA-256 of the image as stored, so the public log commits to the
image without holding it. The image itself is encrypted on disk (jaga.faces.vault), never in a row.

`face_vectors` are derived from a photo by one model version (recomputable; never ledgered: a 128-d
descriptor is biometric data and stays out of the events). `face_candidates` are derived by each match
run. `face_reviews` are people's decisions on candidates, ledgered like every decision.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db import Base, UtcDateTime
from jaga.registry import IdType, RecordColumns


class SubjectKind(StrEnum):
    MISSING_REPORT = "missing_report"  # a photo of the missing child, given by the family to the police
    PERSON = "person"  # an intake photo: a child's person record at an institution (LKSA, shelter)
    PLACEMENT = "placement"  # an intake photo on the placement that took the child in (its child's face)


# The kinds whose photos are intake photos, compared with missing reports' photos.
INTAKE_KINDS = frozenset({SubjectKind.PERSON.value, SubjectKind.PLACEMENT.value})


class Basis(StrEnum):
    CONSENT = "consent"  # the parent or guardian (named in consent_by) agreed
    COURT_ORDER = "court_order"
    POLICE_ORDER = "police_order"


class CandidateStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class Photo(RecordColumns, Base):
    """One photo of a child. `region_code` is the region of the record it is attached to."""

    __tablename__ = "photos"

    subject_kind: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    missing_report_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("missing_reports.id"), nullable=True, index=True
    )
    placement_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("placements.id"), nullable=True, index=True
    )
    person_id: Mapped[int] = mapped_column(IdType, ForeignKey("people.id"), nullable=False, index=True)
    basis: Mapped[str] = mapped_column(String(16), nullable=False)
    consent_by: Mapped[str | None] = mapped_column(String(200), nullable=True)  # who consented (a role)
    order_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the court or police order
    taken_by: Mapped[str] = mapped_column(String(200), nullable=False)
    taken_on: Mapped[date] = mapped_column(Date, nullable=False)
    age_months: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the child's age when taken
    reason: Mapped[str] = mapped_column(Text, nullable=False)  # why it was added (kept with the record)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)  # of the image as stored (decrypted)
    media_type: Mapped[str] = mapped_column(String(32), nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    faces_found: Mapped[int] = mapped_column(Integer, nullable=False)
    face_number: Mapped[int] = mapped_column(Integer, nullable=False)  # 1-based, numbered from the left
    face_left: Mapped[int] = mapped_column(Integer, nullable=False)
    face_top: Mapped[int] = mapped_column(Integer, nullable=False)
    face_right: Mapped[int] = mapped_column(Integer, nullable=False)
    face_bottom: Mapped[int] = mapped_column(Integer, nullable=False)


class FaceVector(Base):
    """A photo's face descriptor by one model version (float32 bytes). Vectors of different versions are
    never compared."""

    __tablename__ = "face_vectors"
    __table_args__ = (UniqueConstraint("photo_id", "model_version"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    photo_id: Mapped[int] = mapped_column(IdType, ForeignKey("photos.id"), nullable=False, index=True)
    model_version: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class FaceCandidate(Base):
    """A missing report's photo and an intake photo close enough to be looked at by a person.

    Derived by `jaga faces match`: distances and ranks are refreshed by each run; the status is set by
    reviews (`face_reviews`)."""

    __tablename__ = "face_candidates"
    __table_args__ = (UniqueConstraint("report_photo_id", "intake_photo_id", "model_version"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    model_version: Mapped[str] = mapped_column(String(64), nullable=False)
    missing_report_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("missing_reports.id"), nullable=False, index=True
    )
    report_photo_id: Mapped[int] = mapped_column(IdType, ForeignKey("photos.id"), nullable=False)
    intake_photo_id: Mapped[int] = mapped_column(IdType, ForeignKey("photos.id"), nullable=False, index=True)
    region_code: Mapped[str] = mapped_column(String(10), nullable=False, index=True)  # the intake's region
    distance: Mapped[float] = mapped_column(Float, nullable=False)
    rank_for_report: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rank_for_intake: Mapped[int | None] = mapped_column(Integer, nullable=True)
    filters: Mapped[str] = mapped_column(Text, nullable=False)  # JSON: the filters applied and their values
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    found_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class FaceReview(Base):
    """A person's decision on a candidate: the same child (confirmed) or not judged so (dismissed).
    Never updated; the latest decision on a candidate stands."""

    __tablename__ = "face_reviews"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("face_candidates.id"), nullable=False, index=True
    )
    missing_report_id: Mapped[int] = mapped_column(IdType, ForeignKey("missing_reports.id"), nullable=False)
    report_photo_id: Mapped[int] = mapped_column(IdType, ForeignKey("photos.id"), nullable=False)
    intake_photo_id: Mapped[int] = mapped_column(IdType, ForeignKey("photos.id"), nullable=False)
    decision: Mapped[str] = mapped_column(String(16), nullable=False)  # confirmed | dismissed
    # What the reviewer was shown, as text: events hold no floats (canonical JSON).
    distance_shown: Mapped[str] = mapped_column(String(12), nullable=False)
    model_version: Mapped[str] = mapped_column(String(64), nullable=False)
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    principal_id: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
