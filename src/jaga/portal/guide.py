"""`/tanya-dulu` ("ask first"): the guide for families offered a baby or thinking of adopting.

Long prose is kept as one template per language (`guide_id.html`, `guide_en.html`) rather than as
hundreds of catalog messages: a translator edits a page, not sentences out of order. The shared chrome
(navigation, footer) still comes from the catalogs. Every fact in it is from DOMAIN.md's sources.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from jaga.portal.pages import PAGE_TAG, language, render

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)


@router.get("/tanya-dulu", response_class=HTMLResponse)
def guide(request: Request) -> HTMLResponse:
    return render(request, f"guide_{language(request)}.html")
