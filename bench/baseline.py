"""The benchmark's baseline: bench/leaflet.yaml written out by hand as a plain ReportLab platypus
script, the way a developer at a clinic would write one leaflet without handout-builder.

Same text, fonts (the bundled Noto Sans), sizes, colours, logo, running header and footer with
"Page N of M" (ReportLab's NumberedCanvas recipe: one layout pass), citations, a references
page and the QR code to the leaflet's online version (ReportLab's QR widget, as a plain script
would draw it), so the two make the same pages. No checks, no Markdown, no YAML, no bookmarks: it only draws. bench/run.py times it in a
fresh process and reports handout-builder's times as a ratio to it.

    python bench/baseline.py OUT.pdf [COUNT]     # COUNT copies in one process (default 1)
"""
from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    KeepTogether, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle,
)
from svglib.svglib import svg2rlg
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

REPO = Path(__file__).resolve().parent.parent
FONTS = REPO / "fonts"
TEXT, ACCENT, MUTED, RULE = HexColor("#1a1a1a"), HexColor("#1f4e79"), HexColor("#4d4d4d"), HexColor("#9fb6cc")
KEY_BG, CALL_BG = HexColor("#e9f1f8"), HexColor("#e9f1f8")
TITLE = "Fever and infection during chemotherapy"

for name, file in (("Noto", "NotoSans-Regular.ttf"), ("Noto-Bold", "NotoSans-Bold.ttf"),
                   ("Noto-Italic", "NotoSans-Italic.ttf"), ("Noto-BoldItalic", "NotoSans-BoldItalic.ttf")):
    pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))
addMapping("Noto", 0, 0, "Noto")
addMapping("Noto", 1, 0, "Noto-Bold")
addMapping("Noto", 0, 1, "Noto-Italic")
addMapping("Noto", 1, 1, "Noto-BoldItalic")

body = ParagraphStyle("body", fontName="Noto", fontSize=12, leading=17.5, textColor=TEXT, spaceAfter=7)
title = ParagraphStyle("title", body, fontName="Noto-Bold", fontSize=24, leading=28.8, textColor=ACCENT, spaceAfter=6)
subtitle = ParagraphStyle("subtitle", body, fontSize=14, leading=20.4, textColor=MUTED, spaceAfter=16)
heading = ParagraphStyle("heading", body, fontName="Noto-Bold", fontSize=16, leading=20.8, textColor=ACCENT,
                         spaceBefore=16, spaceAfter=6, keepWithNext=1)
box_heading = ParagraphStyle("box", body, fontName="Noto-Bold", fontSize=13, leading=19, textColor=ACCENT, spaceAfter=3)
item = ParagraphStyle("item", body, spaceAfter=3.5)
reference = ParagraphStyle("ref", body, fontSize=10.5, leading=15.3)
small = ParagraphStyle("small", reference, textColor=MUTED)


def cite(*numbers: int) -> str:
    return f'<font color="#1f4e79">[{", ".join(map(str, numbers))}]</font>'


def bullets(texts: list[str], ordered: bool = False) -> ListFlowable:
    return ListFlowable([ListItem(Paragraph(t, item)) for t in texts], bulletType="1" if ordered else "bullet",
                        start=1 if ordered else "\u2022", bulletFormat="%s." if ordered else None,
                        bulletFontName="Noto-Bold" if ordered else "Noto", bulletColor=ACCENT, bulletFontSize=12,
                        leftIndent=12 * (1.8 if ordered else 1.4),
                        bulletOffsetY=0, spaceAfter=3.5)


def box(flowables: list, background) -> Table:
    return Table([[flowables]], colWidths=["100%"], spaceBefore=3.5, spaceAfter=10.5, style=TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), background), ("FONT", (0, 0), (-1, -1), "Noto", 12),
        ("LEFTPADDING", (0, 0), (-1, -1), 12), ("RIGHTPADDING", (0, 0), (-1, -1), 12),
        ("TOPPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))


def story() -> list:
    s = [Paragraph(TITLE, title),
         Paragraph("What to look out for and what to do, for parents and carers", subtitle),
         box([Paragraph("Key points", box_heading), bullets([
             "Chemotherapy (chemo) lowers the white blood cells that fight germs. An infection can become "
             "serious within hours.",
             "If your child's temperature is <b>38 \u00b0C or higher</b>, or they seem unwell, call the ward "
             "straight away, day or night.",
             "Do not give paracetamol or ibuprofen before you have spoken to us."])], KEY_BG),
         Paragraph("Why infection is a risk during chemotherapy", heading),
         Paragraph("Chemo works by attacking cells that divide quickly. Cancer cells divide quickly. So do the "
                   "cells in the bone marrow that make blood. For a while after each course of chemo, your "
                   "child's body makes fewer blood cells.", body),
         Paragraph("One type of white blood cell, the <b>neutrophil</b>, is the body's first defence against germs "
                   "(bacteria). When there are very few neutrophils, your child is <i>neutropenic</i>. "
                   f"Neutrophils are often lowest about 7 to 14 days after a course starts {cite(1)}. But this "
                   "varies from child to child, and from course to course.", body),
         Paragraph("A child who is neutropenic may not be able to fight off an infection that would be minor for "
                   "other children. The infection can spread into the blood and make them very ill quickly. "
                   f"Doctors call this <i>neutropenic sepsis</i>. They treat it as an emergency {cite(1, 2)}.", body),
         Paragraph("Signs of infection to look out for", heading),
         Paragraph("Infection does not always cause a high temperature. Call us if your child has any of these:", body),
         bullets(["a temperature of 38 \u00b0C or higher;",
                  "shivering or shaking, such as during or after their central line is flushed;",
                  "feeling cold and clammy, or skin that looks pale, grey, blue or blotchy;",
                  "being very sleepy, floppy, confused or hard to wake;",
                  "breathing fast, or finding it hard to breathe;",
                  "redness, swelling, pain or fluid around their central line;",
                  "or if they just seem unwell and you are worried."]),
         Paragraph("How to take your child's temperature", heading),
         Paragraph("Use the thermometer we gave you. Keep it with your child's treatment card.", body),
         bullets(["Wait at least 20 minutes after your child has had a hot drink or a bath.",
                  "Put the tip of the thermometer under your child's armpit, on bare skin.",
                  "Wait until the thermometer beeps, then read the number.",
                  "Write down the time and the reading.",
                  "If the reading is 38 \u00b0C or higher, <b>phone the ward now</b>. Do not wait to see whether "
                  "it comes down."], ordered=True),
         Paragraph("Never take your child's temperature in their bottom during chemo. It can cause bleeding and "
                   "let germs into the blood.", body),
         Paragraph("What happens when you call", heading),
         Paragraph("A nurse or doctor will ask how your child is, what their temperature is, and when they last "
                   "had chemo. Most of the time we will ask you to bring your child to the ward straight away. "
                   "When you arrive, the team will check your child and take blood tests.", body),
         Paragraph("Your child will start antibiotics through their central line straight away. The team will not "
                   "wait for the blood results first, because treatment works best when it starts early "
                   f"{cite(2)}. Many children stay in hospital for a few days.", body),
         Paragraph("Bring your child's treatment card and their medicines. Bring things they need to feel at home "
                   "too, such as a toy or blanket they love.", body),
         Paragraph("If you cannot reach us", heading),
         Paragraph("If you cannot get through to the ward, go to your nearest emergency department. Say that your "
                   "child is having chemo and may have <b>neutropenic sepsis</b>. Show them your child's treatment "
                   "card. In an emergency, call 999.", body),
         Spacer(0, 16),
         KeepTogether([box([Paragraph("Contact us", box_heading),
                            Paragraph("<b>Day or night, call the children's cancer ward on 020 7946 0000</b> and say "
                                      "your child is having chemo.", body)], KEY_BG),
                       Paragraph("Written by: Sarcoma nurse specialist team. Version 1.0, reviewed 1 November 2026, "
                                 "next review due 1 November 2028.", small)]),
         Paragraph("References", ParagraphStyle("refs", heading, pageBreakBefore=1)),
         ListFlowable([ListItem(Paragraph(t, reference)) for t in (
             "National Institute for Health and Care Excellence. Neutropenic sepsis: prevention and management in "
             "people with cancer. Clinical guideline CG151 [Internet]. NICE; 2012 Sep [cited 2026 Nov 1]. "
             'Available from: <a href="https://www.nice.org.uk/guidance/cg151" color="#1f4e79"><u>'
             "https://www.nice.org.uk/guidance/cg151</u></a>",
             "Lehrnbecher T, Robinson PD, Ammann RA, Fisher B, Patel P, Phillips R, et al. Guideline for the "
             "management of fever and neutropenia in pediatric patients with cancer and hematopoietic cell "
             "transplantation recipients: 2023 update. J Clin Oncol. 2023 Mar;41(9):1774-85. doi: "
             '<a href="https://doi.org/10.1200/JCO.22.02224" color="#1f4e79"><u>10.1200/JCO.22.02224</u></a>.')],
             bulletType="1", bulletFormat="%s.", bulletFontName="Noto-Bold", bulletColor=ACCENT, bulletFontSize=10.5,
             leftIndent=10.5 * 1.8, bulletDedent="auto", spaceAfter=3.5),
         Spacer(0, 16),
         KeepTogether([Paragraph("Scan for the latest version of this leaflet:", small), qr_code(URL, 25 * mm),
                       Paragraph(f'<a href="{URL}" color="#1f4e79"><u>{URL.removeprefix("https://")}</u></a>',
                                 small)])]
    return s


URL = "https://www.example.org/sarcoma/leaflets/fever-and-infection"


def qr_code(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M", barBorder=4)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    drawing.initialFontName = "Noto"
    drawing.hAlign = "LEFT"
    return drawing


LOGO = svg2rlg(str(REPO / "layouts" / "logos" / "st-brigids.svg"))


def header(canv, doc) -> None:
    left, right, top = 22 * mm, A4[0] - 22 * mm, A4[1] - 13.5 * mm
    canv.saveState()
    scale = 8 * mm / LOGO.height
    canv.translate(left, top - 4.2)
    canv.scale(scale, scale)
    renderPDF.draw(LOGO, canv, 0, 0)
    canv.restoreState()
    canv.saveState()
    canv.setFillColor(MUTED)
    canv.setFont("Noto-Bold", 9)
    canv.drawString(left + 8 * mm + 9, top, "St Brigid's Children's Hospital")
    canv.setFont("Noto", 9)
    canv.drawRightString(right, top, TITLE)
    canv.setStrokeColor(ACCENT)
    canv.line(left, top - 7.2, right, top - 7.2)
    canv.restoreState()


class NumberedCanvas(canvas.Canvas):
    """ReportLab's recipe: keep each page's state, then draw "Page N of M" on every page at the end."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved = []

    def showPage(self):
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for state in self._saved:
            self.__dict__.update(state)
            self.footer(len(self._saved))
            super().showPage()
        super().save()

    def footer(self, total: int) -> None:
        left, right = 22 * mm, A4[0] - 22 * mm
        rule = 26 * mm - 18
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(left, rule, right, rule)
        self.setFillColor(MUTED)
        self.setFont("Noto", 9)
        self.drawString(left, rule - 14.4, "Children's Sarcoma Service \u00b7 020 7946 0000 \u00b7 www.example.org/sarcoma")
        self.drawString(left, rule - 27.45, "Version 1.0 \u00b7 Reviewed 1 November 2026")
        self.setFont("Noto-Bold", 9)
        self.drawRightString(right, rule - 27.45, f"Page {self._pageNumber} of {total}")
        self.restoreState()


def build(out: str) -> None:
    # SimpleDocTemplate's frame pads its text by 6 pt on every side: the margins allow for that.
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=22 * mm - 6, rightMargin=22 * mm - 6, topMargin=27 * mm - 6,
                            bottomMargin=26 * mm - 6, title=TITLE, author="St Brigid's Children's Hospital",
                            initialFontName="Noto", invariant=1)
    doc.build(story(), onFirstPage=header, onLaterPages=header, canvasmaker=NumberedCanvas)


if __name__ == "__main__":
    for n in range(int(sys.argv[2]) if len(sys.argv) > 2 else 1):
        build(sys.argv[1])
