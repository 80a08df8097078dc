"""Pages generated from the code must be committed as generated."""

from __future__ import annotations

from pathlib import Path

from jaga.access.docs import render_markdown as access_page
from jaga.registry.importers.docs import render_markdown as imports_page

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_import_formats_page_matches_the_schemas() -> None:
    assert (DOCS / "imports.md").read_text(encoding="utf-8") == imports_page(), (
        "regenerate: python -m jaga.registry.importers.docs > docs/imports.md"
    )


def test_the_access_page_matches_the_permission_matrix() -> None:
    assert (DOCS / "access.md").read_text(encoding="utf-8") == access_page(), (
        "regenerate: python -m jaga.access.docs > docs/access.md"
    )
