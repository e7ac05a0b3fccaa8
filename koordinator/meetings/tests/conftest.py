"""Meetings for the named cast (see koordinator/conftest.py).

``meeting``: a regular in-person meeting of ``cast.body`` on 10.03.2026 at 10:00 (Moscow) with
two agenda items; the chair presides, the secretary keeps the minutes.
``joint_meeting``: a joint videoconference meeting of ``cast.region_body`` (host) and a second
regional body, with a studio in the city administration.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any

import pytest

from koordinator.bodies.models import Body
from koordinator.conftest import Cast
from koordinator.core.testing import factories as f
from koordinator.meetings.models import AgendaItem, Meeting, MeetingBody, MeetingFormat, Studio

MSK = zoneinfo.ZoneInfo("Europe/Moscow")


def make_meeting(*bodies: Body, starts_at: dt.datetime | None = None, **fields: Any) -> Meeting:
    meeting = Meeting.objects.create(
        starts_at=starts_at or dt.datetime(2026, 3, 10, 10, 0, tzinfo=MSK),
        timezone="Europe/Moscow",
        **fields,
    )
    for order, body in enumerate(bodies):
        MeetingBody.objects.create(meeting=meeting, body=body, is_host=order == 0, order=order)
    return meeting


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files (materials) go to a temporary folder, at most 1 MB each."""
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_MB = 1
    return tmp_path


@pytest.fixture
def meeting(cast: Cast) -> Meeting:
    meeting = make_meeting(
        cast.body,
        place="г. Энск, ул. Ленина, 1, зал заседаний",
        presiding=cast.chair_membership.person,
        secretary=cast.secretary.person,
    )
    AgendaItem.objects.create(
        meeting=meeting,
        number=1,
        title="О профилактике правонарушений в среде мигрантов",
    )
    AgendaItem.objects.create(
        meeting=meeting,
        number=2,
        title="Об информационно-разъяснительной работе с мигрантами",
    )
    return meeting


@pytest.fixture
def joint_meeting(cast: Cast) -> Meeting:
    second = f.make_body(
        name="Постоянно действующее координационное совещание по обеспечению правопорядка",
        short_name="КС правопорядок",
        kind="coordination_meeting",
        organization=cast.region_body.organization,
    )
    governor = f.PersonFactory.create(last_name="Губернаторов")
    f.add_member(cast.region_body, governor, roles=("chair",))
    f.add_member(second, governor, roles=("chair",), title="Губернатор Энской области")
    meeting = make_meeting(
        cast.region_body,
        second,
        format=MeetingFormat.VIDEOCONFERENCE,
        presiding=governor,
        vks_link="https://vks.example.invalid/room/1",
    )
    Studio.objects.create(
        meeting=meeting,
        name="Студия ВКС администрации города Энска",
        address="г. Энск, ул. Ленина, 1",
    )
    AgendaItem.objects.create(
        meeting=meeting, number=1, title="О результатах противодействия незаконной миграции"
    )
    return meeting
