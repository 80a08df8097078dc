"""The workbench's face pages, owned by this package and mounted by `jaga.app` beside the workbench's own
(the workbench may not import face matching: import-linter keeps it out of every path that does not
need it). They use the workbench's session, purpose, CSRF and layout, and the portal's catalogs
(`portal/locale/id/LC_MESSAGES/faces.po`).

- `/kerja/faces`: the review queue, by missing-child report, candidates in rank order (distance, rank,
  the filters applied), the warning and the thresholds as settings;
- `/kerja/faces/candidates/{id}`: one candidate, both photos, confirm or reject with a reason;
- `/kerja/faces/upload`: attach a photo to a missing report or a person record (legal basis, reason);
- `/kerja/faces/photos/{ref}`: a photo's image, only within a task with a purpose (the read's reason),
  audited on every request, never cached, behind the session (photo refs are random, carry nothing).

Every route checks the role (`faces:review`, `photos:read`, `photos:add`) and the services check the
region; pages never query the database themselves.
"""

from __future__ import annotations

import base64
import io
import re
from datetime import date
from functools import cache
from typing import Annotated, Any

from babel.dates import format_date
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader
from PIL import Image
from pydantic import ValidationError

from jaga.access import Action
from jaga.access.logins import LiveSession
from jaga.db import UnitOfWork
from jaga.errors import InvalidInput, JagaError, SeveralFaces
from jaga.faces.models import Basis, SubjectKind
from jaga.faces.services import (
    MAX_DISTANCE,
    TOP_PER_INTAKE,
    TOP_PER_REPORT,
    PhotoIn,
    add_photo,
    count_pending_candidates,
    decide,
    get_candidate,
    raise_flags,
    read_photo,
    review_queue,
)
from jaga.faces.vault import PhotoVault
from jaga.portal.pages import PAGE_TAG, SECURITY_HEADERS, environment, language, page_context
from jaga.web import translations
from jaga.workbench.auth import check_form, csrf_token, officer, session_token
from jaga.workbench.queue import NO_STORE
from jaga.workbench.queue_sources import N_, QueueSource
from jaga.workbench.record_forms import forms_for, saved_notice

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)
QUEUE_LIMIT = 200
# The work queue's card (registered by jaga.app): pending candidates in the reviewer's region.
QUEUE_SOURCE = QueueSource(
    name="faces",
    label=N_("Face candidates to review"),
    permission=Action.FACES_REVIEW,
    count=count_pending_candidates,
    link="/kerja/faces",
)
THUMB_SIDE = 160


@cache
def _environment(lang: str) -> Environment:
    # The portal's environment (its catalogs, filters and globals) with this package's templates first.
    base = environment(lang)
    loader = ChoiceLoader([PackageLoader("jaga.faces", "templates"), *([base.loader] if base.loader else [])])
    return base.overlay(loader=loader)


# The age band as `services._allowed` stores it with each candidate, in English (the API's and the stored
# record's words); the pages read its numbers back to say it in the page's language.
_AGE_BAND = re.compile(
    r"±max\((?P<floor>\d+) months, (?P<share>\d+)%\) around (?P<age>\d+) months at "
    r"(?P<taken_on>\d{4}-\d{2}-\d{2}), aged on"
)


def age_band_parts(value: object, lang: str) -> dict[str, str] | None:
    """The numbers of a stored age band, the date in `lang`'s words; None for any other value."""
    found = _AGE_BAND.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return None
    parts = found.groupdict()
    parts["taken_on"] = format_date(date.fromisoformat(parts["taken_on"]), format="long", locale=lang)
    return parts


def _page(
    request: Request, live: LiveSession, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """As `jaga.workbench.queue.page`: the officer, the purpose and the CSRF token with every page."""
    lang = language(request)
    full = {
        **page_context(request, lang),
        "officer": live,
        "csrf": csrf_token(request, session_token(request) or ""),
        "purpose": live.purpose,
        "saved": saved_notice(request),
        "record_forms": forms_for(live.actor),
        "age_band_parts": lambda value: age_band_parts(value, lang),
        "settings_shown": {
            "top_per_report": TOP_PER_REPORT,
            "top_per_intake": TOP_PER_INTAKE,
            "max_distance": MAX_DISTANCE,
        },
        **context,
    }
    body = _environment(lang).get_template(template).render(full)
    headers = {**SECURITY_HEADERS, "Content-Language": lang, **NO_STORE}
    return HTMLResponse(body, status_code=status_code, headers=headers)


def _needs_purpose(request: Request, live: LiveSession) -> HTMLResponse | None:
    if live.purpose:
        return None
    return _page(request, live, "kerja/purpose_needed.html", {"back": request.url.path})


def _message(exc: JagaError, request: Request) -> str:
    return translations.detail(exc, language(request))


def _lang_suffix(request: Request) -> str:
    return "?lang=en" if language(request) == "en" else ""


@router.get("/kerja/faces", response_class=HTMLResponse)
def faces_queue(request: Request) -> Response:
    """Pending candidates in the officer's region, grouped by missing-child report, in rank order."""
    live = officer(request)
    live.actor.require(Action.FACES_REVIEW)
    asked = _needs_purpose(request, live)
    if asked is not None:
        return asked
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        queue = review_queue(
            uow, live.actor, reason=live.purpose, channel="workbench GET /kerja/faces", limit=QUEUE_LIMIT
        )
    reports: dict[str, list[dict[str, Any]]] = {}
    for candidate in queue["candidates"]:
        reports.setdefault(candidate["report_ref"], []).append(candidate)
    grouped = [
        # rank for the report first; candidates listed only for an intake (no report rank) after them
        (
            ref,
            sorted(
                items, key=lambda c: (c["rank_for_report"] is None, c["rank_for_report"] or 0, c["distance"])
            ),
        )
        for ref, items in sorted(reports.items())
    ]
    context = {"reports": grouped, "hidden": queue["outside_your_region"], "warning": _warning(request)}
    return _page(request, live, "kerja/faces/queue.html", context)


def _warning(request: Request) -> str:
    from jaga.faces.services import WARNING, WARNING_ID

    return WARNING if language(request) == "en" else WARNING_ID


def _candidate(
    request: Request, candidate_id: int, *, error: str | None = None, status_code: int = 200
) -> Response:
    live = officer(request)
    live.actor.require(Action.FACES_REVIEW)
    asked = _needs_purpose(request, live)
    if asked is not None:
        return asked
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        candidate = get_candidate(
            uow,
            live.actor,
            candidate_id,
            reason=live.purpose,
            channel="workbench GET /kerja/faces/candidates/{id}",
        )
    context = {
        "c": candidate,
        "warning": _warning(request),
        "error": error,
        "may_see_photos": live.actor.can(Action.PHOTOS_READ),
    }
    return _page(request, live, "kerja/faces/candidate.html", context, status_code=status_code)


@router.get("/kerja/faces/candidates/{candidate_id}", response_class=HTMLResponse)
def candidate_page(request: Request, candidate_id: int) -> Response:
    return _candidate(request, candidate_id)


@router.post("/kerja/faces/candidates/{candidate_id}", response_class=HTMLResponse)
def candidate_decision(
    request: Request,
    candidate_id: int,
    csrf: Annotated[str, Form(max_length=64)] = "",
    decision: Annotated[str, Form(max_length=16)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Confirm (the same child: linkage's review decision, then this report's flag only) or reject, with
    the reviewer's reason; an error is shown on the form."""
    live = officer(request)
    check_form(request, csrf)
    live.actor.require(Action.FACES_REVIEW)
    try:
        if decision not in ("confirm", "dismiss"):
            raise InvalidInput("choose confirm or reject", message_id="pilih konfirmasi atau tolak")
        if len(reason.strip()) < 4:
            raise InvalidInput(
                "give the reason for the decision (at least 4 characters)",
                message_id="tuliskan alasan keputusan (paling sedikit 4 karakter)",
            )
        with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
            decided = decide(
                uow, live.actor, candidate_id, confirm=decision == "confirm", note=reason.strip()
            )
        if decision == "confirm":
            raise_flags(request.app.state.sessions, decided["report_ref"], clock=request.app.state.clock)
    except JagaError as exc:
        if exc.status >= 500 or exc.status in (401, 403, 404):
            raise
        return _candidate(request, candidate_id, error=_message(exc, request), status_code=exc.status)
    return RedirectResponse(
        f"/kerja/faces/candidates/{candidate_id}{_lang_suffix(request)}", status_code=303, headers=NO_STORE
    )


@router.get("/kerja/faces/photos/{ref}")
def photo_image(request: Request, ref: str) -> Response:
    """A photo's image for the officer's eyes: within a task with a purpose, audited on every request."""
    live = officer(request)
    live.actor.require(Action.PHOTOS_READ)
    if not live.purpose:
        raise InvalidInput(
            "state the purpose of your task before viewing a photo",
            message_id="nyatakan tujuan tugas Anda sebelum melihat foto",
        )
    settings = request.app.state.settings
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        media, content = read_photo(
            uow,
            live.actor,
            PhotoVault.open(settings.data_dir, settings.key_dir),
            ref[:64],
            reason=live.purpose,
            channel="workbench GET /kerja/faces/photos/{ref}",
        )
    headers = {**SECURITY_HEADERS, **NO_STORE, "Cache-Control": "no-store, private"}
    return Response(content, media_type=media, headers=headers)


def _upload_form(
    request: Request,
    live: LiveSession,
    *,
    values: dict[str, Any] | None = None,
    error: str | None = None,
    problem: str | None = None,
    faces: list[str] | None = None,
    done: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "values": values or {},
        "error": error,
        "problem": problem,
        "faces": faces or [],
        "done": done,
        "kinds": [SubjectKind.MISSING_REPORT.value, SubjectKind.PERSON.value],
        "bases": [b.value for b in Basis],
        "limit_mb": request.app.state.settings.photo_upload_mb,
    }
    return _page(request, live, "kerja/faces/upload.html", context, status_code=status_code)


@router.get("/kerja/faces/upload", response_class=HTMLResponse)
def upload_page(request: Request) -> Response:
    live = officer(request)
    live.actor.require(Action.PHOTOS_ADD)
    return _upload_form(request, live)


def _thumbnails(content: bytes, boxes: list[list[int]]) -> list[str]:
    """Each face of the officer's own upload, cropped small, as data: URLs (never stored, never served)."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            from PIL import ImageOps

            upright = ImageOps.exif_transpose(image).convert("RGB")
            found = []
            for left, top, right, bottom in boxes:
                crop = upright.crop((left, top, right, bottom))
                crop.thumbnail((THUMB_SIDE, THUMB_SIDE))
                out = io.BytesIO()
                crop.save(out, format="JPEG", quality=80)
                found.append("data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode())
            return found
    except OSError:  # the detector read it, so this is unlikely; the numbered list still lets them choose
        return []


@router.post("/kerja/faces/upload", response_class=HTMLResponse)
def upload_submit(
    request: Request,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form(max_length=64)] = "",
    kind: Annotated[str, Form(max_length=32)] = "",
    ref: Annotated[str, Form(max_length=64)] = "",
    basis: Annotated[str, Form(max_length=32)] = "",
    consent_by: Annotated[str, Form(max_length=200)] = "",
    order_ref: Annotated[str, Form(max_length=64)] = "",
    taken_by: Annotated[str, Form(max_length=200)] = "",
    taken_on: Annotated[str, Form(max_length=10)] = "",
    age_months: Annotated[str, Form(max_length=3)] = "",
    face: Annotated[str, Form(max_length=3)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Attach the photo (the API's own service); the descriptor is left to the worker. Errors are told
    precisely on the form: no face, several faces (with each face to pick from), unreadable, oversized."""
    live = officer(request)
    check_form(request, csrf)
    live.actor.require(Action.PHOTOS_ADD)
    values = {
        "kind": kind,
        "ref": ref.strip(),
        "basis": basis,
        "consent_by": consent_by,
        "order_ref": order_ref,
        "taken_by": taken_by,
        "taken_on": taken_on,
        "age_months": age_months,
        "face": face,
        "reason": reason,
    }
    limit = request.app.state.settings.photo_upload_mb * 1024 * 1024
    content = file.file.read(limit + 1)
    settings = request.app.state.settings
    try:
        try:
            data = PhotoIn(
                kind=SubjectKind(kind),
                ref=ref.strip(),
                basis=Basis(basis),
                reason=reason,
                taken_by=taken_by,
                taken_on=date.fromisoformat(taken_on),
                consent_by=consent_by or None,
                order_ref=order_ref or None,
                age_months=int(age_months) if age_months.strip() else None,
                face=int(face) if face.strip() else None,
            )
        except ValueError as exc:
            raise InvalidInput(
                "check the record kind, the legal basis, the date (YYYY-MM-DD) and the numbers",
                message_id="periksa jenis data, dasar hukum, tanggal (TTTT-BB-HH), dan angka-angkanya",
            ) from exc
        if not content:
            raise InvalidInput("choose a photo file", message_id="pilih berkas foto")
        with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
            done = add_photo(
                uow,
                live.actor,
                PhotoVault.open(settings.data_dir, settings.key_dir),
                data,
                content,
                max_bytes=limit,
                channel="workbench POST /kerja/faces/upload",
                describe=False,
            )
    except SeveralFaces as exc:
        return _upload_form(
            request,
            live,
            values=values,
            error=_message(exc, request),
            problem=exc.problem,
            faces=_thumbnails(content, exc.boxes) or ["" for _ in exc.boxes],
            status_code=exc.status,
        )
    except ValidationError as exc:
        reasons = "; ".join(str(e["msg"]) for e in exc.errors()[:3])
        return _upload_form(
            request, live, values=values, error=reasons, problem="invalid-input", status_code=422
        )
    except JagaError as exc:
        if exc.status >= 500 or exc.status in (401, 403):
            raise
        return _upload_form(
            request,
            live,
            values=values,
            error=_message(exc, request),
            problem=exc.problem,
            status_code=exc.status,
        )
    return _upload_form(request, live, done=done)
