"""The printed certificate: a PDF whose QR code carries the proof, readable back from the PDF and from a
poor photo of it."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pypdfium2
import segno
from PIL import Image, ImageFilter
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.certificates import services
from jaga.certificates.documents import LogAccess, payload_of, pdf_of
from jaga.certificates.qr import payload_from_file
from jaga.certificates.verify import verify_payload
from jaga.db import UnitOfWork
from jaga.names import parse_name
from jaga.registry.services.reads import Purpose
from jaga.sequencer import LedgerKeys
from tests.certificates.conftest import REASON, registered_birth


def _issue(
    sessions: sessionmaker[Session], actors: dict[str, Actor], birth_ref: str
) -> services.CertificateView:
    with UnitOfWork(sessions) as uow:
        return services.issue(
            uow, actors["registrar"], kind="birth", subject_ref=birth_ref, purpose=Purpose(REASON, "test")
        )


def test_the_pdf_states_the_facts_and_its_qr_code_verifies(
    sessions: sessionmaker[Session],
    actors: dict[str, Actor],
    birth_ref: str,
    log: LogAccess,
    log_keys: LedgerKeys,
    tmp_path: Path,
) -> None:
    view = _issue(sessions, actors, birth_ref)
    pdf = pdf_of(sessions, view, log, base_url="https://jaga.test")
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    document = pypdfium2.PdfDocument(str(path))
    text = document[0].get_textpage().get_text_range()
    document.close()
    for fact in (
        view.ref,
        "Putri Ayu Lestari",
        "Siti Aminah binti Abdullah",
        "2025-01-10",
        "Perempuan / Female",
    ):
        assert fact in text, fact
    assert "https://jaga.test/verify/v1/certificates/" + view.ref in text
    payload = payload_from_file(path)
    assert payload == payload_of(sessions, view.ref, log)
    assert verify_payload(payload, [log_keys.signer.verifier()]).ok


def test_a_skewed_blurred_jpeg_photo_of_the_code_still_reads(
    sessions: sessionmaker[Session], actors: dict[str, Actor], birth_ref: str, log: LogAccess, tmp_path: Path
) -> None:
    payload = payload_of(sessions, _issue(sessions, actors, birth_ref).ref, log)
    buffer = io.BytesIO()
    segno.make_qr(payload, error="m", boost_error=False).save(buffer, kind="png", scale=6, border=4)
    image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    rng = random.Random(7)
    photo = image.rotate(8, expand=True, fillcolor=255).filter(ImageFilter.GaussianBlur(1.2))
    photo = photo.point(lambda v: max(0, min(255, v + rng.randint(-25, 25))))
    photo = Image.merge("RGB", (photo, photo, photo)).resize((photo.width * 3 // 4, photo.height * 3 // 4))
    path = tmp_path / "photo.jpg"
    photo.save(path, quality=60)
    assert payload_from_file(path) == payload


def test_files_without_a_certificate_are_refused_clearly(tmp_path: Path) -> None:
    import pytest

    from jaga.errors import InvalidInput

    blank = tmp_path / "blank.png"
    Image.new("RGB", (200, 200), "white").save(blank)
    with pytest.raises(InvalidInput, match="no jaga certificate QR code found"):
        payload_from_file(blank)
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(InvalidInput, match="neither a PDF, an image nor"):
        payload_from_file(other)
    with pytest.raises(InvalidInput, match="does not exist"):
        payload_from_file(tmp_path / "missing.pdf")
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"%PDF-1.7 truncated")
    with pytest.raises(InvalidInput, match="not a readable PDF"):
        payload_from_file(fake)


def test_an_unnamed_child_is_certified_as_by_ny_mother_and_marked_as_a_placeholder(
    sessions: sessionmaker[Session], actors: dict[str, Actor], log: LogAccess, tmp_path: Path
) -> None:
    ref = registered_birth(sessions, actors, child_name=None)
    view = _issue(sessions, actors, ref)
    assert view.content["child_name"] == "By. Ny. Siti Aminah binti Abdullah"
    assert view.content["child_name_placeholder"] is True
    assert parse_name(view.content["child_name"]).placeholder  # the names package reads it as one
    path = tmp_path / "unnamed.pdf"
    path.write_bytes(pdf_of(sessions, view, log, base_url="https://jaga.test"))
    document = pypdfium2.PdfDocument(str(path))
    text = document[0].get_textpage().get_text_range()
    document.close()
    assert "By. Ny. Siti Aminah binti Abdullah" in text
    assert "Nama sementara: belum bernama / A placeholder: no name yet" in text


def test_a_named_childs_certificate_has_no_placeholder_mark(
    sessions: sessionmaker[Session], actors: dict[str, Actor], birth_ref: str
) -> None:
    assert "child_name_placeholder" not in _issue(sessions, actors, birth_ref).content
