"""Invitations by e-mail, through a real SMTP server (aiosmtpd on 127.0.0.1), and the replies.

Mail leaves on commit: ``django_capture_on_commit_callbacks(execute=True)`` runs the
callbacks that the test's transaction would run on commit.
"""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import icalendar
import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from koordinator.conftest import Cast
from koordinator.core.models import AuditRecord
from koordinator.core.testing import factories as f
from koordinator.meetings import services_invitations as svc
from koordinator.meetings.models import (
    AgendaItem,
    Invitation,
    InvitationResponse,
    Invitee,
    Meeting,
    MeetingStatus,
)

SECRET = "О мерах по защите объектов (ДСП)"


@dataclass
class Inbox:
    messages: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"

    def to(self, address: str) -> Message:
        found = [m for rcpt, m in self.messages if address in rcpt]
        assert len(found) == 1, f"{address}: {len(found)} messages"
        return found[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            DEFAULT_FROM_EMAIL="atk@enskaya-oblast.example",
        ):
            yield inbox
    finally:
        controller.stop()


def text_of(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")


def ics_of(message: Message) -> icalendar.Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return icalendar.Calendar.from_ical(payload)
    raise AssertionError("no text/calendar part")


@pytest.fixture
def ready(cast: Cast, meeting: Meeting) -> Meeting:
    """The meeting with e-mails for its members, a restricted item and an invitee."""
    for user, address in (
        (cast.chair, "chair@ensk.example"),
        (cast.secretary, "secretary@ensk.example"),
        (cast.member, "member@ensk.example"),
    ):
        assert user.person is not None
        user.person.email = address
        user.person.save(update_fields=["email"])
    AgendaItem.objects.create(meeting=meeting, number=3, title=SECRET, restricted=True)
    svc.invitee_add(
        actor=cast.secretary,
        meeting=meeting,
        last_name="Прокуроров",
        first_name="Пётр",
        patronymic="Петрович",
        organization=cast.police,
        position="прокурор города",
        email="prokuror@ensk.example",
    )
    return meeting


def send(cast: Cast, meeting: Meeting, capture: Any, **kwargs: Any) -> svc.SendResult:
    with capture(execute=True):
        return svc.invitations_send(actor=cast.secretary, meeting=meeting, **kwargs)


def test_invitations_reach_a_real_smtp_server(
    cast: Cast, ready: Meeting, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    result = send(cast, ready, django_capture_on_commit_callbacks)
    assert len(result.sent) == 4 and len(smtp.messages) == 4
    ready.refresh_from_db()
    assert ready.status == MeetingStatus.ANNOUNCED

    member_mail = smtp.to("member@ensk.example")
    assert "МРГ мигранты" in str(
        email.header.make_header(email.header.decode_header(member_mail["Subject"]))
    )
    assert member_mail["From"] == "atk@enskaya-oblast.example"
    text = text_of(member_mail)
    assert "О профилактике правонарушений в среде мигрантов" in text
    assert SECRET in text  # members get the whole agenda
    invitation = Invitation.objects.get(meeting=ready, person=cast.member.person)
    assert reverse("meetings:reply", args=[invitation.token]) in text

    guest_mail = smtp.to("prokuror@ensk.example")
    guest_text = text_of(guest_mail)
    assert SECRET not in guest_text and "Об информационно-разъяснительной" in guest_text
    cal = ics_of(guest_mail)
    assert cal["METHOD"] == "REQUEST"
    (event,) = cal.walk("VEVENT")
    assert SECRET not in str(event["DESCRIPTION"]) and "2. Об информационно" in str(
        event["DESCRIPTION"]
    )
    assert str(event["UID"]) == f"meeting-{ready.pk}@koordinator"
    assert event.decoded("SEQUENCE") == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Moscow"
    assert event.decoded("DTSTART").hour == 10
    assert str(event["LOCATION"]) == "г. Энск, ул. Ленина, 1, зал заседаний"
    assert str(event["ORGANIZER"]) == "mailto:atk@enskaya-oblast.example"
    (member_event,) = ics_of(member_mail).walk("VEVENT")
    assert SECRET in str(member_event["DESCRIPTION"])


def test_people_without_email_are_listed_and_not_sent_to(
    cast: Cast, meeting: Meeting, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    assert cast.member.person is not None
    cast.member.person.email = "member@ensk.example"
    cast.member.person.save(update_fields=["email"])
    result = send(cast, meeting, django_capture_on_commit_callbacks)
    assert [i.email for i in result.sent] == ["member@ensk.example"]
    assert {p.pk for p in result.without_email} == {
        cast.chair.person_id,
        cast.secretary.person_id,
    }
    assert "Нет адреса электронной почты" in result.summary
    assert len(smtp.messages) == 1


def test_sending_again_reaches_only_the_new_unless_resent(
    cast: Cast, ready: Meeting, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    send(cast, ready, django_capture_on_commit_callbacks)
    smtp.messages.clear()
    svc.invitee_add(
        actor=cast.secretary,
        meeting=ready,
        last_name="Транспортов",
        first_name="Тимур",
        email="transport@ensk.example",
    )
    result = send(cast, ready, django_capture_on_commit_callbacks)
    assert [rcpt for rcpt, _ in smtp.messages] == [["transport@ensk.example"]]
    assert result.already_sent == 4

    smtp.messages.clear()
    tokens = set(Invitation.objects.values_list("token", flat=True))
    result = send(cast, ready, django_capture_on_commit_callbacks, resend=True)
    assert len(smtp.messages) == 5
    ready.refresh_from_db()
    assert ready.ics_sequence == 1
    message = smtp.to("member@ensk.example")
    (event,) = ics_of(message).walk("VEVENT")
    assert event.decoded("SEQUENCE") == 1
    assert "изменились" in text_of(message)
    assert set(Invitation.objects.values_list("token", flat=True)) == tokens  # same links


def test_nothing_is_sent_when_the_transaction_rolls_back(
    cast: Cast, ready: Meeting, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        svc.invitations_send(actor=cast.secretary, meeting=ready)
    assert len(callbacks) == 1 and smtp.messages == []


def test_a_mail_server_that_is_down_leaves_the_invitations_unsent(
    cast: Cast, ready: Meeting, django_capture_on_commit_callbacks: Any
) -> None:
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=_free_port(),  # nothing listens there
        EMAIL_TIMEOUT=2,
    ):
        result = send(cast, ready, django_capture_on_commit_callbacks)
    assert len(result.sent) == 4
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()
    ready.refresh_from_db()
    assert ready.status == MeetingStatus.ANNOUNCED  # the sending is recorded; a retry will do


def test_sending_is_audited(cast: Cast, ready: Meeting) -> None:
    svc.invitations_send(actor=cast.secretary, meeting=ready)
    record = AuditRecord.objects.get(action="meeting.invitations_send")
    assert record.actor == cast.secretary and record.body == cast.body
    assert record.after is not None and len(record.after["sent_to"]) == 4


def test_a_cancelled_meeting_or_an_empty_agenda_is_refused(cast: Cast, meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError, match="отменено"):
        svc.invitations_send(actor=cast.secretary, meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.DRAFT)
    meeting.items.all().delete()
    with pytest.raises(ValidationError, match="повестке"):
        svc.invitations_send(actor=cast.secretary, meeting=meeting)
    assert not Invitation.objects.exists()


# --- invitees --------------------------------------------------------------------------------


def test_invitee_is_found_by_name_and_audited(cast: Cast, meeting: Meeting) -> None:
    person = f.PersonFactory.create(last_name="Губин", first_name="Олег", patronymic="")
    invitee = svc.invitee_add(
        actor=cast.secretary, meeting=meeting, last_name="губин", first_name="олег", email="g@x.ru"
    )
    assert invitee.person == person
    person.refresh_from_db()
    assert person.email == "g@x.ru"
    assert AuditRecord.objects.filter(action="invitee.add", actor=cast.secretary).exists()
    with pytest.raises(ValidationError, match="уже приглашён"):
        svc.invitee_add(actor=cast.secretary, meeting=meeting, last_name="Губин", first_name="Олег")


def test_a_member_cannot_be_an_invitee(cast: Cast, meeting: Meeting) -> None:
    person = cast.member.person
    assert person is not None
    with pytest.raises(ValidationError, match="член органа"):
        svc.invitee_add(
            actor=cast.secretary,
            meeting=meeting,
            last_name=person.last_name,
            first_name=person.first_name,
            patronymic=person.patronymic,
        )
    assert not Invitee.objects.exists()


def test_invitee_pages_add_and_remove(cast: Cast, meeting: Meeting) -> None:
    client = cast.client(cast.secretary)
    response = client.post(
        reverse("meetings:invitee_add", args=[meeting.pk]),
        {"last_name": "Районов", "first_name": "Руслан", "position": "глава района"},
    )
    assert response.status_code == 302
    invitee = Invitee.objects.get(meeting=meeting)
    page = client.get(reverse("meetings:invitations", args=[meeting.pk]))
    assert "Районов Руслан" in page.content.decode()
    response = client.post(reverse("meetings:invitee_add", args=[meeting.pk]), {"last_name": ""})
    assert response.status_code == 400
    response = client.post(reverse("meetings:invitee_remove", args=[meeting.pk, invitee.pk]))
    assert response.status_code == 302 and not Invitee.objects.exists()
    assert AuditRecord.objects.filter(action="invitee.remove").exists()


def test_send_button_on_the_page(
    cast: Cast, ready: Meeting, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    client = cast.client(cast.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:invitations_send", args=[ready.pk]), {})
    assert response.status_code == 302
    assert len(smtp.messages) == 4
    page = client.get(reverse("meetings:invitations", args=[ready.pk])).content.decode()
    assert "Приглашения отправлены: 4" in page
    # the reply link in the mail is absolute, built from the request
    assert "http://testserver/invitations/" in text_of(smtp.to("member@ensk.example"))


# --- replies ---------------------------------------------------------------------------------


@pytest.fixture
def invitation(cast: Cast, ready: Meeting) -> Invitation:
    svc.invitations_send(actor=cast.secretary, meeting=ready)
    return Invitation.objects.get(person__last_name="Прокуроров")


def test_reply_page_works_with_the_token_and_without_login(
    cast: Cast, invitation: Invitation
) -> None:
    client = cast.client(None)
    url = reverse("meetings:reply", args=[invitation.token])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Прокуроров Пётр Петрович" in text and SECRET not in text
    response = client.post(
        url,
        {
            "response": "substitute",
            "substitute_name": "Заместов Захар Захарович",
            "substitute_position": "заместитель прокурора",
        },
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.SUBSTITUTE
    assert invitation.substitute_name == "Заместов Захар Захарович"
    assert invitation.responded_at is not None
    record = AuditRecord.objects.get(action="invitation.reply")
    assert record.actor is None and record.after is not None
    secretary_page = cast.client(cast.secretary).get(
        reverse("meetings:invitations", args=[invitation.meeting_id])
    )
    assert "Заместов Захар Захарович" in secretary_page.content.decode()


def test_wrong_token_is_404(cast: Cast, invitation: Invitation) -> None:
    client = cast.client(None)
    assert client.get(reverse("meetings:reply", args=["wrong-token"])).status_code == 404
    assert client.post(reverse("meetings:reply", args=["x" * 43]), {}).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"response": "substitute"}, "Укажите, кто будет вас замещать."),
        ({"response": "absent"}, "Укажите причину отсутствия."),
        ({"response": "maybe"}, "Выберите"),
    ],
)
def test_bad_reply_is_refused_in_russian(
    cast: Cast, invitation: Invitation, data: dict[str, str], message: str
) -> None:
    response = cast.client(None).post(reverse("meetings:reply", args=[invitation.token]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.PENDING
    assert not AuditRecord.objects.filter(action="invitation.reply").exists()


def test_secretary_records_a_reply_by_hand_even_without_email(cast: Cast, meeting: Meeting) -> None:
    client = cast.client(cast.secretary)
    assert cast.chair.person is not None and cast.chair.person.email == ""
    response = client.post(
        reverse("meetings:invitation_record", args=[meeting.pk]),
        {"person": cast.chair.person_id, "response": "absent", "reason": "командировка"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(meeting=meeting, person=cast.chair.person)
    assert invitation.response == "absent" and invitation.reason == "командировка"
    assert invitation.sent_at is None
    assert AuditRecord.objects.get(action="invitation.reply_by_hand").actor == cast.secretary
    stranger = f.PersonFactory.create()
    response = client.post(
        reverse("meetings:invitation_record", args=[meeting.pk]),
        {"person": stranger.pk, "response": "attend"},
    )
    assert response.status_code == 400
    assert "не приглашён" in response.content.decode()
