"""initial registry schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 06:29:43.431345

Each revision must work with the previous release's code still running (add first, remove later), and
must downgrade cleanly: both directions are tested on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_sequence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("next_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_sequence")),
    )
    # The one counter row events take their gapless sequence numbers from (see jaga.db.events).
    op.bulk_insert(
        sa.table("event_sequence", sa.column("id", sa.Integer()), sa.column("next_seq", sa.BigInteger())),
        [{"id": 1, "next_seq": 1}],
    )
    op.create_table(
        "facilities",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("licence_number", sa.String(length=64), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilities")),
        sa.UniqueConstraint("licence_number", name=op.f("uq_facilities_licence_number")),
        sa.UniqueConstraint("ref", name=op.f("uq_facilities_ref")),
    )
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_facilities_region_code"), ["region_code"], unique=False)

    op.create_table(
        "institutions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("licence_number", sa.String(length=64), nullable=True),
        sa.Column("licence_issuer", sa.String(length=200), nullable=True),
        sa.Column("licence_valid_from", sa.Date(), nullable=True),
        sa.Column("licence_valid_until", sa.Date(), nullable=True),
        sa.Column("licence_status", sa.String(length=16), nullable=False),
        sa.Column("foundation_number", sa.String(length=64), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institutions")),
        sa.UniqueConstraint("licence_number", name=op.f("uq_institutions_licence_number")),
        sa.UniqueConstraint("ref", name=op.f("uq_institutions_ref")),
    )
    with op.batch_alter_table("institutions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institutions_region_code"), ["region_code"], unique=False)

    op.create_table(
        "officials",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("name_normalised", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("office", sa.String(length=200), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officials")),
        sa.UniqueConstraint("nip", name=op.f("uq_officials_nip")),
        sa.UniqueConstraint("ref", name=op.f("uq_officials_ref")),
    )
    with op.batch_alter_table("officials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_officials_region_code"), ["region_code"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("source_kind", sa.String(length=32), nullable=False),
        sa.Column("source_ref", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("name_normalised", sa.String(length=200), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("kk_number", sa.String(length=16), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("religion", sa.String(length=32), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("address_region_code", sa.String(length=10), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("ref", name=op.f("uq_people_ref")),
        sa.UniqueConstraint(
            "source_kind", "source_ref", "nik", name=op.f("uq_people_source_kind_source_ref_nik")
        ),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_people_address_region_code"), ["address_region_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_people_name_normalised"), ["name_normalised"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_nik"), ["nik"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_region_code"), ["region_code"], unique=False)

    op.create_table(
        "principals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("region_scope", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_principals")),
        sa.UniqueConstraint("username", name=op.f("uq_principals_username")),
    )
    op.create_table(
        "regions",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["regions.code"], name=op.f("fk_regions_parent_code_regions")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_regions")),
    )
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_regions_parent_code"), ["parent_code"], unique=False)

    op.create_table(
        "adoption_cases",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("child_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("adopter_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("co_adopter_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("institution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("current_step", sa.String(length=32), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["adopter_id"], ["people.id"], name=op.f("fk_adoption_cases_adopter_id_people")
        ),
        sa.ForeignKeyConstraint(["child_id"], ["people.id"], name=op.f("fk_adoption_cases_child_id_people")),
        sa.ForeignKeyConstraint(
            ["co_adopter_id"], ["people.id"], name=op.f("fk_adoption_cases_co_adopter_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_adoption_cases_institution_id_institutions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adoption_cases")),
        sa.UniqueConstraint("ref", name=op.f("uq_adoption_cases_ref")),
    )
    with op.batch_alter_table("adoption_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_adoption_cases_adopter_id"), ["adopter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_adoption_cases_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_adoption_cases_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_adoption_cases_region_code"), ["region_code"], unique=False)

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["principals.id"], name=op.f("fk_api_tokens_principal_id_principals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_id", name=op.f("uq_api_tokens_token_id")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_principal_id"), ["principal_id"], unique=False)

    op.create_table(
        "attendants",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("name_normalised", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("registration_number", sa.String(length=64), nullable=True),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("facility_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facilities.id"], name=op.f("fk_attendants_facility_id_facilities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendants")),
        sa.UniqueConstraint("ref", name=op.f("uq_attendants_ref")),
        sa.UniqueConstraint("registration_number", name=op.f("uq_attendants_registration_number")),
    )
    with op.batch_alter_table("attendants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendants_region_code"), ["region_code"], unique=False)

    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("resource", sa.String(length=64), nullable=False),
        sa.Column("record_ids", sa.Text(), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["principals.id"], name=op.f("fk_audit_entries_principal_id_principals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_principal_id"), ["principal_id"], unique=False)

    op.create_table(
        "events",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("aggregate", sa.String(length=64), nullable=False),
        sa.Column("aggregate_id", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("commitment", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["principals.id"], name=op.f("fk_events_actor_id_principals")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_events_event_id")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_aggregate", ["aggregate", "aggregate_id", "seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_kind"), ["kind"], unique=False)

    op.create_table(
        "missing_reports",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("child_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reporter_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("report_number", sa.String(length=64), nullable=True),
        sa.Column("police_unit", sa.String(length=200), nullable=False),
        sa.Column("last_seen_on", sa.Date(), nullable=False),
        sa.Column("last_seen_region_code", sa.String(length=10), nullable=False),
        sa.Column("last_seen_place", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_changed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["people.id"], name=op.f("fk_missing_reports_child_id_people")),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["people.id"], name=op.f("fk_missing_reports_reporter_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_missing_reports")),
        sa.UniqueConstraint("ref", name=op.f("uq_missing_reports_ref")),
        sa.UniqueConstraint("report_number", name=op.f("uq_missing_reports_report_number")),
    )
    with op.batch_alter_table("missing_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_missing_reports_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_missing_reports_region_code"), ["region_code"], unique=False)

    op.create_table(
        "relinquishments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("mother_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("child_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("institution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("counselled_on", sa.Date(), nullable=True),
        sa.Column("counsellor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("counselling_record", sa.String(length=64), nullable=True),
        sa.Column("consent_document", sa.String(length=64), nullable=True),
        sa.Column("witnesses", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["people.id"], name=op.f("fk_relinquishments_child_id_people")),
        sa.ForeignKeyConstraint(
            ["counsellor_id"], ["officials.id"], name=op.f("fk_relinquishments_counsellor_id_officials")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_relinquishments_institution_id_institutions"),
        ),
        sa.ForeignKeyConstraint(
            ["mother_id"], ["people.id"], name=op.f("fk_relinquishments_mother_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relinquishments")),
        sa.UniqueConstraint("ref", name=op.f("uq_relinquishments_ref")),
    )
    with op.batch_alter_table("relinquishments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relinquishments_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_relinquishments_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_relinquishments_mother_id"), ["mother_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_relinquishments_region_code"), ["region_code"], unique=False)

    op.create_table(
        "adoption_steps",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("documents", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("official_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["principals.id"], name=op.f("fk_adoption_steps_actor_id_principals")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["adoption_cases.id"], name=op.f("fk_adoption_steps_case_id_adoption_cases")
        ),
        sa.ForeignKeyConstraint(
            ["official_id"], ["officials.id"], name=op.f("fk_adoption_steps_official_id_officials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adoption_steps")),
        sa.UniqueConstraint("case_id", "number", name=op.f("uq_adoption_steps_case_id_number")),
    )
    op.create_table(
        "births",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("child_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("mother_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("father_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("facility_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("attendant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("born_on", sa.Date(), nullable=False),
        sa.Column("born_at_time", sa.Time(), nullable=True),
        sa.Column("birth_weight_g", sa.Integer(), nullable=True),
        sa.Column("plurality", sa.Integer(), nullable=False),
        sa.Column("place_kind", sa.String(length=16), nullable=False),
        sa.Column("birth_evidence", sa.String(length=16), nullable=False),
        sa.Column("skl_number", sa.String(length=64), nullable=True),
        sa.Column("akta_number", sa.String(length=64), nullable=True),
        sa.Column("registrar_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("registration_region_code", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["attendant_id"], ["attendants.id"], name=op.f("fk_births_attendant_id_attendants")
        ),
        sa.ForeignKeyConstraint(["child_id"], ["people.id"], name=op.f("fk_births_child_id_people")),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facilities.id"], name=op.f("fk_births_facility_id_facilities")
        ),
        sa.ForeignKeyConstraint(["father_id"], ["people.id"], name=op.f("fk_births_father_id_people")),
        sa.ForeignKeyConstraint(["mother_id"], ["people.id"], name=op.f("fk_births_mother_id_people")),
        sa.ForeignKeyConstraint(
            ["registrar_id"], ["officials.id"], name=op.f("fk_births_registrar_id_officials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_births")),
        sa.UniqueConstraint("akta_number", name=op.f("uq_births_akta_number")),
        sa.UniqueConstraint("child_id", name=op.f("uq_births_child_id")),
        sa.UniqueConstraint("ref", name=op.f("uq_births_ref")),
    )
    with op.batch_alter_table("births", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_births_attendant_id"), ["attendant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_births_born_on"), ["born_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_births_facility_id"), ["facility_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_births_mother_id"), ["mother_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_births_region_code"), ["region_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_births_registrar_id"), ["registrar_id"], unique=False)

    op.create_table(
        "placements",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("child_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("institution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("carer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("adoption_case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("from_date", sa.Date(), nullable=False),
        sa.Column("to_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["adoption_case_id"],
            ["adoption_cases.id"],
            name=op.f("fk_placements_adoption_case_id_adoption_cases"),
        ),
        sa.ForeignKeyConstraint(["carer_id"], ["people.id"], name=op.f("fk_placements_carer_id_people")),
        sa.ForeignKeyConstraint(["child_id"], ["people.id"], name=op.f("fk_placements_child_id_people")),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_placements_institution_id_institutions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placements")),
        sa.UniqueConstraint("ref", name=op.f("uq_placements_ref")),
    )
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placements_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placements_institution_id"), ["institution_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placements_region_code"), ["region_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placements_region_code"))
        batch_op.drop_index(batch_op.f("ix_placements_institution_id"))
        batch_op.drop_index(batch_op.f("ix_placements_child_id"))

    op.drop_table("placements")
    with op.batch_alter_table("births", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_births_registrar_id"))
        batch_op.drop_index(batch_op.f("ix_births_region_code"))
        batch_op.drop_index(batch_op.f("ix_births_mother_id"))
        batch_op.drop_index(batch_op.f("ix_births_facility_id"))
        batch_op.drop_index(batch_op.f("ix_births_born_on"))
        batch_op.drop_index(batch_op.f("ix_births_attendant_id"))

    op.drop_table("births")
    op.drop_table("adoption_steps")
    with op.batch_alter_table("relinquishments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relinquishments_region_code"))
        batch_op.drop_index(batch_op.f("ix_relinquishments_mother_id"))
        batch_op.drop_index(batch_op.f("ix_relinquishments_institution_id"))
        batch_op.drop_index(batch_op.f("ix_relinquishments_child_id"))

    op.drop_table("relinquishments")
    with op.batch_alter_table("missing_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_missing_reports_region_code"))
        batch_op.drop_index(batch_op.f("ix_missing_reports_child_id"))

    op.drop_table("missing_reports")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_kind"))
        batch_op.drop_index("ix_events_aggregate")

    op.drop_table("events")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entries_principal_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_at"))

    op.drop_table("audit_entries")
    with op.batch_alter_table("attendants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendants_region_code"))

    op.drop_table("attendants")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_principal_id"))

    op.drop_table("api_tokens")
    with op.batch_alter_table("adoption_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_adoption_cases_region_code"))
        batch_op.drop_index(batch_op.f("ix_adoption_cases_institution_id"))
        batch_op.drop_index(batch_op.f("ix_adoption_cases_child_id"))
        batch_op.drop_index(batch_op.f("ix_adoption_cases_adopter_id"))

    op.drop_table("adoption_cases")
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regions_parent_code"))

    op.drop_table("regions")
    op.drop_table("principals")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_region_code"))
        batch_op.drop_index(batch_op.f("ix_people_nik"))
        batch_op.drop_index(batch_op.f("ix_people_name_normalised"))
        batch_op.drop_index(batch_op.f("ix_people_address_region_code"))

    op.drop_table("people")
    with op.batch_alter_table("officials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_officials_region_code"))

    op.drop_table("officials")
    with op.batch_alter_table("institutions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institutions_region_code"))

    op.drop_table("institutions")
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_facilities_region_code"))

    op.drop_table("facilities")
    op.drop_table("event_sequence")
