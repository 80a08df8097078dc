"""The registry's HTTP API: create, list and read each kind of record, and the actions on them.

Routes are built from the kinds table (`jaga.registry.kinds`), so every kind gets the same rules:
authentication on the router, the role's permission before anything else, region scope and audit in the
services. (No `from __future__ import annotations` here: FastAPI reads the body types from the
annotations of functions built at run time.)
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, create_model

from jaga.access import Action, Actor
from jaga.access.deps import ActorDep, authenticated, guarded
from jaga.db import UnitOfWork
from jaga.registry.adoption.services import take_steps
from jaga.registry.kinds import KINDS, Kind
from jaga.registry.schemas.adoption import AdoptionStepIn, AdoptionStepRow
from jaga.registry.schemas.births import BirthRegistrationIn, RegistrationIn
from jaga.registry.schemas.care import PlacementEndIn
from jaga.registry.schemas.missing import MissingStatusIn
from jaga.registry.schemas.reference import LicenceChangeIn
from jaga.registry.schemas.types import REF_PATTERN
from jaga.registry.services import Batch, create_one
from jaga.registry.services.births import register_births
from jaga.registry.services.care import end_placement
from jaga.registry.services.missing import change_missing_status
from jaga.registry.services.reads import AFTER_WRITE, Purpose, get_record, list_records
from jaga.registry.services.reference import change_licence
from jaga.web.deps import CursorQuery, LimitQuery, ReasonQuery, UowDep, channel

router = APIRouter(prefix="/api/v1", dependencies=[Depends(authenticated)])

# A ref in the path that is copied into a body model must pass the same pattern first (422, not 500).
PathRef = Annotated[str, Path(pattern=REF_PATTERN, description="record reference")]


def _page_model(kind: Kind) -> type[BaseModel]:
    assert kind.out is not None
    return create_model(
        f"{kind.out.__name__.removesuffix('Out')}Page",
        items=(list[kind.out], ...),  # type: ignore[name-defined]
        next_cursor=(str | None, None),
    )


def _add_create(kind: Kind) -> None:
    assert kind.read is not None and kind.write_action is not None and kind.out is not None
    schema, out, read, label = kind.schema, kind.out, kind.read, kind.read.label

    def create(body: schema, uow: UowDep, actor: ActorDep, request: Request, response: Response) -> Any:  # type: ignore[valid-type]
        ref = create_one(uow, actor, kind.write, label, body)
        response.headers["Location"] = f"/api/v1/{kind.name}/{ref}"
        # The creator sees what it wrote; the write itself is already in the event log.
        item = get_record(uow, read, ref, actor=actor, purpose=Purpose(AFTER_WRITE, channel(request)))
        return out.model_validate(item)

    router.add_api_route(
        f"/{kind.name}",
        create,
        methods=["POST"],
        status_code=201,
        response_model=out,
        summary=f"Record {label}",
        tags=[kind.name],
        operation_id=f"create_{kind.name.replace('-', '_')}",
        **guarded(kind.write_action),
    )


def _add_reads(kind: Kind) -> None:
    assert kind.read is not None and kind.out is not None
    read, out = kind.read, kind.out
    page_model = _page_model(kind)

    def list_endpoint(
        request: Request,
        uow: UowDep,
        actor: ActorDep,
        limit: int,
        cursor: str | None,
        reason: str | None,
        region: str | None,
        since: date | None,
        until: date | None,
        **filters: Any,
    ) -> Any:
        page = list_records(
            uow,
            read,
            actor=actor,
            purpose=Purpose(reason, channel(request)),
            filters=filters,
            region=region,
            since=since,
            until=until,
            limit=limit,
            cursor=cursor,
        )
        return page_model(items=[out.model_validate(i) for i in page.items], next_cursor=page.next_cursor)

    params = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        inspect.Parameter("uow", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=UowDep),
        inspect.Parameter("actor", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=ActorDep),
        inspect.Parameter("limit", inspect.Parameter.KEYWORD_ONLY, annotation=LimitQuery, default=50),
        inspect.Parameter("cursor", inspect.Parameter.KEYWORD_ONLY, annotation=CursorQuery, default=None),
        inspect.Parameter("reason", inspect.Parameter.KEYWORD_ONLY, annotation=ReasonQuery, default=None),
        inspect.Parameter(
            "region",
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[str | None, Query(description="only records in this region (code prefix)")],
        ),
        inspect.Parameter("since", inspect.Parameter.KEYWORD_ONLY, annotation=date | None, default=None),
        inspect.Parameter("until", inspect.Parameter.KEYWORD_ONLY, annotation=date | None, default=None),
    ]
    params += [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=str | None, default=None)
        for name in read.filters
    ]
    list_endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    audited = " Personal records: `reason` is required and the read is audited." if read.audited else ""
    router.add_api_route(
        f"/{kind.name}",
        list_endpoint,
        methods=["GET"],
        response_model=page_model,
        summary=f"List {kind.name}",
        description=f"Oldest first, within your region scope.{audited}",
        tags=[kind.name],
        operation_id=f"list_{kind.name.replace('-', '_')}",
        **guarded(read.action),
    )

    def get_endpoint(
        ref: str, request: Request, uow: UowDep, actor: ActorDep, reason: ReasonQuery = None
    ) -> Any:
        item = get_record(uow, read, ref, actor=actor, purpose=Purpose(reason, channel(request)))
        return out.model_validate(item)

    router.add_api_route(
        f"/{kind.name}/{{ref}}",
        get_endpoint,
        methods=["GET"],
        response_model=out,
        summary=f"Read one {read.label}",
        tags=[kind.name],
        operation_id=f"get_{kind.name.replace('-', '_')}",
        **guarded(read.action),
    )


for _kind in KINDS.values():
    if _kind.read is not None:
        _add_create(_kind)
        _add_reads(_kind)


# The actions on one record share one shape: POST /<kind>/{ref}/<verb> with a body, one use case that
# commits once, and the record handed back. (Operation ids are the names these routes always had.)
ActionUseCase = Callable[
    [UnitOfWork, Actor, str, Any], object
]  # its result is not used: the record is re-read


@dataclass(frozen=True)
class ActionRoute:
    kind: str  # the record acted on: its path prefix and representation
    verb: str  # the path's last segment
    body: type[BaseModel]
    use_case: ActionUseCase
    action: Action
    summary: str
    operation_id: str
    status_code: int = 200


def _register(uow: UnitOfWork, actor: Actor, ref: str, body: RegistrationIn) -> None:
    data = BirthRegistrationIn.model_validate({**body.model_dump(), "birth_ref": ref})
    create_one(uow, actor, register_births, "birth registration", data)


def _step(uow: UnitOfWork, actor: Actor, ref: str, body: AdoptionStepIn) -> None:
    row = AdoptionStepRow.model_validate({**body.model_dump(), "case_ref": ref})
    create_one(uow, actor, take_steps, f"case {ref} step", row)


ACTIONS = (
    ActionRoute(
        "births",
        "registration",
        RegistrationIn,
        _register,
        Action.BIRTHS_REGISTER,
        "Register a birth (akta)",
        "register_birth",
    ),
    ActionRoute(
        "institutions",
        "licence",
        LicenceChangeIn,
        lambda uow, actor, ref, body: change_licence(Batch(uow, actor), ref, body),
        Action.LICENCE_WRITE,
        "Change an institution's licence status",
        "licence",
    ),
    ActionRoute(
        "placements",
        "end",
        PlacementEndIn,
        lambda uow, actor, ref, body: end_placement(Batch(uow, actor), ref, body),
        Action.PLACEMENTS_WRITE,
        "End a placement",
        "end",
    ),
    ActionRoute(
        "adoption-cases",
        "steps",
        AdoptionStepIn,
        _step,
        Action.ADOPTIONS_WRITE,
        "Take the next step in an adoption case",
        "step",
        status_code=201,
    ),
    ActionRoute(
        "missing-reports",
        "status",
        MissingStatusIn,
        lambda uow, actor, ref, body: change_missing_status(Batch(uow, actor), ref, body),
        Action.MISSING_WRITE,
        "Change a missing-child report's status",
        "missing_status",
    ),
)


def _add_action(route: ActionRoute) -> None:
    kind = KINDS[route.kind]
    assert kind.read is not None and kind.out is not None
    schema, out, read, use_case = route.body, kind.out, kind.read, route.use_case

    def act(ref: PathRef, body: schema, request: Request, uow: UowDep, actor: ActorDep) -> Any:  # type: ignore[valid-type]
        use_case(uow, actor, ref, body)
        # Handed back to the actor who acted, under the action's own rule (a registrar registering a
        # birth recorded in another region), and audited like any other read.
        item = get_record(
            uow, read, ref, actor=actor, purpose=Purpose(AFTER_WRITE, channel(request)), enforce_scope=False
        )
        return out.model_validate(item)

    router.add_api_route(
        f"/{route.kind}/{{ref}}/{route.verb}",
        act,
        methods=["POST"],
        status_code=route.status_code,
        response_model=out,
        summary=route.summary,
        tags=[route.kind],
        operation_id=route.operation_id,
        **guarded(route.action),
    )


for _route in ACTIONS:
    _add_action(_route)
