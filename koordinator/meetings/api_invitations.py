"""REST endpoints for invitees, invitations and replies, attendance and quorum (/api/v1/).

Each endpoint reads like the page it mirrors (``views_invitations``): fetch and authorize
through ``permissions.get_meeting`` (404 for those who may not see the meeting, 403 on writes
for those who may only read), call one service; a service's ``ValidationError`` becomes 400
with the Russian message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from koordinator.accounts.models import User
from koordinator.api.auth import current_user
from koordinator.bodies.models import Body, Membership, Organization, Person
from koordinator.core.access import require
from koordinator.meetings import permissions, services_attendance, services_invitations
from koordinator.meetings.models import AttendanceStatus, Invitee, Meeting
from koordinator.meetings.quorum import quorum as body_quorums

router = Router(tags=["Заседания: приглашения и присутствие"])


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


READ_ERRORS: dict[int, type[Schema]] = {401: Error, 403: Error, 404: Error}
WRITE_ERRORS: dict[int, type[Schema]] = {400: Error, 401: Error, 403: Error, 404: Error}


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _meeting(user: User, pk: int, *, for_change: bool = False) -> Meeting:
    """As on the pages: the people of the meeting's bodies; a guest gets 403."""
    meeting = permissions.get_meeting(user, pk, for_change=for_change)
    if not for_change and not user.is_superuser:
        ids = [b.pk for b in permissions.meeting_bodies(meeting)]
        require(
            Body.objects.visible_to(user).filter(pk__in=ids).exists(),
            "Список приглашённых и отметки о присутствии видят члены органа.",
        )
    return meeting


# --- schemas ---------------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    full_name: str
    email: str


class OrganizationRef(Schema):
    id: int
    name: str
    short_name: str


class InviteeOut(Schema):
    id: int
    person: PersonRef
    organization: OrganizationRef | None
    position: str
    attended: bool


class InviteeIn(InputSchema):
    last_name: str
    first_name: str
    patronymic: str = ""
    organization_id: int | None = None
    position: str = ""
    email: str = ""


class SendIn(InputSchema):
    resend: bool = Field(
        False,
        description="Разослать повторно всем (после изменения); иначе — только тем, "
        "кому ещё не отправляли.",
    )


class SendOut(Schema):
    sent: list[str] = Field(description="Адреса, на которые отправлено.")
    already_sent: int
    without_email: list[PersonRef]
    status: str
    ics_sequence: int


class InvitationOut(Schema):
    person: PersonRef
    kind: str = Field(description="member — член органа, invitee — приглашённый.")
    position: str
    organization: str
    bodies: list[str]
    sent_at: dt.datetime | None
    response: str = Field(description="pending, attend, substitute, absent.")
    response_label: str
    substitute_name: str
    substitute_position: str
    reason: str
    responded_at: dt.datetime | None


class ReplyIn(InputSchema):
    person_id: int
    response: str = Field(description="pending, attend, substitute, absent.")
    substitute_name: str = ""
    substitute_position: str = ""
    reason: str = ""


class AttendanceRowOut(Schema):
    membership_id: int
    body_id: int
    person: PersonRef
    position: str
    marked: bool = Field(description="Отмечен секретарём (иначе — предложение по ответу).")
    status: str = Field(description="present, absent, substitute или пусто.")
    substitute_name: str
    substitute_position: str
    absence_reason: str


class AttendanceIn(InputSchema):
    membership_id: int
    status: AttendanceStatus
    substitute_name: str = ""
    substitute_position: str = ""
    absence_reason: str = ""


class AttendanceOut(Schema):
    membership_id: int
    status: str
    substitute_name: str
    substitute_position: str
    absence_reason: str


class QuorumOut(Schema):
    body_id: int
    body: str
    members: int
    present: int
    substitutes: int
    counted: int
    needed: int
    has_quorum: bool
    text: str


class QuorumSummaryOut(Schema):
    can_adopt: bool
    reason: str
    bodies: list[QuorumOut]


def _person(p: Person) -> dict[str, Any]:
    return {"id": p.pk, "full_name": p.full_name, "email": p.email}


# --- invitees --------------------------------------------------------------------------------


@router.get(
    "/meetings/{meeting_id}/invitees",
    response={200: list[InviteeOut], **READ_ERRORS},
    summary="Приглашённые",
)
def invitee_list(request: HttpRequest, meeting_id: int) -> list[Invitee]:
    meeting = _meeting(current_user(request), meeting_id)
    return list(meeting.invitees.select_related("person", "organization"))


@router.post(
    "/meetings/{meeting_id}/invitees",
    response={201: InviteeOut, **WRITE_ERRORS},
    summary="Пригласить",
)
def invitee_add(request: HttpRequest, meeting_id: int, payload: InviteeIn) -> Status[Invitee]:
    """Someone who is not a member: found by full name or created."""
    user = current_user(request)
    meeting = _meeting(user, meeting_id, for_change=True)
    data = payload.model_dump()
    organization_id = data.pop("organization_id")
    organization = None
    if organization_id is not None:
        organization = Organization.objects.filter(pk=organization_id).first()
        if organization is None:
            raise ValidationError({"organization_id": "Организация не найдена."})
    invitee = services_invitations.invitee_add(
        actor=user, meeting=meeting, organization=organization, **data
    )
    return Status(201, invitee)


@router.delete(
    "/meetings/{meeting_id}/invitees/{invitee_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Отозвать приглашение",
)
def invitee_remove(request: HttpRequest, meeting_id: int, invitee_id: int) -> Status[None]:
    user = current_user(request)
    meeting = _meeting(user, meeting_id, for_change=True)
    invitee = get_object_or_404(Invitee, pk=invitee_id, meeting=meeting)
    services_invitations.invitee_remove(actor=user, invitee=invitee)
    return Status(204, None)


# --- invitations -----------------------------------------------------------------------------


@router.post(
    "/meetings/{meeting_id}/invitations/send",
    response={200: SendOut, **WRITE_ERRORS},
    summary="Разослать приглашения",
)
def invitations_send(request: HttpRequest, meeting_id: int, payload: SendIn) -> dict[str, Any]:
    user = current_user(request)
    meeting = _meeting(user, meeting_id, for_change=True)
    result = services_invitations.invitations_send(
        actor=user, meeting=meeting, resend=payload.resend, base_url=request.build_absolute_uri("/")
    )
    meeting.refresh_from_db(fields=["status", "ics_sequence"])
    return {
        "sent": [i.email for i in result.sent],
        "already_sent": result.already_sent,
        "without_email": [_person(p) for p in result.without_email],
        "status": meeting.status,
        "ics_sequence": meeting.ics_sequence,
    }


@router.get(
    "/meetings/{meeting_id}/invitations",
    response={200: list[InvitationOut], **READ_ERRORS},
    summary="Приглашения и ответы",
)
def invitation_list(request: HttpRequest, meeting_id: int) -> list[dict[str, Any]]:
    meeting = _meeting(current_user(request), meeting_id)
    out = []
    for r in services_invitations.recipients(meeting):
        i = r.invitation
        out.append(
            {
                "person": _person(r.person),
                "kind": r.kind,
                "position": r.position,
                "organization": r.organization,
                "bodies": r.bodies,
                "sent_at": i.sent_at if i else None,
                "response": i.response if i else "pending",
                "response_label": i.get_response_display() if i else "нет ответа",
                "substitute_name": i.substitute_name if i else "",
                "substitute_position": i.substitute_position if i else "",
                "reason": i.reason if i else "",
                "responded_at": i.responded_at if i else None,
            }
        )
    return out


@router.post(
    "/meetings/{meeting_id}/invitations/reply",
    response={200: InvitationOut, **WRITE_ERRORS},
    summary="Записать ответ на приглашение",
)
def invitation_reply(request: HttpRequest, meeting_id: int, payload: ReplyIn) -> dict[str, Any]:
    """A reply received by telephone or letter, recorded by the secretary."""
    user = current_user(request)
    meeting = _meeting(user, meeting_id, for_change=True)
    person = Person.objects.filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationError({"person_id": "Этот человек не приглашён на заседание."})
    data = payload.model_dump()
    data.pop("person_id")
    services_invitations.invitation_record_reply(actor=user, meeting=meeting, person=person, **data)
    return next(r for r in invitation_list(request, meeting_id) if r["person"]["id"] == person.pk)


# --- attendance and quorum -------------------------------------------------------------------


@router.get(
    "/meetings/{meeting_id}/attendance",
    response={200: list[AttendanceRowOut], **READ_ERRORS},
    summary="Присутствие членов",
)
def attendance_list(request: HttpRequest, meeting_id: int) -> list[dict[str, Any]]:
    """Each body's members on the meeting's date; an unmarked member carries the mark their
    reply to the invitation suggests (``marked`` is false)."""
    meeting = _meeting(current_user(request), meeting_id)
    return [
        {
            "membership_id": row.membership.pk,
            "body_id": b.body.pk,
            "person": _person(row.membership.person),
            "position": row.membership.post.title,
            "marked": row.attendance is not None,
            "status": row.status,
            "substitute_name": row.substitute_name,
            "substitute_position": row.substitute_position,
            "absence_reason": row.absence_reason,
        }
        for b in services_attendance.attendance_sheet(meeting)
        for row in b.rows
    ]


@router.post(
    "/meetings/{meeting_id}/attendance",
    response={200: AttendanceOut, **WRITE_ERRORS},
    summary="Отметить присутствие",
)
def attendance_mark(request: HttpRequest, meeting_id: int, payload: AttendanceIn) -> Any:
    user = current_user(request)
    meeting = _meeting(user, meeting_id, for_change=True)
    membership = (
        Membership.objects.select_related("post__body").filter(pk=payload.membership_id).first()
    )
    if membership is None:
        raise ValidationError(
            {"membership_id": "Этот человек не входит в состав органов заседания."}
        )
    data = payload.model_dump()
    data.pop("membership_id")
    return services_attendance.attendance_mark(
        actor=user, meeting=meeting, membership=membership, **data
    )


@router.get(
    "/meetings/{meeting_id}/quorum",
    response={200: QuorumSummaryOut, **READ_ERRORS},
    summary="Кворум по каждому органу",
)
def quorum(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    meeting = _meeting(current_user(request), meeting_id)
    can_adopt, reason = services_attendance.meeting_can_adopt(meeting)
    return {
        "can_adopt": can_adopt,
        "reason": reason,
        "bodies": [
            {
                "body_id": q.body.pk,
                "body": q.body.short_name or q.body.name,
                "members": q.members,
                "present": q.present,
                "substitutes": q.substitutes,
                "counted": q.counted,
                "needed": q.needed,
                "has_quorum": q.has_quorum,
                "text": q.text,
            }
            for q in body_quorums(meeting)
        ],
    }
