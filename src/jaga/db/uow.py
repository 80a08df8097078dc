"""Unit of work: one transaction per use case, with its domain events written inside it.

Services change entities, call `record(...)` for each change, and call `commit()` once. The events become
rows in the same transaction as the change, so a crash at any moment leaves both or neither.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from jaga.db.base import Base
from jaga.db.bulk import insert_tuples
from jaga.db.canonical import JsonValue, canonical_bytes
from jaga.db.events import (
    EVENT_COLUMNS,
    EventBatch,
    EventKind,
    EventRecord,
    EventSequence,
    event_rows,
    record_state,
)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Pending:
    """Events waiting for the flush: one row changed through the ORM (serialised at flush time, when its
    id and defaults are known), or rows written with bulk SQL, whose payloads are given."""

    kind: EventKind
    aggregate: str
    actor_id: int | None
    obj: Base | None = None
    aggregate_ids: Sequence[int] = ()
    payloads: Iterable[bytes] = ()

    def resolved(self) -> EventBatch:
        if self.obj is not None:
            ids: Sequence[int] = [int(self.obj.id)]  # type: ignore[attr-defined]
            payloads: Iterable[bytes] = [canonical_bytes(record_state(self.obj))]
        else:
            ids, payloads = self.aggregate_ids, self.payloads
        return EventBatch(self.kind.value, self.aggregate, self.actor_id, ids, payloads)

    def __len__(self) -> int:
        return 1 if self.obj is not None else len(self.aggregate_ids)


class UnitOfWork:
    """A session and the events to commit with it.

    `clock` is the only source of "now" for the domain, so that rules such as "six months of temporary
    care" can be tested.
    """

    session: Session

    def __init__(self, sessions: sessionmaker[Session], clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self.clock = clock
        self._pending: list[_Pending] = []

    def __enter__(self) -> Self:
        self.session = self._sessions()
        self._pending = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # No-op after a commit; undoes everything (rows and events) otherwise.
        self.session.rollback()
        self.session.close()

    def record(self, kind: EventKind, obj: Base, *, actor_id: int | None) -> None:
        """Record that `obj` changed; its full state is serialised at flush time."""
        self._pending.append(_Pending(kind=kind, aggregate=obj.__tablename__, actor_id=actor_id, obj=obj))

    def record_state(
        self,
        kind: EventKind,
        aggregate: str,
        aggregate_id: int,
        state: dict[str, JsonValue],
        *,
        actor_id: int | None,
    ) -> None:
        """Record a change made with bulk SQL, giving the row's state explicitly."""
        self.record_payloads(kind, aggregate, [aggregate_id], [canonical_bytes(state)], actor_id=actor_id)

    def record_payloads(
        self,
        kind: EventKind,
        aggregate: str,
        aggregate_ids: Sequence[int],
        payloads: Iterable[bytes],
        *,
        actor_id: int | None,
    ) -> None:
        """Record changes made with bulk SQL to rows `aggregate_ids`, one event each, giving each row's
        state as its canonical bytes (`canonical_bytes(state)`, or `iter_canonical_rows` for many: an
        iterator is read once, when the events are written, and must give one payload per id)."""
        if aggregate_ids:
            self._pending.append(
                _Pending(
                    kind=kind,
                    aggregate=aggregate,
                    actor_id=actor_id,
                    aggregate_ids=aggregate_ids,
                    payloads=payloads,
                )
            )

    def flush_events(self) -> int:
        """Write pending events into the open transaction; returns how many were written.

        Allocating their sequence numbers locks the counter row until the transaction ends, which is
        what keeps sequence numbers gapless and in commit order.
        """
        if not self._pending:
            return 0
        self.session.flush()
        count = sum(len(pending) for pending in self._pending)
        next_after = self.session.execute(
            update(EventSequence)
            .where(EventSequence.id == 1)
            .values(next_seq=EventSequence.next_seq + count)
            .returning(EventSequence.next_seq)
        ).scalar_one()
        rows = event_rows(next_after - count, self.clock(), [pending.resolved() for pending in self._pending])
        insert_tuples(self.session, EventRecord.__table__, EVENT_COLUMNS, rows)
        self._pending.clear()
        return count

    def commit(self) -> None:
        self.flush_events()
        self.session.commit()

    def rollback(self) -> None:
        self._pending.clear()
        self.session.rollback()
