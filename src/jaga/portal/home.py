"""The landing page `/`: the portal's three services and the guide."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from jaga.portal.pages import PAGE_TAG, render

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render(request, "home.html")
