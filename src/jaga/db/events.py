"""The append-only events table: every registry write leaves a domain event in the same transaction.

This is the outbox the tamper-evident ledger and the audit trail stand on, so its shape is deliberate:

* `seq` is allocated from a one-row counter (`event_sequence`) locked by the writing transaction, so
  sequence numbers are gapless and become visible in order: a reader that has seen `seq = n` committed
  will never later see a smaller one appear. (A database sequence would hand out numbers that commit out
  of order and leave gaps on rollback.)
* `payload` is the canonical JSON (RFC 8785) of the record's full state after the change, stored as text
  so the bytes never change under a JSON column type's normalisation.
* `salt` (16 random bytes) and `commitment = SHA-256("jaga/commitment/v1\n" || salt || payload)` are
  computed at write time; the log entry adds `meta = SHA-256("jaga/meta/v1\n" || salt || canonical
  header)` for the rest of the event (see `jaga.ledger.events`). The ledger commits these hashes, never
  the payload: no personal data is needed to commit an event, and without the salt nobody can test a
  guess of its contents.

Kinds read `<aggregate>.<past-tense verb>` and stay in the public log forever: add, never rename.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jaga.db.base import Base, UtcDateTime
from jaga.db.canonical import JsonValue, to_json_value
from jaga.ledger import EventEntry, commitment, meta_hash
from jaga.ledger.events import COMMITMENT_PREFIX

EVENT_FORMAT_VERSION = 1
SALT_BYTES = 16
EVENT_ID_BYTES = 16  # shown as 32 hex digits


class EventKind(StrEnum):
    PERSON_RECORDED = "person.recorded"
    FACILITY_REGISTERED = "facility.registered"
    ATTENDANT_REGISTERED = "attendant.registered"
    OFFICIAL_REGISTERED = "official.registered"
    INSTITUTION_REGISTERED = "institution.registered"
    INSTITUTION_LICENCE_CHANGED = "institution.licence_changed"
    BIRTH_RECORDED = "birth.recorded"
    BIRTH_REGISTERED = "birth.registered"
    RELINQUISHMENT_RECORDED = "relinquishment.recorded"
    PLACEMENT_STARTED = "placement.started"
    PLACEMENT_ENDED = "placement.ended"
    ADOPTION_CASE_OPENED = "adoption_case.opened"
    ADOPTION_CASE_ADVANCED = "adoption_case.advanced"
    ADOPTION_STEP_RECORDED = "adoption_step.recorded"
    ADOPTION_STEP_APPROVAL_REQUESTED = "adoption_step.approval_requested"
    ADOPTION_STEP_DECIDED = "adoption_step.decided"
    MISSING_REPORT_FILED = "missing_report.filed"
    MISSING_REPORT_STATUS_CHANGED = "missing_report.status_changed"
    PRINCIPAL_CREATED = "principal.created"
    PRINCIPAL_REVOKED = "principal.revoked"
    ACCOUNT_BINDING_CREATED = "account_binding.created"
    API_TOKEN_ISSUED = "api_token.issued"
    API_TOKEN_REVOKED = "api_token.revoked"
    CERTIFICATE_ISSUED = "certificate.issued"
    CERTIFICATE_REVOKED = "certificate.revoked"
    LINK_DECISION_RECORDED = "link_decision.recorded"
    LINK_DECISION_CHANGED = "link_decision.changed"
    FLAG_STATUS_CHANGED = "flag.status_changed"
    CREDENTIAL_CHANGED = "credential.changed"
    ROLE_POLICY_CHANGED = "role_policy.changed"
    TIP_RECEIVED = "tip.received"
    TIP_STATUS_CHANGED = "tip.status_changed"
    TIP_ADDED_TO = "tip.added_to"
    TIP_QUESTION_ASKED = "tip.question_asked"
    PHOTO_ADDED = "photo.added"
    FACE_REVIEW_RECORDED = "face_review.recorded"
    EVIDENCE_PACK_PACKED = "evidence_pack.packed"
    FIELD_DEVICE_ENROLLED = "field_device.enrolled"
    FIELD_DEVICE_REVOKED = "field_device.revoked"


class EventSequence(Base):
    """One row: the next event sequence number. Locking it orders concurrent writers."""

    __tablename__ = "event_sequence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    next_seq: Mapped[int] = mapped_column(BigInteger, nullable=False)


class EventRecord(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_aggregate", "aggregate", "aggregate_id", "seq"),)

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    event_id: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    aggregate: Mapped[str] = mapped_column(String(64), nullable=False)
    aggregate_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), nullable=True)
    payload: Mapped[str] = mapped_column(Text, nullable=False)
    salt: Mapped[str] = mapped_column(String(32), nullable=False)
    commitment: Mapped[str] = mapped_column(String(64), nullable=False)

    def header(self) -> dict[str, JsonValue]:
        """The canonical header the log entry's meta hash covers (see `jaga.ledger.events.meta_hash`)."""
        return header(
            seq=self.seq,
            event_id=self.event_id,
            kind=self.kind,
            aggregate=self.aggregate,
            aggregate_id=self.aggregate_id,
            recorded_at=self.recorded_at,
            actor_id=self.actor_id,
        )

    def recompute_commitment(self) -> str:
        """The commitment of the stored payload as it is now (differs from `commitment` if edited)."""
        return commitment(bytes.fromhex(self.salt), self.payload.encode("utf-8")).hex()

    def log_entry(self) -> EventEntry:
        """The ledger entry this row stands for, recomputed from what is stored now."""
        salt = bytes.fromhex(self.salt)
        head = header_bytes(
            seq=self.seq,
            event_id=self.event_id,
            kind=self.kind,
            aggregate=self.aggregate,
            aggregate_id=self.aggregate_id,
            recorded_at=str(to_json_value(self.recorded_at)),
            actor_id=self.actor_id,
        )
        return EventEntry(
            self.seq, self.kind, commitment(salt, self.payload.encode("utf-8")), meta_hash(salt, head)
        )


def header(
    *,
    seq: int,
    event_id: str,
    kind: str,
    aggregate: str,
    aggregate_id: int,
    recorded_at: datetime,
    actor_id: int | None,
) -> dict[str, JsonValue]:
    return {
        "v": EVENT_FORMAT_VERSION,
        "seq": seq,
        "event_id": event_id,
        "kind": kind,
        "aggregate": aggregate,
        "aggregate_id": aggregate_id,
        "recorded_at": to_json_value(recorded_at),
        "actor": actor_id,
    }


def header_bytes(
    *,
    seq: int,
    event_id: str,
    kind: str,
    aggregate: str,
    aggregate_id: int,
    recorded_at: str,
    actor_id: int | None,
) -> bytes:
    """`canonical_bytes(header(...))`, written out directly for the bulk path.

    Every field is an int, null, or an ASCII identifier, timestamp or hex string that needs no escaping,
    with the keys in sorted order; tests/db/test_events.py checks it equals the general serialiser.
    """
    actor = "null" if actor_id is None else str(actor_id)
    return (
        f'{{"actor":{actor},"aggregate":"{aggregate}","aggregate_id":{aggregate_id},"event_id":"{event_id}",'
        f'"kind":"{kind}","recorded_at":"{recorded_at}","seq":{seq},"v":{EVENT_FORMAT_VERSION}}}'
    ).encode("ascii")


EVENT_COLUMNS = (
    "seq",
    "event_id",
    "kind",
    "aggregate",
    "aggregate_id",
    "recorded_at",
    "actor_id",
    "payload",
    "salt",
    "commitment",
)


@dataclass(frozen=True)
class EventBatch:
    """Events of one kind on one aggregate table by one actor: ids and canonical payloads, in order.
    `payloads` may be an iterator (read once, when the rows are made)."""

    kind: str
    aggregate: str
    actor_id: int | None
    aggregate_ids: Sequence[int]
    payloads: Iterable[bytes]


def event_rows(
    first_seq: int, recorded_at: datetime, batches: Sequence[EventBatch]
) -> Iterator[tuple[Any, ...]]:
    """The column values (in EVENT_COLUMNS order) of the events in `batches`, numbered from `first_seq`,
    each with a fresh event id and salt and its commitment, made as the iterator is read (so that the
    database works on the first rows while the next are hashed).

    The randomness for all of them is drawn in one call: a bulk import writes two events per birth, and
    one system call per id and per salt was a measurable share of it.
    """
    count = sum(len(batch.aggregate_ids) for batch in batches)
    width = EVENT_ID_BYTES + SALT_BYTES
    randomness = secrets.token_bytes(width * count)
    return _event_rows(first_seq, recorded_at, batches, randomness)


def _event_rows(
    seq: int, recorded_at: datetime, batches: Sequence[EventBatch], randomness: bytes
) -> Iterator[tuple[Any, ...]]:
    # `commitment(salt, payload).hex()` written out, and the hex of all the randomness made at once: this
    # runs for every event of a bulk import.
    width, offset = EVENT_ID_BYTES + SALT_BYTES, 0
    hexed = randomness.hex()
    sha256, prefix = hashlib.sha256, COMMITMENT_PREFIX
    for batch in batches:
        kind, aggregate, actor_id = batch.kind, batch.aggregate, batch.actor_id
        for aggregate_id, payload in zip(batch.aggregate_ids, batch.payloads, strict=True):
            salt_at = offset + EVENT_ID_BYTES
            end = offset + width
            yield (
                seq,
                hexed[2 * offset : 2 * salt_at],
                kind,
                aggregate,
                aggregate_id,
                recorded_at,
                actor_id,
                payload.decode("utf-8"),
                hexed[2 * salt_at : 2 * end],
                sha256(prefix + randomness[salt_at:end] + payload).hexdigest(),
            )
            seq += 1
            offset = end


def record_state(obj: Base) -> dict[str, JsonValue]:
    """The canonical state of a mapped row: every column, by column name.

    Every column is included so that a later audit can recompute it from the stored row and notice any
    change made behind jaga's back.
    """
    mapper = obj.__mapper__
    return {attr.columns[0].name: to_json_value(getattr(obj, attr.key)) for attr in mapper.column_attrs}
