"""`/kerja/field/batches/upload`: a courier's `.jaga` batch, from a USB stick, carried in from a browser.

District offices receive the batches of field devices (`jaga field export`) on USB sticks. This page
does what `jaga field import` and `POST /api/v1/field/batches` do, with the same service
(`receive_batch`): every signature, the device's enrolment and the chain are checked, and the batch is
applied all or nothing. The result page tells how many events were applied, already held and held for a
supervisor, and each event's outcome by its position, id and chain position (never its content: the
events name people). A refused batch (altered, forged, from a revoked device) shows the service's
precise reason and stores nothing.

The file is streamed to a private temporary folder (`jaga.workbench.upload`), refused beyond the API's
limit (413), read once and removed. Sending the same file again is harmless: what is stored answers
already-have.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from jaga.access import Action
from jaga.access.logins import LiveSession
from jaga.errors import BatchRefused, EventContentConflict, InvalidInput, JagaError, TooLarge
from jaga.field.api import MAX_BATCH_BYTES
from jaga.field.pages import field_page, field_uow, reason_id
from jaga.field.services import receive_batch
from jaga.portal.pages import PAGE_TAG, language
from jaga.web import translations
from jaga.workbench.auth import check_form, officer
from jaga.workbench.upload import Upload, receive_upload

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)
PATH = "/kerja/field/batches/upload"
TEMPLATE = "kerja/field/batch_upload.html"
MEGABYTES = MAX_BATCH_BYTES // (1024 * 1024)


def _too_large() -> TooLarge:
    return TooLarge(
        f"the batch is larger than {MEGABYTES} MB, the most the server accepts: export several smaller "
        "batches on the device (jaga field export) and send them one after the other",
        message_id=f"berkas batch lebih besar dari {MEGABYTES} MB, batas server: ekspor beberapa batch yang "
        "lebih kecil di perangkat (jaga field export) lalu kirim satu per satu",
    )


def _no_file() -> InvalidInput:
    return InvalidInput(
        "choose the batch file (.jaga) to send", message_id="pilih berkas batch (.jaga) yang akan dikirim"
    )


def _courier(request: Request) -> LiveSession:
    live = officer(request)
    live.actor.require(Action.FIELD_SYNC)  # the roles the API allows
    return live


def _form(
    request: Request,
    live: LiveSession,
    *,
    error: str | None = None,
    error_title: str | None = None,
    report: dict[str, Any] | None = None,
    refused: list[dict[str, Any]] | None = None,
    stored_nothing: bool = True,
    filename: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    lang = language(request)
    events = []
    # the applied batch's report, or a refused batch's (BatchRefused: what each event would have been)
    for event in (report or {}).get("events", refused or []):
        reason = event.get("reason")
        events.append({**event, "reason": reason_id(reason) if reason and lang == "id" else reason})
    context = {
        "error": error,
        "error_title": error_title,
        "stored_nothing": stored_nothing,
        "report": report,
        "events": events,
        "filename": filename,
        "limit_mb": MEGABYTES,
        "may_read_conflicts": live.actor.can(Action.FIELD_CONFLICTS_READ),
    }
    return field_page(request, live, TEMPLATE, context, status_code=status_code)


@router.get(PATH, response_class=HTMLResponse)
def upload_page(request: Request) -> Response:
    """The form: one `.jaga` file."""
    return _form(request, _courier(request))


@router.post(PATH, response_class=HTMLResponse)
async def upload_submit(request: Request) -> Response:
    """Receive the file (streamed, 413 beyond the limit), verify and apply it, and show the report."""
    live = await run_in_threadpool(_courier, request)
    parent = Path(request.app.state.settings.data_dir) / "field-uploads"
    try:
        upload = await receive_upload(request, parent, max_bytes=MAX_BATCH_BYTES)
    except (TooLarge, InvalidInput) as exc:
        # The body was not read, so neither was its CSRF token: the answer only tells the refusal and
        # stores nothing (as the import page's 413).
        refusal = _too_large() if isinstance(exc, TooLarge) else exc
        message = translations.detail(refusal, language(request))
        return await run_in_threadpool(
            partial(_form, request, live, error=message, status_code=refusal.status)
        )
    try:
        return await run_in_threadpool(_receive, request, live, upload)
    finally:
        await run_in_threadpool(upload.remove)


def _receive(request: Request, live: LiveSession, upload: Upload) -> Response:
    check_form(request, upload.fields.get("csrf"))
    lang = language(request)
    filename = upload.filename
    try:
        if upload.path is None or not filename:
            raise _no_file()
        if upload.path.stat().st_size > MAX_BATCH_BYTES:
            raise _too_large()
        data = upload.path.read_bytes()
        with field_uow(request) as uow:
            report = receive_batch(uow, actor=live.actor, data=data).as_dict()
    except JagaError as exc:
        # 401 and server errors go to the error page; every refusal of the batch itself is told here:
        # an unknown or revoked device and a device of another region are 403s of the batch, not the
        # officer's (whose role was checked above).
        if exc.status >= 500 or exc.status == 401:
            raise
        return _form(
            request,
            live,
            error=translations.detail(exc, lang),
            error_title=translations.title(exc, lang),
            refused=exc.report if isinstance(exc, BatchRefused) else None,
            # the one refusal that keeps something: the other version of an event id, for a supervisor
            stored_nothing=not isinstance(exc, EventContentConflict),
            filename=filename,
            status_code=exc.status,
        )
    return _form(request, live, report=report, filename=filename)
