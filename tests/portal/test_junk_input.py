"""Junk in the query string of any public page gets a clear page, never a 500 or a traceback.

The routes are taken from the application itself (every GET route tagged as a page), so a page added
later is covered without touching this test. Path parameters get a junk value too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jaga.web.problems import PAGE_TAG

JUNK = [
    "",
    "lang=",
    "lang=%ff%fe",
    "q=" + "A" * 20_000,
    "q=%00",
    "q=%27%20OR%201%3D1--",
    "q=<script>alert(1)</script>",
    "page=-1",
    "page=99999999999999999999999",
    "kind=x&kind=y&region=%E2%80%AE",
    "%zz=%zz",
    "q=%C0%AF",
    "&&&==&",
]


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)  # FastAPI keeps included routers as such
        if inner is not None:
            yield from _routes(inner.routes)


def page_paths(client: TestClient) -> list[str]:
    paths = []
    for route in _routes(client.app.routes):  # type: ignore[attr-defined]
        if PAGE_TAG in route.tags and "assets" not in route.tags and "GET" in route.methods:
            paths.append(re.sub(r"\{[^}]+\}", "C-ZZZZZZZZZZ", route.path))
    return sorted(set(paths))


def _check(client: TestClient, path: str, query: str) -> None:
    answer = client.get(f"{path}?{query}" if query else path, headers={"Accept": "text/html"})
    assert answer.status_code < 500, f"{path}?{query[:60]} answered {answer.status_code}"
    assert "Traceback" not in answer.text
    assert answer.headers["content-type"].startswith("text/html"), path
    if answer.status_code >= 400:
        assert "data-error" in answer.text  # the portal's error page, with the reason


def test_every_page_route_is_found(portal_client: TestClient) -> None:
    assert "/" in page_paths(portal_client)


@pytest.mark.parametrize("query", JUNK)
def test_junk_queries_on_every_page(portal_client: TestClient, query: str) -> None:
    for path in page_paths(portal_client):
        _check(portal_client, path, query)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(["q", "lang", "page", "kind", "region", "ref", "x"]), st.text(max_size=80)),
        max_size=4,
    )
)
def test_generated_queries_on_every_page(portal_client: TestClient, pairs: list[tuple[str, str]]) -> None:
    from urllib.parse import urlencode

    query = urlencode(pairs)
    for path in page_paths(portal_client):
        _check(portal_client, path, query)
