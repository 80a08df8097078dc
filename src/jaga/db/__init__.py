"""The database base layer: engine and sessions, declarative base, unit of work, the events table (outbox).

Imports only `jaga.errors` and `jaga.settings` from jaga; never web or CLI code.
"""

from jaga.db.base import Base, UtcDateTime
from jaga.db.engine import create_engine_for, session_factory
from jaga.db.events import EventKind, EventRecord, EventSequence, record_state
from jaga.db.uow import Clock, UnitOfWork, utc_now

__all__ = [
    "Base",
    "Clock",
    "EventKind",
    "EventRecord",
    "EventSequence",
    "UnitOfWork",
    "UtcDateTime",
    "create_engine_for",
    "record_state",
    "session_factory",
    "utc_now",
]
