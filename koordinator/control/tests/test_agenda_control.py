"""The standing agenda item «О ходе исполнения решений»: the body's assignments on control,
and the secretary's «Включить в повестку»."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from koordinator.conftest import Cast
from koordinator.control.models import ControlPoint, OnAgenda
from koordinator.control.tests.conftest import Control, register
from koordinator.core.models import AuditRecord
from koordinator.meetings import services_agenda
from koordinator.meetings.models import AgendaItem, Meeting
from koordinator.meetings.tests.conftest import MSK, make_meeting

pytestmark = pytest.mark.django_db
SECRET = "Оперативное мероприятие «Ночь»."


@pytest.fixture
def meeting(cast: Cast) -> Meeting:
    day = timezone.localdate() + dt.timedelta(days=14)
    return make_meeting(
        cast.body, starts_at=dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=MSK)
    )


def url(meeting: Meeting) -> str:
    return reverse("control:agenda_control", args=[meeting.pk])


def add_url(meeting: Meeting, pk: int) -> str:
    return reverse("control:agenda_add", args=[meeting.pk, pk])


def test_anonymous_goes_to_login(cast: Cast, control: Control, meeting: Meeting) -> None:
    for response in (
        cast.client(None).get(url(meeting)),
        cast.client(None).post(add_url(meeting, control.one_off.pk)),
    ):
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_list_shows_overdue_first(cast: Cast, control: Control, meeting: Meeting) -> None:
    past = timezone.localdate() - dt.timedelta(days=3)
    ControlPoint.objects.filter(assignment=control.foreign).update(due_on=past)
    response = cast.client(cast.secretary).get(url(meeting))
    assert response.status_code == 200
    listed = [row["assignment"].pk for row in response.context["listed"]]
    assert listed[0] == control.foreign.pk
    assert set(listed) == {
        control.one_off.pk,
        control.periodic.pk,
        control.foreign.pk,
        control.co_executed.pk,
    }
    assert "Включить в повестку" in response.content.decode()


def test_member_sees_list_without_button(cast: Cast, control: Control, meeting: Meeting) -> None:
    response = cast.client(cast.member).get(url(meeting))
    assert response.status_code == 200
    assert "Включить в повестку" not in response.content.decode()


def test_restricted_text_for_insiders_only(cast: Cast, control: Control, meeting: Meeting) -> None:
    register(cast, lead=control.other_org, text=SECRET, restricted=True, number="9")
    assert SECRET in cast.client(cast.member).get(url(meeting)).content.decode()
    page = cast.client(cast.observer).get(url(meeting)).content.decode()
    assert SECRET not in page
    assert "содержание не показывается" in page


def test_outsider_404(cast: Cast, control: Control, meeting: Meeting) -> None:
    client = cast.client(cast.outsider)
    assert client.get(url(meeting)).status_code == 404
    assert client.post(add_url(meeting, control.one_off.pk)).status_code == 404
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_member_403_on_add(cast: Cast, control: Control, meeting: Meeting) -> None:
    response = cast.client(cast.member).post(add_url(meeting, control.one_off.pk))
    assert response.status_code == 403
    assert not OnAgenda.objects.exists()


def test_add_once_then_message(cast: Cast, control: Control, meeting: Meeting) -> None:
    client = cast.client(cast.secretary)
    response = client.post(add_url(meeting, control.one_off.pk), follow=True)
    assert response.status_code == 200
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.title == f"О ходе исполнения поручения п. 1.1 ({control.one_off.document})"
    assert [r.organization_id for r in item.rapporteurs.all()] == [cast.police.pk]
    assert OnAgenda.objects.filter(assignment=control.one_off, item=item).count() == 1
    assert AuditRecord.objects.filter(action="assignment.on_agenda").count() == 1

    response = client.post(add_url(meeting, control.one_off.pk), follow=True)
    assert "уже включено в повестку" in response.content.decode()
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1
    assert OnAgenda.objects.count() == 1


def test_add_htmx_returns_fragment(cast: Cast, control: Control, meeting: Meeting) -> None:
    response = cast.client(cast.secretary).post(
        add_url(meeting, control.one_off.pk), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "в повестке" in response.content.decode()


def test_assignment_of_another_body_404(cast: Cast, control: Control, meeting: Meeting) -> None:
    other = make_meeting(cast.other_body)
    response = cast.client(cast.outsider).post(add_url(other, control.one_off.pk))
    assert response.status_code == 404


def test_block_on_meeting_page(cast: Cast, control: Control, meeting: Meeting) -> None:
    services_agenda.control_item_add(actor=cast.secretary, meeting=meeting)
    page = cast.client(cast.secretary).get(reverse("meetings:detail", args=[meeting.pk]))
    assert url(meeting) in page.content.decode()


def test_query_count_fixed(cast: Cast, control: Control, meeting: Meeting) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = cast.client(cast.secretary)
    client.get(url(meeting))
    with CaptureQueriesContext(connection) as first:
        client.get(url(meeting))
    for n in range(4):
        register(cast, lead=control.other_org, text=f"Ещё {n}", number=f"6.{n}")
    with CaptureQueriesContext(connection) as second:
        response = client.get(url(meeting))
    assert len(response.context["listed"]) == 8
    assert len(second) == len(first)


def test_cancelled_meeting_refuses_with_message(
    cast: Cast, control: Control, meeting: Meeting
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled")
    response = cast.client(cast.secretary).post(add_url(meeting, control.one_off.pk), follow=True)
    assert "Заседание отменено" in response.content.decode()
    assert not AgendaItem.objects.filter(meeting=meeting).exists()
    assert not OnAgenda.objects.exists()
    assert not AuditRecord.objects.filter(action="assignment.on_agenda").exists()
