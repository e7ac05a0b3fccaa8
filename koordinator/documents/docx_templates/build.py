"""Write the Word templates of Koordinator's documents with python-docx.

The committed ``*.docx`` files next to this script are what the application renders (through
docxtpl); this script only exists because nobody here edits them in Word. An administrator may
replace a template (per body or for all, see ``koordinator.documents.templating``) with their
own layout, made in Word, as long as it uses the variables below. Regenerate the defaults
with::

    .venv/bin/python koordinator/documents/docx_templates/build.py

``composition.docx`` — «Состав …» (``koordinator.documents.composition.composition_context``):

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

``protocol.docx``, ``agenda.docx``, ``extract.docx`` — see the docstring of
``koordinator.documents.protocol`` for their variables.

``control_report.docx`` — «Информация о ходе исполнения решений …» (landscape;
``koordinator.control.exports.build_docx``): ``body_name``, ``day`` («01.03.2026»), ``rows``:
each {``number``, ``decision`` (text, then «(п. 1.2, протокол …)»), ``executor``, ``due``,
``progress`` (the latest accepted or submitted report), ``mark`` (removed from control / a
proposal)}.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
OUT = HERE / "composition.docx"
FONT = "Times New Roman"
SIZE = Pt(14)
# Text width of A4 with the margins below (ГОСТ Р 7.0.97: left 30 mm, right 15 mm).
LEFT_COLUMN = Cm(6.0)
RIGHT_COLUMN = Cm(10.5)
TEXT_WIDTH = Cm(16.5)
INDENT = Cm(1.25)  # the first-line indent of running text


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


def _widths(table: Table, widths: tuple[Cm, Cm] = (LEFT_COLUMN, RIGHT_COLUMN)) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _new_document(title: str) -> DocxDocument:
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
    props.title = title
    props.author = props.last_modified_by = "Координатор"
    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.revision = 1
    return doc


STYLE_REFERENCES = ("w:pStyle", "w:rStyle", "w:tblStyle", "w:numStyle")
STYLE_LINKS = ("w:basedOn", "w:link", "w:next")
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _styles_in_use(doc: DocxDocument) -> set[str]:
    """The styles the template names anywhere (body, numbering, headers), the defaults, and
    every style those are based on, linked to or followed by."""
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    wanted = {sid for sid, s in by_id.items() if s.get(qn("w:default")) in ("1", "true", "on")}
    for part in doc.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None and element is not styles:
            for tag in STYLE_REFERENCES:
                wanted.update(ref.get(qn("w:val")) for ref in element.iter(qn(tag)))
    kept: set[str] = set()
    while wanted:
        style_id = wanted.pop()
        style = by_id.get(style_id)
        if style_id in kept or style is None:
            continue
        kept.add(style_id)
        for tag in STYLE_LINKS:
            link = style.find(qn(tag))
            if link is not None:
                wanted.add(link.get(qn("w:val")))
    return kept


def _save(doc: DocxDocument, path: Path) -> None:
    """Save without what python-docx's blank document brings along and no template uses:
    164 style definitions (350 KB of XML), their copy for Word 2010 (``stylesWithEffects``,
    440 KB) and a thumbnail of that blank page. docxtpl opens, parses and writes back every
    part of the template for each document it renders: these were most of a protocol's
    rendering time and of its file."""
    kept = _styles_in_use(doc)
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in kept:
            styles.remove(style)
    for r_id, rel in list(doc.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            doc.part.drop_rel(r_id)
    package_rels = doc.part.package.rels
    for r_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[r_id]
    doc.save(str(path))


def build(path: Path = OUT) -> Path:
    doc = _new_document("Состав координационного органа")

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

    _save(doc, path)
    return path


# --- protocol, agenda, extract ----------------------------------------------------------------

CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def _tag(doc: DocxDocument, tag: str) -> None:
    """A paragraph holding only a docxtpl block tag (``{%p …%}``); docxtpl removes it."""
    _paragraph(doc, tag)


def _text(
    doc: DocxDocument,
    text: str = "",
    *,
    align: WD_ALIGN_PARAGRAPH = JUSTIFY,
    bold: bool = False,
    indent: bool = False,
    space_before: Pt | None = None,
    space_after: Pt | None = None,
    keep_with_next: bool = False,
) -> Paragraph:
    paragraph = _paragraph(doc, text, align=align, bold=bold, space_after=space_after)
    fmt = paragraph.paragraph_format
    if indent:
        fmt.first_line_indent = INDENT
    if space_before is not None:
        fmt.space_before = space_before
    if keep_with_next:
        fmt.keep_with_next = True
    return paragraph


def _tabbed(doc: DocxDocument, text: str, *, space_after: Pt | None = None) -> Paragraph:
    """``left<TAB>right``: the right part flush with the right margin (date and number,
    signatures)."""
    paragraph = _paragraph(doc, text, space_after=space_after)
    paragraph.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _restriction_mark(doc: DocxDocument) -> None:
    _tag(doc, "{%p if restricted %}")
    _text(doc, "{{ restriction_mark }}", align=RIGHT, space_after=Pt(12))
    _tag(doc, "{%p endif %}")


def _body_names(doc: DocxDocument) -> None:
    _tag(doc, "{%p for name in body_names %}")
    _text(doc, "{{ name|upper }}", align=CENTER, bold=True, space_after=Pt(6))
    _tag(doc, "{%p endfor %}")


def _decisions(doc: DocxDocument, item: str = "item") -> None:
    _tag(doc, f"{{%p for d in {item}.decisions %}}")
    _text(doc, "{{ d.code }}. {{ d.text }}", indent=True, space_before=Pt(6))
    _tag(doc, "{%p for line in d.details %}")
    _text(doc, "{{ line }}", indent=True)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endfor %}")


def _people_table(doc: DocxDocument, items: str, name: str = "{{ p.name }}") -> None:
    """People in two columns, name | – position, the way protocols list those present.
    ``items`` must not be empty (an empty table is invalid for Word): wrap in ``{%p if %}``."""
    table = doc.add_table(rows=3, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _no_borders(table)
    _widths(table, (Cm(5.0), Cm(11.5)))
    rows = table.rows
    _paragraph(rows[0].cells[0], f"{{%tr for p in {items} %}}", first=True)
    _paragraph(rows[1].cells[0], name, first=True, space_after=Pt(4))
    _paragraph(rows[1].cells[1], "– {{ p.position }}", first=True, space_after=Pt(4))
    _paragraph(rows[2].cells[0], "{%tr endfor %}", first=True)


def _signatures(doc: DocxDocument) -> None:
    _tag(doc, "{%p for block in signatures %}")
    _tag(doc, "{%p if block.title %}")
    _text(
        doc,
        "{{ block.title }}",
        align=WD_ALIGN_PARAGRAPH.LEFT,
        space_before=Pt(12),
        keep_with_next=True,
    )
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p for s in block.rows %}")
    _tabbed(doc, "{{ s.role }}\t{{ s.name }}", space_after=Pt(18))
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endfor %}")


def build_protocol(path: Path = HERE / "protocol.docx") -> Path:
    doc = _new_document("Протокол заседания")
    _restriction_mark(doc)
    _body_names(doc)
    _text(doc, "ПРОТОКОЛ", align=CENTER, bold=True, space_before=Pt(12))
    _tag(doc, "{%p if joint_title %}")
    _text(doc, "{{ joint_title }}", align=CENTER, bold=True)
    _tag(doc, "{%p endif %}")
    _tabbed(doc, "{{ date }}\t{{ number }}").paragraph_format.space_before = Pt(12)
    _text(doc, "{{ place }}", align=CENTER)
    _tag(doc, "{%p for studio in studios %}")
    _text(doc, "{{ studio }}", align=CENTER)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if title %}")
    _text(doc, "{{ title }}", align=CENTER, bold=True, space_before=Pt(12))
    _tag(doc, "{%p endif %}")

    left = WD_ALIGN_PARAGRAPH.LEFT
    _text(doc, "Председательствующий — {{ presiding }}", align=left, space_before=Pt(12))
    _text(doc, "Секретарь — {{ secretary }}", align=left)

    _tag(doc, "{%p if present_listed %}")
    _text(doc, "Присутствовали:", align=left, space_before=Pt(12), space_after=Pt(4))
    _tag(doc, "{%p if present %}")
    _people_table(doc, "present")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p else %}")
    _text(doc, "Присутствовали: {{ present_summary }}", align=left, space_before=Pt(12))
    _tag(doc, "{%p endif %}")

    _tag(doc, "{%p if invitees %}")
    _text(doc, "Приглашённые:", align=left, space_before=Pt(12), space_after=Pt(4))
    _people_table(doc, "invitees")
    _tag(doc, "{%p endif %}")

    _tag(doc, "{%p for line in quorum_lines %}")
    _text(doc, "{{ line }}", space_before=Pt(12))
    _tag(doc, "{%p endfor %}")

    _text(doc, "ПОВЕСТКА ДНЯ:", align=CENTER, bold=True, space_before=Pt(12), keep_with_next=True)
    _tag(doc, "{%p for item in items %}")
    _text(doc, "{{ item.number }}. {{ item.title }}", indent=True, space_before=Pt(6))
    _tag(doc, "{%p for line in item.rapporteurs %}")
    _text(doc, "{{ line }}", indent=True)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endfor %}")

    _tag(doc, "{%p for item in items %}")
    _text(
        doc,
        "{{ item.number }}. СЛУШАЛИ:",
        align=left,
        bold=True,
        space_before=Pt(12),
        keep_with_next=True,
    )
    _tag(doc, "{%p for line in item.heard %}")
    _text(doc, "{{ line }}", indent=True)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if item.spoke %}")
    _text(doc, "ВЫСТУПИЛИ:", align=left, bold=True, space_before=Pt(6), keep_with_next=True)
    _tag(doc, "{%p for line in item.spoke %}")
    _text(doc, "{{ line }}", indent=True)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if item.decisions %}")
    _text(
        doc,
        "{{ decided_heading }}:",
        align=left,
        bold=True,
        space_before=Pt(6),
        keep_with_next=True,
    )
    _decisions(doc)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")

    _text(doc, space_after=Pt(24))
    _signatures(doc)

    # Over ten people present: the list goes to an appendix on its own page.
    _tag(doc, "{%p if not present_listed %}")
    _paragraph(doc).add_run().add_break(WD_BREAK.PAGE)
    _text(doc, "Приложение", align=RIGHT)
    _text(doc, "к протоколу от {{ date }} {{ number }}", align=RIGHT, space_after=Pt(12))
    _text(doc, "СПИСОК", align=CENTER, bold=True)
    _text(doc, "{{ appendix_title }}", align=CENTER, bold=True, space_after=Pt(12))
    _people_table(doc, "present", "{{ loop.index }}. {{ p.name }}")
    _tag(doc, "{%p endif %}")

    _save(doc, path)
    return path


def build_agenda(path: Path = HERE / "agenda.docx") -> Path:
    doc = _new_document("Повестка дня заседания")
    _restriction_mark(doc)
    _body_names(doc)
    _text(doc, "ПОВЕСТКА ДНЯ", align=CENTER, bold=True, space_before=Pt(12))
    _text(doc, "{{ title }}", align=CENTER, bold=True, space_after=Pt(12))
    left = WD_ALIGN_PARAGRAPH.LEFT
    _text(doc, "Дата проведения: {{ date }}", align=left)
    _text(doc, "Время начала: {{ time }}", align=left)
    _text(doc, "Место проведения: {{ place }}", align=left)
    _tag(doc, "{%p for studio in studios %}")
    _text(doc, "{{ studio }}", align=left)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if vks_link %}")
    _text(doc, "Подключение к ВКС: {{ vks_link }}", align=left)
    _tag(doc, "{%p endif %}")
    _text(doc, space_after=Pt(6))
    _tag(doc, "{%p for item in items %}")
    _text(doc, "{{ item.number }}. {{ item.title }}", indent=True, space_before=Pt(12))
    _tag(doc, "{%p for line in item.rapporteurs %}")
    _text(doc, "{{ line }}", indent=True)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if item.time %}")
    _text(doc, "{{ item.time }}", indent=True)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if not items %}")
    _text(doc, "Вопросы повестки дня ещё не внесены.", align=CENTER)
    _tag(doc, "{%p endif %}")
    _save(doc, path)
    return path


def build_extract(path: Path = HERE / "extract.docx") -> Path:
    doc = _new_document("Выписка из протокола")
    _restriction_mark(doc)
    _body_names(doc)
    _text(doc, "ВЫПИСКА", align=CENTER, bold=True, space_before=Pt(12))
    _text(doc, "из протокола {{ source }}", align=CENTER, bold=True)
    _text(doc, "от {{ date }} {{ number }}", align=CENTER)
    _text(doc, "{{ place }}", align=CENTER, space_after=Pt(12))
    left = WD_ALIGN_PARAGRAPH.LEFT
    _text(doc, "Председательствующий — {{ presiding }}", align=left)
    _text(doc, "Направляется: {{ organization }}", align=left, space_after=Pt(6))

    _tag(doc, "{%p for item in items %}")
    _text(doc, "{{ item.number }}. {{ item.title }}", indent=True, bold=True, space_before=Pt(12))
    _text(doc, "{{ decided_heading }}:", align=left, bold=True, keep_with_next=True)
    _decisions(doc)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if not items %}")
    _text(doc, "Решений, адресованных организации, в протоколе нет.", align=CENTER)
    _tag(doc, "{%p endif %}")

    _text(doc, space_after=Pt(24))
    _tabbed(doc, "Верно: {{ certified_role }}\t{{ certified_name }}")
    _text(doc, "{{ certified_on }}", align=left)
    _save(doc, path)
    return path


CONTROL_COLUMNS = (
    ("№ п/п", Cm(1.2)),
    ("Решение (пункт, протокол)", Cm(7.5)),
    ("Исполнитель", Cm(4.0)),
    ("Срок", Cm(2.3)),
    ("Ход исполнения", Cm(7.5)),
    ("Отметка о снятии с контроля / предложение", Cm(4.2)),
)


def build_control_report(path: Path = HERE / "control_report.docx") -> Path:
    doc = _new_document("Информация о ходе исполнения решений")
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(2.0), Cm(1.0)
    _text(doc, "ИНФОРМАЦИЯ", align=CENTER, bold=True)
    _text(doc, "о ходе исполнения решений {{ body_name }}", align=CENTER, bold=True)
    _text(doc, "по состоянию на {{ day }}", align=CENTER, space_after=Pt(12))
    table = doc.add_table(rows=4, cols=len(CONTROL_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, (_, width) in zip(table.columns, CONTROL_COLUMNS, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    header, start, row, end = table.rows
    for cell, (name, _) in zip(header.cells, CONTROL_COLUMNS, strict=True):
        _paragraph(cell, name, align=CENTER, bold=True, first=True)
    _paragraph(start.cells[0], "{%tr for r in rows %}", first=True)
    values = ["{{ r.number }}", "{{ r.decision }}", "{{ r.executor }}", "{{ r.due }}"]
    values += ["{{ r.progress }}", "{{ r.mark }}"]
    for cell, value in zip(row.cells, values, strict=True):
        _paragraph(cell, value, first=True)
    _paragraph(end.cells[0], "{%tr endfor %}", first=True)
    _tag(doc, "{%p if not rows %}")
    _text(doc, "Поручений на контроле нет.", align=CENTER, space_before=Pt(12))
    _tag(doc, "{%p endif %}")
    _save(doc, path)
    return path


def build_all(folder: Path = HERE) -> list[Path]:
    return [
        build(folder / "composition.docx"),
        build_protocol(folder / "protocol.docx"),
        build_agenda(folder / "agenda.docx"),
        build_extract(folder / "extract.docx"),
        build_control_report(folder / "control_report.docx"),
    ]


if __name__ == "__main__":
    for written in build_all():
        print(written)
