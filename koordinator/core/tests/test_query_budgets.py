"""Query budgets of the pages people use most (issue 5, point 4; timings are in ``make bench``).

For each page: build a small dataset through the services, count the queries of one request,
double the rows, count again. The count must not grow, and must stay within
``BUDGET`` queries whatever the data size (savepoints included, as Django counts them).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koordinator.bodies.models import Body
from koordinator.conftest import Cast
from koordinator.control import services_reports
from koordinator.control.models import Assignment, ControlPoint, ReportKind
from koordinator.control.tests.conftest import Control, register
from koordinator.control.tests.conftest import control as control  # the fixture
from koordinator.core.testing import factories as f
from koordinator.meetings.models import AgendaItem, Meeting
from koordinator.meetings.tests.conftest import make_meeting
from koordinator.meetings.tests.conftest import meeting as meeting  # the fixture
from koordinator.meetings.tests.protocol_helpers import (
    add_decision,
    sign_all,
    start,
    submit,
    with_quorum,
)

BUDGET = 20

#: Pages whose count is flat but still above the budget, and why (each is an expected
#: failure of the budget only: the flatness is still asserted). Remove a page from here once
#: it is fixed; the test then fails as a reminder if it is left in.
OVER_BUDGET: dict[str, str] = {}


def within_budget(small: int, page: str) -> None:
    reason = OVER_BUDGET.get(page)
    if reason is None:
        assert small <= BUDGET
    elif small > BUDGET:
        pytest.xfail(f"{small} queries > {BUDGET}: {reason}")
    else:
        pytest.fail(f"{page} is within the budget now ({small}): remove it from OVER_BUDGET")


def count(fetch: Callable[[], int]) -> int:
    """The queries of one request; the request must succeed."""
    with CaptureQueriesContext(connection) as ctx:
        status = fetch()
    assert status == 200
    return len(ctx.captured_queries)


def getter(client: Client, url: str) -> Callable[[], int]:
    def fetch() -> int:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return response.status_code

    return fetch


def flat(fetch: Callable[[], int], grow: Callable[[], object]) -> tuple[int, int]:
    """Queries before and after ``grow`` (one warm-up request first: the session, caches)."""
    fetch()
    small = count(fetch)
    grow()
    return small, count(fetch)


# --- control: the inbox and the register -------------------------------------------------------


def grow_assignments(cast: Cast, control: Control, n: int, *, start_at: int = 0) -> None:
    """``n`` more assignments of the police (with a co-executor), every other one overdue,
    every third with a report submitted and returned (the inbox shows the comment)."""
    for i in range(start_at, start_at + n):
        assignment = register(
            cast,
            lead=cast.police,
            number=f"9.{i}",
            text=f"Дополнительное поручение {i}.",
            due_on=control.today + dt.timedelta(days=5 + i),
            co_executors=[control.other_org],
        )
        point = assignment.points.get()
        if i % 3 == 0:
            report = services_reports.report_submit(
                actor=cast.executor,
                point=point,
                organization=cast.police,
                kind=ReportKind.FINAL,
                text="Сделано.",
            )
            services_reports.report_return(
                actor=cast.secretary, report=report, comment="Уточните число рейдов."
            )
        if i % 2 == 0:
            ControlPoint.objects.filter(pk=point.pk).update(
                due_on=control.today - dt.timedelta(days=1 + i)
            )


def test_inbox_budget(cast: Cast, control: Control) -> None:
    grow_assignments(cast, control, 4)
    fetch = getter(cast.client(cast.executor), reverse("control:inbox"))
    small, large = flat(fetch, lambda: grow_assignments(cast, control, 8, start_at=4))
    assert large == small
    assert small <= BUDGET


@pytest.mark.parametrize("filtered", [False, True], ids=["first page", "overdue in body"])
def test_register_budget(cast: Cast, control: Control, filtered: bool) -> None:
    grow_assignments(cast, control, 4)
    url = reverse("control:register")
    if filtered:
        url += f"?overdue=1&body={cast.body.pk}"
    fetch = getter(cast.client(cast.secretary), url)
    small, large = flat(fetch, lambda: grow_assignments(cast, control, 8, start_at=4))
    assert large == small
    assert small <= BUDGET


# --- the body page -----------------------------------------------------------------------------


def grow_body(cast: Cast, n: int, *, children: bool = False) -> None:
    for _ in range(n):
        f.add_member(cast.body)
        if children:
            f.add_member(f.make_body(parent=cast.body))


@pytest.mark.parametrize("children", [False, True], ids=["members", "members and child bodies"])
def test_body_page_budget(cast: Cast, children: bool) -> None:
    grow_body(cast, 4, children=children)
    fetch = getter(cast.client(cast.secretary), reverse("bodies:detail", args=[cast.body.pk]))
    small, large = flat(fetch, lambda: grow_body(cast, 4, children=children))
    assert large == small
    assert small <= BUDGET


# --- a meeting with a signed protocol, its editor and its DOCX ---------------------------------


def signed_meeting(cast: Cast, body: Body, decisions_per_item: int, day: int) -> Meeting:
    """A meeting of ``body`` with two items, ``decisions_per_item`` complete decisions in each
    (police leads, other agencies co-execute), a quorum, submitted and signed: its assignments
    are on control."""
    meeting = make_meeting(
        body,
        starts_at=dt.datetime(2026, 3, day, 7, 0, tzinfo=dt.UTC),
        place="г. Энск, ул. Ленина, 1",
        presiding=cast.chair_membership.person,
        secretary=cast.secretary.person,
    )
    items = [
        AgendaItem.objects.create(meeting=meeting, number=n, title=f"Вопрос {n}") for n in (1, 2)
    ]
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    culture = f.OrganizationFactory.create()
    for item in items:
        for i in range(decisions_per_item):
            add_decision(
                cast.secretary,
                protocol,
                item,
                text=f"Решение {item.number}.{i + 1}",
                lead=cast.police,
                co=(culture,),
                deadline_text="ежеквартально до 10 числа месяца, следующего за отчётным"
                if i % 2
                else "до 01.12.2026",
            )
    submit(cast, protocol)
    sign_all(cast, protocol)
    return meeting


@pytest.mark.parametrize(
    ("page", "who"),
    [
        ("meetings:detail", "secretary"),
        ("meetings:detail", "member"),
        ("meetings:protocol", "secretary"),
        ("documents:protocol_docx", "secretary"),
    ],
)
def test_signed_meeting_pages_budget(cast: Cast, page: str, who: str) -> None:
    """Same page of two meetings, the second with twice the decisions (and assignments)."""
    client = cast.client(getattr(cast, who))
    small_meeting = signed_meeting(cast, cast.body, 3, day=10)
    large_meeting = signed_meeting(cast, cast.body, 6, day=17)
    assert Assignment.objects.filter(meeting=large_meeting).count() == 12
    small_fetch = getter(client, reverse(page, args=[small_meeting.pk]))
    large_fetch = getter(client, reverse(page, args=[large_meeting.pk]))
    small_fetch()
    large_fetch()
    small = count(small_fetch)
    assert count(large_fetch) == small
    within_budget(small, page)


def grow_draft(cast: Cast, meeting: Meeting, n: int) -> None:
    protocol = start(cast, meeting)
    for item in meeting.items.all():
        for _ in range(n):
            add_decision(cast.secretary, protocol, item, lead=cast.police, co=(cast.police,))


def test_protocol_editor_draft_budget(cast: Cast, meeting: Meeting) -> None:
    """The editor of a draft: a form per decision, the executor choices shared."""
    grow_draft(cast, meeting, 2)
    fetch = getter(cast.client(cast.secretary), reverse("meetings:protocol", args=[meeting.pk]))
    small, large = flat(fetch, lambda: grow_draft(cast, meeting, 2))
    assert large == small
    within_budget(small, "meetings:protocol")


# --- the deadline reader -----------------------------------------------------------------------


def test_deadline_parse_api_budget(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    payload = json.dumps(
        {
            "text": "ежеквартально до 10 числа месяца, следующего за отчётным",
            "issued_on": "2026-01-15",
            "body": cast.body.pk,
        }
    )

    def fetch() -> int:
        return client.post(
            "/api/v1/deadlines/parse", payload, content_type="application/json"
        ).status_code

    small, large = flat(fetch, lambda: grow_body(cast, 4))
    assert large == small
    assert small <= BUDGET
