"""Counts on the work queue (`/kerja`) from packages the workbench may not import.

The face and field pages live in their own packages (import-linter keeps `jaga.faces` and `jaga.field`
out of the workbench), yet their queues belong on the officer's work queue. Each such package describes
its queue as a `QueueSource`; `jaga.app` registers them at mount (`install`), and the queue page asks
each source the actor's role allows for its count. A count reads no record (no names, no refs), so it
is not audited; the source's count function checks the role and the region itself, as a service does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fastapi import FastAPI, Request

from jaga.access import Action, Actor
from jaga.db import UnitOfWork


def N_(message: str) -> str:
    """Mark a message for extraction (Babel's `N_`); the queue page translates it when shown."""
    return message


@dataclass(frozen=True)
class QueueSource:
    """One card on the work queue.

    name: the stable test hook (`data-queue-source`), also the order key; label: an English msgid
    marked with `N_`, translated by the portal's catalogs; permission: the action a role needs to see
    the card; count: the number of open items in the actor's region (raises as a service does when the
    role or region does not allow it); link: the workbench path of the queue itself.
    """

    name: str
    label: str
    permission: Action
    count: Callable[[UnitOfWork, Actor], int]
    link: str


@dataclass(frozen=True)
class QueueCount:
    name: str
    label: str
    link: str
    count: int


def install(app: FastAPI, sources: Sequence[QueueSource]) -> None:
    """Register the sources of `app`'s work queue (called once by `jaga.app.create_app`)."""
    names = [source.name for source in sources]
    if len(set(names)) != len(names):
        raise ValueError(f"queue source names must be unique, got {names}")
    app.state.queue_sources = tuple(sources)


def counts(request: Request, uow: UnitOfWork, actor: Actor) -> list[QueueCount]:
    """The count of every registered source whose permission the actor's role holds."""
    sources: tuple[QueueSource, ...] = getattr(request.app.state, "queue_sources", ())
    return [
        QueueCount(source.name, source.label, source.link, source.count(uow, actor))
        for source in sources
        if actor.can(source.permission)
    ]
