"""Errors on pages: an HTML page with the status, in the page's language, never a traceback.

`jaga.web.problems` calls `render_error` for any route tagged `pages` (and for unmatched paths a browser
asks for); the title and detail it passes are already in the page's language. The detail names what was
wrong, never the submitted values (they may be a tip's content or a certificate's payload).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from jaga.portal.pages import render


def render_error(request: Request, *, status: int, slug: str, title: str, detail: str) -> HTMLResponse:
    return render(
        request,
        "error.html",
        {"status": status, "slug": slug, "title": title, "detail": detail},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )
