"""Fixtures for execution control, on top of the named cast (``koordinator/conftest.py``).

``control`` holds, in ``cast.body`` (the city working group):

- ``one_off``: the police's assignment due in ten days (one control point);
- ``periodic``: the police's quarterly report «ежеквартально до 10 числа …» (several points);
- ``foreign``: an assignment of another agency (``other_org``) the police's officer must not see;
- ``co_executed``: led by ``other_org`` with the police as co-executor.

``other_officer`` is the executor officer of ``other_org``. All are created through the
services, as people would (so they are audited), issued 30 days ago.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone

from koordinator.accounts.models import User
from koordinator.bodies.models import Organization
from koordinator.conftest import Cast
from koordinator.control import services
from koordinator.control.models import Assignment, ControlPoint
from koordinator.core.testing import factories as f


@dataclass
class Control:
    one_off: Assignment
    periodic: Assignment
    foreign: Assignment
    co_executed: Assignment
    other_org: Organization
    other_officer: User
    today: dt.date

    def point(self, assignment: Assignment) -> ControlPoint:
        """The first control point still on control."""
        point = assignment.points.order_by("due_on").first()
        assert point is not None
        return point


def register(
    cast: Cast, *, lead: Organization, text: str, due_on: dt.date | None = None, **kw: object
) -> Assignment:
    today = timezone.localdate()
    with transaction.atomic():
        return services.assignment_register(
            actor=cast.secretary,
            body=cast.body,
            number=str(kw.pop("number", "1")),
            document=str(kw.pop("document", "поручение АТК области от 01.11.2026 № 12")),
            document_date=kw.pop("document_date", today - dt.timedelta(days=30)),  # type: ignore[arg-type]
            issuer="АТК области",
            text=text,
            lead_executor=lead,
            due_on=due_on,
            **kw,  # type: ignore[arg-type]
        )


@pytest.fixture
def control(cast: Cast) -> Control:
    today = timezone.localdate()
    other_org = f.OrganizationFactory.create(name="Управление образования", short_name="УО")
    other_officer = f.UserFactory.create(username="other_officer")
    f.grant_executor(other_officer, other_org)
    one_off = register(
        cast,
        lead=cast.police,
        number="1.1",
        text="Провести профилактические рейды в местах пребывания мигрантов.",
        due_on=today + dt.timedelta(days=10),
    )
    periodic = register(
        cast,
        lead=cast.police,
        number="1.2",
        text="Информировать о миграционной обстановке.",
        deadline_text="ежеквартально до 10 числа месяца, следующего за отчётным",
    )
    foreign = register(
        cast,
        lead=other_org,
        number="2.1",
        text="Провести классные часы о межнациональном согласии.",
        due_on=today + dt.timedelta(days=20),
    )
    co_executed = register(
        cast,
        lead=other_org,
        number="2.2",
        text="Организовать встречи с родителями-мигрантами.",
        due_on=today + dt.timedelta(days=15),
        co_executors=[cast.police],
    )
    return Control(
        one_off=one_off,
        periodic=periodic,
        foreign=foreign,
        co_executed=co_executed,
        other_org=other_org,
        other_officer=other_officer,
        today=today,
    )
