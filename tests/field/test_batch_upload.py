"""The courier's batch upload page (`/kerja/field/batches/upload`) through a test client, on both
databases, on a registry filled by `jaga synth`: a device made with the real node code, enrolled with
`jaga field enrol`, its exported batch sent through the page. Applied, sent again (already-have), held
against the civil registry (link to the conflict queue), and refused when altered, forged, from a revoked
or unknown device, not a batch, too large, without its CSRF token, or from a role the API refuses; a
refused batch stores nothing and the page never shows an event's content."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jaga.app import create_app
from jaga.db import create_engine_for
from jaga.field import FieldConflict, FieldEvent, Node, init_node, open_node, sign_event
from jaga.field.api import MAX_BATCH_BYTES
from jaga.field.batch import parse_batch, render_batch
from jaga.field.chain import SignedEvent, read_envelope
from jaga.field.node import VKEY_FILE, export_batch, record
from jaga.ledger.note import Ed25519Signer
from jaga.registry.models import Person
from tests.cli_helpers import jaga
from tests.conftest import fast_token_hasher
from tests.field.conftest import NOW, OFFICER, birth_row, mother_row, record_family
from tests.workbench.conftest import (  # noqa: F401 (fixtures)
    ORIGIN,
    WorkbenchRegistry,
    csrf_of,
    log_in,
    with_passwords,
    workbench_folder,
)

pytestmark = pytest.mark.slow
PATH = "/kerja/field/batches/upload"
Client = Callable[[str], TestClient]
_serials = iter(range(9001, 9999))  # NIK serials of this module's mothers (one each)


@pytest.fixture
def client(with_passwords: WorkbenchRegistry, tmp_path: Path) -> Iterator[Client]:  # noqa: F811
    """`client(username)`: a fresh browser, logged in, on the registry (uploads under `tmp_path`)."""
    settings = with_passwords.settings().model_copy(update={"data_dir": tmp_path / "data"})
    app = create_app(settings, token_hasher=fast_token_hasher())
    clients: list[TestClient] = []

    def make(username: str) -> TestClient:
        made = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
        clients.append(made)
        assert log_in(made, username).status_code == 303  # type: ignore[attr-defined]
        return made

    yield make
    for made in clients:
        made.close()


def _node(folder: Path) -> Node:
    init_node(folder, server="https://jaga.test", office="PKM-USB", officer=OFFICER)
    return open_node(folder)


def _enrol(registry: WorkbenchRegistry, node: Node, region: str = "3374") -> None:
    done = jaga(
        registry.url, "field", "enrol", "--device-vkey", str(node.folder / VKEY_FILE), "--office", "PKM-USB",
        "--reason", "kurir kecamatan", "--region", region, token=registry.tokens["admin"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output


def _family_batch(registry: WorkbenchRegistry, tmp_path: Path, *, enrol: bool = True) -> tuple[Node, bytes]:
    """An (enrolled) device's batch of a mother and her child's birth in Kota Semarang."""
    node = _node(tmp_path / "node")
    if enrol:
        _enrol(registry, node)
    record_family(node, serial=next(_serials))
    out = tmp_path / "batch.jaga"
    export_batch(node, out, now=NOW + timedelta(hours=1))
    return node, out.read_bytes()


def _send(client: TestClient, content: bytes, *, lang: str = "en", name: str = "batch.jaga") -> object:
    csrf = csrf_of(client.get(PATH).text)
    return client.post(
        f"{PATH}?lang={lang}",
        data={"csrf": csrf},
        files={"file": (name, content)},
        headers={"Origin": ORIGIN},
    )


def _events(url: str, device: str) -> int:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        query = select(func.count()).select_from(FieldEvent).where(FieldEvent.device_id == device)
        found = int(connection.scalar(query) or 0)
    engine.dispose()
    return found


def _counts(html: str) -> tuple[int, int, int]:
    found = re.search(
        r'data-batch-applied="(\d+)" data-batch-already-have="(\d+)" data-batch-held="(\d+)"', html
    )
    assert found is not None, html
    applied, already, held = (int(n) for n in found.groups())
    return applied, already, held


def test_a_courier_sends_a_batch_and_sees_what_became_of_each_event_and_again_nothing_twice(
    client: Client,
    with_passwords: WorkbenchRegistry,  # noqa: F811
    tmp_path: Path,
) -> None:
    node, batch = _family_batch(with_passwords, tmp_path)
    courier = client("registrar-semarang")
    form = courier.get(PATH)
    assert form.status_code == 200 and "data-field-batch-form" in form.text
    assert f'href="{PATH}"' in courier.get("/kerja").text  # the navigation's entry for this role
    sent = _send(courier, batch, lang="id")
    assert sent.status_code == 200, sent.text  # type: ignore[attr-defined]
    assert sent.headers["cache-control"] == "no-store"  # type: ignore[attr-defined]
    assert _counts(sent.text) == (2, 0, 0)  # type: ignore[attr-defined]
    assert sent.text.count('data-outcome="applied"') == 2  # type: ignore[attr-defined]
    assert "Siti Aminah" not in sent.text  # type: ignore[attr-defined]  # the event's content
    assert _events(with_passwords.url, node.info.device) == 2
    again = _send(courier, batch)
    assert _counts(again.text) == (0, 2, 0)  # type: ignore[attr-defined]
    assert _events(with_passwords.url, node.info.device) == 2
    node.close()


def test_an_event_held_against_the_civil_registry_is_counted_with_a_link_to_the_conflict_queue(
    client: Client,
    with_passwords: WorkbenchRegistry,  # noqa: F811
    tmp_path: Path,
) -> None:
    engine = create_engine_for(with_passwords.url)
    with Session(engine) as session:
        central = session.scalars(
            select(Person)
            .where(
                Person.source_kind == "civil_registry",
                Person.nik.is_not(None),
                Person.birth_date.is_not(None),
            )
            .order_by(Person.id.desc())
            .limit(1)
        ).one()
        row = {
            "source_kind": "facility", "full_name": "Nama Kurir Berbeda", "nik": central.nik, "sex": central.sex,
            "birth_date": central.birth_date.isoformat() if central.birth_date else None,
            "region_code": central.region_code,
        }  # fmt: skip
    engine.dispose()
    node = _node(tmp_path / "node")
    _enrol(with_passwords, node, region="33")
    record(node, "people", [row], officer=OFFICER, now=datetime.now(UTC), from_file=False)
    export_batch(node, tmp_path / "held.jaga", now=datetime.now(UTC))
    sent = _send(client("registrar"), (tmp_path / "held.jaga").read_bytes())
    assert sent.status_code == 200, sent.text  # type: ignore[attr-defined]
    assert _counts(sent.text) == (0, 0, 1)  # type: ignore[attr-defined]
    assert "data-batch-conflicts-link" in sent.text  # type: ignore[attr-defined]
    assert "Nama Kurir Berbeda" not in sent.text and central.nik not in sent.text  # type: ignore[attr-defined]
    engine = create_engine_for(with_passwords.url)
    with engine.connect() as connection:
        held = connection.scalar(
            select(func.count()).select_from(FieldConflict).where(FieldConflict.device_id == node.info.device)
        )
    engine.dispose()
    assert held == 1
    node.close()


def test_an_altered_or_forged_batch_is_refused_with_the_servers_reason_and_stores_nothing(
    client: Client,
    with_passwords: WorkbenchRegistry,  # noqa: F811
    tmp_path: Path,
) -> None:
    node, batch = _family_batch(with_passwords, tmp_path)
    parsed = parse_batch(batch)
    first = parsed.events[0]
    altered = SignedEvent(first.envelope.replace("Siti Aminah", "Siti Aminaa"), first.signature)
    courier = client("registrar-semarang")
    refused = _send(courier, render_batch(parsed.device, [altered, parsed.events[1]]).encode())
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert re.search(r"event 1 \(.*\): the signature does not verify", refused.text)  # type: ignore[attr-defined]
    assert "data-batch-stored-nothing" in refused.text and "Siti" not in refused.text  # type: ignore[attr-defined]
    impostor = Ed25519Signer.generate(node.info.device)  # the same device name, another key
    forged = sign_event(impostor, **asdict(read_envelope(first, 1)))
    refused = _send(courier, render_batch(parsed.device, [forged]).encode())
    assert refused.status_code == 422 and "enrolled key" in refused.text  # type: ignore[attr-defined]
    assert _events(with_passwords.url, node.info.device) == 0
    node.close()


def test_a_batch_with_an_event_the_registry_refuses_is_refused_whole_with_each_events_outcome(
    client: Client,
    with_passwords: WorkbenchRegistry,  # noqa: F811
    tmp_path: Path,
) -> None:
    node = _node(tmp_path / "node")
    _enrol(with_passwords, node)
    mother = mother_row(next(_serials))
    record(node, "people", [mother], officer=OFFICER, now=NOW, from_file=False)
    record(node, "births", [birth_row("P-NOSUCHMOTHER")], officer=OFFICER, now=NOW, from_file=False)
    export_batch(node, tmp_path / "refused.jaga", now=NOW + timedelta(hours=1))
    refused = _send(client("registrar-semarang"), (tmp_path / "refused.jaga").read_bytes(), lang="id")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "Paket lapangan ditolak" in refused.text  # type: ignore[attr-defined]
    outcomes = re.findall(r'data-outcome="([a-z-]+)"', refused.text)  # type: ignore[attr-defined]
    assert outcomes == ["not-written", "refused"]
    assert "tidak ditulis: paket ditolak" in refused.text  # type: ignore[attr-defined]
    assert mother["nik"] not in refused.text and "data-batch-stored-nothing" in refused.text  # type: ignore[attr-defined]
    assert _events(with_passwords.url, node.info.device) == 0
    node.close()


def test_a_batch_from_a_revoked_or_unknown_device_is_refused_and_stores_nothing(
    client: Client,
    with_passwords: WorkbenchRegistry,  # noqa: F811
    tmp_path: Path,
) -> None:
    courier = client("registrar-semarang")
    unknown, batch = _family_batch(with_passwords, tmp_path / "unknown", enrol=False)
    refused = _send(courier, batch)
    assert refused.status_code == 403 and "is not enrolled on this server" in refused.text  # type: ignore[attr-defined]
    node, batch = _family_batch(with_passwords, tmp_path / "revoked")
    done = jaga(
        with_passwords.url, "field", "revoke", node.info.device, "--reason", "flashdisk hilang",
        token=with_passwords.tokens["admin"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    refused = _send(courier, batch, lang="id")
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert f"perangkat {node.info.device} dicabut pada" in refused.text  # type: ignore[attr-defined]
    assert "Pendaftaran perangkat dicabut" in refused.text  # type: ignore[attr-defined]  # the title, in Indonesian
    assert (
        _events(with_passwords.url, node.info.device) == _events(with_passwords.url, unknown.info.device) == 0
    )
    node.close()
    unknown.close()


def test_a_missing_empty_foreign_or_oversized_file_is_told_precisely(
    client: Client,
    with_passwords: WorkbenchRegistry,  # noqa: F811
) -> None:
    courier = client("registrar-semarang")
    no_file = _send(courier, b"", name="")
    assert no_file.status_code == 422 and "choose the batch file" in no_file.text  # type: ignore[attr-defined]
    foreign = _send(courier, b"Nama,NIK\nSiti,3374\n", name="daftar.csv")
    assert foreign.status_code == 422 and "data-batch-refused" in foreign.text  # type: ignore[attr-defined]
    assert "Siti" not in foreign.text  # type: ignore[attr-defined]
    too_large = _send(courier, b"x" * (MAX_BATCH_BYTES + 1), lang="id")
    assert too_large.status_code == 413  # type: ignore[attr-defined]
    assert "berkas batch lebih besar dari 64 MB" in too_large.text  # type: ignore[attr-defined]


def test_only_the_roles_the_api_allows_may_send_and_only_with_the_forms_token(
    client: Client,
    with_passwords: WorkbenchRegistry,  # noqa: F811
    tmp_path: Path,
) -> None:
    for username in ("court", "auditor", "admin"):
        refused = client(username)
        assert refused.get(PATH).status_code == 403
        assert f'href="{PATH}"' not in refused.get("/kerja").text
    node, batch = _family_batch(with_passwords, tmp_path)
    courier = client("registrar-semarang")
    forged = courier.post(
        PATH, data={"csrf": "0" * 32}, files={"file": ("b.jaga", batch)}, headers={"Origin": ORIGIN}
    )
    assert forged.status_code == 403
    elsewhere = courier.post(
        PATH,
        data={"csrf": csrf_of(courier.get(PATH).text)},
        files={"file": ("b.jaga", batch)},
        headers={"Origin": "https://elsewhere.example"},
    )
    assert elsewhere.status_code == 403
    assert _events(with_passwords.url, node.info.device) == 0
    node.close()
