"""Reading registry records: region-scoped, paginated, and audited when they hold personal data.

Every read of a personal record (people, births, relinquishments, placements, adoption cases, missing-child
reports) needs a reason and leaves an audit entry with who, what, when and why, committed before the
records are returned. Reference records (facilities, attendants, officials, institutions) are not audited.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from jaga.access import Action, Actor, audit_read, check_reason
from jaga.db import Base, UnitOfWork
from jaga.db.pagination import decode_cursor, encode_cursor
from jaga.errors import InvalidInput, RecordNotFound
from jaga.names import basic_form
from jaga.regions import format_code, parse_code, within

MAX_PAGE = 500


@dataclass(frozen=True)
class Purpose:
    """Why and through which door a read happens (kept in the audit trail)."""

    reason: str | None
    channel: str


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


@dataclass(frozen=True)
class ReadSpec:
    """How to read one kind of record."""

    label: str  # "birth"
    model: type[Base]
    action: Action
    audited: bool
    region_scoped: bool = True
    date_column: str | None = None  # filtered by `since` / `until`
    filters: tuple[str, ...] = ()  # equality filters on plain columns (and `name`, below)
    enrich: Callable[[Session, list[dict[str, Any]]], None] | None = None
    # The column the `name` filter searches: any part of the name, case and spacing ignored (people look
    # agencies and officials up by the name they know). `name_normalised` columns compare basic forms.
    name_column: str | None = None


def to_dicts(session: Session, model: type[Base], rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Rows as dicts: foreign keys replaced by the referenced record's ref (`mother_id` -> `mother_ref`)."""
    table = model.__table__
    fk_targets: dict[str, Any] = {}
    for column in table.columns:
        for fk in column.foreign_keys:
            target = fk.column.table
            if "ref" in target.columns:
                fk_targets[column.name] = target
    refs: dict[str, dict[int, str]] = {}
    for name, target in fk_targets.items():
        ids = sorted({getattr(r, name) for r in rows if getattr(r, name) is not None})
        mapping: dict[int, str] = {}
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            mapping.update(
                (row.id, row.ref)
                for row in session.execute(select(target.c.id, target.c.ref).where(target.c.id.in_(chunk)))
            )
        refs[name] = mapping
    out = []
    for row in rows:
        item: dict[str, Any] = {}
        for column in table.columns:
            value = getattr(row, column.name)
            if column.name in fk_targets:
                item[column.name.removesuffix("_id") + "_ref"] = refs[column.name].get(value)
            elif column.name.endswith("region_code") and value:
                # Stored as digits; written out in the official dotted form (Permendagri 58/2021), so the
                # API, exports and tables agree, and exports import again as they are.
                item[column.name] = format_code(value)
            else:
                item[column.name] = value
        item["_id"] = row.id
        out.append(item)
    return out


def _name_contains(column: Any, text: str) -> Any:
    """Case-insensitive substring match, spacing normalised; LIKE wildcards in `text` are literal."""
    if column.key == "name_normalised":
        return column.contains(basic_form(text), autoescape=True)
    return func.lower(column).contains(" ".join(text.split()).lower(), autoescape=True)


def _scope_filter(query: Select[Any], spec: ReadSpec, actor: Actor, region: str | None) -> Select[Any]:
    column = spec.model.region_code  # type: ignore[attr-defined]
    scope = actor.region_scope if spec.region_scoped else ""
    if region:
        try:
            wanted = parse_code(region)
        except ValueError as exc:
            raise InvalidInput(f"region: {exc}") from exc
        if spec.region_scoped and not within(wanted, scope):
            actor.require_region(wanted, what="the region asked for", given=True)
        scope = wanted if len(wanted) > len(scope) else scope
    return query.where(column.startswith(scope, autoescape=True)) if scope else query


def list_records(
    uow: UnitOfWork,
    spec: ReadSpec,
    *,
    actor: Actor,
    purpose: Purpose,
    filters: Mapping[str, Any] | None = None,
    region: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """One page of records the actor may see, oldest first, filtered; audited if personal."""
    actor.require(spec.action)
    reason = check_reason(purpose.reason) if spec.audited else None
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}")
    model = spec.model
    query = select(model).order_by(model.id).limit(limit + 1)  # type: ignore[attr-defined]
    query = _scope_filter(query, spec, actor, region)
    for name, value in (filters or {}).items():
        if value is None:
            continue
        if name not in spec.filters:
            raise InvalidInput(f"unknown filter {name!r}; known: {', '.join(spec.filters) or 'none'}")
        if name == "name" and spec.name_column is not None:
            query = query.where(_name_contains(getattr(model, spec.name_column), str(value)))
            continue
        query = query.where(getattr(model, name) == value)
    if since or until:
        if spec.date_column is None:
            raise InvalidInput(f"{spec.label} records have no date to filter by")
        column = getattr(model, spec.date_column)
        if since:
            query = query.where(column >= since)
        if until:
            query = query.where(column <= until)
    if cursor:
        query = query.where(model.id > decode_cursor(cursor))  # type: ignore[attr-defined]
    session = uow.session
    rows = list(session.scalars(query))
    more = len(rows) > limit
    rows = rows[:limit]
    items = to_dicts(session, model, rows)
    if spec.enrich:
        spec.enrich(session, items)
    if reason is not None:
        audit_read(
            session,
            actor=actor,
            action="list",
            resource=model.__tablename__,
            record_ids=[r.id for r in rows],  # type: ignore[attr-defined]
            reason=reason,
            channel=purpose.channel,
            at=uow.clock(),
        )
    uow.commit()
    return Page(items=items, next_cursor=encode_cursor(rows[-1].id) if more and rows else None)  # type: ignore[attr-defined]


def get_record(
    uow: UnitOfWork,
    spec: ReadSpec,
    ref: str,
    *,
    actor: Actor,
    purpose: Purpose,
    enforce_scope: bool = True,
) -> dict[str, Any]:
    """One record by ref; audited if personal. Out-of-scope records are refused (403), not hidden.

    `enforce_scope=False` only for handing a record back to the actor who just acted on it under a rule
    of its own (a registrar registering a birth recorded in another region).
    """
    actor.require(spec.action)
    reason = check_reason(purpose.reason) if spec.audited else None
    model = spec.model
    row: Any = uow.session.execute(select(model).where(model.ref == ref)).scalar_one_or_none()  # type: ignore[attr-defined]
    if row is None:
        raise RecordNotFound(spec.label, ref)
    if spec.region_scoped and enforce_scope:
        actor.require_region(row.region_code, what=f"{spec.label} {ref}")
    [item] = to_dicts(uow.session, model, [row])
    if spec.enrich:
        spec.enrich(uow.session, [item])
    if reason is not None:
        audit_read(
            uow.session,
            actor=actor,
            action="read",
            resource=model.__tablename__,
            record_ids=[row.id],
            reason=reason,
            channel=purpose.channel,
            at=uow.clock(),
        )
    uow.commit()
    return item


AFTER_WRITE = "returned to the actor who wrote it"
