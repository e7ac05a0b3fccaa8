"""How a Word template is rendered: the short way around docxtpl gives docxtpl's own
document, templates that need docxtpl whole get it, user text is cleaned, and the shipped
templates carry nothing they do not use."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docxtpl import DocxTemplate
from hypothesis import given
from hypothesis import strategies as st
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from koordinator.documents import rendering
from koordinator.documents.rendering import _ENVIRONMENT, _Template, render_docx
from koordinator.documents.templating import BUILTIN_DIR, clean_text, template_path

TEMPLATES = sorted(BUILTIN_DIR.glob("*.docx"))


def _parts(docx: bytes) -> dict[str, bytes]:
    """Every XML part of a .docx in canonical form (attribute order, quoting, namespace
    declarations set aside), every other part as it is. docxtpl's whole path writes the
    properties it renders even when empty (``<dc:language></dc:language>``): those are
    left out."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: _canonical(name, archive.read(name)) for name in archive.namelist()}


def _canonical(name: str, blob: bytes) -> bytes:
    if not name.endswith((".xml", ".rels")):
        return blob
    root = etree.fromstring(blob)
    if name == "docProps/core.xml":
        for empty in [e for e in root if not len(e) and not (e.text or "").strip()]:
            root.remove(empty)
    return bytes(etree.tostring(root, method="c14n"))


def _docxtpl_alone(template: Path, context: dict[str, object]) -> bytes:
    doc = DocxTemplate(str(template))
    doc.render(context, jinja_env=SandboxedEnvironment(autoescape=True), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


PERSON = {"name": "Иванов И.И.", "position": "начальник отдела & «сектора»"}
DECISION = {
    "code": "1.1",
    "text": clean_text("Первое;\r\nвторое\tс табуляцией\n\nтретье & <четвёртое>"),
    "details": ["Срок: до 01.12.2026.", "Особо\aважно"],
}
ITEM = {
    "number": 1,
    "title": "О мерах\aпо профилактике",
    "time": "10:00–10:20 (20 мин.)",
    "rapporteurs": ["Докладчик: Петров П.П., начальник"],
    "heard": ["Иванов И.И. — доклад\fс разрывом страницы"],
    "spoke": ["Сидоров С.С."],
    "decisions": [DECISION, {**DECISION, "code": "1.2", "text": "Принять к сведению."}],
}
MEMBER = {
    "last_name": "Иванов",
    "given_names": "Иван Иванович",
    "full_name": "Иванов Иван Иванович",
    "description": "начальник отдела",
    "by_agreement": True,
}
# One context for every shipped template: each takes the variables it names.
CONTEXT: dict[str, object] = {
    "restricted": True,
    "restriction_mark": "Для служебного пользования",
    "body_names": ["межведомственная рабочая группа", "антитеррористическая комиссия"],
    "body_name": "межведомственной рабочей группы",
    "joint_title": "совместного заседания",
    "date": "01.12.2026",
    "day": "01.12.2026",
    "number": "№ 4",
    "place": "г. Энск",
    "studios": ["студия: Энск (ул. Ленина, 1)"],
    "vks_link": "https://vks.example/room?a=1&b=2",
    "title": "заседания",
    "presiding": "Петров П.П.",
    "secretary": "Сидорова С.С.",
    "present_listed": True,
    "present": [PERSON, PERSON],
    "invitees": [PERSON],
    "quorum_lines": ["Кворум имеется."],
    "items": [ITEM, {**ITEM, "number": 2}],
    "decided_heading": "РЕШИЛИ",
    "approval_title": "УТВЕРЖДЁН",
    "approval_text": "распоряжением от 01.01.2026 № 1",
    "groups": [
        {"title": "Председатель", "members": [MEMBER]},
        {"title": "Члены", "members": [MEMBER, {**MEMBER, "by_agreement": False}]},
    ],
    "rows": [
        {
            "number": n,
            "decision": "Обеспечить\aпункт",
            "executor": "МВД",
            "due": "01.12.2026",
            "progress": "исполняется",
            "mark": "",
        }
        for n in (1, 2)
    ],
    "organization": "МВД",
    "source": "протокол № 4",
    "certified_role": "Секретарь",
    "certified_name": "С.С. Сидорова",
    "certified_on": "02.12.2026",
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_render_gives_what_docxtpl_gives_alone(template):
    """The shipped templates take the short way (``rendering._prepare``): the same document as
    docxtpl's whole path, part by part. Tabs, paragraph, line and page breaks come out as
    docxtpl makes them. Rendered twice: the second time everything comes from what was kept."""
    expected = _parts(_docxtpl_alone(template, CONTEXT))
    for _ in range(2):
        assert _parts(render_docx(template, CONTEXT)) == expected
    assert rendering._prepare(template.read_bytes()) is not None


def test_the_protocol_keeps_tabs_and_breaks():
    body = _parts(render_docx(BUILTIN_DIR / "protocol.docx", CONTEXT))["word/document.xml"]
    assert b"<w:tab></w:tab>" in body and b'w:type="page"' in body and b"&amp; &lt;" in body


def _with_header(tmp_path: Path, text: str) -> Path:
    doc = Document(str(BUILTIN_DIR / "agenda.docx"))
    doc.sections[0].header.paragraphs[0].text = text
    path = tmp_path / "agenda.docx"
    doc.save(str(path))
    return path


def test_a_template_with_jinja_in_its_header_goes_through_docxtpl(tmp_path):
    """An administrator's template may name the body in its header: docxtpl renders the header
    (the short way renders the body only, so it is not taken)."""
    template = _with_header(tmp_path, "{{ body_name }} — повестка")
    assert rendering._prepare(template.read_bytes()) is None
    rendered = Document(io.BytesIO(render_docx(template, CONTEXT)))
    assert rendered.sections[0].header.paragraphs[0].text == (
        "межведомственной рабочей группы — повестка"
    )
    assert _parts(render_docx(template, CONTEXT)) == _parts(_docxtpl_alone(template, CONTEXT))


def test_a_header_without_jinja_is_kept_as_it_is(tmp_path):
    template = _with_header(tmp_path, "Энская область")
    assert rendering._prepare(template.read_bytes()) is not None
    rendered = Document(io.BytesIO(render_docx(template, CONTEXT)))
    assert rendered.sections[0].header.paragraphs[0].text == "Энская область"


def test_a_column_loop_goes_through_docxtpl(tmp_path):
    """``{%tc`` repeats cells: docxtpl's fix_tables then widens the table's grid."""
    doc = Document()
    table = doc.add_table(rows=1, cols=3)
    table.cell(0, 0).text = "{%tc for c in columns %}"
    table.cell(0, 1).text = "{{ c }}"
    table.cell(0, 2).text = "{%tc endfor %}"
    template = tmp_path / "columns.docx"
    doc.save(str(template))
    assert rendering._prepare(template.read_bytes()) is None
    rendered = Document(io.BytesIO(render_docx(template, {"columns": ["а", "б", "в", "г"]})))
    assert [c.text for c in rendered.tables[0].rows[0].cells] == ["а", "б", "в", "г"]


def test_a_replaced_template_is_read_anew(tmp_path):
    template = _with_header(tmp_path, "Первый")
    render_docx(template, CONTEXT)
    _with_header(tmp_path, "Второй")
    rendered = Document(io.BytesIO(render_docx(template, CONTEXT)))
    assert rendered.sections[0].header.paragraphs[0].text == "Второй"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_shipped_templates_carry_only_the_styles_they_use(template):
    """``build.py`` leaves out python-docx's 164 unused styles, their Word 2010 copy and the
    thumbnail of a blank page: every render parses and writes each part of the template."""
    with zipfile.ZipFile(template) as archive:
        names = set(archive.namelist())
        styles = archive.read("word/styles.xml")
    assert "word/stylesWithEffects.xml" not in names
    assert not any(name.startswith("docProps/thumbnail") for name in names)
    assert styles.count(b"<w:style ") < 20
    assert b'w:styleId="Normal"' in styles


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("", ""),
        ("  одна строка  ", "одна строка"),
        ("первая\r\nвторая\rтретья\nчетвёртая", "первая\aвторая\aтретья\aчетвёртая"),
        ("пустые\n\n  \nстроки", "пустые\aстроки"),
        ("табуляция\tостаётся", "табуляция\tостаётся"),
        ("управляющие\x00\x07\x0b\x1fсимволы", "управляющиесимволы"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


@given(st.text(alphabet=st.sampled_from("аб \t\r\n\x00\x07\x0b\x0c\x1f\x85\u2028"), max_size=30))
def test_clean_text_leaves_no_control_character_and_no_empty_paragraph(raw):
    cleaned = clean_text(raw)
    assert not any(ord(ch) < 32 and ch not in "\t\a" for ch in cleaned)
    assert all(part and part == part.strip() for part in cleaned.split("\a")) or cleaned == ""


def test_a_template_is_compiled_once_and_renders_each_context_anew():
    source = "<w:t>{{ name }}</w:t>"
    first = _ENVIRONMENT.from_string(source)
    assert _ENVIRONMENT.from_string(source) is first
    assert _ENVIRONMENT.from_string(source + " ") is not first
    assert first.render(name="А & Б") == "<w:t>А &amp; Б</w:t>"
    assert first.render(name="В") == "<w:t>В</w:t>"


def test_the_cleaned_xml_is_kept_by_source_and_equals_docxtpls():
    path = str(template_path("protocol.docx"))
    ours, theirs = _Template(path), DocxTemplate(path)
    ours.render_init()
    xml = ours.get_xml()
    assert ours.patch_xml(xml) == theirs.patch_xml(xml)
    assert ours.patch_xml(xml) is ours.patch_xml(xml)
