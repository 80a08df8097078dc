"""`jaga demo --no-serve`, the main job, as a new user runs it; and its report in a real browser."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from jaga.cli import app
from jaga.db import EventKind, EventRecord, create_engine_for
from jaga.ledger import open_checkpoint, parse_vkey
from jaga.sequencer import LedgerAudit
from jaga.tips import Tip
from tests.browser import browser_page


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data_dir = tmp_path_factory.mktemp("demo-data")
    result = CliRunner().invoke(
        app, ["demo", "--no-serve", "--births", "2000", "--seed", "4"], env={"JAGA_DATA_DIR": str(data_dir)}
    )
    assert result.exit_code == 0, result.output
    return data_dir / "demo", result.output


def test_the_demo_runs_every_stage_and_prints_the_report_and_credentials(demo: tuple[Path, str]) -> None:
    folder, output = demo
    assert "synthesised 2,000 births" in output
    assert f"report: {(folder / 'report.html').resolve()}" in output
    for role in (
        "registrar",
        "facility",
        "social_worker",
        "institution",
        "court",
        "police",
        "auditor",
        "admin",
    ):
        assert f"{role}: jaga_" in output
    assert (folder / "jaga.db").exists()
    assert (folder / "synth" / "truth" / "schemes.csv").exists()


def test_the_demo_folder_is_a_data_folder_the_cli_uses_with_its_tokens(demo: tuple[Path, str]) -> None:
    folder, output = demo
    assert f"export JAGA_DATA_DIR={folder}" in output
    env = dict(
        line.split("=", 1)
        for line in (folder / "demo.env").read_text().splitlines()
        if "=" in line and line[0] != "#"
    )
    assert set(env) >= {"DEMO_REGISTRAR_TOKEN", "DEMO_SOCIAL_WORKER_TOKEN", "DEMO_BIRTH", "DEMO_REVIEW_PAIR"}
    assert f"registrar: {env['DEMO_REGISTRAR_TOKEN']}" in output
    # Every command reads the demo's database and keys when JAGA_DATA_DIR names its folder.
    result = CliRunner().invoke(
        app,
        ["certificate", "issue", "birth", env["DEMO_BIRTH"], "--reason", "request 114"],
        env={
            "JAGA_DATA_DIR": str(folder),
            "JAGA_TOKEN": env["DEMO_REGISTRAR_TOKEN"],
            "JAGA_DATABASE_URL": None,
        },
    )
    assert result.exit_code == 0, result.output


def test_the_demo_writes_private_files(demo: tuple[Path, str]) -> None:
    folder = demo[0]
    assert folder.stat().st_mode & 0o777 == 0o700
    private = [
        folder / "jaga.db",
        folder / "report.html",
        folder / "demo.env",
        folder / "keys" / "ledger.key",
    ]
    private += sorted((folder / "certificates").glob("*.pdf"))
    assert {p.name: p.stat().st_mode & 0o777 for p in private} == {p.name: 0o600 for p in private}
    assert (folder / "certificates").stat().st_mode & 0o777 == 0o700


def test_the_verifier_key_path_the_demo_prints_exists_and_the_report_gives_the_same(
    demo: tuple[Path, str],
) -> None:
    folder, output = demo
    printed = output.split("ledger verifier key (publish it; jaga verify --vkey): ", 1)[1].split("\n", 1)[0]
    assert Path(printed) == folder / "keys" / "ledger.vkey" and Path(printed).is_file()
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert f'<code id="vkey-path">{printed}</code>' in html
    assert f"--vkey {printed}</code>" in html


def test_the_demo_commits_everything_to_the_ledger_and_audits_it(demo: tuple[Path, str]) -> None:
    folder, output = demo
    assert "audit clean" in output
    checkpoint = (folder / "ledger" / "checkpoint").read_text()
    vkey = parse_vkey((folder / "keys" / "ledger.vkey").read_text().strip())
    opened, _ = open_checkpoint(checkpoint, [vkey])
    assert f"ledger: {opened.size:,} events committed" in output
    assert opened.size > 10_000  # every imported row left an event
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "Tamper-evident ledger" in html and f"{opened.size:,}" in html
    assert "agree with the signed log" in html
    engine = create_engine_for(f"sqlite:///{folder / 'jaga.db'}")
    with engine.connect() as connection:
        kept = connection.execute(select(LedgerAudit.run_by, LedgerAudit.clean, LedgerAudit.log_size)).all()
    engine.dispose()
    assert [tuple(row) for row in kept] == [("jaga demo", True, opened.size)]  # shown on /kerja/ledger


def test_the_demo_issues_certificates_that_verify_from_their_pdfs(demo: tuple[Path, str]) -> None:
    folder, output = demo
    pdfs = sorted((folder / "certificates").glob("C-*.pdf"))
    assert len(pdfs) >= 3
    assert f"certificates: {len(pdfs)} issued as PDFs" in output and f"{len(pdfs)} verified" in output
    result = CliRunner().invoke(
        app,
        ["verify", str(pdfs[0]), "--vkey", str(folder / "keys" / "ledger.vkey")],
        env={"JAGA_DATA_DIR": "/nonexistent"},
    )
    assert result.exit_code == 0, result.output
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert html.count('href="certificates/C-') == len(pdfs)
    # The portal's address, and one certificate's verify link (what its QR code holds), which verifies.
    assert (
        "public portal: http://127.0.0.1:8000/  (checking a certificate: http://127.0.0.1:8000/v)" in output
    )
    link = output.split("while the demo serves):\n", 1)[1].split("\n", 1)[0]
    assert link.startswith("http://127.0.0.1:8000/v#JG1U:")
    by_link = CliRunner().invoke(
        app,
        ["verify", link, "--vkey", str(folder / "keys" / "ledger.vkey")],
        env={"JAGA_DATA_DIR": "/nonexistent"},
    )
    assert by_link.exit_code == 0, by_link.output
    assert html.count('class="verify-link" href="http://127.0.0.1:8000/v#JG1U:') == len(pdfs)


def test_the_report_has_its_tables_and_plots_and_flags_found_versus_planted(demo: tuple[Path, str]) -> None:
    html = (demo[0] / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 3
    for title in (
        "Births by regency",
        "Relinquishment rates by facility",
        "Registration delays",
        "Flags found versus planted",
    ):
        assert title in html
    assert "clinic_ring" in html and "referral_hospital" in html
    assert 'id="top-flags"' in html and "ring recall" in html
    # Every planted scheme row has a found cell: a rank within the budget or 0, never a placeholder.
    schemes = html.split('<table id="schemes">', 1)[1].split("</table>", 1)[0]
    found = [row.split('<td class="n">')[3].split("<", 1)[0] for row in schemes.split("<tr>")[2:]]
    assert found and all(cell.isdigit() for cell in found)
    assert sum(cell != "0" for cell in found) >= len(found) // 2  # most schemes surface in the top 50
    assert "0 flags on look-alikes" in html
    # no faces are made up for the demo, and the report says so with the real (empty) counts
    faces = html.split('id="faces-note">', 1)[1].split("</p>", 1)[0]
    assert "carry no photos" in faces and "Photos in this registry: 0;" in faces


def test_the_report_opens_in_a_browser_and_shows_the_plots(demo: tuple[Path, str], tmp_path: Path) -> None:
    report = demo[0] / "report.html"
    with browser_page() as page:
        page.goto(report.resolve().as_uri())  # type: ignore[attr-defined]
        assert page.locator("h1").inner_text() == "jaga demo report"  # type: ignore[attr-defined]
        plots = page.locator("figure.plot svg")  # type: ignore[attr-defined]
        assert plots.count() == 3
        for index in range(3):
            plot = plots.nth(index)
            plot.scroll_into_view_if_needed()
            box = plot.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 150
        assert page.locator("#schemes tr").count() > 6  # type: ignore[attr-defined]
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)  # type: ignore[attr-defined]
    assert (tmp_path / "report.png").stat().st_size > 50_000


def test_the_demo_links_identities_and_reports_their_quality(demo: tuple[Path, str]) -> None:
    folder, output = demo
    assert "linkage: " in output and "identities;" in output and "wait for review" in output
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert 'id="linkage-table"' in html
    # The report judges the stored identities against the synthetic truth (for the reader only).
    quality = html.split('id="linkage-quality">', 1)[1].split("</td>", 1)[0]
    precision = float(quality.split("precision ", 1)[1].split(",", 1)[0])
    recall = float(quality.split("recall ", 1)[1].split(",", 1)[0])
    assert precision > 0.95 and recall > 0.85, quality
    assert "through identity linkage" in html  # relinquishments attributed to facilities by identity


def test_the_demo_prints_a_workbench_password_for_every_account_and_each_logs_in(
    demo: tuple[Path, str],
) -> None:
    from fastapi.testclient import TestClient

    from jaga.app import create_app
    from jaga.settings import Settings

    folder, output = demo
    env = dict(
        line.split("=", 1)
        for line in (folder / "demo.env").read_text().splitlines()
        if "=" in line and line[0] != "#"
    )
    passwords = {k: v for k, v in env.items() if k.endswith("_PASSWORD")}
    tokens = [k for k in env if k.endswith("_TOKEN")]
    assert len(passwords) == len(tokens) >= 8
    assert f"demo-police: {env['DEMO_POLICE_PASSWORD']}" in output
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'jaga.db'}")
    with TestClient(create_app(settings), follow_redirects=False) as client:
        for key, password in passwords.items():
            username = "demo-" + key.removeprefix("DEMO_").removesuffix("_PASSWORD").lower().replace("_", "-")
            page = client.get("/masuk")
            token = page.text.split('name="form_token" value="')[1].split('"')[0]
            answer = client.post(
                "/masuk", data={"username": username, "password": password, "form_token": token}
            )
            assert answer.status_code == 303, (username, answer.text[:200])
            client.cookies.clear()


def test_the_demo_sends_the_synthetic_tips_through_the_public_path(demo: tuple[Path, str]) -> None:
    folder, output = demo
    with (folder / "synth" / "tips.csv").open(encoding="utf-8", newline="") as handle:
        rows = len(list(csv.DictReader(handle)))
    assert rows > 0 and f"tips: {rows:,} sent through the public path" in output
    engine = create_engine_for(f"sqlite:///{folder / 'jaga.db'}")
    with Session(engine) as session:
        tips = session.scalar(select(func.count()).select_from(Tip))
        received = session.scalar(
            select(func.count())
            .select_from(EventRecord)
            .where(EventRecord.kind == EventKind.TIP_RECEIVED.value)
        )
    engine.dispose()
    assert tips == received == rows  # each one submitted on its own, its event in the ledger
    env = (folder / "demo.env").read_text()
    assert "DEMO_TIP=T-" in env


def test_the_demos_four_eyes_officers_need_each_other(demo: tuple[Path, str]) -> None:
    """The printed pair: officer a's legal step waits, a may not approve it, b's approval puts it in force."""
    from datetime import date

    from fastapi.testclient import TestClient

    from jaga.app import create_app
    from jaga.registry import RULES, Step
    from jaga.settings import Settings

    folder, output = demo
    line = next(line for line in output.splitlines() if line.startswith("four eyes ("))
    role = line.split("(", 1)[1].split(")", 1)[0]
    step, case_ref = line.split("records step ", 1)[1].split(" of adoption case ")
    case_ref = case_ref.split(" ", 1)[0]
    env = dict(line.split("=", 1) for line in (folder / "demo.env").read_text().splitlines() if "=" in line)
    assert env[f"DEMO_FOUR_EYES_{role.upper()}"] == case_ref
    first, second = ({"Authorization": f"Bearer {env[f'DEMO_{role.upper()}_{x}_TOKEN']}"} for x in ("A", "B"))
    rule = RULES[Step(step)]
    body: dict[str, object] = {
        "step": step,
        "occurred_on": date.today().isoformat(),
        "documents": [{"kind": kind, "number": f"DEMO/{kind}/1"} for kind in rule.documents],
    }
    if rule.outcomes:
        body["outcome"] = "granted" if "granted" in rule.outcomes else "passed"
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'jaga.db'}")
    read = {"reason": "four-eyes demo test"}
    with TestClient(create_app(settings)) as client:
        before = client.get(f"/api/v1/adoption-cases/{case_ref}", params=read, headers=first).json()
        taken = client.post(f"/api/v1/adoption-cases/{case_ref}/steps", json=body, headers=first)
        assert taken.status_code == 201, taken.text
        number = max(s["number"] for s in taken.json()["steps"])
        waiting = client.get(f"/api/v1/adoption-cases/{case_ref}", params=read, headers=first).json()
        assert step in waiting["next_steps"] and waiting["status"] == before["status"]  # not in force
        assert [s["approval"] for s in waiting["steps"] if s["number"] == number] == ["pending"]
        own = client.post(
            f"/api/v1/adoption-cases/{case_ref}/steps/{number}/decision",
            json={"decision": "approve"},
            headers=first,
        )
        assert own.status_code == 403, own.text
        approved = client.post(
            f"/api/v1/adoption-cases/{case_ref}/steps/{number}/decision",
            json={"decision": "approve"},
            headers=second,
        )
        assert approved.status_code == 200, approved.text
        assert step not in approved.json()["next_steps"]
        assert [s["approval"] for s in approved.json()["steps"] if s["number"] == number] == ["approved"]
