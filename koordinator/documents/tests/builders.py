"""A complete protocol built with the ORM, for the document tests."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph

from koordinator.accounts.models import User
from koordinator.bodies.models import Membership, Organization, Person
from koordinator.conftest import Cast
from koordinator.core.testing import factories as f
from koordinator.meetings.models import (
    Attendance,
    AttendanceStatus,
    Decision,
    Invitee,
    Meeting,
    MeetingBody,
    Protocol,
    ProtocolSignature,
    Rapporteur,
    RapporteurRole,
    SignatureRole,
    Speech,
)


@dataclass
class Built:
    meeting: Meeting
    protocol: Protocol
    police: Organization
    culture: Organization
    prosecutor: Organization
    invitee: Person
    rapporteur: Person
    speaker: Person


def open_docx(content: bytes) -> DocxDocument:
    return Document(io.BytesIO(content))


def paragraphs(content: bytes) -> list[str]:
    """The document's non-empty lines in order: each paragraph, and each table row as its
    cells' texts joined by a space (the lists of people are borderless tables)."""
    doc = open_docx(content)
    out: list[str] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            texts = [block.text]
        else:
            texts = [" ".join(dict.fromkeys(cell.text for cell in row.cells)) for row in block.rows]
        out.extend(t for t in texts if t.strip())
    return out


def assert_in_order(lines: list[str], expected: list[str]) -> None:
    """Each expected line appears, in this order: exactly, or as the start of a line when it
    ends with «…»."""
    at = 0
    for want in expected:
        for i in range(at, len(lines)):
            line = lines[i]
            if line == want or (want.endswith("…") and line.startswith(want[:-1])):
                at = i + 1
                break
        else:
            raise AssertionError(f"{want!r} not found after line {at}:\n" + "\n".join(lines))


def person_of(user: User) -> Person:
    assert user.person is not None
    return user.person


def build_protocol(cast: Cast, meeting: Meeting, *, decisions_in_item_1: int = 2) -> Built:
    """A protocol of ``meeting`` (the ``meeting`` fixture): numbered 3, all three members
    present, an invitee, item 1 with a rapporteur, a speech and ``decisions_in_item_1``
    decisions (1.1 to the police with a co-executor, votes; 1.2 … to culture, with a dissent),
    item 2 reported by an agency with «текст доклада прилагается» and decision 2.1 with a date
    only, signed by the presiding person and the secretary."""
    MeetingBody.objects.filter(meeting=meeting).update(protocol_number=3, protocol_period=2026)
    police = cast.police
    culture = f.OrganizationFactory.create(name="Управление культуры администрации города Энска")
    prosecutor = f.OrganizationFactory.create(name="Прокуратура города Энска")
    for membership in Membership.objects.filter(post__body=cast.body):
        Attendance.objects.create(
            meeting=meeting, membership=membership, status=AttendanceStatus.PRESENT
        )
    invitee = f.PersonFactory.create(last_name="Законов", first_name="Пётр", patronymic="Ильич")
    Invitee.objects.create(
        meeting=meeting, person=invitee, organization=prosecutor, position="прокурор города"
    )
    absent = f.PersonFactory.create(last_name="Неявкин", first_name="Олег", patronymic="")
    Invitee.objects.create(meeting=meeting, person=absent, attended=False)

    item1, item2 = meeting.items.order_by("number")
    rapporteur = person_of(cast.member)
    Rapporteur.objects.create(
        item=item1,
        person=rapporteur,
        organization=police,
        position="начальник отдела УМВД России по городу Энску",
    )
    Rapporteur.objects.create(
        item=item1, role=RapporteurRole.CO_RAPPORTEUR, person=invitee, position="прокурор города"
    )
    item1.heard_summary = "О состоянии правопорядка в среде мигрантов за 2025 год"
    item1.save()
    speaker = person_of(cast.chair)
    Speech.objects.create(item=item1, person=speaker, summary="Предложил усилить профилактику")
    Speech.objects.create(item=item1, speaker="Гостев Г.Г.", summary="")

    first = Decision.objects.create(
        item=item1,
        order=1,
        text="Информацию докладчика принять к сведению и провести профилактические рейды",
        lead_executor=police,
        deadline_text="до 1 декабря 2026 г.",
        votes_for=5,
        votes_against=1,
        votes_abstained=0,
    )
    first.co_executors.add(culture)
    for n in range(2, decisions_in_item_1 + 1):
        Decision.objects.create(
            item=item1,
            order=n,
            text=f"Организовать встречи с диаспорами, этап {n}",
            lead_executor=culture,
            deadline_text="ежеквартально до 5 числа месяца, следующего за отчётным",
            dissent="Член группы считает срок нереальным" if n == 2 else "",
        )
    Rapporteur.objects.create(item=item2, organization=culture)
    item2.report_attached = True
    item2.save()
    Decision.objects.create(
        item=item2,
        order=1,
        text="Подготовить памятки для мигрантов на родных языках",
        lead_executor=police,
        due_on=dt.date(2026, 6, 30),
    )
    protocol = Protocol.objects.create(meeting=meeting)
    ProtocolSignature.objects.create(
        protocol=protocol,
        body=cast.body,
        role=SignatureRole.PRESIDING,
        person=person_of(cast.chair),
        user=cast.chair,
    )
    ProtocolSignature.objects.create(
        protocol=protocol,
        body=cast.body,
        role=SignatureRole.SECRETARY,
        person=person_of(cast.secretary),
        user=cast.secretary,
    )
    return Built(
        meeting=meeting,
        protocol=protocol,
        police=police,
        culture=culture,
        prosecutor=prosecutor,
        invitee=invitee,
        rapporteur=rapporteur,
        speaker=speaker,
    )
