"""The certificate as a printable PDF (A4): bilingual fields, the salt, and the QR code that proves it.

The QR code is drawn as vector squares (no bitmap), so it prints sharp at any size. Text is set in
DejaVu Sans (`jaga.pdf_fonts`), which covers every Latin letter an Indonesian name may carry.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from jaga.certificates.payload import CertificateProof
from jaga.pdf_fonts import BOLD, FONT, register_fonts

QR_SIDE = 80 * mm  # large enough for a version-40 code at 0.43 mm per module, readable by phones

TITLES = {
    "birth": ("SERTIFIKAT KELAHIRAN TERVERIFIKASI", "Verified birth certificate"),
    "adoption": ("SERTIFIKAT PENGANGKATAN ANAK TERVERIFIKASI", "Verified adoption certificate"),
}
# content key -> (Bahasa Indonesia, English)
LABELS: dict[str, tuple[str, str]] = {
    "akta_number": ("Nomor akta kelahiran", "Birth certificate (akta) number"),
    "child_name": ("Nama anak", "Child's name"),
    "child_name_placeholder": ("Keterangan nama", "About the name"),
    "child_sex": ("Jenis kelamin", "Sex"),
    "born_on": ("Tanggal lahir", "Date of birth"),
    "born_at_time": ("Pukul", "Time of birth"),
    "child_born_on": ("Tanggal lahir anak", "Child's date of birth"),
    "place_of_birth": ("Tempat lahir", "Place of birth"),
    "mother_name": ("Nama ibu", "Mother's name"),
    "father_name": ("Nama ayah", "Father's name"),
    "registered_on": ("Tanggal pencatatan", "Registered on"),
    "registration_region": ("Wilayah pencatatan", "Registered in"),
    "registrar_office": ("Instansi pencatat", "Registry office"),
    "case_ref": ("Nomor perkara pengangkatan", "Adoption case"),
    "adoption_kind": ("Jenis pengangkatan", "Kind of adoption"),
    "adopter_name": ("Orang tua angkat", "Adoptive parent"),
    "co_adopter_name": ("Orang tua angkat kedua", "Second adoptive parent"),
    "court_ruling_on": ("Tanggal penetapan pengadilan", "Court ruling on"),
    "court_documents": ("Penetapan pengadilan", "Court ruling"),
    "annotated_on": ("Tanggal catatan pinggir", "Annotated on"),
    "annotation_documents": ("Catatan pinggir akta", "Civil-registry annotation"),
}
SEX = {"F": "Perempuan / Female", "M": "Laki-laki / Male"}
PLACEHOLDER_NOTE = "Nama sementara: belum bernama / A placeholder: no name yet"


def _value(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key == "child_sex":
        return SEX.get(str(value), str(value))
    if key == "child_name_placeholder":
        return PLACEHOLDER_NOTE
    if isinstance(value, list):
        return "; ".join(f"{d.get('kind', '')} {d.get('number', '')}".strip() for d in value) or "—"
    return str(value)


def make_qr(content: str | list[str]) -> segno.QRCode:
    """The QR code (error correction M) of a text, or of a list of segments, each in its own best mode.

    segno's `make` takes a list of texts and picks each one's mode (`segno.encoder.prepare_data`), so
    the verify link's lowercase address goes in byte mode and its payload in alphanumeric mode (5.5 bits
    a character instead of 8): about a quarter smaller than the link in byte mode alone."""
    # segno's type stub names str, int and bytes only; the list is its encoder's documented input.
    return segno.make_qr(content, error="m", boost_error=False)  # type: ignore[arg-type]


def draw_qr(canvas: Canvas, content: str | list[str], x: float, y: float, side: float) -> int:
    """Draw the QR code with its lower-left corner at (x, y); its version."""
    code = make_qr(content)
    matrix = [list(row) for row in code.matrix]
    count = len(matrix)
    module = side / (count + 8)  # four modules of quiet zone on each side
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    for row_number, row in enumerate(matrix):
        top = y + side - (row_number + 5) * module
        column = 0
        while column < count:  # one rectangle per run of dark modules keeps the PDF small
            if row[column]:
                start = column
                while column < count and row[column]:
                    column += 1
                canvas.rect(
                    x + (start + 4) * module, top, (column - start) * module, module, stroke=0, fill=1
                )
            else:
                column += 1
    return int(code.version) if isinstance(code.version, int) else 0


def _grouped(salt: bytes) -> str:
    text = salt.hex()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def render(
    *,
    kind: str,
    ref: str,
    issued_at: datetime,
    content: dict[str, Any],
    proof: CertificateProof,
    qr_content: list[str],
    portal_url: str,
    status_url: str,
) -> bytes:
    """The certificate as PDF bytes. `qr_content` is the verify link's segments; `portal_url` the page
    that checks it, printed for people to type; `status_url` the short address giving the status alone."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{TITLES[kind][1]} {ref}")
    canvas.setAuthor("jaga")
    canvas.setSubject(f"certificate {ref}")
    width, height = A4
    left, top = 20 * mm, height - 20 * mm

    canvas.setFont(FONT, 9)
    canvas.drawString(left, top, "REPUBLIK INDONESIA · jaga registry")
    canvas.setFont(BOLD, 16)
    canvas.drawString(left, top - 10 * mm, TITLES[kind][0])
    canvas.setFont(FONT, 11)
    canvas.drawString(left, top - 16 * mm, TITLES[kind][1])
    canvas.setFont(FONT, 9)
    canvas.drawString(left, top - 23 * mm, f"Nomor sertifikat / Certificate number: {ref}")
    canvas.drawString(left, top - 28 * mm, f"Diterbitkan / Issued: {issued_at:%Y-%m-%d %H:%M} UTC")

    line = top - 40 * mm
    for key, (indonesian, english) in LABELS.items():
        if key not in content:
            continue
        canvas.setFont(FONT, 7.5)
        canvas.setFillColorRGB(0.35, 0.35, 0.35)
        canvas.drawString(left, line, f"{indonesian} / {english}")
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(BOLD, 11)
        canvas.drawString(left, line - 4.8 * mm, _value(key, content[key])[:90])
        line -= 11 * mm

    qr_x, qr_y = width - 20 * mm - QR_SIDE, 22 * mm
    version = draw_qr(canvas, qr_content, qr_x, qr_y, QR_SIDE)
    canvas.setFont(FONT, 7.5)
    column = qr_x - left - 6 * mm  # the notes stay clear of the QR code
    rows = [
        "Periksa keaslian sertifikat ini: pindai kode QR dengan kamera ponsel. Ponsel Anda memeriksanya "
        "sendiri; isi kode tidak dikirim ke server mana pun. (Check this certificate: scan the QR code "
        "with a phone camera. Your phone checks it itself; what the code holds is sent to no server.)",
        f"Portal: {portal_url}",
        "",
        "Tanpa ponsel berkamera, status terkini (without a camera phone, the current status):",
        status_url,
        "",
        f"Log: {proof.origin}",
        f"Entri / entry {proof.index:,} · checkpoint {proof.size:,} · QR versi / version {version}",
        f"Garam / salt: {_grouped(proof.salt)}",
        "",
        "Isi sertifikat tercatat di buku besar publik jaga sebagai hash bergaram; tidak ada data pribadi "
        "yang dipublikasikan. (Committed to jaga's public ledger as a salted hash; no personal data is "
        "published.)",
    ]
    lines = [piece for row in rows for piece in (simpleSplit(row, FONT, 7.5, column) or [""])]
    text = canvas.beginText(left, qr_y + QR_SIDE - 4 * mm)
    text.setLeading(10)
    for row in lines:
        text.textLine(row)
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
