"""`/lapor`: anonymous tips about babies for sale, and `/lapor/status`, where a tipster comes back with
their receipt code to see what happened, answer questions and add information.

Anonymity: these pages set no cookie, log nothing of what is sent (the application's access log holds the
route template and status only), keep no address or browser, and answer with `Cache-Control: no-store`
and `Referrer-Policy: no-referrer`. The receipt travels only in POST bodies, never in a URL. Forms carry
a signed single-use token instead of a CSRF cookie, and each client is rate-limited in memory.

A request body is read up to `MAX_BODY` and refused (413) beyond it, before anything is parsed; a
screenshot is kept in memory (never a temporary file) until it is re-encoded and stored in the database.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import FormParser, MultiPartException

from jaga.db import UnitOfWork
from jaga.errors import Conflict, InvalidInput, NotFound, TooLarge
from jaga.portal.memory_form import capped_chunks, memory_parser, once, refuse_declared
from jaga.portal.pages import PAGE_TAG, form_tokens, rate_limit, render
from jaga.regions import RegionLevel, load_directory
from jaga.tips import (
    MAX_BYTES,
    AdditionIn,
    CleanImage,
    Platform,
    TipIn,
    add_information,
    clean_screenshot,
    follow_tip,
    submit_tip,
)
from jaga.tips.receipts import parse_receipt

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

MAX_BODY = MAX_BYTES + 256 * 1024  # one screenshot and the text fields
MAX_FIELD = 64 * 1024
SUBMITS_PER_MINUTE = 5
STATUS_PER_MINUTE = 10
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
TIP_FIELDS = ("platform", "url", "handle", "phone", "place", "province", "price_rupiah", "description")


def _too_large() -> TooLarge:
    return TooLarge(
        "what you sent is larger than 5 MB: choose a smaller screenshot (or none) and send again",
        message_id="kiriman Anda lebih besar dari 5 MB: pilih tangkapan layar yang lebih kecil (atau tanpa "
        "tangkapan layar) lalu kirim lagi",
    )


async def limited_form(request: Request) -> AsyncGenerator[FormData, None]:
    """The request's form, read up to MAX_BODY bytes (413 beyond), multipart or urlencoded; its uploads
    closed once the page is rendered."""
    form = await _read_form(request)
    try:
        yield form
    finally:
        await form.close()


async def _read_form(request: Request) -> FormData:
    # Read whole before parsing (a tip's form is small): refused at the first byte over MAX_BODY.
    refuse_declared(request, MAX_BODY, _too_large)
    chunks = capped_chunks(request, limit=MAX_BODY, drain=MAX_BODY, too_large=_too_large)
    body = b"".join([chunk async for chunk in chunks])
    kind = request.headers.get("content-type", "")
    try:
        if kind.startswith("multipart/form-data"):
            # a file part stays in memory: nothing of a tip is written to disk
            parser = memory_parser(
                request.headers,
                once(body),
                max_body=MAX_BODY,
                max_files=1,
                max_fields=20,
                max_part_size=MAX_FIELD,
            )
            return await parser.parse()
        if kind.startswith("application/x-www-form-urlencoded"):
            return await FormParser(request.headers, once(body)).parse()
    except (MultiPartException, ValueError, UnicodeDecodeError) as exc:
        raise _not_a_form() from exc
    raise _not_a_form()


def _not_a_form() -> InvalidInput:
    return InvalidInput(
        "what was sent is not this page's form: open the page again and send it from there",
        message_id="yang dikirim bukan formulir halaman ini: buka lagi halamannya lalu kirim dari sana",
    )


FormDep = Annotated[FormData, Depends(limited_form)]


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _screenshot(form: FormData) -> CleanImage | None:
    upload = form.get("screenshot")
    if not isinstance(upload, UploadFile):
        return None
    data = upload.file.read(MAX_BYTES + 1)
    upload.file.close()
    if not data:
        return None  # the file input left empty
    return clean_screenshot(data)


def _errors(exc: ValidationError) -> dict[str, str]:
    """Field -> English message id (translated in the page); "" for the form as a whole."""
    found: dict[str, str] = {}
    for error in exc.errors():
        location = error.get("loc", ())
        field = str(location[0]) if location else ""
        message = str(error.get("msg", "")) if error.get("type") == "tip_field" else "Check this field."
        found.setdefault(field, message)
    return found


def _provinces() -> list[tuple[str, str]]:
    return [(r.code, r.name) for r in load_directory().all() if r.level == RegionLevel.PROVINCE]


def _form_page(
    request: Request,
    *,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "lapor.html",
        {
            "token": form_tokens(request).issue("lapor"),
            "values": dict(values or {}),
            "errors": dict(errors or {}),
            "problem": problem,
            "platforms": [p.value for p in Platform],
            "provinces": _provinces(),
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@router.get("/lapor", response_class=HTMLResponse)
def lapor_form(request: Request) -> HTMLResponse:
    return _form_page(request)


@router.post("/lapor", response_class=HTMLResponse)
def lapor_submit(request: Request, form: FormDep) -> HTMLResponse:
    rate_limit(request, "lapor", SUBMITS_PER_MINUTE)
    values = {name: _text(form, name) for name in TIP_FIELDS}
    had_file = isinstance(form.get("screenshot"), UploadFile) and bool(
        getattr(form.get("screenshot"), "size", 0)
    )
    try:
        form_tokens(request).check("lapor", _text(form, "token") or None)
    except InvalidInput as exc:
        return _form_page(request, values=values, problem=_message(request, exc), status_code=422)
    raw = {name: (value or None) for name, value in values.items()}
    try:
        data = TipIn.model_validate(raw)
    except ValidationError as exc:
        errors = _errors(exc)
        if had_file:
            errors.setdefault("screenshot", "Choose the screenshot again: a page cannot keep it for you.")
        return _form_page(request, values=values, errors=errors, status_code=422)
    try:
        image = _screenshot(form)
    except (InvalidInput, TooLarge) as exc:  # not an image, or too large: the rest of the tip is kept
        return _form_page(
            request, values=values, errors={"screenshot": _message(request, exc)}, status_code=exc.status
        )
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        submitted = submit_tip(uow, request.app.state.token_hasher.hasher, data, screenshot=image)
    return render(
        request,
        "lapor_receipt.html",
        {"receipt": submitted.receipt, "placed": bool(submitted.region_code)},
        status_code=201,
        headers=NO_STORE,
    )


def _message(request: Request, exc: InvalidInput | NotFound | Conflict | TooLarge) -> str:
    """The error's message in the page's language."""
    lang = request.query_params.get("lang", "")
    return exc.message if lang.strip().lower() == "en" or exc.message_id is None else exc.message_id


def _status_page(
    request: Request,
    *,
    receipt: str = "",
    view: dict[str, Any] | None = None,
    problem: str | None = None,
    errors: Mapping[str, str] | None = None,
    body: str = "",
    added: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "lapor_status.html",
        {
            "token": form_tokens(request).issue("lapor-status"),
            "add_token": form_tokens(request).issue("lapor-add"),
            "receipt": receipt if view is not None else "",
            "view": view,
            "problem": problem,
            "errors": dict(errors or {}),
            "body": body,
            "added": added,
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@router.get("/lapor/status", response_class=HTMLResponse)
def lapor_status_form(request: Request) -> HTMLResponse:
    return _status_page(request)


@router.post("/lapor/status", response_class=HTMLResponse)
def lapor_status(request: Request, form: FormDep) -> HTMLResponse:
    rate_limit(request, "lapor-status", STATUS_PER_MINUTE)
    try:
        form_tokens(request).check("lapor-status", _text(form, "token") or None)
    except InvalidInput as exc:
        return _status_page(request, problem=_message(request, exc), status_code=422)
    receipt = _text(form, "receipt")
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        try:
            view = follow_tip(uow, request.app.state.token_hasher.hasher, receipt)
        except NotFound as exc:
            return _status_page(request, problem=_message(request, exc), status_code=404)
    return _status_page(request, receipt=parse_receipt(receipt) or "", view=view)


@router.post("/lapor/status/tambah", response_class=HTMLResponse)
def lapor_add(request: Request, form: FormDep) -> HTMLResponse:
    rate_limit(request, "lapor-status", STATUS_PER_MINUTE)
    receipt, body = _text(form, "receipt"), _text(form, "body")
    hasher = request.app.state.token_hasher.hasher
    sessions, clock = request.app.state.sessions, request.app.state.clock

    def again(problem: str | None, errors: Mapping[str, str] | None, status_code: int) -> HTMLResponse:
        with UnitOfWork(sessions, clock) as uow:
            try:
                view = follow_tip(uow, hasher, receipt)
            except NotFound as exc:
                return _status_page(request, problem=_message(request, exc), status_code=404)
        return _status_page(
            request,
            receipt=receipt,
            view=view,
            problem=problem,
            errors=errors,
            body=body,
            status_code=status_code,
        )

    try:
        form_tokens(request).check("lapor-add", _text(form, "token") or None)
    except InvalidInput as exc:
        return again(_message(request, exc), None, 422)
    reply = _text(form, "reply_to")
    try:
        data = AdditionIn.model_validate(
            {"body": body or None, "reply_to": int(reply) if reply.isdigit() else None}
        )
    except ValidationError as exc:
        return again(None, _errors(exc), 422)
    try:
        image = _screenshot(form)
    except (InvalidInput, TooLarge) as exc:
        return again(None, {"screenshot": _message(request, exc)}, exc.status)
    with UnitOfWork(sessions, clock) as uow:
        try:
            view = add_information(uow, hasher, receipt, data, screenshot=image)
        except NotFound as exc:
            return _status_page(request, problem=_message(request, exc), status_code=404)
        except (Conflict, InvalidInput) as exc:
            problem = _message(request, exc)
            return again(problem, None, exc.status)
    return _status_page(request, receipt=receipt, view=view, added=True, status_code=201)
