"""PDF helpers shared by every report and slip (ReportLab)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "DejaVuSans"


@cache
def register_fonts() -> str:
    """Register DejaVu Sans (shipped with matplotlib), which has every Vietnamese glyph;
    returns the family name to use in styles."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    faces = {
        FONT: "",
        f"{FONT}-Bold": "-Bold",
        f"{FONT}-Oblique": "-Oblique",
        f"{FONT}-BoldOblique": "-BoldOblique",
    }
    for name, suffix in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / f"DejaVuSans{suffix}.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=f"{FONT}-Bold", italic=f"{FONT}-Oblique", boldItalic=f"{FONT}-BoldOblique"
    )
    return FONT
