"""Calendar feeds behind a signed token: they parse, never carry restricted titles, and stop
working as soon as their user loses access."""

from __future__ import annotations

from collections.abc import Callable

import icalendar
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koordinator.accounts.models import BodyRole
from koordinator.conftest import Cast
from koordinator.core.testing import factories as f
from koordinator.meetings import ics
from koordinator.meetings.models import AgendaItem, Meeting, MeetingStatus, Studio
from koordinator.meetings.tests.conftest import make_meeting

SECRET = "О защите критически важных объектов"


def events(content: bytes) -> list[icalendar.Component]:
    return list(icalendar.Calendar.from_ical(content).walk("VEVENT"))


def test_calendar_page_shows_the_users_links(cast: Cast, meeting: Meeting) -> None:
    page = cast.client(cast.member).get(reverse("meetings:calendar"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "http://testserver/calendar/user/" in text
    assert "http://testserver/calendar/body/" in text and "МРГ мигранты" in text
    assert cast.client(None).get(reverse("meetings:calendar")).status_code == 302


def test_body_feed(cast: Cast, meeting: Meeting) -> None:
    AgendaItem.objects.create(meeting=meeting, number=3, title=SECRET, restricted=True)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    url = reverse("meetings:calendar_body", args=[ics.feed_token(cast.member, cast.body)])
    response = cast.client(None).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = events(response.content)
    assert str(event["UID"]) == f"meeting-{meeting.pk}@koordinator"
    assert str(event["STATUS"]) == "CANCELLED"
    assert SECRET not in response.content.decode().replace("\r\n ", "")


def test_user_feed_follows_the_users_access(cast: Cast, meeting: Meeting) -> None:
    client = cast.client(None)
    user_url = reverse("meetings:calendar_user", args=[ics.feed_token(cast.member)])
    body_url = reverse("meetings:calendar_body", args=[ics.feed_token(cast.member, cast.body)])
    assert len(events(client.get(user_url).content)) == 1
    BodyRole.objects.filter(user=cast.member).delete()
    assert events(client.get(user_url).content) == []
    assert client.get(body_url).status_code == 404
    cast.member.is_active = False
    cast.member.save(update_fields=["is_active"])
    assert client.get(user_url).status_code == 404


def test_a_new_password_revokes_the_users_feeds(cast: Cast, meeting: Meeting) -> None:
    client = cast.client(None)
    url = reverse("meetings:calendar_user", args=[ics.feed_token(cast.member)])
    assert client.get(url).status_code == 200
    cast.member.set_password("another horse battery")
    cast.member.save(update_fields=["password"])
    assert client.get(url).status_code == 404
    fresh = reverse("meetings:calendar_user", args=[ics.feed_token(cast.member)])
    assert client.get(fresh).status_code == 200


def test_outsider_and_forged_tokens_get_404(cast: Cast, meeting: Meeting) -> None:
    client = cast.client(None)
    # a token for a body the user does not see
    url = reverse("meetings:calendar_body", args=[ics.feed_token(cast.outsider, cast.body)])
    assert client.get(url).status_code == 404
    assert client.get(reverse("meetings:calendar_user", args=["forged"])).status_code == 404
    # a body token is not a user token and vice versa
    body_token = ics.feed_token(cast.member, cast.body)
    assert client.get(reverse("meetings:calendar_user", args=[body_token])).status_code == 404
    user_token = ics.feed_token(cast.member)
    assert client.get(reverse("meetings:calendar_body", args=[user_token])).status_code == 404
    # the outsider's own feed has none of this body's meetings
    own = reverse("meetings:calendar_user", args=[ics.feed_token(cast.outsider)])
    assert events(client.get(own).content) == []


def count_queries(fetch: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fetch()
    return len(ctx.captured_queries)


def test_feed_query_count_is_flat(cast: Cast, meeting: Meeting) -> None:
    client = cast.client(None)
    url = reverse("meetings:calendar_body", args=[ics.feed_token(cast.member, cast.body)])

    def grow(n: int) -> None:
        for day in range(n):
            extra = make_meeting(cast.body, starts_at=meeting.starts_at.replace(day=11 + day))
            AgendaItem.objects.create(meeting=extra, number=1, title="О плане")
            Studio.objects.create(meeting=extra, name="Студия")
            f.add_member(cast.body)

    grow(2)
    small = count_queries(lambda: client.get(url))
    grow(4)
    assert count_queries(lambda: client.get(url)) == small
