"""Registry use cases."""

from __future__ import annotations

from typing import Any

from jaga.access import Actor
from jaga.db import UnitOfWork
from jaga.registry.services.batch import Batch, BatchOutcome, RowProblem, raise_first


def write_one(uow: UnitOfWork, actor: Actor, write: Any, label: str, data: Any) -> BatchOutcome:
    """Write one record through its batch use case and commit; the outcome (its ref, its warnings).

    Raises the precise error (403, 409 or 422 at the API edge) when the record is refused.
    """
    outcome: BatchOutcome = write(Batch(uow, actor), [(1, data)])
    raise_first(label, outcome.problems)
    uow.commit()
    return outcome


def create_one(uow: UnitOfWork, actor: Actor, write: Any, label: str, data: Any) -> str:
    """Write one record through its batch use case and commit; the new record's ref (see `write_one`)."""
    return write_one(uow, actor, write, label, data).refs[0]


__all__ = ["Batch", "BatchOutcome", "RowProblem", "create_one", "raise_first", "write_one"]
