"""`/lembaga`: the public licence check ("Cek lembaga"), and `/lembaga/{ref}`, one holder's licence.

A plain GET form (no JavaScript): `q` (a name, a licence number or a place), `kind` (institution,
facility, attendant), `region` (a code or a name), `page`. The search itself is `jaga.licences`; this
module validates the query string with Pydantic, calls it once and renders. Bad input gets the form
again with a precise message and a 422, never a 500; the message never repeats what was typed.

Against bulk copying: 20 results a page, at most `MAX_PAGE` pages, and `RATE_PER_MINUTE` requests per
minute from one connection (mobile carriers put many people behind one address, hence not lower).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from babel.dates import format_date
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from jaga.errors import InvalidInput
from jaga.licences import (
    MAX_QUERY_LENGTH,
    LicenceQuery,
    RecordKind,
    SearchPage,
    get_licence,
    search_licences,
)
from jaga.portal.pages import PAGE_TAG, language, rate_limit, render
from jaga.registry import REF_PATTERN
from jaga.web.deps import UowDep

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

MAX_PAGE = 50
MAX_REGION_LENGTH = 60
RATE_PER_MINUTE = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _no_control_characters(value: Any) -> Any:
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValueError("control characters are not allowed")
    return value


Text = Annotated[str | None, BeforeValidator(_no_control_characters)]


class SearchForm(BaseModel):
    """The query string of `/lembaga`, as typed into the form."""

    model_config = ConfigDict(str_strip_whitespace=True)

    q: Annotated[Text, Field(max_length=MAX_QUERY_LENGTH)] = None
    kind: RecordKind | None = None
    region: Annotated[Text, Field(max_length=MAX_REGION_LENGTH)] = None
    page: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 1

    @classmethod
    def from_request(cls, request: Request) -> SearchForm:
        """The form's fields from the query string; an empty field is an absent one."""
        params = request.query_params
        given = {name: params[name] for name in ("q", "kind", "region", "page") if name in params}
        return cls.model_validate({name: value for name, value in given.items() if value.strip()})


# The message for each field that fails (message ids, translated in the page's language by the
# template): precise about the rule, silent about the value.
FIELD_PROBLEMS = {
    "q": "Search text: at most 100 characters, and no control characters.",
    "kind": "Kind: choose institutions, health facilities or birth attendants.",
    "region": "Region: a region's name or code, at most 60 characters, and no control characters.",
    "page": "Page: a whole number from 1 to 50.",
}


def _problems(error: ValidationError) -> list[str]:
    fields = {str(problem["loc"][0]) for problem in error.errors() if problem.get("loc")}
    return [message for name, message in FIELD_PROBLEMS.items() if name in fields]


def _dates(lang: str) -> Any:
    def long_date(day: date | None) -> str | None:
        return None if day is None else format_date(day, format="long", locale=lang)

    return long_date


@router.get("/lembaga", response_class=HTMLResponse)
def licence_search(request: Request, uow: UowDep) -> HTMLResponse:
    rate_limit(request, "lembaga", RATE_PER_MINUTE)
    lang = language(request)
    context: dict[str, Any] = {"form": {}, "max_page": MAX_PAGE, "long_date": _dates(lang)}
    try:
        form = SearchForm.from_request(request)
    except ValidationError as error:
        # what was typed goes back into the form (to correct it), shortened and without control characters
        context["form"] = {
            name: _CONTROL.sub("", request.query_params.get(name, ""))[:200] for name in ("q", "region")
        }
        context["problems"] = _problems(error)
        return render(request, "lembaga.html", context, status_code=422)
    context["form"] = form.model_dump()
    if form.q is None and form.region is None:
        return render(request, "lembaga.html", context)  # the empty form
    query = LicenceQuery(text=form.q, kind=form.kind, region=form.region, page=form.page)
    try:
        found: SearchPage = search_licences(uow, query)
    except InvalidInput as error:  # nothing to search in the text, or no such region
        context["error"] = error.message_id if lang == "id" and error.message_id else error.message
        return render(request, "lembaga.html", context, status_code=422)
    context.update(found=found, page_url=_page_url(form))
    return render(request, "lembaga.html", context)


def _page_url(form: SearchForm) -> dict[str, Any]:
    """The query of this search without its page, for the links to the other pages."""
    return {"q": form.q, "kind": form.kind.value if form.kind else None, "region": form.region}


# `:path`: a source system's ref may hold a slash (REF_PATTERN allows it); the pattern still applies.
@router.get("/lembaga/{ref:path}", response_class=HTMLResponse)
def licence_detail(
    request: Request,
    uow: UowDep,
    ref: Annotated[str, Path(pattern=REF_PATTERN, max_length=64)],
) -> HTMLResponse:
    rate_limit(request, "lembaga", RATE_PER_MINUTE)
    fact = get_licence(uow, ref)
    return render(request, "lembaga_detail.html", {"fact": fact, "long_date": _dates(language(request))})
