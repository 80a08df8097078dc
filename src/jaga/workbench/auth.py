"""Workbench sessions in the browser: the cookie, the CSRF token of every form, the Origin check.

The session lives on the server (`jaga.access.logins`); the browser holds a random token in a cookie
that is HttpOnly, SameSite=Lax, and Secure (with the `__Host-` prefix) when the workbench is reached over
https. Every form carries a CSRF token derived from the session (HMAC with the server's form key), and
every POST must come from the workbench's own origin.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import quote, urlsplit

from fastapi import Request, Response
from starlette.exceptions import HTTPException

from jaga.access.logins import LiveSession, session_actor
from jaga.db import UnitOfWork
from jaga.errors import NotAuthenticated, PermissionDenied
from jaga.web.problems import public_base_url

COOKIE = "jaga_session"
SECURE_COOKIE = "__Host-jaga_session"  # the prefix makes browsers refuse it unless Secure, Path=/, no Domain


def _secure(request: Request) -> bool:
    return public_base_url(request).startswith("https://")


def cookie_name(request: Request) -> str:
    return SECURE_COOKIE if _secure(request) else COOKIE


def session_token(request: Request) -> str | None:
    return request.cookies.get(cookie_name(request))


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        cookie_name(request),
        token,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
        max_age=12 * 60 * 60,
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(cookie_name(request), path="/", secure=_secure(request), httponly=True)


def csrf_token(request: Request, token: str) -> str:
    key: bytes = request.app.state.portal_forms_key
    return hmac.new(key, b"workbench-csrf\x00" + token.encode(), hashlib.sha256).hexdigest()[:32]


def _login_redirect(request: Request) -> HTTPException:
    target = request.url.path if request.method == "GET" else "/kerja"
    lang = "&lang=en" if request.query_params.get("lang") == "en" else ""
    return HTTPException(303, headers={"Location": f"/masuk?next={quote(target)}{lang}"})


def officer(request: Request) -> LiveSession:
    """The logged-in officer of this request; a redirect to the login page otherwise."""
    try:
        with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
            live = session_actor(uow, session_token(request))
    except NotAuthenticated:
        raise _login_redirect(request) from None
    request.state.actor = live.actor
    return live


def check_form(request: Request, submitted: str | None) -> None:
    """A POST must come from the workbench's own pages: its Origin, and the session's CSRF token."""
    origin = request.headers.get("origin")
    own = urlsplit(public_base_url(request))
    if origin is None or urlsplit(origin)[:2] != own[:2]:
        raise PermissionDenied(
            "the form was not sent from this workbench's own pages (Origin check)",
            message_id="formulir tidak dikirim dari halaman meja kerja ini (pemeriksaan Origin)",
        )
    token = session_token(request)
    if not token or not submitted or not hmac.compare_digest(csrf_token(request, token), submitted):
        raise PermissionDenied(
            "the form's security token is missing or wrong: reload the page and send it again",
            message_id="token keamanan formulir tidak ada atau salah: muat ulang halaman lalu kirim lagi",
        )
