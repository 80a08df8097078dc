"""`/masuk` (log in) and `/keluar` (log out)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jaga.access.logins import end_session, login
from jaga.access.totp import TotpBox
from jaga.db import UnitOfWork
from jaga.errors import LoginRefused, PermissionDenied
from jaga.portal.pages import PAGE_TAG, form_tokens, language, rate_limit, render
from jaga.web import translations
from jaga.workbench.auth import (
    check_form,
    clear_session_cookie,
    csrf_token,
    officer,
    session_token,
    set_session_cookie,
)

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)
# same-origin, not the portal's no-referrer: with no-referrer, browsers send `Origin: null` on form
# posts, and the workbench checks every POST's Origin.
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}


def _safe_next(target: str | None) -> str:
    # Only a path of this workbench: never another site (an open redirect would help phishing).
    if target and target.startswith("/kerja") and "//" not in target and "\\" not in target:
        return target
    return "/kerja"


def _form(
    request: Request, *, error: str | None = None, username: str = "", status: int = 200
) -> HTMLResponse:
    context = {
        "form_token": form_tokens(request).issue("login"),
        "next": _safe_next(request.query_params.get("next")),
        "error": error,
        "username": username,
    }
    return render(request, "kerja/login.html", context, status_code=status, headers=NO_STORE)


@router.get("/masuk", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return _form(request)


@router.post("/masuk", response_class=HTMLResponse)
def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    code: Annotated[str, Form(max_length=16)] = "",
    next: Annotated[str, Form(max_length=300)] = "/kerja",
    form_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    rate_limit(request, "login", 30)
    form_tokens(request).check("login", form_token)
    settings = request.app.state.settings
    try:
        with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
            token = login(
                uow, username=username, password=password, code=code or None, box=TotpBox(settings.key_dir)
            )
    except (LoginRefused, PermissionDenied) as exc:
        message = translations.detail(exc, language(request))
        return _form(request, error=message, username=username[:64], status=exc.status)
    response = RedirectResponse(_safe_next(next), status_code=303, headers=NO_STORE)
    set_session_cookie(request, response, token)
    return response


@router.get("/keluar", response_class=HTMLResponse)
def logout_page(request: Request) -> HTMLResponse:
    live = officer(request)
    token = session_token(request) or ""
    context = {"officer": live, "csrf": csrf_token(request, token)}
    return render(request, "kerja/logout.html", context, headers=NO_STORE)


@router.post("/keluar")
def logout_submit(request: Request, csrf: Annotated[str, Form(max_length=64)] = "") -> Response:
    check_form(request, csrf)
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        end_session(uow, session_token(request))
    lang = "?lang=en" if language(request) == "en" else ""
    response = RedirectResponse(f"/masuk{lang}", status_code=303, headers=NO_STORE)
    clear_session_cookie(request, response)
    return response


__all__ = ["router"]
