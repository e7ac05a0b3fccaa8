"""iCalendar (RFC 5545) for meetings: the .ics attached to an invitation, and the feeds that
calendar clients subscribe to.

A feed leaves the building (it sits in phones and in cloud calendars), so it never carries a
restricted (ДСП) item's title, whoever subscribed. An invitation's .ics carries restricted
titles only for insiders (members of the meeting's bodies).

Feed URLs hold a signed token (``django.core.signing``) naming the user and, for a body's
feed, the body; visibility is checked again on every request, so a feed stops working as soon
as its user loses access.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from koordinator.accounts.models import User
from koordinator.bodies.models import Body
from koordinator.meetings.models import AgendaItem, Meeting, MeetingStatus
from koordinator.meetings.permissions import meeting_bodies

PRODID = "-//Koordinator//Заседания координационных органов//RU"
FEED_SALT = "koordinator.calendar"
# A meeting without an end time is shown as two hours long.
DEFAULT_LENGTH = dt.timedelta(hours=2)


def uid(meeting: Meeting) -> str:
    """Stable per meeting: a re-sent invitation updates the same calendar event."""
    return f"meeting-{meeting.pk}@koordinator"


def location(meeting: Meeting) -> str:
    """The place, or the videoconference studios."""
    parts = [meeting.place] if meeting.place else []
    parts += [f"{s.name}, {s.address}" if s.address else s.name for s in meeting.studios.all()]
    return "; ".join(parts)


def summary(meeting: Meeting) -> str:
    names = ", ".join(b.short_name or b.name for b in meeting_bodies(meeting))
    joint = "Совместное заседание" if meeting.is_joint else "Заседание"
    return f"{joint}: {names}"


def agenda_lines(items: Iterable[AgendaItem], *, insider: bool) -> list[str]:
    """The agenda as numbered lines; restricted items are hidden unless ``insider``."""
    lines = []
    for item in items:
        if item.restricted and not insider:
            lines.append(f"{item.number}. Вопрос для служебного пользования")
        else:
            lines.append(f"{item.number}. {item.title}")
    return lines


def event(meeting: Meeting, *, insider: bool, url: str = "") -> icalendar.Event:
    tz = meeting.tzinfo
    starts = meeting.starts_at.astimezone(tz)
    ends = (meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH).astimezone(tz)
    ev = icalendar.Event()
    ev.add("uid", uid(meeting))
    ev.add("sequence", meeting.ics_sequence)
    ev.add("dtstamp", dt.datetime.now(dt.UTC))
    ev.add("dtstart", starts)
    ev.add("dtend", ends)
    ev.add("summary", summary(meeting))
    place = location(meeting)
    if place:
        ev.add("location", place)
    description = []
    if meeting.vks_link:
        description.append(f"Подключение к ВКС: {meeting.vks_link}")
    lines = agenda_lines(meeting.items.all(), insider=insider)
    if lines:
        description += ["", "Повестка дня:", *lines]
    if url:
        description += ["", url]
    if description:
        ev.add("description", "\n".join(description).strip())
    link = meeting.vks_link or url
    if link:
        ev.add("url", link)
    cancelled = meeting.status == MeetingStatus.CANCELLED
    ev.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    ev.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    return ev


def _calendar(method: str | None = None, name: str = "") -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def invitation_ics(
    meeting: Meeting, *, email: str, name: str, insider: bool, url: str = ""
) -> bytes:
    """The .ics of an invitation (METHOD:REQUEST) addressed to one person."""
    cal = _calendar("REQUEST")
    ev = event(meeting, insider=insider, url=url)
    attendee = icalendar.vCalAddress(f"mailto:{email}")
    attendee.params["cn"] = icalendar.vText(name)
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
    attendee.params["rsvp"] = icalendar.vText("FALSE")
    ev.add("attendee", attendee, encode=False)
    cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_ics(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A subscription feed: never any restricted title, cancelled meetings as CANCELLED."""
    cal = _calendar("PUBLISH", name)
    for meeting in meetings:
        cal.add_component(event(meeting, insider=False))
    cal.add_missing_timezones()
    return cal.to_ical()


# --- feed tokens -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedOwner:
    user_id: int
    body_id: int | None
    key: str


def user_key(user: User) -> str:
    """Changes when the user's password does: a new password revokes every feed link the
    user has handed out (as Django's password-reset tokens do)."""
    return salted_hmac(FEED_SALT, user.password).hexdigest()[:16]


def feed_user_matches(owner: FeedOwner, user: User) -> bool:
    return constant_time_compare(owner.key, user_key(user))


def feed_token(user: User, body: Body | None = None) -> str:
    data = {"u": user.pk, "b": body.pk if body else None, "k": user_key(user)}
    return signing.dumps(data, salt=FEED_SALT)


def read_feed_token(token: str) -> FeedOwner | None:
    """The owner named by a feed token, or None for a token that was not signed by us. The
    caller still checks ``key`` against the user (:func:`user_key`) and the user's access."""
    try:
        data = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    body_id = data.get("b")
    return FeedOwner(
        user_id=data["u"],
        body_id=body_id if isinstance(body_id, int) else None,
        key=str(data.get("k", "")),
    )
