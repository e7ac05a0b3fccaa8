"""Meetings: create (joint ones too), change, cancel; the body's meetings list; the hub page;
the same through the API. Access: anonymous → login / 401, outsider → 404, read-only → 403."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koordinator.api.tests.helpers import audit_count, call, last_audit
from koordinator.conftest import Cast
from koordinator.core.testing import factories as f
from koordinator.meetings import services_meeting
from koordinator.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingBody,
    MeetingFormat,
    MeetingStatus,
    Studio,
)
from koordinator.meetings.tests.conftest import make_meeting

MSK = zoneinfo.ZoneInfo("Europe/Moscow")
READ_ONLY = ["member", "observer", "chair"]
OUTSIDERS = ["outsider", "executor"]


def form_data(**extra: Any) -> dict[str, Any]:
    data = {
        "kind": "regular",
        "format": "in_person",
        "date": "2026-04-15",
        "starts_at": "10:00",
        "ends_at": "12:00",
        "place": "г. Энск, ул. Ленина, 1, зал заседаний",
        "vks_link": "",
        "studios": "",
    }
    data.update(extra)
    return data


# --- access to every page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[Cast, Meeting], str]
    changes: bool
    method: str = "get"


PAGES = [
    Page("body_meetings", lambda c, m: reverse("meetings:body_meetings", args=[c.body.pk]), False),
    Page("detail", lambda c, m: reverse("meetings:detail", args=[m.pk]), False),
    Page("create", lambda c, m: reverse("meetings:meeting_create", args=[c.body.pk]), True),
    Page("edit", lambda c, m: reverse("meetings:meeting_edit", args=[m.pk]), True),
    Page("cancel", lambda c, m: reverse("meetings:meeting_cancel", args=[m.pk]), True, "post"),
]
IDS = [p.name for p in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_anonymous_is_sent_to_login(cast: Cast, meeting: Meeting, page: Page) -> None:
    response = getattr(cast.client(None), page.method)(page.url(cast, meeting))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", PAGES, ids=IDS)
@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404(cast: Cast, meeting: Meeting, page: Page, who: str) -> None:
    client = cast.client(getattr(cast, who))
    assert getattr(client, page.method)(page.url(cast, meeting)).status_code == 404


@pytest.mark.parametrize("page", [p for p in PAGES if p.changes], ids=lambda p: p.name)
@pytest.mark.parametrize("who", READ_ONLY)
def test_read_only_users_get_403(cast: Cast, meeting: Meeting, page: Page, who: str) -> None:
    client = cast.client(getattr(cast, who))
    before = audit_count()
    assert client.post(page.url(cast, meeting), form_data()).status_code == 403
    assert audit_count() == before
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.DRAFT


@pytest.mark.parametrize("page", [p for p in PAGES if not p.changes], ids=lambda p: p.name)
@pytest.mark.parametrize("who", READ_ONLY)
def test_readers_open_read_pages(cast: Cast, meeting: Meeting, page: Page, who: str) -> None:
    assert cast.client(getattr(cast, who)).get(page.url(cast, meeting)).status_code == 200


@pytest.mark.parametrize("page", [p for p in PAGES if p.method == "get"], ids=lambda p: p.name)
def test_secretary_opens_every_page(cast: Cast, meeting: Meeting, page: Page) -> None:
    assert cast.client(cast.secretary).get(page.url(cast, meeting)).status_code == 200


# --- create ------------------------------------------------------------------------------------


def test_secretary_creates_a_meeting_with_defaults_from_the_composition(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    before = audit_count()
    response = client.post(reverse("meetings:meeting_create", args=[cast.body.pk]), form_data())
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.starts_at == dt.datetime(2026, 4, 15, 10, 0, tzinfo=MSK)
    assert meeting.ends_at == dt.datetime(2026, 4, 15, 12, 0, tzinfo=MSK)
    assert meeting.timezone == "Europe/Moscow"
    assert meeting.presiding == cast.chair.person
    assert meeting.secretary == cast.secretary.person
    assert [mb.body for mb in meeting.meeting_bodies.all()] == [cast.body]
    assert audit_count() == before + 1
    assert last_audit().action == "meeting.create"


def test_time_is_read_in_the_bodys_time_zone(cast: Cast) -> None:
    cast.body.timezone = "Asia/Yekaterinburg"
    cast.body.save()
    client = cast.client(cast.secretary)
    client.post(reverse("meetings:meeting_create", args=[cast.body.pk]), form_data())
    meeting = Meeting.objects.get()
    assert meeting.timezone == "Asia/Yekaterinburg"
    assert meeting.starts_at == dt.datetime(2026, 4, 15, 5, 0, tzinfo=dt.UTC)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "15.04.2026, 10:00–12:00" in page
    assert "Asia/Yekaterinburg" in page


def test_meeting_that_ends_before_it_starts_is_refused(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    before = audit_count()
    response = client.post(
        reverse("meetings:meeting_create", args=[cast.body.pk]),
        form_data(starts_at="12:00", ends_at="10:00"),
    )
    assert response.status_code == 200
    assert "Заседание не может закончиться раньше, чем началось" in response.content.decode()
    assert Meeting.objects.count() == 0
    assert audit_count() == before


def test_videoconference_with_studios(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    client.post(
        reverse("meetings:meeting_create", args=[cast.body.pk]),
        form_data(
            format="videoconference",
            vks_link="https://vks.example.invalid/1",
            studios="Студия администрации города; г. Энск, ул. Ленина, 1\nСтудия УМВД",
        ),
    )
    meeting = Meeting.objects.get()
    assert [(s.name, s.address) for s in meeting.studios.all()] == [
        ("Студия администрации города", "г. Энск, ул. Ленина, 1"),
        ("Студия УМВД", ""),
    ]
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Студия администрации города" in page
    assert "https://vks.example.invalid/1" in page


def test_studios_of_an_in_person_meeting_are_refused(cast: Cast) -> None:
    response = cast.client(cast.secretary).post(
        reverse("meetings:meeting_create", args=[cast.body.pk]),
        form_data(studios="Студия"),
    )
    assert "Студии ВКС указываются только" in response.content.decode()
    assert Meeting.objects.count() == 0
    assert Studio.objects.count() == 0


def test_joint_meeting_with_a_visible_body(cast: Cast) -> None:
    f.grant(cast.secretary, cast.region_body, "member")
    response = cast.client(cast.secretary).post(
        reverse("meetings:meeting_create", args=[cast.body.pk]),
        form_data(other_bodies=[cast.region_body.pk]),
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    links = list(meeting.meeting_bodies.order_by("order"))
    assert [(link.body, link.is_host) for link in links] == [
        (cast.body, True),
        (cast.region_body, False),
    ]
    assert meeting.is_joint


def test_joint_meeting_with_a_body_not_visible_is_refused(cast: Cast) -> None:
    with pytest.raises(Exception, match="Органа нет среди доступных"):
        services_meeting.meeting_create(
            actor=cast.secretary,
            body=cast.body,
            starts_at=dt.datetime(2026, 4, 15, 10, 0),
            other_bodies=[cast.other_body],
        )
    assert Meeting.objects.count() == 0
    assert MeetingBody.objects.count() == 0


def test_presiding_must_be_in_the_composition(cast: Cast) -> None:
    stranger = f.PersonFactory.create()
    with pytest.raises(Exception, match="не входит в состав"):
        services_meeting.meeting_create(
            actor=cast.secretary,
            body=cast.body,
            starts_at=dt.datetime(2026, 4, 15, 10, 0),
            presiding=stranger,
        )
    assert Meeting.objects.count() == 0


# --- edit and cancel ---------------------------------------------------------------------------


def test_secretary_edits_a_meeting_and_the_calendar_sequence_moves(
    cast: Cast, meeting: Meeting
) -> None:
    client = cast.client(cast.secretary)
    response = client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        form_data(date="2026-03-11", starts_at="15:00", ends_at="", place="Малый зал"),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == dt.datetime(2026, 3, 11, 15, 0, tzinfo=MSK)
    assert meeting.place == "Малый зал"
    assert meeting.ics_sequence == 1
    assert last_audit().action == "meeting.update"


def test_edit_that_ends_before_start_writes_nothing(cast: Cast, meeting: Meeting) -> None:
    before = audit_count()
    response = cast.client(cast.secretary).post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        form_data(date="2026-03-10", starts_at="10:00", ends_at="09:00"),
    )
    assert "Заседание не может закончиться раньше" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.ends_at is None
    assert meeting.place == "г. Энск, ул. Ленина, 1, зал заседаний"
    assert audit_count() == before


def test_secretary_cancels_a_meeting(cast: Cast, meeting: Meeting) -> None:
    client = cast.client(cast.secretary)
    response = client.post(
        reverse("meetings:meeting_cancel", args=[meeting.pk]), {"reason": "болезнь председателя"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    record = last_audit()
    assert (record.action, record.ground) == ("meeting.cancel", "болезнь председателя")
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Заседание отменено." in page
    # A cancelled meeting cannot be changed.
    before = audit_count()
    client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), form_data())
    assert audit_count() == before


# --- the body's meetings and the hub page ------------------------------------------------------


def test_body_meetings_lists_upcoming_and_past(cast: Cast) -> None:
    make_meeting(cast.body, starts_at=dt.datetime(2020, 1, 10, 10, 0, tzinfo=MSK), place="Былое")
    make_meeting(cast.body, starts_at=dt.datetime(2099, 1, 10, 10, 0, tzinfo=MSK), place="Грядущее")
    make_meeting(cast.other_body, place="Чужое")
    page = cast.client(cast.member).get(reverse("meetings:body_meetings", args=[cast.body.pk]))
    text = page.content.decode()
    assert text.index("Предстоящие") < text.index("Грядущее") < text.index("Прошедшие")
    assert text.index("Прошедшие") < text.index("Былое")
    assert "Чужое" not in text


def test_body_page_links_to_meetings_and_plans(cast: Cast) -> None:
    text = cast.client(cast.member).get(reverse("bodies:detail", args=[cast.body.pk])).content
    assert reverse("meetings:body_meetings", args=[cast.body.pk]).encode() in text
    assert reverse("meetings:body_plans", args=[cast.body.pk]).encode() in text


def test_hub_page_shows_header_agenda_and_links(cast: Cast, joint_meeting: Meeting) -> None:
    f.grant(cast.secretary, cast.region_body, "secretary")
    text = cast.client(cast.secretary).get(reverse("meetings:detail", args=[joint_meeting.pk]))
    page = text.content.decode()
    assert "Совместное заседание 10.03.2026" in page
    assert "Антитеррористическая комиссия в Энской области" in page
    assert "Постоянно действующее координационное совещание" in page
    assert "в режиме видеоконференцсвязи" in page
    assert "Студия ВКС администрации города Энска" in page
    assert "Губернаторов" in page
    assert "О результатах противодействия незаконной миграции" in page
    for name in ("meetings:attendance", "meetings:invitations", "meetings:protocol"):
        assert reverse(name, args=[joint_meeting.pk]) in page


def count_queries(fetch: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fetch()
    return len(ctx.captured_queries)


def test_body_meetings_query_count_is_flat(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    url = reverse("meetings:body_meetings", args=[cast.body.pk])

    def grow(n: int) -> None:
        for i in range(n):
            m = make_meeting(
                cast.body,
                cast.region_body,
                starts_at=dt.datetime(2020 + i * 20, 1, 10, 10, 0, tzinfo=MSK),
                presiding=cast.chair.person,
                format=MeetingFormat.VIDEOCONFERENCE,
            )
            Studio.objects.create(meeting=m, name="Студия")

    grow(3)
    small = count_queries(lambda: client.get(url))
    grow(3)
    assert count_queries(lambda: client.get(url)) == small


def test_hub_page_query_count_is_flat(cast: Cast, meeting: Meeting) -> None:
    from koordinator.meetings import services_agenda

    client = cast.client(cast.secretary)
    url = reverse("meetings:detail", args=[meeting.pk])

    def grow(n: int) -> None:
        for _ in range(n):
            item = AgendaItem.objects.create(
                meeting=meeting, number=meeting.items.count() + 1, title="О вопросе"
            )
            services_agenda.rapporteur_add(
                actor=None, item=item, person=cast.member.person, position="начальник"
            )
            services_agenda.rapporteur_add(actor=None, item=item, organization=cast.police)

    grow(2)
    small = count_queries(lambda: client.get(url))
    grow(4)
    assert count_queries(lambda: client.get(url)) == small


# --- API -------------------------------------------------------------------------------------


def api_payload(**extra: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "starts_at": "2026-04-15T10:00:00",
        "ends_at": "2026-04-15T12:00:00",
        "place": "Зал заседаний",
    }
    payload.update(extra)
    return payload


def test_api_anonymous_gets_401(cast: Cast, meeting: Meeting) -> None:
    client = cast.client(None)
    assert call(client, "get", f"/bodies/{cast.body.pk}/meetings").status_code == 401
    assert call(client, "get", f"/meetings/{meeting.pk}").status_code == 401
    assert (
        call(client, "post", f"/bodies/{cast.body.pk}/meetings", api_payload()).status_code == 401
    )
    assert call(client, "patch", f"/meetings/{meeting.pk}", {"place": "x"}).status_code == 401
    assert call(client, "post", f"/meetings/{meeting.pk}/cancel").status_code == 401


@pytest.mark.parametrize("who", OUTSIDERS)
def test_api_outsiders_get_404(cast: Cast, meeting: Meeting, who: str) -> None:
    client = cast.client(getattr(cast, who))
    assert call(client, "get", f"/bodies/{cast.body.pk}/meetings").status_code == 404
    assert call(client, "get", f"/meetings/{meeting.pk}").status_code == 404
    assert call(client, "patch", f"/meetings/{meeting.pk}", {"place": "x"}).status_code == 404
    assert call(client, "post", f"/meetings/{meeting.pk}/cancel").status_code == 404


@pytest.mark.parametrize("who", READ_ONLY)
def test_api_read_only_gets_403(cast: Cast, meeting: Meeting, who: str) -> None:
    client = cast.client(getattr(cast, who))
    assert call(client, "get", f"/meetings/{meeting.pk}").status_code == 200
    before = audit_count()
    assert (
        call(client, "post", f"/bodies/{cast.body.pk}/meetings", api_payload()).status_code == 403
    )
    assert call(client, "patch", f"/meetings/{meeting.pk}", {"place": "x"}).status_code == 403
    assert call(client, "post", f"/meetings/{meeting.pk}/cancel").status_code == 403
    assert audit_count() == before


def test_api_secretary_creates_patches_and_cancels(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    response = call(
        client,
        "post",
        f"/bodies/{cast.body.pk}/meetings",
        api_payload(format="hybrid", studios=[{"name": "Студия", "address": "ул. Ленина, 1"}]),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["starts_at"] == "2026-04-15T07:00:00Z"  # 10:00 in Moscow
    assert data["presiding"]["id"] == cast.chair.person_id
    assert data["studios"] == [{"name": "Студия", "address": "ул. Ленина, 1"}]
    assert data["bodies"] == [
        {"id": cast.body.pk, "name": cast.body.name, "short_name": cast.body.short_name}
    ]
    meeting_id = data["id"]
    response = call(client, "patch", f"/meetings/{meeting_id}", {"place": "Малый зал"})
    assert response.status_code == 200
    assert response.json()["place"] == "Малый зал"
    listed = call(client, "get", f"/bodies/{cast.body.pk}/meetings").json()
    assert [m["id"] for m in listed] == [meeting_id]
    response = call(client, "post", f"/meetings/{meeting_id}/cancel", {"reason": "перенос"})
    assert response.json()["status"] == "cancelled"
    assert last_audit().action == "meeting.cancel"


def test_api_bad_times_are_refused_with_a_russian_message(cast: Cast) -> None:
    before = audit_count()
    response = call(
        cast.client(cast.secretary),
        "post",
        f"/bodies/{cast.body.pk}/meetings",
        api_payload(ends_at="2026-04-15T09:00:00"),
    )
    assert response.status_code == 400
    assert "не может закончиться раньше" in response.json()["detail"]
    assert Meeting.objects.count() == 0
    assert audit_count() == before


def test_vks_link_must_be_a_web_address(cast: Cast) -> None:
    response = cast.client(cast.secretary).post(
        reverse("meetings:meeting_create", args=[cast.body.pk]),
        form_data(format="videoconference", vks_link="javascript:alert(1)"),
    )
    assert "Ссылка на ВКС должна быть адресом" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_co_body_secretary_edits_a_joint_meeting_but_not_its_bodies(
    cast: Cast, joint_meeting: Meeting
) -> None:
    second = joint_meeting.meeting_bodies.get(is_host=False).body
    co_secretary = f.UserFactory.create(username="co_secretary")
    f.add_member(second, co_secretary.person, roles=("secretary",))
    f.grant(co_secretary, second, "secretary")
    client = cast.client(co_secretary)
    page = client.get(reverse("meetings:meeting_edit", args=[joint_meeting.pk]))
    assert page.status_code == 200
    assert "Совместное заседание с органами" not in page.content.decode()
    response = client.post(
        reverse("meetings:meeting_edit", args=[joint_meeting.pk]),
        form_data(
            date="2026-03-10",
            format="videoconference",
            vks_link="https://vks.example.invalid/room/2",
            studios="Студия ВКС администрации города Энска; г. Энск, ул. Ленина, 1",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    joint_meeting.refresh_from_db()
    assert joint_meeting.vks_link == "https://vks.example.invalid/room/2"
    assert joint_meeting.meeting_bodies.count() == 2
    # Changing who takes part is the host's secretary's.
    with pytest.raises(PermissionDenied):
        services_meeting.meeting_update(actor=co_secretary, meeting=joint_meeting, other_bodies=[])
    assert joint_meeting.meeting_bodies.count() == 2
