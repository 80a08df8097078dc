"""The import page in Chromium: a file with bad rows sent from the page, the report shown row by row and
checked with axe-core, and the refused rows downloaded."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from jaga.app import create_app
from tests.browser import served
from tests.conftest import fast_token_hasher
from tests.portal.browser import assert_accessible, portal_pages
from tests.workbench.conftest import PASSWORD, WorkbenchRegistry
from tests.workbench.test_import import COLUMNS, _csv, _mothers

# The browser runs once, on SQLite: the PostgreSQL registry is not even built for it.
pytestmark = [pytest.mark.slow, pytest.mark.parametrize("with_passwords", ["sqlite"], indirect=True)]


@pytest.fixture
def live_importer(with_passwords: WorkbenchRegistry, tmp_path: Path) -> Iterator[str]:
    """The real application on a loopback port, its import files under a temporary data folder."""
    settings = with_passwords.settings().model_copy(update={"data_dir": tmp_path / "data"})
    with served(create_app(settings, token_hasher=fast_token_hasher())) as (url, _server):
        yield url


def test_a_refused_import_is_reported_row_by_row_in_an_accessible_page(
    live_importer: str, workbench_folder: Path
) -> None:
    rows = _mothers(workbench_folder, 4)
    rows[0]["sex"] = "X"
    rows[2]["birth_date"] = "2199-01-01"
    with portal_pages() as open_page:
        page = open_page(phone=True)
        page.goto(f"{live_importer}/masuk")
        page.fill("#username", "facility")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.click("[data-import-link]")
        page.wait_for_selector("[data-import-form]")
        assert_accessible(page)
        page.select_option("#kind", "people")
        page.set_input_files(
            "#file", files=[{"name": "ibu.csv", "mimeType": "text/csv", "buffer": _csv(rows)}]
        )
        page.click("[data-import-form] button[type=submit]")
        page.wait_for_selector("[data-import-refused]")
        errors = page.locator("tr[data-row-error]")
        assert errors.evaluate_all("els => els.map(e => e.dataset.row)") == ["1", "3"]
        assert_accessible(page)
        with page.expect_download() as waiting:
            page.click("[data-rejects-link]")
        download = waiting.value
        assert download.suggested_filename == "people-ditolak.csv"
        refused = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
        assert refused[0] == ["_row", *COLUMNS, "_reasons"]
        assert [r[0] for r in refused[1:]] == ["1", "3"]
