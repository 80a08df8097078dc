"""The workbench's field-office pages, owned by this package and mounted by `jaga.app` beside the
workbench's own (the workbench never imports `jaga.field`; its navigation links here by permission, as
it does for the face pages). They use the workbench's session, purpose, CSRF and layout, and the
portal's catalogs (`portal/locale/id/LC_MESSAGES/field.po`).

- `/kerja/field`: the conflict queue (field events held for a supervisor), filtered by status, kind,
  office and device; audited with the purpose of the officer's task (the diffs hold personal data);
- `/kerja/field/conflicts/{id}`: one held event, the field-by-field diff against the central record
  (legal-status fields marked: never merged), the device's version, and the decision with its reason;
- `/kerja/field/devices`: the enrolled devices of the admin's region, enrol (the device's public key)
  and revoke (with a reason).

Every route checks the role as the API does (`field:conflicts`, `field:resolve`, `field:devices`); the
services (the API's own) check the region. Pages never query the database themselves.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader

from jaga.access import Action
from jaga.access.logins import LiveSession
from jaga.db import UnitOfWork
from jaga.errors import InvalidInput, JagaError
from jaga.field.conflicts import (
    conflict_offices,
    count_open_conflicts,
    list_conflicts,
    read_conflict,
    resolve_conflict,
)
from jaga.field.devices import describe_devices
from jaga.field.services import LEGAL_FIELDS, enrol_device, revoke_device
from jaga.portal.pages import PAGE_TAG, SECURITY_HEADERS, environment, language, page_context
from jaga.web import translations
from jaga.workbench.auth import check_form, csrf_token, officer, session_token
from jaga.workbench.labels import label
from jaga.workbench.queue import NO_STORE
from jaga.workbench.queue_sources import N_, QueueSource
from jaga.workbench.record_forms import forms_for, saved_notice
from jaga.workbench.record_labels import COLUMNS, pick

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

QUEUE_LIMIT = 200  # shown at once, oldest first; the filters narrow the rest
# The work queue's card (registered by jaga.app): held events waiting for a decision in the region.
QUEUE_SOURCE = QueueSource(
    name="field",
    label=N_("Field events held for a decision"),
    permission=Action.FIELD_CONFLICTS_READ,
    count=count_open_conflicts,
    link="/kerja/field",
)
CONFLICT_KINDS = ("nik-registered", "registry-conflict", "depends-on-held", "content-mismatch")
STATUSES = ("open", "applied", "dismissed", "all")
DEVICE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"  # as the API's DeviceId
# The record kinds a field node captures (jaga.field.node.FIELD_KINDS), by their singular label key.
_KIND_LABELS = {"people": "person", "births": "birth", "relinquishments": "relinquishment"}
ConflictId = Annotated[int, Path(ge=1, le=2**31 - 1)]
DeviceId = Annotated[str, Path(pattern=DEVICE_PATTERN)]


@cache
def _environment(lang: str) -> Environment:
    # The portal's environment (its catalogs, filters and globals) with this package's templates first.
    base = environment(lang)
    loader = ChoiceLoader([PackageLoader("jaga.field", "templates"), *([base.loader] if base.loader else [])])
    return base.overlay(loader=loader)


def field_page(
    request: Request, live: LiveSession, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """As `jaga.workbench.queue.page`: the officer, the purpose and the CSRF token with every page."""
    lang = language(request)

    def column(name: str) -> str:
        return pick(COLUMNS[name], lang) if name in COLUMNS else label(name, lang)

    def record_kind(kind: str) -> str:
        return label(_KIND_LABELS.get(kind, kind), lang)

    def held_because(reason: str) -> str:
        return reason if lang == "en" else reason_id(reason)

    full = {
        **page_context(request, lang),
        "column": column,
        "record_kind": record_kind,
        "held_because": held_because,
        "officer": live,
        "csrf": csrf_token(request, session_token(request) or ""),
        "purpose": live.purpose,
        "saved": saved_notice(request),
        "record_forms": forms_for(live.actor),
        "legal_fields": sorted(LEGAL_FIELDS),
        **context,
    }
    body = _environment(lang).get_template(template).render(full)
    headers = {**SECURITY_HEADERS, "Content-Language": lang, **NO_STORE}
    return HTMLResponse(body, status_code=status_code, headers=headers)


def reason_id(reason: str) -> str:
    """A held event's reason in Bahasa Indonesia: the services write it in English, as one message or as
    the registry's row problems (`field: reason; ...`), each translated by the API's catalog."""
    parts = []
    for part in reason.split("; "):
        whole = translations.translate(part)
        if whole is None and ": " in part:
            name, _, rest = part.partition(": ")
            found = translations.translate(rest)
            whole = f"{name}: {found}" if found is not None else None
        parts.append(whole if whole is not None else f"(rincian dalam bahasa Inggris) {part}")
    return "; ".join(parts)


def _needs_purpose(request: Request, live: LiveSession) -> HTMLResponse | None:
    if live.purpose:
        return None
    return field_page(request, live, "kerja/purpose_needed.html", {"back": request.url.path})


def _shown_on_form(exc: JagaError) -> bool:
    """Refusals the officer can correct on the form (bad input, a conflict); 401/403/404 and server
    errors go to the error page."""
    return exc.status < 500 and exc.status not in (401, 403, 404)


def _require_reason(reason: str) -> None:
    # The services say "a reason for reading personal records"; a decision's reason is told as such.
    if len(reason.strip()) < 4:
        raise InvalidInput(
            "give the reason for the decision (at least 4 characters)",
            message_id="tuliskan alasan keputusan (paling sedikit 4 karakter)",
        )


def _lang_suffix(request: Request) -> str:
    return "?lang=en" if language(request) == "en" else ""


def field_uow(request: Request) -> UnitOfWork:
    return UnitOfWork(request.app.state.sessions, request.app.state.clock)


# --- the conflict queue -------------------------------------------------------------------------------


@router.get("/kerja/field", response_class=HTMLResponse)
def conflict_queue(
    request: Request,
    status: Annotated[str, Query(pattern="^(open|applied|dismissed|all)$")] = "open",
    kind: Annotated[
        str, Query(pattern="^(|nik-registered|registry-conflict|depends-on-held|content-mismatch)$")
    ] = "",
    office: Annotated[str, Query(max_length=64)] = "",
    device: Annotated[str, Query(pattern=r"^$|" + DEVICE_PATTERN)] = "",
) -> Response:
    """The held field events of the officer's region, oldest first, each with its reason."""
    live = officer(request)
    live.actor.require(Action.FIELD_CONFLICTS_READ)
    asked = _needs_purpose(request, live)
    if asked is not None:
        return asked
    with field_uow(request) as uow:
        offices = conflict_offices(uow, actor=live.actor)
        found = list_conflicts(
            uow,
            actor=live.actor,
            reason=live.purpose or "",
            channel="workbench GET /kerja/field",
            status=None if status == "all" else status,
            kind=kind or None,
            device=device or None,
            office=office.strip() or None,
            limit=QUEUE_LIMIT + 1,  # one more tells that there are more
        )
    context = {
        "conflicts": found[:QUEUE_LIMIT],
        "more": len(found) > QUEUE_LIMIT,
        "limit": QUEUE_LIMIT,
        "offices": offices,
        "office_names": sorted(set(offices.values())),
        "wanted": {"status": status, "kind": kind, "office": office.strip(), "device": device},
        "kinds": CONFLICT_KINDS,
        "statuses": STATUSES,
    }
    return field_page(request, live, "kerja/field/queue.html", context)


def _conflict(
    request: Request,
    conflict_id: int,
    *,
    error: str | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    live = officer(request)
    live.actor.require(Action.FIELD_CONFLICTS_READ)
    asked = _needs_purpose(request, live)
    if asked is not None:
        return asked
    with field_uow(request) as uow:
        detail = read_conflict(
            uow,
            actor=live.actor,
            conflict_id=conflict_id,
            reason=live.purpose or "",
            channel="workbench GET /kerja/field/conflicts/{id}",
        )
    context = {
        "d": detail,
        "c": detail.conflict,
        "by_central": _by_central(detail.conflict.diff),
        "may_resolve": live.actor.can(Action.FIELD_CONFLICTS_RESOLVE),
        "error": error,
        "values": values or {},
    }
    return field_page(request, live, "kerja/field/conflict.html", context, status_code=status_code)


def _by_central(diff: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The diff's rows grouped by the central record they compare with (a NIK may be held by several)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in diff:
        grouped.setdefault(str(row.get("central_ref") or ""), []).append(row)
    return list(grouped.items())


@router.get("/kerja/field/conflicts/{conflict_id}", response_class=HTMLResponse)
def conflict_page(request: Request, conflict_id: ConflictId) -> Response:
    return _conflict(request, conflict_id)


@router.post("/kerja/field/conflicts/{conflict_id}", response_class=HTMLResponse)
def conflict_decision(
    request: Request,
    conflict_id: ConflictId,
    csrf: Annotated[str, Form(max_length=64)] = "",
    decision: Annotated[str, Form(max_length=16)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Apply the device's version (written beside the central record, nothing merged) or keep the
    central record (the device's version dismissed), with the supervisor's reason."""
    live = officer(request)
    check_form(request, csrf)
    live.actor.require(Action.FIELD_CONFLICTS_RESOLVE)
    try:
        if decision not in ("apply", "dismiss"):
            raise InvalidInput(
                "choose: apply the device's version, or keep the central record",
                message_id="pilih: terapkan versi perangkat, atau pertahankan catatan pusat",
            )
        _require_reason(reason)
        with field_uow(request) as uow:
            resolve_conflict(
                uow, actor=live.actor, conflict_id=conflict_id, decision=decision, note=reason.strip()
            )
    except JagaError as exc:
        if not _shown_on_form(exc):
            raise
        message = translations.detail(exc, language(request))
        values = {"decision": decision, "reason": reason}
        return _conflict(request, conflict_id, error=message, values=values, status_code=exc.status)
    return RedirectResponse(
        f"/kerja/field/conflicts/{conflict_id}{_lang_suffix(request)}", status_code=303, headers=NO_STORE
    )


# --- devices ------------------------------------------------------------------------------------------


def _devices(
    request: Request,
    live: LiveSession,
    *,
    error: str | None = None,
    error_at: str | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    with field_uow(request) as uow:
        devices = describe_devices(uow, actor=live.actor)
    context = {
        "devices": devices,
        "error": error,
        "error_at": error_at,  # "enrol", or the device whose revoke form was refused
        "values": values or {},
    }
    return field_page(request, live, "kerja/field/devices.html", context, status_code=status_code)


@router.get("/kerja/field/devices", response_class=HTMLResponse)
def devices_page(request: Request) -> Response:
    """The devices enrolled in the admin's region, the enrol form and each active device's revoke form."""
    live = officer(request)
    live.actor.require(Action.FIELD_DEVICES_MANAGE)
    return _devices(request, live)


@router.post("/kerja/field/devices", response_class=HTMLResponse)
def enrol_submit(
    request: Request,
    csrf: Annotated[str, Form(max_length=64)] = "",
    vkey: Annotated[str, Form(max_length=200)] = "",
    office: Annotated[str, Form(max_length=64)] = "",
    region: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Enrol a device's public key (its `device.vkey`, pasted) for an office; the API's own service."""
    live = officer(request)
    check_form(request, csrf)
    live.actor.require(Action.FIELD_DEVICES_MANAGE)
    try:
        _require_reason(reason)
        if not region.strip() and not live.actor.region_scope:
            # the service says "--region is required", in the command line's words
            raise InvalidInput(
                "give the office's region: your account covers the whole country",
                message_id="isi wilayah kantor: akun Anda mencakup seluruh negeri",
            )
        with field_uow(request) as uow:
            device = enrol_device(
                uow,
                actor=live.actor,
                vkey=vkey,
                office=office,
                reason=reason,
                region=region.strip() or None,
            )
            enrolled = device.device_id
    except JagaError as exc:
        if not _shown_on_form(exc):
            raise
        values = {"vkey": vkey, "office": office, "region": region, "reason": reason}
        message = translations.detail(exc, language(request))
        return _devices(request, live, error=message, error_at="enrol", values=values, status_code=exc.status)
    return RedirectResponse(
        f"/kerja/field/devices{_lang_suffix(request)}#device-{enrolled}", status_code=303, headers=NO_STORE
    )


@router.post("/kerja/field/devices/{device_id}/revoke", response_class=HTMLResponse)
def revoke_submit(
    request: Request,
    device_id: DeviceId,
    csrf: Annotated[str, Form(max_length=64)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Revoke a device, with the admin's reason: its batches are refused from now on."""
    live = officer(request)
    check_form(request, csrf)
    live.actor.require(Action.FIELD_DEVICES_MANAGE)
    try:
        _require_reason(reason)
        with field_uow(request) as uow:
            revoke_device(uow, actor=live.actor, device_id=device_id, reason=reason)
    except JagaError as exc:
        if not _shown_on_form(exc):
            raise
        message = translations.detail(exc, language(request))
        return _devices(request, live, error=message, error_at=device_id, status_code=exc.status)
    return RedirectResponse(
        f"/kerja/field/devices{_lang_suffix(request)}#device-{device_id}", status_code=303, headers=NO_STORE
    )
