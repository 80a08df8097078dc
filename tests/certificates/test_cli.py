"""`jaga certificate ...` and `jaga verify`, as a registrar and a citizen run them; online against a real
server process."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor, TokenHasher, authenticate
from jaga.db import create_engine_for, session_factory
from tests.certificates.conftest import REASON, registered_adoption, registered_birth
from tests.cli_helpers import jaga, jaga_process
from tests.factories.registry import birth, mother, official

_engines: list[Engine] = []


@pytest.fixture(autouse=True)
def _dispose_engines() -> Iterator[None]:
    yield
    while _engines:
        _engines.pop().dispose()


def _actors(url: str, tokens: dict[str, str]) -> tuple[sessionmaker[Session], dict[str, Actor]]:
    engine = create_engine_for(url)
    _engines.append(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        actors = {name: authenticate(session, TokenHasher(), token) for name, token in tokens.items()}
    return sessions, actors


def _ref(output: str) -> str:
    return output.split("certificate ", 1)[1].split(":", 1)[0]


def test_a_registrar_issues_a_pdf_that_anyone_verifies_offline(
    throwaway_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    url, data = throwaway_url, tmp_path / "data"
    assert jaga(url, "ledger", "init", data_dir=data).exit_code == 0
    sessions, actors = _actors(url, tokens)
    birth_ref = registered_birth(sessions, actors)
    pdf = tmp_path / "akta.pdf"
    issued = jaga(
        url,
        "certificate",
        "issue",
        "birth",
        birth_ref,
        "--reason",
        REASON,
        "--out",
        str(pdf),
        token=tokens["registrar"],
        data_dir=data,
    )
    assert issued.exit_code == 0, issued.output
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_mode & 0o777 == 0o600  # it names a child and a mother
    vkey = str(data / "keys" / "ledger.vkey")

    verified = jaga(url, "verify", str(pdf), "--vkey", vkey, data_dir=tmp_path / "elsewhere")
    assert verified.exit_code == 0, verified.output
    for line in ("✓ format", "✓ log signature", "✓ inclusion", "- witnesses: not checked", "✓ record"):
        assert line in verified.output
    assert "child_name: Putri Ayu Lestari" in verified.output
    assert "the certificate is authentic (offline checks)" in verified.output

    # The QR code holds the verify link; `jaga verify` reads it given directly or in a text file, and the
    # JG1: text (below) alike.
    import json

    from jaga.certificates.qr import payload_from_file

    link = payload_from_file(pdf)
    assert link.startswith("http://127.0.0.1:8000/v#JG1U:")  # JAGA_BASE_URL unset: the served address
    holder = tmp_path / "link.txt"
    holder.write_text(link + "\n")
    for source in (link, str(holder)):
        answer = jaga(url, "verify", source, "--vkey", vkey, "--json", data_dir=tmp_path / "elsewhere")
        assert answer.exit_code == 0, answer.output
        assert json.loads(answer.stdout)["verdict"] == "valid"

    payload = jaga(
        url,
        "certificate",
        "payload",
        _ref(issued.output),
        "--reason",
        REASON,
        token=tokens["auditor"],
        data_dir=data,
    )
    assert payload.exit_code == 0, payload.output
    from jaga.ledger import Ed25519Signer

    stranger = Ed25519Signer.generate("jaga.local/ledger").verifier().vkey()
    refused = jaga(url, "verify", payload.output.strip(), "--vkey", stranger, data_dir=tmp_path / "elsewhere")
    assert refused.exit_code == 1
    assert "✗ log signature" in refused.output and "does not verify (log signature" in refused.output
    no_key = jaga(url, "verify", payload.output.strip(), data_dir=tmp_path / "elsewhere")
    assert no_key.exit_code == 3 and "pass --vkey" in no_key.output

    facility = jaga(
        url,
        "certificate",
        "issue",
        "birth",
        birth_ref,
        "--reason",
        REASON,
        token=tokens["facility"],
        data_dir=data,
    )
    assert facility.exit_code == 5 and "may not certificates:issue" in facility.output
    nobody = jaga(url, "certificate", "issue", "birth", birth_ref, "--reason", REASON, data_dir=data)
    assert nobody.exit_code == 5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(throwaway_url: str, tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """A real `jaga serve` with a log key: (database url, base url, data dir)."""
    data = tmp_path / "data"
    assert jaga(throwaway_url, "ledger", "init", data_dir=data).exit_code == 0
    port = _free_port()
    process = jaga_process(throwaway_url, "serve", "--port", str(port), data_dir=data)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            break
        except httpx.TransportError:
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
    try:
        yield throwaway_url, base, data
    finally:
        process.terminate()
        process.communicate(timeout=10)


@pytest.mark.slow  # a real `jaga serve` subprocess per database
def test_online_verification_reports_revocation_and_amendment(
    server: tuple[str, str, Path], tmp_path: Path, tokens: dict[str, str]
) -> None:
    url, base, data = server
    sessions, actors = _actors(url, tokens)
    vkey = str(data / "keys" / "ledger.vkey")
    registrar = {"Authorization": f"Bearer {tokens['registrar']}"}

    # Issued over the API; the PDF comes back with its proof.
    birth_ref = registered_birth(sessions, actors)
    made = httpx.post(
        f"{base}/api/v1/certificates",
        params={"reason": REASON},
        json={"kind": "birth", "subject_ref": birth_ref},
        headers=registrar,
    )
    assert made.status_code == 201, made.text
    ref = made.json()["ref"]
    pdf = httpx.get(f"{base}/api/v1/certificates/{ref}/pdf", params={"reason": REASON}, headers=registrar)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "cert.pdf"
    path.write_bytes(pdf.content)

    good = jaga(url, "verify", str(path), "--vkey", vkey, "--online", base)
    assert good.exit_code == 0, good.output
    assert "✓ status: valid" in good.output and "✓ log consistency" in good.output

    # The log grows; the certificate's older checkpoint must still be a prefix of it.
    more = registered_birth(sessions, actors)
    assert (
        httpx.post(
            f"{base}/api/v1/certificates",
            params={"reason": REASON},
            json={"kind": "birth", "subject_ref": more},
            headers=registrar,
        ).status_code
        == 201
    )
    assert jaga(url, "ledger", "integrate", data_dir=data).exit_code == 0
    still = jaga(url, "verify", str(path), "--vkey", vkey, "--online", base)
    assert still.exit_code == 0 and "extends the certificate's checkpoint" in still.output

    revoked = httpx.post(
        f"{base}/api/v1/certificates/{ref}/revoke",
        json={"reason": "court order 3/Pdt.P/2026"},
        headers=registrar,
    )
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    bad = jaga(url, "verify", str(path), "--vkey", vkey, "--online", base)
    assert bad.exit_code == 1
    assert "✗ status: REVOKED" in bad.output
    assert "✓ log signature" in bad.output  # still authentic: it was issued, and then revoked

    # An adoption certificate stating "no akta"; then the child's birth is registered.
    case = registered_adoption(sessions, actors)
    adoption = httpx.post(
        f"{base}/api/v1/certificates",
        params={"reason": REASON},
        json={"kind": "adoption", "subject_ref": case},
        headers=registrar,
    )
    assert adoption.status_code == 201, adoption.text
    payload = jaga(
        url,
        "certificate",
        "payload",
        adoption.json()["ref"],
        "--reason",
        REASON,
        token=tokens["registrar"],
        data_dir=data,
    ).output.strip()
    assert jaga(url, "verify", payload, "--vkey", vkey, "--online", base).exit_code == 0
    child = adoption.json()["content"]["child_name"]
    assert child == "Anak A"
    from sqlalchemy import select

    from jaga.registry.models import AdoptionCase, Person

    with sessions() as session:
        child_ref = session.scalar(
            select(Person.ref)
            .join(AdoptionCase, AdoptionCase.child_id == Person.id)
            .where(AdoptionCase.ref == case)
        )
    registrar_actor = actors["registrar"]
    birth(
        sessions,
        registrar_actor,
        mother_ref=mother(sessions, actors["facility"]),
        child_ref=child_ref,
        akta_number="3374-LT-LATE-1",
        registered_on="2025-03-01",
        born_on="2024-05-01",
        registrar_ref=official(sessions, actors["admin"]),
    )
    amended = jaga(url, "verify", payload, "--vkey", vkey, "--online", base)
    assert amended.exit_code == 1
    assert "✗ status: AMENDED" in amended.output and "birth.recorded" in amended.output

    status = httpx.get(f"{base}/verify/v1/certificates/{ref}").json()
    assert status["status"] == "revoked" and "Putri" not in str(status)  # no personal data in public
    assert httpx.get(f"{base}/verify/v1/certificates/C-NOPE").status_code == 404
