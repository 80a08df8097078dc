"""The fonts jaga's PDFs are set in (certificates, evidence packs): DejaVu Sans, which ships inside
matplotlib (already a dependency) and covers every Latin letter an Indonesian name may carry, where the
PDF standard fonts stop at Latin-1."""

from __future__ import annotations

from pathlib import Path

from matplotlib import get_data_path
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT, BOLD = "JagaSans", "JagaSans-Bold"


def register_fonts() -> None:
    """Register FONT and BOLD with reportlab (process-wide); later calls do nothing."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
