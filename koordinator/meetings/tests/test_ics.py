"""The .ics of a meeting, read back with icalendar."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.core import signing
from django.test import override_settings

from koordinator.conftest import Cast
from koordinator.meetings import ics
from koordinator.meetings.models import AgendaItem, Meeting, MeetingStatus


def parse(data: bytes) -> icalendar.Component:
    cal = icalendar.Calendar.from_ical(data)
    (event,) = cal.walk("VEVENT")
    return event


@override_settings(DEFAULT_FROM_EMAIL="atk@example.org")
def test_joint_videoconference_meeting(joint_meeting: Meeting) -> None:
    data = ics.invitation_ics(
        joint_meeting, email="g@example.org", name="Губернаторов", insider=True
    )
    cal = icalendar.Calendar.from_ical(data)
    assert cal["METHOD"] == "REQUEST"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Moscow"
    event = parse(data)
    assert str(event["UID"]) == f"meeting-{joint_meeting.pk}@koordinator"
    assert str(event["SUMMARY"]).startswith("Совместное заседание: АТК области, КС правопорядок")
    assert str(event["LOCATION"]) == "Студия ВКС администрации города Энска, г. Энск, ул. Ленина, 1"
    assert str(event["URL"]) == "https://vks.example.invalid/room/1"
    assert "https://vks.example.invalid/room/1" in str(event["DESCRIPTION"])
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(hours=2)
    assert str(event["ORGANIZER"]) == "mailto:atk@example.org"
    assert str(event["ATTENDEE"]) == "mailto:g@example.org"


def test_sequence_status_and_end(meeting: Meeting) -> None:
    meeting.ics_sequence = 3
    meeting.status = MeetingStatus.CANCELLED
    meeting.ends_at = meeting.starts_at + dt.timedelta(minutes=90)
    event = parse(ics.invitation_ics(meeting, email="a@b.ru", name="А", insider=False))
    assert event.decoded("SEQUENCE") == 3
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("DTEND").strftime("%H:%M") == "11:30"


def test_feed_never_carries_restricted_titles(meeting: Meeting) -> None:
    AgendaItem.objects.create(meeting=meeting, number=3, title="Секретный вопрос", restricted=True)
    data = ics.feed_ics(Meeting.objects.filter(pk=meeting.pk), name="Мои заседания")
    cal = icalendar.Calendar.from_ical(data)
    assert cal["METHOD"] == "PUBLISH"
    (event,) = cal.walk("VEVENT")
    assert "Секретный вопрос" not in str(event["DESCRIPTION"])
    assert "О профилактике правонарушений" in str(event["DESCRIPTION"])


def test_feed_tokens_round_trip_and_refuse_forgeries(cast: Cast) -> None:
    token = ics.feed_token(cast.member, cast.body)
    owner = ics.read_feed_token(token)
    assert owner is not None and (owner.user_id, owner.body_id) == (cast.member.pk, cast.body.pk)
    assert ics.feed_user_matches(owner, cast.member)
    owner = ics.read_feed_token(ics.feed_token(cast.member))
    assert owner is not None and (owner.user_id, owner.body_id) == (cast.member.pk, None)
    forged = signing.dumps({"u": cast.secretary.pk, "b": None}, salt="another")
    assert ics.read_feed_token(forged) is None
    assert ics.read_feed_token(token[:-2] + "xx") is None
    assert ics.read_feed_token("garbage") is None
