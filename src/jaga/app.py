"""`create_app(settings)`: the web application's composition root. Nothing is built at import time."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

import jaga
from jaga.access import TokenHasher
from jaga.access.api import router as access_router
from jaga.certificates.api import public_router as verification_router
from jaga.certificates.api import router as certificates_router
from jaga.db import Clock, create_engine_for, session_factory, utc_now
from jaga.db.migrate import current_revision
from jaga.evidence.api import router as evidence_router
from jaga.faces.api import faces_router, photos_router
from jaga.faces.pages import QUEUE_SOURCE as FACES_QUEUE
from jaga.faces.pages import router as faces_pages_router
from jaga.field.api import router as field_router
from jaga.field.pages import QUEUE_SOURCE as FIELD_QUEUE
from jaga.field.pages import router as field_pages_router
from jaga.field.upload_page import router as field_upload_router
from jaga.flags.api import router as flags_router
from jaga.linkage.api import router as linkage_router
from jaga.nik.api import router as nik_router
from jaga.portal.errors import render_error
from jaga.portal.forms import FormTokens, RateLimiter, load_form_key
from jaga.portal.pages import STATIC_DIR, STATIC_PREFIX, PortalStatic
from jaga.portal.routes import ROUTERS as PORTAL_ROUTERS
from jaga.regions.api import router as regions_router
from jaga.registry.api import router as registry_router
from jaga.sequencer.api import events_router
from jaga.sequencer.api import router as ledger_router
from jaga.settings import Settings
from jaga.timeline.api import router as timeline_router
from jaga.tips.api import router as tips_router
from jaga.web import docs, openapi, problems
from jaga.web.problem_pages import router as problems_router
from jaga.workbench import queue_sources
from jaga.workbench.routes import ROUTERS as WORKBENCH_ROUTERS

log = logging.getLogger("jaga.access_log")


def _operation_id(route: APIRoute) -> str:
    return route.name


def create_app(
    settings: Settings,
    *,
    sessions: sessionmaker[Session] | None = None,
    clock: Clock = utc_now,
    token_hasher: TokenHasher | None = None,
) -> FastAPI:
    """Build the application. Tests may pass their own session factory (bound to a test transaction)."""
    app = FastAPI(
        title="jaga",
        version=jaga.__version__,
        summary="Registry of births, relinquishments and adoptions, built to expose trafficking rings.",
        generate_unique_id_function=_operation_id,
        docs_url=None,  # served by jaga.web.docs, without a CDN
        redoc_url=None,
    )
    engine = None
    if sessions is None:
        engine = create_engine_for(settings.database_url)
        sessions = session_factory(engine)
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.clock = clock
    app.state.base_url = settings.base_url
    app.state.token_hasher = token_hasher or TokenHasher(cache_seconds=settings.token_cache_seconds)

    app.state.page_errors = render_error
    app.state.portal_forms_key = load_form_key(settings.key_dir)
    app.state.portal_forms = FormTokens(app.state.portal_forms_key)
    app.state.portal_limiter = RateLimiter()

    problems.install(app)
    openapi.install(app)
    docs.install(app)
    app.include_router(access_router)
    app.include_router(registry_router)
    app.include_router(regions_router)
    app.include_router(nik_router)
    app.include_router(events_router)
    app.include_router(problems_router)
    app.include_router(ledger_router)
    app.include_router(certificates_router)
    app.include_router(linkage_router)
    app.include_router(flags_router)
    app.include_router(timeline_router)
    app.include_router(tips_router)
    app.include_router(photos_router)
    app.include_router(faces_router)
    app.include_router(evidence_router)
    app.include_router(field_router)
    app.include_router(verification_router)
    # The face and field pages live in their packages (the workbench imports neither).
    for page_router in (
        *PORTAL_ROUTERS,
        *WORKBENCH_ROUTERS,
        faces_pages_router,
        field_pages_router,
        field_upload_router,
    ):
        app.include_router(page_router)
    # ... and their queues' counts on the work queue, through the workbench's extension point.
    queue_sources.install(app, [FACES_QUEUE, FIELD_QUEUE])
    app.mount(STATIC_PREFIX, PortalStatic(directory=STATIC_DIR), name="static")

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, Any]:
        """Liveness and readiness: the database answers and its schema revision."""
        with app.state.sessions() as session:
            session.execute(text("SELECT 1"))
            bind = session.get_bind()
            dialect = bind.dialect.name
        revision = current_revision(engine) if engine is not None else None
        return {"status": "ok", "version": jaga.__version__, "database": dialect, "schema_revision": revision}

    @app.middleware("http")
    async def refuse_nul_in_query(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # PostgreSQL text cannot hold NUL; no jaga parameter can need one. Refused at the edge (422),
        # before any value reaches a query or the audit trail.
        raw = request.scope.get("query_string", b"")
        if b"%00" in raw or b"\x00" in raw:
            return problems.problem_response(
                request,
                status=422,
                slug="invalid-input",
                title="Invalid input",
                detail="the query string contains a NUL character",
            )
        return await call_next(request)

    @app.middleware("http")
    async def access_log(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # Route templates only: paths hold refs and query strings may hold NIKs or names.
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        actor = getattr(request.state, "actor", None)
        log.info(
            "%s %s %d %.1fms principal=%s",
            request.method,
            getattr(route, "path", "<no route>"),
            response.status_code,
            (time.perf_counter() - started) * 1000,
            getattr(actor, "principal_id", "-"),
        )
        return response

    return app
