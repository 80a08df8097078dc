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
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from jaga.errors import JagaError

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
) -> JSONResponse:
    base = public_base_url(request)
    body: dict[str, Any] = {
        "type": f"{base}/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    body.update(extras or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ())]
        message = str(error.get("msg", "invalid"))
        errors.append({"location": location, "field": ".".join(location[1:]) or None, "reason": message})
    return errors


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
    async def _jaga(request: Request, exc: JagaError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem_response(
            request,
            status=exc.status,
            slug=exc.problem,
            title=exc.title,
            detail=exc.message,
            extras=exc.extras(),
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        summary = "; ".join(f"{e['field'] or '/'.join(e['location'])}: {e['reason']}" for e in errors[:5])
        return problem_response(
            request,
            status=422,
            slug="invalid-input",
            title="Invalid input",
            detail=summary,
            extras={"errors": errors},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = HTTP_SLUGS.get(exc.status_code, "http-error")
        headers = dict(exc.headers) if exc.headers else {}
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        return problem_response(
            request,
            status=exc.status_code,
            slug=slug,
            title=str(exc.detail),
            detail=str(exc.detail),
            headers=headers or None,
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        # The services check uniqueness first; this is the race where two requests write the same
        # unique value at once. Nothing was written; the client may retry and will get a precise answer.
        log.warning("integrity conflict on %s", route_of(request))
        return problem_response(
            request,
            status=409,
            slug="conflict",
            title="Conflict",
            detail="the record conflicts with one written at the same moment; nothing was written, retry",
        )

    @app.exception_handler(OperationalError)
    async def _database(request: Request, exc: OperationalError) -> JSONResponse:
        error_id = secrets.token_hex(6)
        log.error("database unavailable (error id %s): %s", error_id, type(exc.orig).__name__)
        return problem_response(
            request,
            status=503,
            slug="database-unavailable",
            title="Database unavailable",
            detail=f"the database cannot be reached; error id {error_id}",
            extras={"error_id": error_id},
        )

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        error_id = secrets.token_hex(6)
        if isinstance(exc, StatementError):
            exc.hide_parameters = True  # its text would carry the bound values: names, NIKs, dates
        log.exception("unhandled error (error id %s) on %s", error_id, route_of(request))
        return problem_response(
            request,
            status=500,
            slug="internal-error",
            title="Internal error",
            detail=f"an internal error occurred; error id {error_id}",
            extras={"error_id": error_id},
        )
