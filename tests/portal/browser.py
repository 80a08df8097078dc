"""Browser helpers for the portal: phone and desktop pages in Debian's Chromium, and axe-core checks.

with portal_pages() as open_page:
    page = open_page(phone=True)          # a fresh context each time (no shared cookies or cache)
    page.goto(url); assert_accessible(page)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tests.browser import CHROMIUM_FLAGS, chromium_path

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
BLOCKING = ("serious", "critical")


@contextmanager
def portal_pages() -> Iterator[Callable[..., Any]]:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        contexts: list[Any] = []

        def open_page(*, phone: bool = False, offline: bool = False, **options: Any) -> Any:
            context = browser.new_context(**{**(PHONE if phone else DESKTOP), **options})
            context.set_offline(offline)
            contexts.append(context)
            return context.new_page()

        try:
            yield open_page
        finally:
            for context in contexts:
                context.close()
            browser.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (axe ships in the package)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING]


def assert_accessible(page: Any) -> None:
    found = axe_violations(page)
    summary = "; ".join(f"{v['id']} ({v['impact']}): {len(v['nodes'])} nodes" for v in found)
    assert not found, f"axe-core on {page.url}: {summary}"


PAGE_BUDGET = 150 * 1024  # bytes transferred for one page with everything it loads (3G: a few seconds)


def transferred_bytes(open_page: Callable[..., Any], url: str) -> int:
    """Bytes a fresh phone transfers to show `url`: every response's headers and body (no cache)."""
    page = open_page(phone=True)
    responses: list[Any] = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(url, wait_until="networkidle")
    total = 0
    for request in responses:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total
