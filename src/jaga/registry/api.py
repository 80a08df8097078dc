"""The registry's HTTP API: create, list and read each kind of record, and the actions on them.

Routes are built from tables, so every kind gets the same rules: create, list and read from the kinds
table (`jaga.registry.kinds`), the actions on one record (`POST /<kind>/{ref}/<verb>`) from `ACTIONS`
below. Authentication is on the router, the role's permission checked before anything else, region
scope and audit in the services; each use case commits once, the routes never. (No
`from __future__ import annotations` here: FastAPI reads the body types from the annotations of
functions built at run time.)
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, create_model

from jaga.access import Action, Actor
from jaga.access.deps import ActorDep, authenticated, guarded
from jaga.db import UnitOfWork
from jaga.regions import CODE_PATTERN
from jaga.registry.adoption.services import decide_step, take_steps
from jaga.registry.kinds import KINDS, Kind
from jaga.registry.schemas.adoption import AdoptionStepIn, AdoptionStepRow, StepDecisionIn
from jaga.registry.schemas.births import BirthRegistrationIn, RegistrationIn
from jaga.registry.schemas.care import PlacementEndIn
from jaga.registry.schemas.missing import MissingStatusIn
from jaga.registry.schemas.reference import LicenceChangeIn
from jaga.registry.schemas.types import REF_PATTERN, IsoDate
from jaga.registry.services import Batch, create_one
from jaga.registry.services.births import register_births
from jaga.registry.services.care import end_placement
from jaga.registry.services.missing import change_missing_status
from jaga.registry.services.reads import AFTER_WRITE, Purpose, ReadSpec, get_record, list_records
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


def _keyword(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)


RegionFilter = Annotated[
    str | None, Query(pattern=CODE_PATTERN, description="only records in this region and below, e.g. 33.74")
]


def _query_parameters(read: ReadSpec, *, listing: bool) -> list[inspect.Parameter]:
    """The query parameters a read offers: only those that mean something for the kind."""
    params = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        inspect.Parameter("uow", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=UowDep),
        inspect.Parameter("actor", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=ActorDep),
    ]
    if read.audited:  # required: the read of a personal record is refused without one
        params.append(_keyword("reason", ReasonQuery))
    if not listing:
        return params
    params += [
        _keyword("limit", LimitQuery, 50),
        _keyword("cursor", CursorQuery, None),
        _keyword("region", RegionFilter, None),
    ]
    if read.date_column is not None:  # only kinds with a date to filter by
        for name, bound in (("since", "on or after"), ("until", "on or before")):
            description = f"only records whose `{read.date_column}` is {bound} this date (YYYY-MM-DD)"
            params.append(_keyword(name, Annotated[IsoDate | None, Query(description=description)], None))
    params += [
        _keyword(name, Annotated[str | None, Query(max_length=64, description=f"only this `{name}`")], None)
        for name in read.filters
    ]
    return params


def _add_reads(kind: Kind) -> None:
    assert kind.read is not None and kind.out is not None
    read, out = kind.read, kind.out
    page_model = _page_model(kind)
    fixed = {"request", "uow", "actor", "reason", "limit", "cursor", "region", "since", "until"}

    def list_endpoint(request: Request, uow: UowDep, actor: ActorDep, **query: Any) -> Any:
        page = list_records(
            uow,
            read,
            actor=actor,
            purpose=Purpose(query.get("reason"), channel(request)),
            filters={name: value for name, value in query.items() if name not in fixed},
            region=query["region"],
            since=query.get("since"),
            until=query.get("until"),
            limit=query["limit"],
            cursor=query["cursor"],
        )
        return page_model(items=[out.model_validate(i) for i in page.items], next_cursor=page.next_cursor)

    list_endpoint.__signature__ = inspect.Signature(_query_parameters(read, listing=True))  # type: ignore[attr-defined]
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

    def get_endpoint(ref: str, request: Request, uow: UowDep, actor: ActorDep, **query: Any) -> Any:
        purpose = Purpose(query.get("reason"), channel(request))
        return out.model_validate(get_record(uow, read, ref, actor=actor, purpose=purpose))

    get_endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("ref", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str),
            *_query_parameters(read, listing=False),
        ]
    )
    router.add_api_route(
        f"/{kind.name}/{{ref}}",
        get_endpoint,
        methods=["GET"],
        response_model=out,
        summary=f"Read one {read.label}",
        description="Personal record: `reason` is required and the read is audited."
        if read.audited
        else None,
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


_CASES = KINDS["adoption-cases"]
assert _CASES.read is not None and _CASES.out is not None
_CASE_READ, _CASE_OUT = _CASES.read, _CASES.out


@router.post(
    "/adoption-cases/{ref}/steps/{number}/decision",
    response_model=_CASE_OUT,
    summary="Approve or reject a step that waits for a second officer (four eyes)",
    tags=["adoption-cases"],
    operation_id="decide_step",
    responses={404: {"description": "No such case, or no step with this number waits for approval."}},
    **guarded(Action.ADOPTIONS_WRITE),
)
def decide_adoption_step(
    ref: PathRef,
    number: Annotated[int, Path(ge=1, le=10_000)],
    body: StepDecisionIn,
    request: Request,
    uow: UowDep,
    actor: ActorDep,
) -> Any:
    """The court ruling, the civil-registry annotation and placement with the prospective adopters take
    effect only once an officer of the step's role, other than the one who recorded it, approves."""
    decide_step(uow, actor, ref, number, approve=body.decision == "approve", note=body.note)
    item = get_record(uow, _CASE_READ, ref, actor=actor, purpose=Purpose(AFTER_WRITE, channel(request)))
    return _CASE_OUT.model_validate(item)
