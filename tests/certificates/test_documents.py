"""The printed certificate: a PDF whose QR code carries the proof, readable back from the PDF and from a
poor photo of it."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pypdfium2
import segno
import zxingcpp
from PIL import Image, ImageFilter
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.certificates import services
from jaga.certificates.documents import LogAccess, link_of, payload_of, pdf_of
from jaga.certificates.payload import decode, payload_text, qr_segments
from jaga.certificates.pdf import make_qr
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
    # It tells the holder to scan it with a phone camera and names the portal; no command to run.
    flat = " ".join(text.split())  # the notes wrap at spaces
    assert "pindai kode QR dengan kamera ponsel" in flat and "with a phone camera" in flat
    assert "Portal: https://jaga.test/v" in text
    assert f"https://jaga.test/c/{view.ref}" in text  # the short address, for people without a camera
    assert "jaga verify" not in text and "--vkey" not in text
    # The QR code holds the verify link: the payload in its fragment, the same proof as the JG1: text.
    link = payload_from_file(path)
    assert link == link_of(sessions, view.ref, log, base_url="https://jaga.test")
    assert link.startswith("https://jaga.test/v#JG1U:")
    assert decode(link) == decode(payload_of(sessions, view.ref, log))
    assert verify_payload(link, [log_keys.signer.verifier()]).ok


def test_the_link_is_a_byte_segment_then_an_alphanumeric_one_and_reads_back_whole(
    sessions: sessionmaker[Session], actors: dict[str, Actor], birth_ref: str, log: LogAccess
) -> None:
    base = "https://registry.jaga.go.id"
    link = link_of(sessions, _issue(sessions, actors, birth_ref).ref, log, base_url=base)
    segments = qr_segments(base, decode(link))
    assert segments == [f"{base}/v#", link.split("#", 1)[1]] and "".join(segments) == link
    mixed, byte_only, text = make_qr(segments), make_qr(link), make_qr(payload_text(link))
    assert mixed.mode is None and byte_only.mode == "byte"  # None: more than one segment
    assert mixed.version < byte_only.version, (mixed.version, byte_only.version)
    assert text.mode == "alphanumeric"  # the fragment alone is QR alphanumeric text
    buffer = io.BytesIO()
    mixed.save(buffer, kind="png", scale=4, border=4)
    read = zxingcpp.read_barcodes(Image.open(io.BytesIO(buffer.getvalue())))
    assert [r.text for r in read] == [link]


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
