"""«Состав …» as DOCX: the document's content, and the download view."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from docx import Document
from docx.document import Document as DocxDocument

from koordinator.bodies import services
from koordinator.bodies.models import Body, Organization, Person
from koordinator.documents.composition import (
    TEMPLATE_PATH,
    approval_text,
    render_composition_docx,
)
from koordinator.documents.docx_templates.build import build
from koordinator.documents.responses import DOCX

DAY = dt.date(2026, 3, 15)


def _person(last: str, first: str, patronymic: str) -> Person:
    return services.person_create(
        actor=None, last_name=last, first_name=first, patronymic=patronymic
    )


def _org(name: str, short_name: str = "") -> Organization:
    return services.organization_create(
        actor=None, name=name, short_name=short_name, level="municipal", territory="город Энск"
    )


def _add(
    body: Body,
    person: Person,
    org: Organization,
    title: str,
    roles: tuple[str, ...] = ("member",),
    *,
    by_agreement: bool = False,
    starts_on: dt.date = dt.date(2026, 1, 1),
    ends_on: dt.date | None = None,
) -> None:
    services.membership_add(
        actor=None,
        body=body,
        person=person,
        organization=org,
        post_title=title,
        roles=roles,
        starts_on=starts_on,
        ends_on=ends_on,
        by_agreement=by_agreement,
    )


@pytest.fixture
def composed(cast):
    """The cast's body with a full composition: chair and secretary from the cast, a deputy,
    members whose surnames are out of order (and one with «Ё»), one member «по согласованию»,
    one who left before DAY and one who joins after it."""
    body = cast.body
    body.established_by = "распоряжение заместителя главы города от 01.03.2026 № 45-р"
    body.save(update_fields=["established_by"])
    admin = _org("Администрация города Энска (аппарат)", "Аппарат")
    fsb = _org("Отдел УФСБ России по Энской области в городе Энске", "Отдел УФСБ")
    _add(
        body,
        _person("Смирнова", "Ольга", "Петровна"),
        admin,
        "заместитель главы города",
        ("deputy_chair",),
    )
    _add(body, _person("Яковлев", "Пётр", "Ильич"), admin, "начальник отдела по делам молодёжи")
    _add(body, _person("Ёлкина", "Анна", "Сергеевна"), admin, "начальник отдела культуры")
    _add(body, _person("Абрамов", "Олег", "Викторович"), admin, "начальник отдела образования")
    _add(
        body,
        _person("Борисов", "Денис", "Андреевич"),
        fsb,
        "начальник отдела",
        by_agreement=True,
    )
    _add(
        body,
        _person("Выбывший", "Иван", "Иванович"),
        admin,
        "советник",
        ends_on=dt.date(2026, 2, 1),
    )
    _add(
        body,
        _person("Будущий", "Иван", "Иванович"),
        admin,
        "консультант",
        starts_on=dt.date(2026, 4, 1),
    )
    return body


def _open(content: bytes) -> DocxDocument:
    return Document(io.BytesIO(content))


def _paragraphs(doc: DocxDocument) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def _rows(doc: DocxDocument) -> list[tuple[str, str]]:
    assert len(doc.tables) == 1
    return [(row.cells[0].text, row.cells[-1].text) for row in doc.tables[0].rows]


def test_document_has_approval_title_name_and_date(composed):
    doc = _open(render_composition_docx(composed, DAY))
    paragraphs = _paragraphs(doc)
    assert paragraphs[0] == "УТВЕРЖДЁН"
    assert paragraphs[1] == "распоряжением заместителя главы города от 01.03.2026 №\u00a045-р"
    assert "СОСТАВ" in paragraphs
    title = paragraphs.index("СОСТАВ")
    assert paragraphs[title + 1] == composed.name
    assert paragraphs[title + 2] == "(по состоянию на 15.03.2026)"
    # No Jinja tag survives rendering.
    text = "\n".join(paragraphs) + str(_rows(doc))
    assert "{" not in text
    assert "}" not in text


def test_members_grouped_chair_first_then_alphabetical(composed, cast):
    doc = _open(render_composition_docx(composed, DAY))
    rows = _rows(doc)
    headings = [left for left, right in rows if left == right]
    assert headings == [
        "Председатель рабочей группы:",
        "Заместитель председателя рабочей группы:",
        "Секретарь рабочей группы:",
        "Члены рабочей группы:",
    ]
    people = [left for left, right in rows if left != right]
    surnames = [p.split("\n")[0] for p in people]
    chair = cast.chair.person
    secretary = cast.secretary.person
    assert surnames[:3] == [chair.last_name, "Смирнова", secretary.last_name]
    # Members by surname in Russian order: «Ё» with «Е», not before «А».
    members = surnames[3:]
    assert members == sorted(members, key=lambda s: s.casefold().replace("ё", "е"))
    assert members.index("Абрамов") < members.index("Ёлкина") < members.index("Яковлев")
    # Surname on one line, name and patronymic on the next.
    assert "Смирнова\nОльга Петровна" in people
    # Only those in the composition on DAY.
    assert "Выбывший" not in surnames
    assert "Будущий" not in surnames


def test_post_organisation_and_by_agreement(composed):
    rows = dict(_rows(_open(render_composition_docx(composed, DAY))))
    assert rows["Борисов\nДенис Андреевич"] == (
        "– начальник отдела, Отдел УФСБ России по Энской области в городе Энске (по согласованию)"
    )
    assert rows["Абрамов\nОлег Викторович"] == (
        "– начальник отдела образования, Администрация города Энска (аппарат)"
    )
    assert "(по согласованию)" not in rows["Абрамов\nОлег Викторович"]


def test_second_role_printed_after_the_post(cast):
    person = _person("Котова", "Мария", "Игоревна")
    _add(
        cast.body,
        person,
        _org("Комитет по делам национальностей"),
        "председатель комитета",
        ("deputy_chair", "secretary"),
    )
    rows = dict(_rows(_open(render_composition_docx(cast.body, DAY))))
    assert rows["Котова\nМария Игоревна"].endswith(", секретарь рабочей группы")


def test_markup_characters_are_escaped(cast):
    """An ampersand or angle bracket in a name must not break the document's XML."""
    _add(
        cast.body,
        _person("Орлов", "Илья", "Ильич"),
        _org("ООО «Рога & Копыта» <холдинг>"),
        "директор",
    )
    rows = dict(_rows(_open(render_composition_docx(cast.body, DAY))))
    assert rows["Орлов\nИлья Ильич"] == "– директор, ООО «Рога & Копыта» <холдинг>"


def test_empty_composition_and_no_founding_document(db):
    body = services.body_create(
        actor=None,
        name="Комиссия по делам несовершеннолетних",
        short_name="КДН",
        kind="commission",
        organization=_org("Администрация"),
    )
    doc = _open(render_composition_docx(body, DAY))
    paragraphs = _paragraphs(doc)
    assert doc.tables == []
    assert "На эту дату в составе никого нет." in paragraphs
    # A blank approval mark to fill in by hand.
    assert paragraphs[0] == "УТВЕРЖДЁН"
    assert paragraphs[1].startswith("____")


@pytest.mark.parametrize(
    ("stored", "printed"),
    [
        (
            "распоряжение главы города от 01.03.2026 № 45-р",
            "распоряжением главы города от 01.03.2026 №\u00a045-р",
        ),
        (
            "Постановление  администрации от 02.02.2026 № 7",
            "постановлением администрации от 02.02.2026 №\u00a07",
        ),
        ("протокол заседания АТК от 01.01.2026", "протоколом заседания АТК от 01.01.2026"),
        ("главой города 01.03.2026", "главой города 01.03.2026"),
        ("", ""),
    ],
)
def test_approval_text(stored, printed):
    assert approval_text(stored) == printed


def test_font_is_times_new_roman_14(composed):
    doc = _open(render_composition_docx(composed, DAY))
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 14


def test_template_script_reproduces_the_committed_template(tmp_path):
    """The committed .docx is what build.py writes: the script stays the template's source.
    (A team that replaces the template with one made in Word drops this test with build.py.)"""

    def body_xml(path: Path) -> str:
        return Document(str(path)).element.xml

    assert body_xml(build(tmp_path / "composition.docx")) == body_xml(TEMPLATE_PATH)


# --- the view --------------------------------------------------------------------------------


def test_download(composed, cast):
    response = cast.client(cast.member).get(
        f"/bodies/{composed.pk}/composition.docx", {"on": "2026-03-15"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f'filename="composition-{composed.pk}-2026-03-15.docx"' in disposition
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "Состав МРГ мигранты на 15.03.2026.docx"
    assert "(по состоянию на 15.03.2026)" in _paragraphs(_open(response.content))


def test_download_defaults_to_today(composed, cast, monkeypatch):
    monkeypatch.setattr("koordinator.bodies.selectors.today", lambda: dt.date(2026, 3, 20))
    response = cast.client(cast.chair).get(f"/bodies/{composed.pk}/composition.docx")
    assert response.status_code == 200
    assert "(по состоянию на 20.03.2026)" in _paragraphs(_open(response.content))


def test_download_bad_date_is_400(cast):
    response = cast.client(cast.member).get(
        f"/bodies/{cast.body.pk}/composition.docx", {"on": "31.02.2026"}
    )
    assert response.status_code == 400
    assert "не распознана" in response.content.decode()


def test_download_observer_from_higher_body_may_read(cast):
    response = cast.client(cast.observer).get(f"/bodies/{cast.body.pk}/composition.docx")
    assert response.status_code == 200


def test_download_outsider_404(cast):
    response = cast.client(cast.outsider).get(f"/bodies/{cast.body.pk}/composition.docx")
    assert response.status_code == 404


def test_download_anonymous_redirected_to_login(cast):
    response = cast.client(None).get(f"/bodies/{cast.body.pk}/composition.docx")
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- through LibreOffice, as a person would print it -----------------------------------------


SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) not installed")
def test_converts_to_pdf_with_libreoffice(composed, tmp_path):
    assert SOFFICE is not None
    assert PDFTOTEXT is not None
    source = tmp_path / "composition.docx"
    source.write_bytes(render_composition_docx(composed, DAY))
    # A private profile: a user's running LibreOffice or a stale lock cannot block the run.
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "composition.pdf"
    assert pdf.exists()
    text = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [PDFTOTEXT, "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    flat = " ".join(text.split())
    assert "УТВЕРЖДЁН" in flat
    assert "СОСТАВ" in flat
    assert "по состоянию на 15.03.2026" in flat
    assert "(по согласованию)" in flat
    assert flat.index("Председатель рабочей группы") < flat.index("Члены рабочей группы")
    assert flat.index("Абрамов") < flat.index("Яковлев")
