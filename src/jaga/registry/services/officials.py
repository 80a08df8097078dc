"""Which official a record names as the one who acted: a birth's registrar, an adoption step's official.

An account bound to an official acts as that official: the record names it (the row may leave the ref
out), a different official's ref is refused, and so is a record outside the official's region. A feed
account transcribes an agency's own records: each row names the official who acted there, who must
hold a fitting role and lie inside the account's scope, and the record must lie inside that official's
region. Any other account may not name an acting official at all: it reads, and an administrator binds
it before it registers births or takes adoption steps (docs/access.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from jaga.access import OFFICIAL_ROLES
from jaga.errors import NotActingOfficial, OutOfRegion
from jaga.regions import format_code, within
from jaga.registry.models import Official
from jaga.registry.services.batch import Batch, RowProblem, lookup, missing_ref, outside_scope


class ActingOfficials:
    """Resolves, for one batch of rows, the official each row names (or its account acts as)."""

    def __init__(self, batch: Batch, named: Iterable[str | None], act: str) -> None:
        """`act` completes "may not ...", e.g. "register births"."""
        self._batch = batch
        self._act = act
        self._named = lookup(batch.session, Official, named, Official.role, Official.region_code)
        actor = batch.actor
        self._own: Any = None
        if actor.official_id is not None:
            self._own = batch.session.execute(
                select(Official.id, Official.ref, Official.role, Official.region_code).where(
                    Official.id == actor.official_id
                )
            ).one()

    def resolve(
        self,
        row: int,
        field_name: str,
        named_ref: str | None,
        record_region: str | None,
        problems: list[RowProblem],
        *,
        what: str,
        required: bool,
    ) -> Any | None:
        """The official row (id, ref, role, region_code) the record names, or None when it names none.

        `record_region` is where the act happened (None: the official's own region); `what` names the
        record in messages ("a registration"); `required`: a feed's row must name one. Problems are
        appended, with the precise error for single-record calls (403 for acting as someone else or
        elsewhere, 422 for a bad ref).
        """
        actor = self._batch.actor
        if self._own is not None:
            if named_ref is not None and named_ref != self._own.ref:
                message = (
                    f"account {actor.username!r} acts as official {self._own.ref}; it may not "
                    f"{self._act} under official {named_ref}"
                )
                problems.append(RowProblem(row, field_name, message, "forbidden", NotActingOfficial(message)))
                return None
            self._check_region(row, self._own, record_region, problems, what)
            return self._own
        if actor.feed is None:
            message = (
                f"account {actor.username!r} is not bound to an official, so it may not {self._act}; an "
                f"administrator binds it with `jaga users bind {actor.username} --official O-...`"
            )
            problems.append(RowProblem(row, field_name, message, "forbidden", NotActingOfficial(message)))
            return None
        if named_ref is None:
            if required:
                problems.append(
                    RowProblem(row, field_name, "is required: a feed account names the official who acted")
                )
            return None
        official = self._named.get(named_ref)
        if official is None:
            problems.append(missing_ref(row, field_name, "official", named_ref))
            return None
        allowed = OFFICIAL_ROLES.get(actor.role, frozenset())
        if official.role not in allowed:
            problems.append(
                RowProblem(row, field_name, f"official {named_ref!r} is not a {' or '.join(sorted(allowed))}")
            )
            return None
        if not within(official.region_code, actor.region_scope):
            where = official.region_code
            problems.append(outside_scope(row, field_name, where, actor, f"official {named_ref}"))
            return None
        self._check_region(row, official, record_region, problems, what)
        return official

    def _check_region(
        self, row: int, official: Any, record_region: str | None, problems: list[RowProblem], what: str
    ) -> None:
        if record_region is None or within(record_region, official.region_code):
            return
        message = (
            f"{what} in region {format_code(record_region)} is outside official {official.ref}'s region "
            f"{format_code(official.region_code)}"
        )
        problems.append(RowProblem(row, None, message, "forbidden", OutOfRegion(message)))
