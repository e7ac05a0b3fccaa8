"""Attendance marks, the live quorum, and whether the meeting may adopt decisions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koordinator.bodies import services as body_services
from koordinator.conftest import Cast
from koordinator.core.models import AuditRecord
from koordinator.core.testing import factories as f
from koordinator.meetings import services_invitations
from koordinator.meetings.models import Attendance, Invitation, Invitee, Meeting
from koordinator.meetings.services_attendance import (
    attendance_mark,
    attendance_sheet,
    meeting_can_adopt,
)


def count_queries(fetch: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fetch()
    return len(ctx.captured_queries)


def test_mark_is_audited_and_updates_in_place(cast: Cast, meeting: Meeting) -> None:
    attendance_mark(
        actor=cast.secretary, meeting=meeting, membership=cast.member_membership, status="present"
    )
    attendance_mark(
        actor=cast.secretary,
        meeting=meeting,
        membership=cast.member_membership,
        status="substitute",
        substitute_name="Заместов З.З.",
        substitute_position="заместитель начальника",
        absence_reason="ignored",
    )
    (mark,) = Attendance.objects.all()
    assert (mark.status, mark.substitute_name, mark.absence_reason) == (
        "substitute",
        "Заместов З.З.",
        "",
    )
    records = AuditRecord.objects.filter(action="attendance.mark").order_by("pk")
    assert [r.after["status"] for r in records if r.after] == ["present", "substitute"]
    assert records[1].before == {
        "status": "present",
        "substitute_name": "",
        "substitute_position": "",
        "absence_reason": "",
    }
    assert all(r.actor == cast.secretary and r.body == cast.body for r in records)


def test_substitute_needs_a_name(cast: Cast, meeting: Meeting) -> None:
    with pytest.raises(ValidationError, match="Укажите замещающее лицо"):
        attendance_mark(
            actor=cast.secretary,
            meeting=meeting,
            membership=cast.member_membership,
            status="substitute",
        )
    assert (
        not Attendance.objects.exists()
        and not AuditRecord.objects.filter(action="attendance.mark").exists()
    )


def test_membership_of_another_body_or_date_is_refused(cast: Cast, meeting: Meeting) -> None:
    foreign = f.add_member(cast.other_body)
    with pytest.raises(ValidationError, match="не входит в состав органов заседания"):
        attendance_mark(actor=cast.secretary, meeting=meeting, membership=foreign, status="present")
    gone = f.add_member(cast.body, ends_on=meeting.starts_at.date().replace(day=1))
    with pytest.raises(ValidationError, match=r"на 10\.03\.2026"):
        attendance_mark(actor=cast.secretary, meeting=meeting, membership=gone, status="present")
    assert not Attendance.objects.exists()


def test_without_quorum_the_meeting_cannot_adopt(cast: Cast, meeting: Meeting) -> None:
    extra = [f.add_member(cast.body) for _ in range(7)]  # 10 members
    for m in [cast.chair_membership, *extra[:2]]:
        attendance_mark(actor=cast.secretary, meeting=meeting, membership=m, status="present")
    ok, reason = meeting_can_adopt(meeting)
    assert not ok
    assert "Кворума нет: присутствуют 3 из 10" in reason and "более половины — 6" in reason
    for m in extra[2:5]:
        attendance_mark(actor=cast.secretary, meeting=meeting, membership=m, status="present")
    assert meeting_can_adopt(meeting) == (True, "")


def test_joint_meeting_needs_quorum_in_each_body(cast: Cast, joint_meeting: Meeting) -> None:
    ok, reason = meeting_can_adopt(joint_meeting)
    assert not ok and "АТК области" in reason and "КС правопорядок" in reason


def test_sheet_is_prefilled_from_replies(cast: Cast, meeting: Meeting) -> None:
    assert cast.member.person is not None
    services_invitations.invitation_record_reply(
        actor=cast.secretary,
        meeting=meeting,
        person=cast.member.person,
        response="substitute",
        substitute_name="Заместов З.З.",
    )
    (body,) = attendance_sheet(meeting)
    row = next(r for r in body.rows if r.membership == cast.member_membership)
    assert row.status == "substitute" and row.from_reply and row.attendance is None
    assert row.substitute_name == "Заместов З.З."
    page = cast.client(cast.secretary).get(reverse("meetings:attendance", args=[meeting.pk]))
    assert "по ответу на приглашение" in page.content.decode()


def test_marking_rerenders_the_quorum_live(cast: Cast, meeting: Meeting) -> None:
    client = cast.client(cast.secretary)
    url = reverse("meetings:attendance_mark", args=[meeting.pk])
    page = client.get(reverse("meetings:attendance", args=[meeting.pk])).content.decode()
    assert "Кворума нет: присутствуют 0 из 3" in page
    response = client.post(
        url, {"membership": cast.chair_membership.pk, "status": "present"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="member-{cast.chair_membership.pk}"' in html
    assert 'hx-swap-oob="true"' in html and "Кворума нет: присутствуют 1 из 3" in html
    client.post(
        url, {"membership": cast.member_membership.pk, "status": "present"}, HTTP_HX_REQUEST="true"
    )
    assert (
        "Кворум имеется: присутствуют 2 из 3"
        in client.get(
            reverse("meetings:attendance", args=[meeting.pk]), HTTP_HX_REQUEST="true"
        ).content.decode()
    )


def test_bad_marks_on_the_page_are_shown_in_russian(cast: Cast, meeting: Meeting) -> None:
    client = cast.client(cast.secretary)
    url = reverse("meetings:attendance_mark", args=[meeting.pk])
    response = client.post(
        url,
        {"membership": cast.member_membership.pk, "status": "substitute"},
        HTTP_HX_REQUEST="true",
    )
    assert "Укажите замещающее лицо." in response.content.decode()
    foreign = f.add_member(cast.other_body)
    response = client.post(url, {"membership": foreign.pk, "status": "present"})
    assert response.status_code == 400
    assert "не входит в состав органов заседания" in response.content.decode()
    assert not Attendance.objects.exists()


def test_substitutes_count_only_where_the_regulation_says(cast: Cast, meeting: Meeting) -> None:
    for m in (cast.chair_membership,):
        attendance_mark(actor=cast.secretary, meeting=meeting, membership=m, status="present")
    attendance_mark(
        actor=cast.secretary,
        meeting=meeting,
        membership=cast.member_membership,
        status="substitute",
        substitute_name="Заместов З.З.",
    )
    assert not meeting_can_adopt(meeting)[0]
    body_services.body_update(actor=None, body=cast.body, substitutes_count_for_quorum=True)
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting_can_adopt(meeting)[0]


def test_invitee_attended_tick(cast: Cast, meeting: Meeting) -> None:
    invitee = services_invitations.invitee_add(
        actor=cast.secretary,
        meeting=meeting,
        last_name="Прокуроров",
        first_name="Пётр",
        organization=cast.police,
        position="прокурор города",
    )
    client = cast.client(cast.secretary)
    page = client.get(reverse("meetings:attendance", args=[meeting.pk])).content.decode()
    assert "Прокуроров Пётр" in page and "прокурор города" in page
    url = reverse("meetings:invitee_attended", args=[meeting.pk, invitee.pk])
    response = client.post(url, {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and f'id="invitee-{invitee.pk}"' in response.content.decode()
    invitee.refresh_from_db()
    assert invitee.attended is False
    assert AuditRecord.objects.filter(action="invitee.attended").exists()
    client.post(url, {"attended": "on"})
    assert Invitee.objects.get(pk=invitee.pk).attended is True


def test_attendance_page_query_count_is_flat(cast: Cast, meeting: Meeting) -> None:
    client = cast.client(cast.secretary)
    url = reverse("meetings:attendance", args=[meeting.pk])

    def grow(n: int) -> None:
        for _ in range(n):
            m = f.add_member(cast.body)
            Attendance.objects.create(meeting=meeting, membership=m, status="present")
            Invitation.objects.create(
                meeting=meeting, person=m.person, email="x@y.ru", token=f"t{m.pk}"
            )
            Invitee.objects.create(meeting=meeting, person=f.PersonFactory.create())

    grow(3)
    small = count_queries(lambda: client.get(url))
    grow(6)
    assert count_queries(lambda: client.get(url)) == small
    inv_url = reverse("meetings:invitations", args=[meeting.pk])
    small = count_queries(lambda: client.get(inv_url))
    grow(6)
    assert count_queries(lambda: client.get(inv_url)) == small


def test_unmarked_members_are_marked_from_replies(cast: Cast, meeting: Meeting) -> None:
    assert cast.member.person is not None and cast.chair.person is not None
    for person, answer, extra in (
        (cast.member.person, "substitute", {"substitute_name": "Заместов З.З."}),
        (cast.chair.person, "attend", {}),
    ):
        services_invitations.invitation_record_reply(
            actor=cast.secretary, meeting=meeting, person=person, response=answer, **extra
        )
    attendance_mark(
        actor=cast.secretary,
        meeting=meeting,
        membership=cast.chair_membership,
        status="absent",
        absence_reason="болезнь",
    )
    client = cast.client(cast.secretary)
    response = client.post(reverse("meetings:attendance_from_replies", args=[meeting.pk]))
    assert response.status_code == 302
    marks = {a.membership_id: a for a in Attendance.objects.all()}
    assert marks[cast.chair_membership.pk].status == "absent"  # marked by hand: kept
    assert marks[cast.member_membership.pk].status == "substitute"
    assert marks[cast.member_membership.pk].substitute_name == "Заместов З.З."
    assert len(marks) == 2
    assert (
        cast.client(cast.member)
        .post(reverse("meetings:attendance_from_replies", args=[meeting.pk]))
        .status_code
        == 403
    )
