"""`/docs` and `/redoc` work without internet: every script, style and image they load comes from jaga."""

from __future__ import annotations

import re

import pytest

from tests.app.conftest import ClientFor

# src=, href=, ReDoc's spec-url= and Swagger UI's `url: '...'`
ASSET = re.compile(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']|\burl:\s*["']([^"']+)["']""")
CONTENT_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".png": "image/png",
    ".json": "application/json",
}


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_load_only_same_origin_assets_that_answer(client_for: ClientFor, page: str) -> None:
    client = client_for(None)
    html = client.get(page)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    urls = [a or b for a, b in ASSET.findall(html.text)]
    assert urls, html.text
    # No scheme, no host: nothing is fetched from a CDN (nor from Google Fonts).
    assert all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assert "cdn" not in html.text.lower() and "fonts.googleapis" not in html.text
    assert "http:" not in html.text and "https:" not in html.text
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        suffix = url[url.rfind(".") :]
        assert asset.headers["content-type"].startswith(CONTENT_TYPES[suffix]), (url, asset.headers)
        assert len(asset.content) > 1000, url
