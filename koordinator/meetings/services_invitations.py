"""Invitees, invitations by e-mail and the replies to them.

Who is invited: the members of each of the meeting's bodies on the meeting's date (the
composition on that day) and the meeting's invitees. Members get the whole agenda; invitees
never see a restricted (ДСП) item's title. Mail leaves only when the transaction commits.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field
from email import encoders
from email.mime.base import MIMEBase
from typing import Literal

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from koordinator.accounts.models import User
from koordinator.bodies.models import Body, Organization, Person
from koordinator.bodies.selectors import composition_on
from koordinator.bodies.services import person_find_or_create
from koordinator.core import audit
from koordinator.meetings import ics
from koordinator.meetings.models import (
    Invitation,
    InvitationResponse,
    Invitee,
    Meeting,
    MeetingStatus,
)
from koordinator.meetings.permissions import meeting_bodies

logger = logging.getLogger(__name__)

INVITEE_FIELDS = ("person", "organization", "position", "attended")
REPLY_FIELDS = ("response", "substitute_name", "substitute_position", "reason")


# --- who is invited --------------------------------------------------------------------------


@dataclass
class Recipient:
    """One person invited to the meeting: as a member of one or more of its bodies, or as an
    invitee (a member who is also listed as an invitee counts as a member)."""

    person: Person
    kind: Literal["member", "invitee"]
    position: str
    organization: str
    bodies: list[str] = field(default_factory=list)
    invitation: Invitation | None = None

    @property
    def insider(self) -> bool:
        return self.kind == "member"

    @property
    def kind_label(self) -> str:
        return "член" if self.kind == "member" else "приглашённый"


def recipients(meeting: Meeting) -> list[Recipient]:
    """Members (on the meeting's date, per body, host first), then invitees, each person once,
    with their invitation if there is one. A fixed number of queries however many people."""
    day = meeting_day(meeting)
    by_person: dict[int, Recipient] = {}
    for body in meeting_bodies(meeting):
        for m in composition_on(body, day):
            label = body.short_name or body.name
            if m.person_id in by_person:
                by_person[m.person_id].bodies.append(label)
                continue
            by_person[m.person_id] = Recipient(
                person=m.person,
                kind="member",
                position=m.post.title,
                organization=str(m.post.organization),
                bodies=[label],
            )
    for invitee in meeting.invitees.select_related("person", "organization"):
        if invitee.person_id in by_person:
            continue
        by_person[invitee.person_id] = Recipient(
            person=invitee.person,
            kind="invitee",
            position=invitee.position,
            organization=str(invitee.organization) if invitee.organization else "",
        )
    for invitation in Invitation.objects.filter(meeting=meeting):
        if invitation.person_id in by_person:
            by_person[invitation.person_id].invitation = invitation
    return list(by_person.values())


def _recipient(meeting: Meeting, person: Person) -> Recipient:
    for r in recipients(meeting):
        if r.person.pk == person.pk:
            return r
    raise ValidationError({"person": "Этот человек не приглашён на заседание."})


# --- invitees --------------------------------------------------------------------------------


def meeting_day(meeting: Meeting) -> dt.date:
    """The meeting's date in its own time zone: the composition on this day is invited."""
    return meeting.local_starts_at.date()


def _host_body(meeting: Meeting) -> Body | None:
    bodies = meeting_bodies(meeting)
    return bodies[0] if bodies else None


@transaction.atomic
def invitee_add(
    *,
    actor: User | None,
    meeting: Meeting,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    organization: Organization | None = None,
    position: str = "",
    email: str = "",
) -> Invitee:
    """Invite someone who is not a member: found by full name or created. An e-mail given for
    an official who has none is kept on the official. A member of one of the meeting's bodies
    is invited as a member already and is refused here."""
    last_name, first_name = last_name.strip(), first_name.strip()
    if not last_name or not first_name:
        raise ValidationError({"last_name": "Укажите фамилию и имя приглашённого."})
    email = email.strip()
    person = person_find_or_create(
        actor=actor,
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic.strip(),
        email=email,
    )
    for r in recipients(meeting):
        if r.person.pk == person.pk and r.kind == "member":
            raise ValidationError(
                {"last_name": f"{person.full_name} — член органа, приглашается как член."}
            )
    if email and person.email != email:
        before = {"email": person.email}
        person.email = email
        person.full_clean(exclude=["name_key"])
        person.save(update_fields=["email"])
        audit.record(
            actor=actor,
            action="person.update",
            target=person,
            before=before,
            after={"email": email},
        )
    invitee = Invitee(
        meeting=meeting,
        person=person,
        organization=organization,
        position=" ".join(position.split()),
        order=meeting.invitees.count(),
    )
    invitee.full_clean()
    invitee.save()
    audit.record(
        actor=actor,
        action="invitee.add",
        target=invitee,
        body=_host_body(meeting),
        after=audit.snapshot(invitee, INVITEE_FIELDS),
    )
    return invitee


@transaction.atomic
def invitee_remove(*, actor: User | None, invitee: Invitee) -> None:
    """Withdraw an invitation: the invitee and their invitation (so its link stops working)."""
    meeting = invitee.meeting
    before = audit.snapshot(invitee, INVITEE_FIELDS)
    audit.record(
        actor=actor,
        action="invitee.remove",
        target=invitee,
        body=_host_body(meeting),
        before=before,
    )
    Invitation.objects.filter(meeting=meeting, person=invitee.person_id).delete()
    invitee.delete()


# --- sending ---------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: list[Invitation] = field(default_factory=list)
    without_email: list[Person] = field(default_factory=list)
    already_sent: int = 0

    @property
    def summary(self) -> str:
        parts = [f"Приглашения отправлены: {len(self.sent)}."]
        if self.already_sent:
            parts.append(f"Уже были отправлены ранее: {self.already_sent}.")
        if self.without_email:
            names = ", ".join(p.surname_initials for p in self.without_email)
            end = "" if names.endswith(".") else "."
            parts.append(f"Нет адреса электронной почты: {names}{end}")
        return " ".join(parts)


def _subject(meeting: Meeting) -> str:
    local = meeting.local_starts_at
    prefix = "Изменение: " if meeting.ics_sequence else ""
    return f"{prefix}{ics.summary(meeting)}, {local:%d.%m.%Y %H:%M}"


def _message(
    meeting: Meeting, recipient: Recipient, invitation: Invitation, base_url: str
) -> mail.EmailMessage:
    reply_url = base_url.rstrip("/") + reverse("meetings:reply", args=[invitation.token])
    local = meeting.local_starts_at
    context = {
        "meeting": meeting,
        "recipient": recipient,
        "starts": local,
        "summary": ics.summary(meeting),
        "location": ics.location(meeting),
        "agenda": ics.agenda_lines(meeting.items.all(), insider=recipient.insider),
        "reply_url": reply_url,
        "changed": meeting.ics_sequence > 0,
    }
    body = render_to_string("meetings/email/invitation.txt", context)
    message = mail.EmailMessage(
        subject=_subject(meeting),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    data = ics.invitation_ics(
        meeting,
        email=invitation.email,
        name=recipient.person.full_name,
        insider=recipient.insider,
        url=reply_url,
    )
    part = MIMEBase("text", "calendar", method="REQUEST", charset="utf-8")
    part.set_payload(data)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename="invitation.ics")
    message.attach(part)
    return message


def _send_after_commit(outbox: list[tuple[int, mail.EmailMessage]]) -> None:
    """Send once the transaction has committed. A message the mail server refuses (or all of
    them, when it is down) is marked unsent again, so that the next «Разослать» retries it."""

    def send() -> None:
        failed: list[int] = []
        try:
            with mail.get_connection() as connection:
                for invitation_pk, message in outbox:
                    try:
                        connection.send_messages([message])
                    except Exception:
                        logger.exception("Приглашение %s не отправлено", invitation_pk)
                        failed.append(invitation_pk)
        except Exception:  # no connection at all
            logger.exception("Почтовый сервер недоступен: приглашения не отправлены")
            failed = [pk for pk, _ in outbox]
        if failed:
            Invitation.objects.filter(pk__in=failed).update(sent_at=None)

    transaction.on_commit(send)


@transaction.atomic
def invitations_send(
    *, actor: User | None, meeting: Meeting, resend: bool = False, base_url: str = ""
) -> SendResult:
    """Send invitations to everyone invited who has not had one yet; with ``resend`` (after a
    change of date, place or agenda) to everyone again, as an update of the same calendar
    event (``ics_sequence`` goes up). People without an e-mail are listed in the result, not
    refused. A draft meeting becomes announced. Mail leaves when the transaction commits."""
    original = meeting
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("Заседание отменено: приглашения не рассылаются.")
    if not meeting.items.exists():
        raise ValidationError("В повестке нет ни одного вопроса: сначала составьте повестку.")
    base_url = base_url or settings.SITE_URL
    before = {"status": meeting.status, "ics_sequence": meeting.ics_sequence}
    if resend:
        meeting.ics_sequence += 1
    result = SendResult()
    outbox: list[tuple[int, mail.EmailMessage]] = []
    now = timezone.now()
    for r in recipients(meeting):
        email = r.person.email
        if not email:
            result.without_email.append(r.person)
            continue
        invitation = r.invitation
        if invitation is not None and invitation.sent_at and not resend:
            result.already_sent += 1
            continue
        if invitation is None:
            invitation = Invitation(
                meeting=meeting, person=r.person, token=secrets.token_urlsafe(32)
            )
        invitation.email = email
        invitation.sent_at = now
        invitation.save()
        result.sent.append(invitation)
        outbox.append((invitation.pk, _message(meeting, r, invitation, base_url)))
    if meeting.status == MeetingStatus.DRAFT:
        meeting.status = MeetingStatus.ANNOUNCED
    meeting.save(update_fields=["status", "ics_sequence", "updated_at"])
    audit.record(
        actor=actor,
        action="meeting.invitations_send",
        target=meeting,
        body=_host_body(meeting),
        before=before,
        after={
            "status": meeting.status,
            "ics_sequence": meeting.ics_sequence,
            "sent_to": [i.email for i in result.sent],
            "without_email": [p.pk for p in result.without_email],
        },
    )
    # The caller's object shows the new state too.
    original.status, original.ics_sequence = meeting.status, meeting.ics_sequence
    if outbox:
        _send_after_commit(outbox)
    return result


# --- replies ---------------------------------------------------------------------------------


def _clean_reply(
    response: str, substitute_name: str, substitute_position: str, reason: str
) -> dict[str, str]:
    if response not in InvitationResponse.values:
        raise ValidationError({"response": "Выберите ответ."})
    substitute_name, substitute_position, reason = (
        " ".join(s.split()) for s in (substitute_name, substitute_position, reason)
    )
    if response == InvitationResponse.SUBSTITUTE and not substitute_name:
        raise ValidationError({"substitute_name": "Укажите, кто будет вас замещать."})
    if response == InvitationResponse.ABSENT and not reason:
        raise ValidationError({"reason": "Укажите причину отсутствия."})
    return {
        "response": response,
        "substitute_name": substitute_name if response == InvitationResponse.SUBSTITUTE else "",
        "substitute_position": (
            substitute_position if response == InvitationResponse.SUBSTITUTE else ""
        ),
        "reason": reason if response == InvitationResponse.ABSENT else "",
    }


def _save_reply(
    *, actor: User | None, invitation: Invitation, data: dict[str, str], by_hand: bool
) -> Invitation:
    before = audit.snapshot(invitation, REPLY_FIELDS)
    for name, value in data.items():
        setattr(invitation, name, value)
    invitation.responded_at = (
        None if data["response"] == InvitationResponse.PENDING else timezone.now()
    )
    invitation.save()
    audit.record(
        actor=actor,
        action="invitation.reply_by_hand" if by_hand else "invitation.reply",
        target=invitation,
        body=_host_body(invitation.meeting),
        before=before,
        after=audit.snapshot(invitation, REPLY_FIELDS),
    )
    return invitation


@transaction.atomic
def invitation_respond(
    *,
    invitation: Invitation,
    response: str,
    substitute_name: str = "",
    substitute_position: str = "",
    reason: str = "",
) -> Invitation:
    """The invited person's own reply, through the secret link in the mail (no login)."""
    invitation = (
        Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    )
    if invitation.meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("Заседание отменено.")
    if response == InvitationResponse.PENDING:
        raise ValidationError({"response": "Выберите ответ."})
    data = _clean_reply(response, substitute_name, substitute_position, reason)
    return _save_reply(actor=None, invitation=invitation, data=data, by_hand=False)


@transaction.atomic
def invitation_record_reply(
    *,
    actor: User | None,
    meeting: Meeting,
    person: Person,
    response: str,
    substitute_name: str = "",
    substitute_position: str = "",
    reason: str = "",
) -> Invitation:
    """The secretary records a reply given by telephone or letter. Works for anyone invited,
    also for those without an e-mail (their invitation is created unsent)."""
    _recipient(meeting, person)
    data = _clean_reply(response, substitute_name, substitute_position, reason)
    invitation = (
        Invitation.objects.select_for_update().filter(meeting=meeting, person=person).first()
    )
    if invitation is None:
        invitation = Invitation.objects.create(
            meeting=meeting, person=person, email=person.email, token=secrets.token_urlsafe(32)
        )
    invitation.meeting = meeting
    return _save_reply(actor=actor, invitation=invitation, data=data, by_hand=True)
