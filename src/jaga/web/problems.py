"""Errors as RFC 9457 problem details (`application/problem+json`). Bad input never gets a 500.

One handler on `JagaError` covers every leaf (handlers are looked up along the MRO). Validation errors
become 422 with an `errors` list naming each field; they never echo the submitted values, which may be
personal data. Anything else is a bug: logged with an error id, answered with that id only.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from jaga.errors import Conflict, DatabaseUnavailable, InvalidInput, JagaError
from jaga.web import translations

log = logging.getLogger("jaga.web")
PROBLEM_JSON = "application/problem+json"


def public_base_url(request: Request) -> str:
    """The configured public address (JAGA_BASE_URL), else the scheme, host and port this request reached.

    Following the request keeps help links right on whatever port `jaga serve` runs; behind a proxy,
    set JAGA_BASE_URL (or run uvicorn with proxy headers) so that they name the public address.
    """
    configured = request.app.state.base_url
    return str(configured or request.base_url).rstrip("/")


# Problem types of the framework's own refusals (a help page each, in jaga.web.problem_pages).
HTTP_SLUGS = {400: "bad-request", 404: "not-found", 405: "method-not-allowed", 413: "too-large"}


# Routes with this tag are pages for people (the portal, the workbench): their errors are answered with
# an HTML page in the page's language (`app.state.page_errors`), not with problem JSON.
PAGE_TAG = "pages"
# Paths that are never pages, even when a browser asks for them and no route matched.
NOT_PAGES = ("/api/", "/verify/v1/", "/ledger/", "/problems/", "/docs", "/redoc", "/openapi.json", "/static/")


def is_page(request: Request) -> bool:
    route = request.scope.get("route")
    if route is not None:
        return PAGE_TAG in (getattr(route, "tags", None) or [])
    path = request.url.path
    return not path.startswith(NOT_PAGES) and "text/html" in request.headers.get("accept", "")


def route_of(request: Request) -> str:
    """`GET /api/v1/people/{ref}`: the route template, never the concrete path (it may hold refs)."""
    route = request.scope.get("route")
    return f"{request.method} {getattr(route, 'path', '<no route>')}"


def problem_response(
    request: Request,
    *,
    status: int,
    slug: str,
    title: str,
    detail: str,
    extras: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    page_errors = getattr(request.app.state, "page_errors", None)
    if page_errors is not None and is_page(request):
        response: Response = page_errors(request, status=status, slug=slug, title=title, detail=detail)
        response.headers.update(headers or {})
        return response
    base = public_base_url(request)
    # Title and detail are in the negotiated language (jaga.web.translations); say which, and that the
    # answer varies with the request's Accept-Language.
    headers = {**(headers or {}), "Content-Language": language_of(request), "Vary": "Accept-Language"}
    body: dict[str, Any] = {
        "type": f"{base}/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    body.update(extras or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def language_of(request: Request) -> str:
    """`id` or `en`: a page's from its `?lang=` (Indonesian unless `en`); the API's negotiated from the
    request's Accept-Language (English unless Indonesian is asked)."""
    if is_page(request):
        return "en" if request.query_params.get("lang", "").strip().lower() == "en" else "id"
    return translations.negotiate(request.headers.get("accept-language"))


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Each invalid field with pydantic's reason (English: machine-readable members do not vary)."""
    errors = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ())]
        message = str(error.get("msg", "invalid"))
        errors.append({"location": location, "field": ".".join(location[1:]) or None, "reason": message})
    return errors


def _validation_summary(exc: RequestValidationError, language: str) -> str:
    parts = []
    for error in exc.errors()[:5]:
        location = [str(part) for part in error.get("loc", ())]
        field = ".".join(location[1:]) or "/".join(location)
        parts.append(f"{field}: {translations.validation_reason(error, language)}")
    return "; ".join(parts)


def _allowed_methods(request: Request) -> str:
    """Every method the requested path takes. Starlette's own 405 names only the first route whose path
    matched, so `/api/v1/people` (GET list and POST create are two routes) claimed to allow POST alone.
    Each method is asked of the router as a request would be, through the routes' public `matches`."""
    allowed = {
        method
        for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL
            for route in request.app.router.routes
        )
    }
    return ", ".join(sorted(allowed))


def install(app: FastAPI) -> None:
    """Register the problem-details handlers on `app`."""

    @app.exception_handler(JagaError)
    async def _jaga(request: Request, exc: JagaError) -> Response:
        return _render(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        language = language_of(request)
        return problem_response(
            request,
            status=422,
            slug="invalid-input",
            title=InvalidInput.title_id if language == "id" else InvalidInput.title,
            detail=_validation_summary(exc, language),
            extras={"errors": _validation_errors(exc)},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers) if exc.headers else {}
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        english = str(exc.detail)
        indonesian = translations.HTTP_TITLES_ID.get(exc.status_code, english)
        language = language_of(request)
        return problem_response(
            request,
            status=exc.status_code,
            slug=HTTP_SLUGS.get(exc.status_code, "http-error"),
            title=indonesian if language == "id" else english,
            detail=indonesian if language == "id" else english,
            headers=headers or None,
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> Response:
        # The services check uniqueness first; this is the race where two requests write the same
        # unique value at once. Nothing was written; the client may retry and will get a precise answer.
        log.warning("integrity conflict on %s", route_of(request))
        conflict = Conflict(
            "the record conflicts with one written at the same moment; nothing was written, retry",
            message_id="data bertentangan dengan data yang ditulis pada saat yang sama; tidak ada yang "
            "disimpan, coba lagi",
        )
        return _render(request, conflict)

    @app.exception_handler(OperationalError)
    async def _database(request: Request, exc: OperationalError) -> Response:
        error_id = secrets.token_hex(6)
        log.error("database unavailable (error id %s): %s", error_id, type(exc.orig).__name__)
        unavailable = DatabaseUnavailable(
            f"the database cannot be reached; error id {error_id}",
            message_id=f"basis data tidak dapat dihubungi; nomor kesalahan {error_id}",
        )
        return _render(request, unavailable, extras={"error_id": error_id})

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        error_id = secrets.token_hex(6)
        if isinstance(exc, StatementError):
            exc.hide_parameters = True  # its text would carry the bound values: names, NIKs, dates
        log.exception("unhandled error (error id %s) on %s", error_id, route_of(request))
        bug = JagaError(
            f"an internal error occurred; error id {error_id}",
            message_id=f"terjadi kesalahan internal; nomor kesalahan {error_id}",
        )
        return _render(request, bug, extras={"error_id": error_id})


def _render(request: Request, exc: JagaError, extras: dict[str, Any] | None = None) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    language = language_of(request)
    return problem_response(
        request,
        status=exc.status,
        slug=exc.problem,
        title=translations.title(exc, language),
        detail=translations.detail(exc, language),
        extras={**exc.extras(), **(extras or {})},
        headers=headers,
    )
