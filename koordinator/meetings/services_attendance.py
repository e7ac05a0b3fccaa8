"""Attendance at a meeting and whether it may adopt decisions.

Members are marked per membership (in a joint meeting a person sitting in two bodies counts
for the quorum of each); invitees get an «attended» tick. Until the secretary marks a member,
the page proposes the mark that follows from the member's reply to the invitation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from koordinator.accounts.models import User
from koordinator.bodies.models import Body, Membership
from koordinator.bodies.selectors import composition_on
from koordinator.core import audit
from koordinator.meetings.models import (
    Attendance,
    AttendanceStatus,
    Invitation,
    InvitationResponse,
    Invitee,
    Meeting,
)
from koordinator.meetings.permissions import meeting_bodies
from koordinator.meetings.quorum import BodyQuorum, quorum
from koordinator.meetings.services_invitations import meeting_day

ATTENDANCE_FIELDS = ("status", "substitute_name", "substitute_position", "absence_reason")

# What a reply to the invitation suggests as the attendance mark.
FROM_REPLY = {
    InvitationResponse.ATTEND: AttendanceStatus.PRESENT,
    InvitationResponse.SUBSTITUTE: AttendanceStatus.SUBSTITUTE,
    InvitationResponse.ABSENT: AttendanceStatus.ABSENT,
}


@dataclass
class MemberRow:
    membership: Membership
    attendance: Attendance | None
    status: str  # the mark, or the one the reply suggests, or ""
    substitute_name: str
    substitute_position: str
    absence_reason: str
    from_reply: bool  # not marked yet: the values come from the reply to the invitation

    @property
    def status_label(self) -> str:
        return AttendanceStatus(self.status).label if self.status else "не отмечен"


@dataclass
class BodyAttendance:
    body: Body
    rows: list[MemberRow]
    quorum: BodyQuorum


def attendance_sheet(meeting: Meeting) -> list[BodyAttendance]:
    """Each body's members on the meeting's date with their marks (or the reply's
    suggestion) and the body's quorum. A fixed number of queries however many members."""
    day = meeting_day(meeting)
    marks = {a.membership_id: a for a in Attendance.objects.filter(meeting=meeting)}
    replies = {i.person_id: i for i in Invitation.objects.filter(meeting=meeting)}
    quorums = {q.body.pk: q for q in quorum(meeting)}
    sheet = []
    for body in meeting_bodies(meeting):
        rows = []
        for m in composition_on(body, day):
            mark = marks.get(m.pk)
            if mark is not None:
                rows.append(
                    MemberRow(
                        m,
                        mark,
                        mark.status,
                        mark.substitute_name,
                        mark.substitute_position,
                        mark.absence_reason,
                        from_reply=False,
                    )
                )
                continue
            reply = replies.get(m.person_id)
            suggested = FROM_REPLY.get(reply.response, "") if reply else ""  # type: ignore[call-overload]
            rows.append(
                MemberRow(
                    m,
                    None,
                    suggested,
                    reply.substitute_name if reply else "",
                    reply.substitute_position if reply else "",
                    reply.reason if reply else "",
                    from_reply=bool(suggested),
                )
            )
        sheet.append(BodyAttendance(body=body, rows=rows, quorum=quorums[body.pk]))
    return sheet


def _check_membership(meeting: Meeting, membership: Membership) -> None:
    day = meeting_day(meeting)
    body_ids = {b.pk for b in meeting_bodies(meeting)}
    if membership.post.body_id not in body_ids or not membership.is_current(day):
        raise ValidationError(
            {"membership": f"Этот человек не входит в состав органов заседания на {day:%d.%m.%Y}."}
        )


@transaction.atomic
def attendance_mark(
    *,
    actor: User | None,
    meeting: Meeting,
    membership: Membership,
    status: str,
    substitute_name: str = "",
    substitute_position: str = "",
    absence_reason: str = "",
) -> Attendance:
    """Mark a member present, absent (with a reason, if known) or replaced by a substitute
    (named; an advisory vote unless the body's regulation counts substitutes)."""
    if status not in AttendanceStatus.values:
        raise ValidationError(
            {"status": "Выберите отметку: присутствует, отсутствует или замещающее лицо."}
        )
    _check_membership(meeting, membership)
    substitute_name, substitute_position, absence_reason = (
        " ".join(s.split()) for s in (substitute_name, substitute_position, absence_reason)
    )
    if status == AttendanceStatus.SUBSTITUTE and not substitute_name:
        raise ValidationError({"substitute_name": "Укажите замещающее лицо."})
    if status != AttendanceStatus.SUBSTITUTE:
        substitute_name = substitute_position = ""
    if status != AttendanceStatus.ABSENT:
        absence_reason = ""
    existing = (
        Attendance.objects.select_for_update()
        .filter(meeting=meeting, membership=membership)
        .first()
    )
    before = audit.snapshot(existing, ATTENDANCE_FIELDS) if existing else None
    attendance, _ = Attendance.objects.update_or_create(
        meeting=meeting,
        membership=membership,
        defaults={
            "status": status,
            "substitute_name": substitute_name,
            "substitute_position": substitute_position,
            "absence_reason": absence_reason,
        },
    )
    after = audit.snapshot(attendance, ATTENDANCE_FIELDS)
    if after != before:
        audit.record(
            actor=actor,
            action="attendance.mark",
            target=attendance,
            body=membership.post.body,
            before=before,
            after=after,
        )
    return attendance


@transaction.atomic
def attendance_from_replies(*, actor: User | None, meeting: Meeting) -> int:
    """Mark each member who is not marked yet as their reply to the invitation says (will
    attend → present, a substitute → substitute, absent → absent). Returns how many."""
    marked = 0
    for body in attendance_sheet(meeting):
        for row in body.rows:
            if row.attendance is None and row.from_reply:
                attendance_mark(
                    actor=actor,
                    meeting=meeting,
                    membership=row.membership,
                    status=row.status,
                    substitute_name=row.substitute_name,
                    substitute_position=row.substitute_position,
                    absence_reason=row.absence_reason,
                )
                marked += 1
    return marked


@transaction.atomic
def invitee_set_attended(*, actor: User | None, invitee: Invitee, attended: bool) -> Invitee:
    if invitee.attended == attended:
        return invitee
    before = {"attended": invitee.attended}
    invitee.attended = attended
    invitee.save(update_fields=["attended", "updated_at"])
    bodies = meeting_bodies(invitee.meeting)
    audit.record(
        actor=actor,
        action="invitee.attended",
        target=invitee,
        body=bodies[0] if bodies else None,
        before=before,
        after={"attended": attended},
    )
    return invitee


def meeting_can_adopt(meeting: Meeting) -> tuple[bool, str]:
    """Whether the meeting may adopt decisions, and if not, why (for the secretary).

    Without a quorum in every one of its bodies it may not, unless a body's regulation
    allows decisions without one. A joint meeting names each body that lacks one."""
    missing = [
        q for q in quorum(meeting) if not q.has_quorum and not q.body.decisions_without_quorum
    ]
    if not missing:
        return True, ""
    reasons = " ".join(q.text for q in missing)
    return False, f"Решения не могут быть приняты: нет кворума. {reasons}"
