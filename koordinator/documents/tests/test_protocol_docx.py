"""The protocol as DOCX: every requisite, in its order; its queries; its PDF."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koordinator.bodies.models import Membership
from koordinator.core.testing import factories as f
from koordinator.documents import pdf as pdf_module
from koordinator.documents.pdf import PdfConversionError, docx_to_pdf
from koordinator.documents.protocol import render_protocol_docx
from koordinator.documents.tests import builders
from koordinator.documents.tests.builders import assert_in_order, open_docx, paragraphs
from koordinator.meetings.models import (
    Attendance,
    AttendanceStatus,
    Decision,
    MeetingBody,
    Protocol,
    ProtocolSignature,
    SignatureRole,
)

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


def test_every_requisite_in_order(built, cast):
    chair = cast.chair.person
    secretary = cast.secretary.person
    member = cast.member.person
    lines = _protocol(built)
    assert_in_order(
        lines,
        [
            cast.body.name.upper(),
            "ПРОТОКОЛ",
            "10.03.2026\t№ 3",
            "г. Энск",
            TITLE,
            f"Председательствующий — {chair.initials_surname}",
            f"Секретарь — {secretary.initials_surname}",
            "Присутствовали:",
            f"{member.surname_initials} – начальник отдела {member.last_name}, "
            "УМВД России по городу Энску",
            "Приглашённые:",
            "Законов П.И. – прокурор города, Прокуратура города Энска",
            "Кворум имеется: присутствуют 3 из 3 членов МРГ мигранты…",
            "ПОВЕСТКА ДНЯ:",
            "1. О профилактике правонарушений в среде мигрантов",
            f"Докладчик: {member.initials_surname}, начальник отдела УМВД России по городу Энску.",
            "Содокладчик: П.И. Законов, прокурор города.",
            "2. Об информационно-разъяснительной работе с мигрантами",
            "Докладчик: Управление культуры администрации города Энска.",
            "1. СЛУШАЛИ:",
            f"{member.initials_surname}, П.И. Законов — "
            "О состоянии правопорядка в среде мигрантов за 2025 год.",
            "ВЫСТУПИЛИ:",
            f"{chair.initials_surname} — Предложил усилить профилактику.",
            "Гостев Г.Г.",
            "РЕШИЛИ:",
            "1.1. Информацию докладчика принять к сведению и провести профилактические рейды.",
            "Ответственный исполнитель: УМВД России по городу Энску.",
            "Соисполнители: Управление культуры администрации города Энска.",
            "Срок: до 1 декабря 2026 г.",
            "Голосовали: за — 5, против — 1, воздержались — 0.",
            "1.2. Организовать встречи с диаспорами, этап 2.",
            "Ответственный исполнитель: Управление культуры администрации города Энска.",
            "Срок: ежеквартально до 5 числа месяца, следующего за отчётным.",
            "Особое мнение: Член группы считает срок нереальным.",
            "2. СЛУШАЛИ:",
            "Управление культуры администрации города Энска — текст доклада прилагается.",
            "РЕШИЛИ:",
            "2.1. Подготовить памятки для мигрантов на родных языках.",
            "Ответственный исполнитель: УМВД России по городу Энску.",
            "Срок: до 30.06.2026.",
            f"Председательствующий\t{chair.initials_surname}",
            f"Секретарь\t{secretary.initials_surname}",
        ],
    )
    assert _codes(lines) == ["1.1", "1.2", "2.1"]
    assert MARK not in lines
    # An invitee who did not come is not printed; no Jinja tag survives.
    assert not any("Неявкин" in line for line in lines)
    text = "\n".join(lines)
    assert "{" not in text
    assert "}" not in text
    # The signatures close the protocol.
    assert lines[-1] == f"Секретарь\t{secretary.initials_surname}"


def test_font_is_times_new_roman_14(built):
    doc = open_docx(render_protocol_docx(built.protocol, include_restricted=True))
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 14


def test_decisions_numbered_per_item(cast, meeting):
    built = builders.build_protocol(cast, meeting, decisions_in_item_1=3)
    assert _codes(_protocol(built)) == ["1.1", "1.2", "1.3", "2.1"]


def test_present_in_alphabetical_order(built, cast, meeting):
    for last in ("Яковлев", "Ёлкин", "Абрамов"):
        person = f.PersonFactory.create(last_name=last, first_name="Олег", patronymic="Ильич")
        membership = f.add_member(cast.body, person, title="советник")
        Attendance.objects.create(
            meeting=meeting, membership=membership, status=AttendanceStatus.PRESENT
        )
    absent = f.add_member(cast.body, f.PersonFactory.create(last_name="Отсутствов"))
    Attendance.objects.create(meeting=meeting, membership=absent, status=AttendanceStatus.ABSENT)
    substitute = f.add_member(cast.body, f.PersonFactory.create(last_name="Замещаемов"))
    Attendance.objects.create(
        meeting=meeting,
        membership=substitute,
        status=AttendanceStatus.SUBSTITUTE,
        substitute_name="Вместов В.В.",
        substitute_position="заместитель начальника",
    )
    lines = _protocol(built)
    start = lines.index("Присутствовали:")
    listed = lines[start + 1 : lines.index("Приглашённые:")]
    surnames = [line.split()[0] for line in listed]
    assert surnames == sorted(surnames, key=lambda s: s.casefold().replace("ё", "е"))
    assert surnames[:3] == ["Абрамов", "Вместов", "Ёлкин"]
    assert surnames[-1] == "Яковлев"
    assert "Вместов В.В. – заместитель начальника (за Замещаемов И.С.)" in listed
    assert not any("Отсутствов" in line for line in lines)


def test_over_ten_present_gives_count_and_appendix(built, cast, meeting):
    for _ in range(8):  # 3 + 8 = 11
        membership = f.add_member(cast.body)
        Attendance.objects.create(
            meeting=meeting, membership=membership, status=AttendanceStatus.PRESENT
        )
    lines = _protocol(built)
    assert "Присутствовали:" not in lines
    assert_in_order(
        lines,
        [
            f"Секретарь — {cast.secretary.person.initials_surname}",
            "Присутствовали: 11 человек (список прилагается)",
            "Приглашённые:",
            f"Секретарь\t{cast.secretary.person.initials_surname}",
            "Приложение",
            "к протоколу от 10.03.2026 № 3",
            "СПИСОК",
            "присутствовавших на заседании",
            "1. …",
            "11. …",
        ],
    )
    appendix = lines[lines.index("присутствовавших на заседании") + 1 :]
    assert len(appendix) == 11
    # The appendix starts on a new page.
    doc = open_docx(render_protocol_docx(built.protocol, include_restricted=True))
    assert 'w:type="page"' in doc.element.xml


def test_exactly_ten_present_are_listed(built, cast, meeting):
    for _ in range(7):
        membership = f.add_member(cast.body)
        Attendance.objects.create(
            meeting=meeting, membership=membership, status=AttendanceStatus.PRESENT
        )
    lines = _protocol(built)
    assert "Присутствовали:" in lines
    assert "Приложение" not in lines


def _restrict(built):
    item2 = built.meeting.items.get(number=2)
    item2.restricted = True
    item2.save()
    Decision.objects.filter(item__number=1, order=2, item__meeting=built.meeting).update(
        restricted=True
    )


def test_restricted_items_and_decisions_left_out_for_outsiders(built):
    _restrict(built)
    lines = _protocol(built, include_restricted=False)
    assert MARK not in lines
    assert _codes(lines) == ["1.1"]
    assert "2. Об информационно-разъяснительной работе с мигрантами" not in lines
    assert "2. СЛУШАЛИ:" not in lines
    text = "\n".join(lines)
    assert "Организовать встречи" not in text
    assert "памятки" not in text
    assert "нереальным" not in text


def test_restricted_parts_printed_with_the_mark_for_insiders(built):
    _restrict(built)
    lines = _protocol(built, include_restricted=True)
    assert lines[0] == MARK
    assert _codes(lines) == ["1.1", "1.2", "2.1"]
    doc = open_docx(render_protocol_docx(built.protocol, include_restricted=True))
    first = next(p for p in doc.paragraphs if p.text.strip())
    assert first.alignment == 2  # right


def test_restricted_protocol_carries_the_mark(built):
    built.protocol.restricted = True
    built.protocol.save()
    assert _protocol(built, include_restricted=False)[0] == MARK


def test_short_form_has_surnames_and_topics_only(built, cast):
    built.protocol.form = "short"
    built.protocol.save()
    lines = _protocol(built)
    member = cast.member.person.initials_surname
    chair = cast.chair.person.initials_surname
    text = "\n".join(lines)
    assert "О состоянии правопорядка" not in text
    assert "Предложил усилить" not in text
    assert "текст доклада прилагается" not in text
    assert_in_order(
        lines,
        [
            "1. СЛУШАЛИ:",
            f"{member}, П.И. Законов — О профилактике правонарушений в среде мигрантов",
            "ВЫСТУПИЛИ:",
            f"{chair}, Гостев Г.Г.",
            "РЕШИЛИ:",
            "1.1. …",
            "2. СЛУШАЛИ:",
            "Управление культуры администрации города Энска — "
            "Об информационно-разъяснительной работе с мигрантами",
        ],
    )
    assert _codes(lines) == ["1.1", "1.2", "2.1"]


def test_quorum_text_of_the_protocol_wins(built):
    built.protocol.quorum_text = "Кворум имеется (присутствуют 3 из 3 членов)."
    built.protocol.save()
    lines = _protocol(built)
    assert "Кворум имеется (присутствуют 3 из 3 членов)." in lines
    assert not any(line.startswith("Кворум имеется: ") for line in lines)


def test_unregistered_protocol_prints_a_blank_number(built):
    MeetingBody.objects.filter(meeting=built.meeting).update(protocol_number=None)
    assert "10.03.2026\t№ ___" in _protocol(built)


def test_signature_by_presiding_only_where_the_regulation_says(built, cast):
    cast.body.protocol_signatories = "presiding"
    cast.body.save()
    lines = _protocol(built)
    assert lines[-1] == f"Председательствующий\t{cast.chair.person.initials_surname}"
    assert not any(line.startswith("Секретарь\t") for line in lines)


def test_markup_and_line_breaks_in_user_text(built):
    Decision.objects.filter(item__meeting=built.meeting, item__number=2).update(
        text="Обязать ООО «Рога & Копыта» <холдинг>:\nпервое;\r\nвторое"
    )
    lines = _protocol(built)
    assert_in_order(lines, ["2.1. Обязать ООО «Рога & Копыта» <холдинг>:", "первое;", "второе."])


def test_joint_meeting(cast, joint_meeting):
    bodies = [mb.body for mb in joint_meeting.meeting_bodies.order_by("order")]
    region, second = bodies
    MeetingBody.objects.filter(meeting=joint_meeting, body=region).update(protocol_number=3)
    MeetingBody.objects.filter(meeting=joint_meeting, body=second).update(protocol_number=12)
    second.protocol_signatories = "presiding"
    second.save()
    for membership in Membership.objects.filter(post__body__in=bodies):
        Attendance.objects.create(
            meeting=joint_meeting, membership=membership, status=AttendanceStatus.PRESENT
        )
    secretary = f.PersonFactory.create(last_name="Секретарёв")
    joint_meeting.secretary = secretary
    joint_meeting.save()
    protocol = Protocol.objects.create(meeting=joint_meeting)
    governor = joint_meeting.presiding
    ProtocolSignature.objects.create(
        protocol=protocol,
        body=second,
        role=SignatureRole.PRESIDING,
        person=governor,
        user=cast.chair,
    )
    lines = paragraphs(render_protocol_docx(protocol, include_restricted=True))
    assert_in_order(
        lines,
        [
            "АНТИТЕРРОРИСТИЧЕСКАЯ КОМИССИЯ В ЭНСКОЙ ОБЛАСТИ",
            "ПОСТОЯННО ДЕЙСТВУЮЩЕЕ КООРДИНАЦИОННОЕ СОВЕЩАНИЕ ПО ОБЕСПЕЧЕНИЮ ПРАВОПОРЯДКА",
            "ПРОТОКОЛ",
            "совместного заседания антитеррористической комиссии в Энской области и постоянно "
            "действующего координационного совещания по обеспечению правопорядка",
            "10.03.2026\t№ 3 / № 12",
            "в режиме видеоконференцсвязи",
            "студия: Студия ВКС администрации города Энска (г. Энск, ул. Ленина, 1)",
            f"Председательствующий — {governor.initials_surname}",
            f"Секретарь — {secretary.initials_surname}",
            "Присутствовали:",
            "Кворум имеется: присутствуют 1 из 1 членов АТК области…",
            "Кворум имеется: присутствуют 1 из 1 членов КС правопорядок…",
            "ПОВЕСТКА ДНЯ:",
            "1. О результатах противодействия незаконной миграции",
            "1. СЛУШАЛИ:",
            "Антитеррористическая комиссия в Энской области",
            f"Председательствующий\t{governor.initials_surname}",
            f"Секретарь\t{secretary.initials_surname}",
            "Постоянно действующее координационное совещание по обеспечению правопорядка",
            f"Председательствующий\t{governor.initials_surname}",
        ],
    )
    # The governor sits in both bodies and is listed once.
    present = [line for line in lines if line.startswith(governor.surname_initials)]
    assert len(present) == 1
    # A joint protocol has no second title, and the second body signs without a secretary.
    assert not any(line.startswith("заседания ") for line in lines)
    assert lines[-1] == f"Председательствующий\t{governor.initials_surname}"


# --- queries ----------------------------------------------------------------------------------


def _queries(protocol: Protocol) -> int:
    with CaptureQueriesContext(connection) as ctx:
        render_protocol_docx(protocol, include_restricted=True)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_decisions(cast, meeting):
    built = builders.build_protocol(cast, meeting, decisions_in_item_1=10)
    ten = _queries(built.protocol)
    item = built.meeting.items.get(number=1)
    for n in range(11, 21):
        decision = Decision.objects.create(
            item=item, order=n, text=f"Решение {n}", lead_executor=built.culture
        )
        decision.co_executors.add(built.police)
    twenty = _queries(built.protocol)
    assert ten == twenty
    assert len(_codes(_protocol(built))) == 21


# --- PDF through LibreOffice ------------------------------------------------------------------


SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) not installed")
def test_protocol_to_pdf_with_libreoffice(built, cast, tmp_path):
    assert PDFTOTEXT is not None
    pdf = docx_to_pdf(render_protocol_docx(built.protocol, include_restricted=True))
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "protocol.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [PDFTOTEXT, "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    # pdftotext may drop the narrow space after «№».
    flat = " ".join(text.split()).replace("№ ", "№")
    order = [
        "ПРОТОКОЛ",
        "10.03.2026",
        "№3",
        "г. Энск",
        "заседания межведомственной рабочей группы",
        f"Председательствующий — {cast.chair.person.initials_surname}",
        "Присутствовали:",
        "Приглашённые:",
        "Кворум имеется",
        "ПОВЕСТКА ДНЯ:",
        "1. СЛУШАЛИ:",
        "ВЫСТУПИЛИ:",
        "РЕШИЛИ:",
        "1.1. Информацию докладчика",
        "1.2. Организовать встречи",
        "2. СЛУШАЛИ:",
        "2.1. Подготовить памятки",
        "Председательствующий",
        "Секретарь",
    ]
    at = 0
    for want in order:
        found = flat.find(want, at)
        assert found >= 0, f"{want!r} not found after {flat[at : at + 80]!r}"
        at = found + len(want)


def test_pdf_without_libreoffice_says_so_in_russian(monkeypatch):
    monkeypatch.setattr(pdf_module, "soffice_path", lambda: None)
    with pytest.raises(PdfConversionError, match="не установлен LibreOffice"):
        docx_to_pdf(b"PK")
