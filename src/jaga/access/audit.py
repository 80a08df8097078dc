"""The audit trail as people read it: who read which records, when and why, with unusual access marked.

Two marks, each with its reason:
- `outside_region`: a record read lies outside the reader's usual region: the account's own region scope,
  or, for a national account, the province most of its last `HISTORY` reads were in;
- `bulk`: one read of `BULK` records or more, or an export.

Auditors and administrators see the reads of every account in their scope; every other officer sees their
own reads (unlike case-management systems whose access logs nobody but an administrator ever sees).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from jaga.access.models import AuditEntry, Principal
from jaga.access.roles import Action, Actor
from jaga.db import Base
from jaga.errors import InvalidInput
from jaga.regions import format_code

BULK = 50
HISTORY = 200
MAX_PAGE = 200


@dataclass
class AuditRow:
    id: int
    at: datetime
    username: str | None
    role: str | None
    action: str
    resource: str
    record_count: int
    reason: str
    channel: str
    provinces: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)  # outside_region | bulk


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    resource: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    unusual_only: bool = False


def _provinces(session: Session, resource: str, ids: list[int]) -> set[str]:
    table = Base.metadata.tables.get(resource)
    if not isinstance(table, Table) or "region_code" not in table.c or not ids:
        return set()
    codes = session.scalars(select(table.c.region_code).where(table.c.id.in_(ids[:1000]))).all()
    return {str(code)[:2] for code in codes if code}


def _usual(session: Session, principal: Principal) -> str | None:
    """The province an account usually reads in: its scope's, or the commonest of its recent reads."""
    if principal.region_scope:
        return principal.region_scope[:2]
    recent = session.execute(
        select(AuditEntry.resource, AuditEntry.record_ids)
        .where(AuditEntry.principal_id == principal.id)
        .order_by(AuditEntry.id.desc())
        .limit(HISTORY)
    ).all()
    counts: Counter[str] = Counter()
    for resource, ids in recent:
        counts.update(_provinces(session, resource, json.loads(ids)))
    return counts.most_common(1)[0][0] if counts else None


def audit_rows(
    session: Session, actor: Actor, wanted: AuditFilter, *, limit: int = 100, before: int | None = None
) -> tuple[list[AuditRow], int | None]:
    """One page of the audit trail, newest first, and the id to continue before (None at the end)."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}")
    query: Any = (
        select(AuditEntry, Principal)
        .outerjoin(Principal, Principal.id == AuditEntry.principal_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit + 1)
    )
    if not actor.can(Action.AUDIT_READ):
        query = query.where(AuditEntry.principal_id == actor.principal_id)  # one's own reads
    elif actor.region_scope:
        query = query.where(Principal.region_scope.startswith(actor.region_scope, autoescape=True))
    if wanted.username:
        query = query.where(Principal.username == wanted.username)
    if wanted.resource:
        query = query.where(AuditEntry.resource == wanted.resource)
    if wanted.since:
        query = query.where(AuditEntry.at >= wanted.since)
    if wanted.until:
        query = query.where(AuditEntry.at <= wanted.until)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    found = session.execute(query).all()
    more = len(found) > limit
    found = found[:limit]
    usual: dict[int, str | None] = {}
    rows = []
    for entry, principal in found:
        provinces = _provinces(session, entry.resource, json.loads(entry.record_ids))
        marks = []
        if principal is not None:
            if principal.id not in usual:
                usual[principal.id] = _usual(session, principal)
            home = usual[principal.id]
            if home is not None and provinces - {home}:
                marks.append("outside_region")
        if entry.record_count >= BULK or entry.action == "export":
            marks.append("bulk")
        rows.append(
            AuditRow(
                id=entry.id,
                at=entry.at,
                username=principal.username if principal else None,
                role=principal.role if principal else None,
                action=entry.action,
                resource=entry.resource,
                record_count=entry.record_count,
                reason=entry.reason,
                channel=entry.channel,
                provinces=sorted(format_code(p) for p in provinces),
                marks=marks,
            )
        )
    if wanted.unusual_only:
        rows = [r for r in rows if r.marks]
    return rows, (found[-1][0].id if more and found else None)


__all__ = ["BULK", "AuditFilter", "AuditRow", "audit_rows"]
