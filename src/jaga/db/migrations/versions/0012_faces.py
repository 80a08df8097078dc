"""face matching: photos of children, their face vectors, match candidates and reviews

Revision ID: 0012
Revises: 0011
Create Date: 2027-02-20 09:00:00.000000

Each revision must work with the previous release's code still running (add first, remove later), and
must downgrade cleanly: both directions are tested on SQLite and PostgreSQL.

New tables only: the previous release never reads them. `photos` and `face_reviews` are ledgered (events
`photo.added`, `face_review.recorded`); `face_vectors` and `face_candidates` are derived. The images
themselves are encrypted files under the data directory, never rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "photos",
        sa.Column("id", ID, nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("missing_report_id", ID, nullable=True),
        sa.Column("placement_id", ID, nullable=True),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("consent_by", sa.String(length=200), nullable=True),
        sa.Column("order_ref", sa.String(length=64), nullable=True),
        sa.Column("taken_by", sa.String(length=200), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("age_months", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("faces_found", sa.Integer(), nullable=False),
        sa.Column("face_number", sa.Integer(), nullable=False),
        sa.Column("face_left", sa.Integer(), nullable=False),
        sa.Column("face_top", sa.Integer(), nullable=False),
        sa.Column("face_right", sa.Integer(), nullable=False),
        sa.Column("face_bottom", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["added_by"], ["principals.id"], name=op.f("fk_photos_added_by_principals")),
        sa.ForeignKeyConstraint(
            ["missing_report_id"],
            ["missing_reports.id"],
            name=op.f("fk_photos_missing_report_id_missing_reports"),
        ),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_photos_person_id_people")),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placements.id"], name=op.f("fk_photos_placement_id_placements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
        sa.UniqueConstraint("ref", name=op.f("uq_photos_ref")),
    )
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photos_missing_report_id"), ["missing_report_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photos_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photos_placement_id"), ["placement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photos_region_code"), ["region_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_photos_subject_kind"), ["subject_kind"], unique=False)

    op.create_table(
        "face_candidates",
        sa.Column("id", ID, nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("missing_report_id", ID, nullable=False),
        sa.Column("report_photo_id", ID, nullable=False),
        sa.Column("intake_photo_id", ID, nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("distance", sa.Float(), nullable=False),
        sa.Column("rank_for_report", sa.Integer(), nullable=True),
        sa.Column("rank_for_intake", sa.Integer(), nullable=True),
        sa.Column("filters", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["intake_photo_id"], ["photos.id"], name=op.f("fk_face_candidates_intake_photo_id_photos")
        ),
        sa.ForeignKeyConstraint(
            ["missing_report_id"],
            ["missing_reports.id"],
            name=op.f("fk_face_candidates_missing_report_id_missing_reports"),
        ),
        sa.ForeignKeyConstraint(
            ["report_photo_id"], ["photos.id"], name=op.f("fk_face_candidates_report_photo_id_photos")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_face_candidates")),
        sa.UniqueConstraint(
            "report_photo_id",
            "intake_photo_id",
            "model_version",
            name=op.f("uq_face_candidates_report_photo_id_intake_photo_id_model_version"),
        ),
    )
    with op.batch_alter_table("face_candidates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_face_candidates_intake_photo_id"), ["intake_photo_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_face_candidates_missing_report_id"), ["missing_report_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_face_candidates_region_code"), ["region_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_face_candidates_status"), ["status"], unique=False)

    op.create_table(
        "face_vectors",
        sa.Column("id", ID, nullable=False),
        sa.Column("photo_id", ID, nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["photo_id"], ["photos.id"], name=op.f("fk_face_vectors_photo_id_photos")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_face_vectors")),
        sa.UniqueConstraint("photo_id", "model_version", name=op.f("uq_face_vectors_photo_id_model_version")),
    )
    with op.batch_alter_table("face_vectors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_face_vectors_model_version"), ["model_version"], unique=False)
        batch_op.create_index(batch_op.f("ix_face_vectors_photo_id"), ["photo_id"], unique=False)

    op.create_table(
        "face_reviews",
        sa.Column("id", ID, nullable=False),
        sa.Column("candidate_id", ID, nullable=False),
        sa.Column("missing_report_id", ID, nullable=False),
        sa.Column("report_photo_id", ID, nullable=False),
        sa.Column("intake_photo_id", ID, nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("distance_shown", sa.String(length=12), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("principal_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["face_candidates.id"],
            name=op.f("fk_face_reviews_candidate_id_face_candidates"),
        ),
        sa.ForeignKeyConstraint(
            ["intake_photo_id"], ["photos.id"], name=op.f("fk_face_reviews_intake_photo_id_photos")
        ),
        sa.ForeignKeyConstraint(
            ["missing_report_id"],
            ["missing_reports.id"],
            name=op.f("fk_face_reviews_missing_report_id_missing_reports"),
        ),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["principals.id"], name=op.f("fk_face_reviews_principal_id_principals")
        ),
        sa.ForeignKeyConstraint(
            ["report_photo_id"], ["photos.id"], name=op.f("fk_face_reviews_report_photo_id_photos")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_face_reviews")),
    )
    with op.batch_alter_table("face_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_face_reviews_candidate_id"), ["candidate_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("face_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_face_reviews_candidate_id"))

    op.drop_table("face_reviews")
    with op.batch_alter_table("face_vectors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_face_vectors_photo_id"))
        batch_op.drop_index(batch_op.f("ix_face_vectors_model_version"))

    op.drop_table("face_vectors")
    with op.batch_alter_table("face_candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_face_candidates_status"))
        batch_op.drop_index(batch_op.f("ix_face_candidates_region_code"))
        batch_op.drop_index(batch_op.f("ix_face_candidates_missing_report_id"))
        batch_op.drop_index(batch_op.f("ix_face_candidates_intake_photo_id"))

    op.drop_table("face_candidates")
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photos_subject_kind"))
        batch_op.drop_index(batch_op.f("ix_photos_region_code"))
        batch_op.drop_index(batch_op.f("ix_photos_placement_id"))
        batch_op.drop_index(batch_op.f("ix_photos_person_id"))
        batch_op.drop_index(batch_op.f("ix_photos_missing_report_id"))

    op.drop_table("photos")
