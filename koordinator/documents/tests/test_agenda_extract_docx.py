"""The agenda and the extracts as DOCX; the replaceable templates; the Russian wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from koordinator.documents.composition import render_composition_docx
from koordinator.documents.docx_templates.build import build_agenda, build_extract, build_protocol
from koordinator.documents.protocol import (
    render_agenda_docx,
    render_extract_docx,
    render_protocol_docx,
)
from koordinator.documents.templating import BUILTIN_DIR, template_path
from koordinator.documents.tests import builders
from koordinator.documents.tests.builders import assert_in_order, paragraphs
from koordinator.documents.wording import city_of, genitive, mentions, people_count
from koordinator.meetings.models import AgendaItem, Decision

MARK = "Для служебного пользования"
TITLE = "заседания межведомственной рабочей группы по профилактике правонарушений в среде мигрантов"


@pytest.fixture
def built(cast, meeting):
    return builders.build_protocol(cast, meeting)


def _protocol(built, **kwargs) -> list[str]:
    kwargs.setdefault("include_restricted", True)
    return paragraphs(render_protocol_docx(built.protocol, **kwargs))


def _codes(lines: list[str]) -> list[str]:
    return [m.group(1) for line in lines if (m := re.match(r"^(\d+\.\d+)\. ", line))]


# --- agenda -----------------------------------------------------------------------------------


def test_agenda(built, cast, meeting):
    AgendaItem.objects.filter(meeting=meeting, number=1).update(duration_minutes=20)
    AgendaItem.objects.filter(meeting=meeting, number=2).update(duration_minutes=30)
    lines = paragraphs(render_agenda_docx(meeting, include_restricted=True))
    member = cast.member.person.initials_surname
    assert_in_order(
        lines,
        [
            cast.body.name.upper(),
            "ПОВЕСТКА ДНЯ",
            TITLE,
            "Дата проведения: 10.03.2026",
            "Время начала: 10:00",
            "Место проведения: г. Энск, ул. Ленина, 1, зал заседаний",
            "1. О профилактике правонарушений в среде мигрантов",
            f"Докладчик: {member}, начальник отдела УМВД России по городу Энску.",
            "Содокладчик: П.И. Законов, прокурор города.",
            "10:00–10:20 (20 мин.)",
            "2. Об информационно-разъяснительной работе с мигрантами",
            "Докладчик: Управление культуры администрации города Энска.",
            "10:20–10:50 (30 мин.)",
        ],
    )
    assert MARK not in lines


def test_agenda_restricted_item(built, meeting):
    AgendaItem.objects.filter(meeting=meeting, number=2).update(restricted=True)
    outside = paragraphs(render_agenda_docx(meeting, include_restricted=False))
    assert MARK not in outside
    assert "2. Об информационно-разъяснительной работе с мигрантами" not in outside
    inside = paragraphs(render_agenda_docx(meeting, include_restricted=True))
    assert inside[0] == MARK
    assert "2. Об информационно-разъяснительной работе с мигрантами" in inside


def test_agenda_of_joint_videoconference(joint_meeting):
    lines = paragraphs(render_agenda_docx(joint_meeting, include_restricted=False))
    assert_in_order(
        lines,
        [
            "ПОВЕСТКА ДНЯ",
            "совместного заседания антитеррористической комиссии в Энской области и …",
            "Место проведения: в режиме видеоконференцсвязи",
            "студия: Студия ВКС администрации города Энска (г. Энск, ул. Ленина, 1)",
            "Подключение к ВКС: https://vks.example.invalid/room/1",
            "1. О результатах противодействия незаконной миграции",
        ],
    )


# --- extract ----------------------------------------------------------------------------------


def test_extract_for_the_lead_executor(built, cast):
    lines = paragraphs(render_extract_docx(built.protocol, built.police))
    assert_in_order(
        lines,
        [
            cast.body.name.upper(),
            "ВЫПИСКА",
            f"из протокола {TITLE}",
            "от 10.03.2026 № 3",
            "г. Энск",
            f"Председательствующий — {cast.chair.person.initials_surname}",
            "Направляется: УМВД России по городу Энску",
            "1. О профилактике правонарушений в среде мигрантов",
            "РЕШИЛИ:",
            "1.1. Информацию докладчика принять к сведению и провести профилактические рейды.",
            "2. Об информационно-разъяснительной работе с мигрантами",
            "РЕШИЛИ:",
            "2.1. Подготовить памятки для мигрантов на родных языках.",
            f"Верно: секретарь рабочей группы\t{cast.secretary.person.initials_surname}",
        ],
    )
    assert _codes(lines) == ["1.1", "2.1"]
    assert "СЛУШАЛИ:" not in "\n".join(lines)


def test_extract_for_a_co_executor(built):
    lines = paragraphs(render_extract_docx(built.protocol, built.culture))
    assert _codes(lines) == ["1.1", "1.2"]
    assert "2. Об информационно-разъяснительной работе с мигрантами" not in lines


def test_extract_without_decisions_for_the_organisation(built):
    lines = paragraphs(render_extract_docx(built.protocol, built.prosecutor))
    assert _codes(lines) == []
    assert "Решений, адресованных организации, в протоколе нет." in lines


def test_extract_restricted_decision(built):
    Decision.objects.filter(item__meeting=built.meeting, item__number=2).update(restricted=True)
    inside = paragraphs(render_extract_docx(built.protocol, built.police))
    assert inside[0] == MARK
    assert _codes(inside) == ["1.1", "2.1"]
    outside = paragraphs(
        render_extract_docx(built.protocol, built.police, include_restricted=False)
    )
    assert MARK not in outside
    assert _codes(outside) == ["1.1"]


# --- templates --------------------------------------------------------------------------------


def test_body_override_template_is_used(built, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "docx_templates" / f"body-{cast.body.pk}"
    folder.mkdir(parents=True)
    own = Document()
    own.add_paragraph("СВОЙ ШАБЛОН {{ date }} {{ number }}")
    own.save(str(folder / "protocol.docx"))
    own.save(str(folder / "composition.docx"))
    assert template_path("protocol.docx", cast.body) == folder / "protocol.docx"
    assert template_path("protocol.docx", cast.other_body) == BUILTIN_DIR / "protocol.docx"
    lines = _protocol(built)
    assert lines == ["СВОЙ ШАБЛОН 10.03.2026 № 3"]
    # The same lookup serves every document: the composition too.
    import datetime as dt

    composition = paragraphs(render_composition_docx(cast.body, dt.date(2026, 3, 15)))
    assert composition[0].startswith("СВОЙ ШАБЛОН")
    # The agenda has no override: the shipped template.
    assert "ПОВЕСТКА ДНЯ" in paragraphs(render_agenda_docx(built.meeting, include_restricted=True))


def test_installation_wide_override(built, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "docx_templates").mkdir()
    own = Document()
    own.add_paragraph("ВЫПИСКА ПО-НАШЕМУ для {{ organization }}")
    own.save(str(tmp_path / "docx_templates" / "extract.docx"))
    lines = paragraphs(render_extract_docx(built.protocol, built.police))
    assert lines == ["ВЫПИСКА ПО-НАШЕМУ для УМВД России по городу Энску"]


def test_template_name_cannot_leave_the_folder():
    with pytest.raises(ValueError, match="Недопустимое"):
        template_path("../secret.docx")


@pytest.mark.parametrize(
    ("builder", "name"),
    [
        (build_protocol, "protocol.docx"),
        (build_agenda, "agenda.docx"),
        (build_extract, "extract.docx"),
    ],
)
def test_build_script_reproduces_the_committed_templates(builder, name, tmp_path):
    def body_xml(path: Path) -> str:
        return Document(str(path)).element.xml

    assert body_xml(builder(tmp_path / name)) == body_xml(BUILTIN_DIR / name)


# --- wording ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "Антитеррористическая комиссия в Энской области",
            "антитеррористической комиссии в Энской области",
        ),
        (
            "Межведомственная рабочая группа по профилактике правонарушений в среде мигрантов",
            "межведомственной рабочей группы по профилактике правонарушений в среде мигрантов",
        ),
        (
            "Постоянно действующее координационное совещание по обеспечению правопорядка",
            "постоянно действующего координационного совещания по обеспечению правопорядка",
        ),
        ("Комиссия по делам несовершеннолетних", "комиссии по делам несовершеннолетних"),
        ("МРГ-3", "МРГ-3"),
    ],
)
def test_genitive(name, expected):
    assert genitive(name) == expected


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (11, "11 человек"),
        (12, "12 человек"),
        (14, "14 человек"),
        (22, "22 человека"),
        (25, "25 человек"),
    ],
)
def test_people_count(n, text):
    assert people_count(n) == text


@pytest.mark.parametrize(
    ("place", "city"),
    [
        ("г. Энск, ул. Ленина, 1, зал заседаний", "г. Энск"),
        ("Администрация, г. Энск, ул. Ленина, 1", "г. Энск"),
        ("Энск, ул. Ленина", "Энск"),
        ("", ""),
    ],
)
def test_city_of(place, city):
    assert city_of(place) == city


@pytest.mark.parametrize(
    ("post", "agency", "named"),
    [
        ("начальник УМВД России по городу Энску", "УМВД России по городу Энску", True),
        (
            "начальник Управления по вопросам миграции УМВД России по городу Энску",
            "Управление по вопросам миграции УМВД России по городу Энску",
            True,
        ),
        (
            "президент Энской городской общественной организации «Содружество»",
            "Энская городская общественная организация «Содружество»",
            True,
        ),
        ("начальник отдела", "УМВД России по городу Энску", False),
        ("заместитель главы города", "Администрация города Энска", False),
        ("начальник отдела", "", False),
    ],
)
def test_a_post_mentions_its_agency_in_any_case(post, agency, named):
    """The rapporteur's and the member's post is printed without the agency after it when it
    names the agency already, in whatever case («начальник Управления …»)."""
    assert mentions(post, agency) is named
