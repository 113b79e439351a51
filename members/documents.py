"""The PDF of a letter of introduction or a certificate, rebuilt from what was printed.

fpdf2 is pure Python; DejaVu Sans (``members/fonts``, with its licence) is embedded so that
every name prints, whatever its script's letters (Latin, Cyrillic, Greek, and more).
"""

import logging
from pathlib import Path

from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from fpdf import FPDF, FontFace

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"

# fontTools reports every glyph it keeps while subsetting the embedded font: not worth a log line.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def document_pdf(document):
    """The PDF (bytes) of ``document`` in its own language, with its verification link."""
    with translation.override(document.language):
        pdf = FPDF(format="A4")
        pdf.set_title(str(document.get_kind_display()))
        pdf.set_author(_("ILO Skills Innovation Network"))
        pdf.set_creation_date(document.issued_at)
        pdf.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
        pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
        pdf.set_margins(20, 20, 20)
        pdf.add_page()

        pdf.set_font(FONT, "B", 11)
        pdf.cell(
            text=_("International Labour Organization"), new_x="LMARGIN", new_y="NEXT", align="L"
        )
        pdf.set_font(FONT, "", 11)
        pdf.cell(text=_("Skills Innovation Network"), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(12)

        pdf.set_font(FONT, "B", 20)
        pdf.multi_cell(
            0, 10, str(document.get_kind_display()), new_x="LMARGIN", new_y="NEXT", align="L"
        )
        pdf.ln(2)
        pdf.set_font(FONT, "B", 14)
        pdf.multi_cell(0, 8, document.holder_name, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(6)

        if document.statement:
            pdf.set_font(FONT, "", 11)
            pdf.multi_cell(0, 6, document.statement, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(6)

        if document.facts:
            pdf.set_font(FONT, "", 10)
            labels = FontFace(emphasis="BOLD")
            with pdf.table(
                col_widths=(35, 65),
                first_row_as_headings=False,
                borders_layout="NONE",
                text_align="LEFT",
                line_height=6,
            ) as table:
                for label, value in document.facts:
                    row = table.row()
                    row.cell(label, style=labels)
                    row.cell(str(value))
        pdf.ln(6)

        pdf.set_font(FONT, "", 10)
        issued = _("Issued on %(date)s by %(officer)s.") % {
            "date": date_format(localdate(document.issued_at)),
            "officer": document.issued_by_name,
        }
        pdf.multi_cell(0, 6, issued, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(8)

        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(
            0,
            6,
            _("Anyone can check that this document is genuine and still valid at:"),
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
        )
        pdf.set_font(FONT, "", 10)
        pdf.set_text_color(0, 70, 160)
        url = document.verification_url
        pdf.multi_cell(0, 6, url, link=url, new_x="LMARGIN", new_y="NEXT", align="L")
        return bytes(pdf.output())
