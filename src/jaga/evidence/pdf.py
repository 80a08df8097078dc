"""The pack's timeline as a PDF for people (a judge, a lawyer): what each agency recorded, in order, and
the log events that prove it. The JSON files are the evidence; this is their readable copy, listed in the
manifest with its hash like every other file.

Same means as the certificates (reportlab, DejaVu Sans from matplotlib for every Latin letter a name
may carry); `invariant` output so that the same pack content gives the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from jaga.pdf_fonts import BOLD, FONT, register_fonts

KINDS = {
    "person": "Data orang / Person record",
    "birth": "Kelahiran / Birth",
    "relinquishment": "Penyerahan anak / Relinquishment",
    "placement": "Pengasuhan / Placement",
    "adoption_case": "Perkara pengangkatan / Adoption case",
    "adoption_step": "Tahap pengangkatan / Adoption step",
    "missing_report": "Laporan anak hilang / Missing-child report",
    "certificate": "Sertifikat / Certificate",
    "flag": "Tanda kecurigaan / Flag",
}
WIDTH, HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 18 * mm, WIDTH - 18 * mm, HEIGHT - 18 * mm, 18 * mm


class _Writer:
    def __init__(self, canvas: Canvas) -> None:
        self.canvas, self.y, self.page = canvas, TOP, 1

    def line(
        self, text: str, *, size: float = 9, bold: bool = False, indent: float = 0, gap: float = 1.3
    ) -> None:
        font = BOLD if bold else FONT
        for part in simpleSplit(text, font, size, RIGHT - LEFT - indent) or [""]:
            if self.y < BOTTOM + size:
                self._footer()
                self.canvas.showPage()
                self.page, self.y = self.page + 1, TOP
            self.canvas.setFont(font, size)
            self.canvas.drawString(LEFT + indent, self.y, part)
            self.y -= size * gap

    def space(self, points: float = 6) -> None:
        self.y -= points

    def _footer(self) -> None:
        self.canvas.setFont(FONT, 7)
        self.canvas.drawString(LEFT, BOTTOM - 8 * mm, f"jaga evidence pack · halaman / page {self.page}")

    def finish(self) -> None:
        self._footer()
        self.canvas.showPage()


def _facts(facts: dict[str, Any]) -> str:
    return "; ".join(f"{key}: {value}" for key, value in sorted(facts.items()) if value not in (None, "", []))


def render_timeline(
    timeline: dict[str, Any], custody: dict[str, Any], checkpoints: list[dict[str, Any]]
) -> bytes:
    """The PDF of `timeline.json`'s content, with who packed it and why, and the checkpoints used."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
    subject = timeline["subject"]
    canvas.setTitle(f"Evidence pack {subject['kind']} {subject['ref']}")
    canvas.setAuthor("jaga")
    out = _Writer(canvas)
    out.line("REPUBLIK INDONESIA · jaga registry", size=8)
    out.space(10)  # room for the title's ascenders
    out.line("PAKET BUKTI · EVIDENCE PACK", size=15, bold=True, gap=1.6)
    out.line(f"Subjek / Subject: {subject['kind']} {subject['ref']}")
    out.line(f"Data yang digabung / Records joined: {', '.join(timeline['records'])}")
    packer = custody["packed_by"]
    out.line(
        f"Disusun oleh / Packed by: {packer['account']} ({packer['role']}) pada / at {custody['packed_at']}"
    )
    out.line(f"Alasan / Reason: {custody['reason']}")
    used = ", ".join(
        f"{c['size']} ({'disaksikan / witnessed' if c['witnessed'] else 'belum disaksikan / not witnessed'})"
        for c in checkpoints
    )
    out.line(f"Checkpoint log / Log checkpoints: {used}")
    out.line(
        "Periksa paket ini secara luring / Verify this pack offline: "
        "jaga evidence verify PACK --vkey LOG.vkey",
        size=8,
    )
    out.space(8)
    out.line("Kronologi / Timeline", size=12, bold=True, gap=1.6)
    for entry in timeline["entries"]:
        kind = KINDS.get(entry["kind"], entry["kind"])
        logged = "di log / in the log" if entry["in_log"] else "belum di log / not yet in the log"
        out.line(f"{entry['on'] or '-'}  {kind}  {entry['ref']}", bold=True)
        out.line(
            f"{entry['agency']}{' · ' + entry['feed'] if entry['feed'] else ''} · {logged}", indent=8, size=8
        )
        if entry["in_scope"]:
            out.line(_facts(entry["facts"]), indent=8, size=8)
        else:
            out.line("di luar wilayah Anda / outside your region: ask that region", indent=8, size=8)
        out.space(3)
    out.space(8)
    out.line("Peristiwa log / Log events", size=12, bold=True, gap=1.6)
    for event in timeline["events"]:
        out.line(
            f"#{event['seq']}  {event['kind']}  {event['aggregate']}#{event['aggregate_id']}  "
            f"{event['recorded_at']}  {event['commitment'][:16]}…",
            size=7.5,
        )
    out.finish()
    canvas.save()
    return buffer.getvalue()
