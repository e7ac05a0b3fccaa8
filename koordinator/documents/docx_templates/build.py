"""Write ``composition.docx``, the Word template of «Состав …», with python-docx.

The committed ``composition.docx`` is what the application renders (through docxtpl); this
script only exists because nobody here edits it in Word. An administrator may replace the
.docx with their own layout, made in Word, as long as it uses the variables below. Regenerate
the default with::

    .venv/bin/python koordinator/documents/docx_templates/build.py

Variables the template receives (all plain strings, booleans and lists, see
``koordinator.documents.composition.composition_context``):

``approval_title``      «УТВЕРЖДЁН»
``approval_text``       «распоряжением … от … № …» (the body's founding document), or ""
``body_name``           the body's full name; ``body_short_name``; ``body_kind`` («комиссия»)
``body_kind_genitive``  «комиссии», «рабочей группы» …
``day``                 the date of the composition, «01.03.2026»
``groups``              list of {``title``: «Председатель комиссии», ``members``: [...]}, in
                        order: chair(s), deputy chair(s), secretary, members
``members``             the same people in one flat list
each member:            ``last_name``, ``given_names`` (name and patronymic), ``full_name``,
                        ``description`` (post and organisation), ``by_agreement`` (bool)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

OUT = Path(__file__).resolve().parent / "composition.docx"
FONT = "Times New Roman"
SIZE = Pt(14)
# Text width of A4 with the margins below (ГОСТ Р 7.0.97: left 30 mm, right 15 mm).
LEFT_COLUMN = Cm(6.0)
RIGHT_COLUMN = Cm(10.5)


def _set_fonts(rpr_parent: BaseOxmlElement) -> None:
    """Times New Roman for every script: Word picks the font for Cyrillic from ``hAnsi``,
    LibreOffice sometimes from ``cs``; setting all four keeps both on the same face."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "ru-RU")


def _paragraph(
    container: DocxDocument | _Cell,
    text: str = "",
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
    bold: bool = False,
    left_indent: Cm | None = None,
    space_after: Pt | None = None,
    first: bool = False,
) -> Paragraph:
    # A new table cell already holds one empty paragraph: use it for the cell's first line.
    if first and isinstance(container, _Cell):
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = space_after if space_after is not None else Pt(0)
    if left_indent is not None:
        fmt.left_indent = left_indent
    if text:
        # One run per paragraph keeps each Jinja tag whole, which docxtpl needs.
        run = paragraph.add_run(text)
        run.bold = bold
    return paragraph


def _no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def _widths(table: Table) -> None:
    table.autofit = False
    for column, width in zip(table.columns, (LEFT_COLUMN, RIGHT_COLUMN), strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def build(path: Path = OUT) -> Path:
    doc = Document()

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = SIZE
    _set_fonts(normal.element)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    props = doc.core_properties
    props.title = "Состав координационного органа"
    props.author = props.last_modified_by = "Координатор"
    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.revision = 1

    # Approval block (гриф утверждения) in the right half of the page.
    block = Cm(9.5)
    _paragraph(doc, "{{ approval_title }}", left_indent=block)
    _paragraph(doc, "{%p if approval_text %}", left_indent=block)
    _paragraph(doc, "{{ approval_text }}", left_indent=block)
    _paragraph(doc, "{%p else %}", left_indent=block)
    # No founding document recorded: a blank to fill in by hand, as paper forms have.
    _paragraph(doc, "______________________________", left_indent=block)
    _paragraph(doc, "от «___» ____________ 20___ г. № _____", left_indent=block)
    _paragraph(doc, "{%p endif %}", left_indent=block)
    _paragraph(doc)
    _paragraph(doc)

    _paragraph(doc, "СОСТАВ", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    _paragraph(doc, "{{ body_name }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    _paragraph(
        doc,
        "(по состоянию на {{ day }})",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=Pt(18),
    )

    # An empty <w:tbl> is invalid for Word, so the whole table sits inside the condition.
    _paragraph(doc, "{%p if groups %}")
    table = doc.add_table(rows=6, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _no_borders(table)
    _widths(table)
    rows = table.rows
    _paragraph(rows[0].cells[0], "{%tr for group in groups %}", first=True)
    heading = rows[1].cells[0].merge(rows[1].cells[1])
    _paragraph(heading, "{{ group.title }}:", space_after=Pt(6), first=True)
    _paragraph(rows[2].cells[0], "{%tr for m in group.members %}", first=True)
    name, post = rows[3].cells
    # Surname on its own line, name and patronymic below: the way «Состав» prints people.
    _paragraph(name, "{{ m.last_name }}", first=True)
    _paragraph(name, "{{ m.given_names }}", space_after=Pt(8))
    _paragraph(
        post,
        "– {{ m.description }}{% if m.by_agreement %} (по согласованию){% endif %}",
        space_after=Pt(8),
        first=True,
    )
    _paragraph(rows[4].cells[0], "{%tr endfor %}", first=True)
    _paragraph(rows[5].cells[0], "{%tr endfor %}", first=True)
    _paragraph(doc, "{%p else %}")
    _paragraph(doc, "На эту дату в составе никого нет.", align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "{%p endif %}")

    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
