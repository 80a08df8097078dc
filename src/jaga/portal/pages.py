"""What every portal page uses: its language, its templates, and the headers of a public government page.

    @router.get("/lembaga", response_class=HTMLResponse)
    def licences(request: Request) -> HTMLResponse:
        return render(request, "lembaga.html", {"results": ...})

`render` picks the language from `?lang=` (Indonesian unless `en`), fills the template with `_`/`gettext`,
`ngettext`, `lang`, `url(path, **query)` (keeps the language in links) and `static(name)`, and sets a
Content-Security-Policy that allows no inline script or style and no framing.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from starlette.responses import Response

import jaga
from jaga.portal.forms import FormTokens
from jaga.portal.i18n import DEFAULT_LANGUAGE, LANGUAGES, choose, translations
from jaga.web.problems import PAGE_TAG

__all__ = ["PAGE_TAG", "form_tokens", "language", "rate_limit", "render", "render_text", "static"]

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PREFIX = "/static"

# No inline script or style anywhere: every script and stylesheet is a file jaga serves itself.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; worker-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class PortalStatic(StaticFiles):
    """The portal's assets. Pages link them with `?v=<version>`, so a browser may keep them for a year: a
    phone on 3G downloads the stylesheet and scripts once per release, not once per page."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def language(request: Request) -> str:
    return choose(request.query_params.get("lang"))


def _url_for(lang: str) -> Any:
    def url(path: str, **query: Any) -> str:
        params = {k: v for k, v in query.items() if v is not None and v != ""}
        if lang != DEFAULT_LANGUAGE:
            params["lang"] = lang
        return f"{path}?{urlencode(params)}" if params else path

    return url


def static(name: str) -> str:
    # The version in the query lets browsers cache assets for long and still see a new release.
    return f"{STATIC_PREFIX}/{name}?v={jaga.__version__}"


@cache
def environment(lang: str) -> Environment:
    """One Jinja2 environment per language, with that language's catalogs installed."""
    env = Environment(
        # The workbench shares the portal's kit; its templates live in its own package (under kerja/).
        loader=ChoiceLoader(
            [PackageLoader("jaga.portal", "templates"), PackageLoader("jaga.workbench", "templates")]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(static=static, languages=LANGUAGES, version=jaga.__version__)
    return env


def page_context(request: Request, lang: str) -> dict[str, Any]:
    return {
        "request_path": request.url.path,
        "host": request.url.netloc,  # shown on every page, against look-alike sites
        "lang": lang,
        "url": _url_for(lang),
        "other_language": "en" if lang == "id" else "id",
        "switch_url": _switch_url(request, "en" if lang == "id" else "id"),
    }


def _switch_url(request: Request, target: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if target != DEFAULT_LANGUAGE:
        params.append(("lang", target))
    return f"{request.url.path}?{urlencode(params)}" if params else request.url.path


def render_text(request: Request, template: str, context: Mapping[str, Any] | None = None) -> str:
    lang = language(request)
    return environment(lang).get_template(template).render({**page_context(request, lang), **(context or {})})


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """The page `template` in the request's language, with the portal's security headers."""
    body = render_text(request, template, context)
    all_headers = {
        **SECURITY_HEADERS,
        "Content-Language": language(request),
        "Cache-Control": "no-cache",
        **(headers or {}),
    }
    return HTMLResponse(body, status_code=status_code, headers=all_headers)


def form_tokens(request: Request) -> FormTokens:
    """The server's form tokens (`jaga.portal.forms`): `.issue(form)` in the page, `.check(form, token)`."""
    tokens: FormTokens = request.app.state.portal_forms
    return tokens


def rate_limit(request: Request, bucket: str, per_minute: int) -> None:
    """Count this request against `bucket`; TooManyRequests (429 page) beyond `per_minute` per client."""
    client = request.client.host if request.client is not None else "-"
    request.app.state.portal_limiter.hit(bucket, client, per_minute)
