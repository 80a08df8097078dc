"""Unit of work: one transaction per use case, with its domain events written inside it.

Services change entities, call `record(...)` for each change, and call `commit()` once. The events become
rows in the same transaction as the change, so a crash at any moment leaves both or neither.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from jaga.db.base import Base
from jaga.db.bulk import bulk_insert
from jaga.db.canonical import JsonValue
from jaga.db.events import EventKind, EventRecord, EventSequence, new_event_row, record_state

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Pending:
    kind: EventKind
    aggregate: str
    actor_id: int | None
    obj: Base | None = None
    aggregate_id: int | None = None
    state: dict[str, JsonValue] | None = None


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
        self._pending.append(
            _Pending(
                kind=kind, aggregate=aggregate, actor_id=actor_id, aggregate_id=aggregate_id, state=state
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
        count = len(self._pending)
        next_after = self.session.execute(
            update(EventSequence)
            .where(EventSequence.id == 1)
            .values(next_seq=EventSequence.next_seq + count)
            .returning(EventSequence.next_seq)
        ).scalar_one()
        first = next_after - count
        now = self.clock()
        rows = []
        for offset, pending in enumerate(self._pending):
            if pending.obj is not None:
                state = record_state(pending.obj)
                aggregate_id = int(pending.obj.id)  # type: ignore[attr-defined]
            else:
                assert pending.state is not None and pending.aggregate_id is not None
                state, aggregate_id = pending.state, pending.aggregate_id
            rows.append(
                new_event_row(
                    seq=first + offset,
                    kind=pending.kind.value,
                    aggregate=pending.aggregate,
                    aggregate_id=aggregate_id,
                    recorded_at=now,
                    actor_id=pending.actor_id,
                    state=state,
                )
            )
        bulk_insert(self.session, EventRecord.__table__, rows)
        self._pending.clear()
        return count

    def commit(self) -> None:
        self.flush_events()
        self.session.commit()

    def rollback(self) -> None:
        self._pending.clear()
        self.session.rollback()
