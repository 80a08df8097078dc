"""The field pages in Chromium on a registry filled by `jaga synth` (after the whole pipeline) into which a
field device sent, through the real commands, a person whose NIK the civil registry holds under another
name: a supervisor on a phone reads the queue and the diff and decides; an admin on a desktop enrols and
revokes devices; a courier sends a batch from a USB stick (an altered one refused, then the real one
applied, then again: already held) after the work queue counted the held events. In Indonesian and
English; axe-core finds no serious or critical violation on any page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from jaga.app import create_app
from jaga.field import init_node, open_node
from jaga.field.batch import parse_batch, render_batch
from jaga.field.chain import SignedEvent
from jaga.field.node import VKEY_FILE, export_batch
from tests.browser import served
from tests.cli_helpers import jaga
from tests.conftest import fast_token_hasher
from tests.field.conftest import NOW, OFFICER, field_conflict_in_registry, record_family
from tests.portal.browser import assert_accessible, portal_pages
from tests.workbench.conftest import (  # noqa: F401 (fixtures)
    PASSWORD,
    WorkbenchRegistry,
    with_passwords,
    workbench_folder,
)

pytestmark = pytest.mark.slow
PURPOSE = "pemeriksaan konflik lapangan Kab. Kudus"


@pytest.fixture(scope="module")
def field_site(
    with_passwords: WorkbenchRegistry,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    if with_passwords.dialect != "sqlite":
        pytest.skip("the browser tests run once, on SQLite")
    field_conflict_in_registry(
        with_passwords.url, with_passwords.tokens, tmp_path_factory.mktemp("field-web")
    )
    app = create_app(with_passwords.settings(), token_hasher=fast_token_hasher())
    with served(app) as (url, _server):
        yield url


def _log_in(page: Any, base: str, username: str, target: str) -> None:
    page.goto(f"{base}{target}")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-officer]")
    if page.locator("[data-purpose-form]").count():
        page.fill("#purpose", PURPOSE)
        page.click("[data-purpose-form] button")
        page.wait_for_selector("[data-purpose-text]")


def test_a_supervisor_reads_the_diff_and_keeps_the_central_record_on_a_phone(field_site: str) -> None:
    base = field_site
    with portal_pages() as open_page:
        page = open_page(phone=True)
        _log_in(page, base, "social-jateng", "/kerja/field")
        assert page.url.startswith(f"{base}/kerja/field")
        row = page.locator("[data-field-conflict]").first
        assert row.get_attribute("data-field-conflict-kind") == "nik-registered"
        assert "NIK ini sudah tercatat di data pusat" in row.inner_text()
        assert_accessible(page)

        row.locator("a").click()
        page.wait_for_selector("[data-field-legal-notice]")
        name = page.locator('tr[data-field-diff="full_name"]').first
        assert name.get_attribute("data-field-differs") == "true"
        assert name.get_attribute("data-field-legal") == "true"
        assert "status hukum" in name.inner_text()
        assert_accessible(page)

        page.goto(page.url + "?lang=en")
        assert "never merged automatically" in page.locator("[data-field-legal-notice]").inner_text()
        assert_accessible(page)

        page.click("[data-field-dismiss]")  # no reason yet: the browser keeps the form
        assert page.locator('[data-field-status="open"]').count() == 1
        page.fill("#reason", "the same mother; the central record's name is the KK's")
        page.click("[data-field-dismiss]")
        page.wait_for_selector('[data-field-status="dismissed"]')
        assert page.locator("[data-field-resolve-form]").count() == 0
        assert_accessible(page)

        page.goto(f"{base}/kerja/field?status=all&lang=en")
        assert page.locator('[data-field-status="dismissed"]').count() >= 1
        assert_accessible(page)


def test_an_admin_enrols_and_revokes_a_device_on_a_desktop(field_site: str, tmp_path: Path) -> None:
    base = field_site
    init_node(tmp_path / "node", server=base, office="PKM-GEBOG", officer="facility")
    vkey = (tmp_path / "node" / VKEY_FILE).read_text().strip()
    with portal_pages() as open_page:
        page = open_page()
        _log_in(page, base, "admin", "/kerja/field/devices")
        assert page.locator("[data-field-device]").count() >= 1
        assert_accessible(page)

        page.fill("#vkey", "not a key")
        page.fill("#office", "PKM-GEBOG")
        page.fill("#region", "33.19")
        page.fill("#enrol-reason", "puskesmas outreach to the islands")
        page.click("[data-field-enrol]")
        page.wait_for_selector('[data-error="enrol"]')
        assert page.locator("#office").input_value() == "PKM-GEBOG"  # what was typed is kept
        assert_accessible(page)

        page.fill("#vkey", vkey)
        page.click("[data-field-enrol]")
        device = vkey.split("+")[0]
        row = page.locator(f'[data-field-device="{device}"]')
        row.wait_for()
        assert row.get_attribute("data-field-revoked") == "false"
        assert row.get_attribute("data-field-last-seq") == "0"

        page.goto(f"{base}/kerja/field/devices?lang=en")
        row = page.locator(f'[data-field-device="{device}"]')
        row.locator("summary").click()
        row.locator("input[name=reason]").fill("tablet lost at sea")
        row.locator("[data-field-revoke]").click()
        page.wait_for_selector(f'[data-field-device="{device}"][data-field-revoked="true"]')
        assert "tablet lost at sea" in page.locator(f'[data-field-device="{device}"]').inner_text()
        assert_accessible(page)


def test_a_courier_sends_a_batch_from_a_usb_stick_and_the_work_queue_counts_held_events(
    field_site: str,
    with_passwords: WorkbenchRegistry,  # noqa: F811
    tmp_path: Path,
) -> None:
    base = field_site
    init_node(tmp_path / "node", server=base, office="PKM-USB", officer=OFFICER)
    node = open_node(tmp_path / "node")
    try:
        record_family(node, serial=9777)
        export_batch(node, tmp_path / "batch.jaga", now=NOW + timedelta(hours=1))
        enrolled = jaga(
            with_passwords.url, "field", "enrol", "--device-vkey", str(node.folder / VKEY_FILE),
            "--office", "PKM-USB", "--reason", "kurir kecamatan", "--region", "3374",
            token=with_passwords.tokens["admin"],
        )  # fmt: skip
        assert enrolled.exit_code == 0, enrolled.output
        parsed = parse_batch((tmp_path / "batch.jaga").read_bytes())
    finally:
        node.close()
    first = parsed.events[0]
    altered = SignedEvent(first.envelope.replace("Siti Aminah", "Siti Aminaa"), first.signature)
    (tmp_path / "altered.jaga").write_text(render_batch(parsed.device, [altered, *parsed.events[1:]]))
    with portal_pages() as open_page:
        page = open_page()
        _log_in(page, base, "registrar", "/kerja")
        card = page.locator('[data-queue-source="field"]')
        assert (card.get_attribute("data-count") or "").isdigit()  # the other test may have decided one
        assert_accessible(page)

        page.goto(f"{base}/kerja/field/batches/upload")
        assert_accessible(page)
        page.set_input_files("#batch-file", str(tmp_path / "altered.jaga"))
        page.click("[data-field-batch-send]")
        page.wait_for_selector("[data-batch-refused]")
        assert "Siti" not in page.content()
        assert page.locator("[data-batch-stored-nothing]").count() == 1
        assert_accessible(page)

        page.set_input_files("#batch-file", str(tmp_path / "batch.jaga"))
        page.click("[data-field-batch-send]")
        report = page.locator("[data-batch-report]")
        report.wait_for()
        assert report.get_attribute("data-batch-applied") == "2"
        assert page.locator('[data-outcome="applied"]').count() == 2
        assert_accessible(page)

        page.goto(f"{base}/kerja/field/batches/upload?lang=en")
        page.set_input_files("#batch-file", str(tmp_path / "batch.jaga"))
        page.click("[data-field-batch-send]")
        page.wait_for_selector('[data-batch-report][data-batch-already-have="2"]')
        assert "Already held by the server" in page.locator("[data-batch-report]").inner_text()
        assert_accessible(page)
