"""The summary for a higher body's people: counts per body, a chart, the overdue list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koordinator.conftest import Cast
from koordinator.control import views_export
from koordinator.control.models import Assignment, ControlPoint
from koordinator.control.tests.conftest import Control, register

pytestmark = pytest.mark.django_db

URL = reverse("control:summary")
SECRET = "Секретное мероприятие «Гроза»."


def make_overdue(assignment: Assignment, days: int = 5) -> None:
    past = timezone.localdate() - dt.timedelta(days=days)
    ControlPoint.objects.filter(assignment=assignment).update(due_on=past, original_due_on=past)


def test_anonymous_goes_to_login(cast: Cast) -> None:
    response = cast.client(None).get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_observer_sees_counts_and_overdue_of_body_below(cast: Cast, control: Control) -> None:
    make_overdue(control.one_off, days=7)
    restricted = register(cast, lead=control.other_org, text=SECRET, restricted=True, number="9")
    make_overdue(restricted, days=3)
    response = cast.client(cast.observer).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    row = response.context["rows"]
    counts = {r.body.pk: (r.on_control, r.overdue, r.submitted, r.removed) for r in row}
    assert counts[cast.body.pk] == (5, 2, 0, 0)
    assert cast.other_body.pk not in counts
    assert "<svg" in page
    assert control.one_off.text in page
    assert SECRET not in page
    assert "содержание не показывается" in page
    overdue = response.context["overdue"]
    assert [r.days for r in overdue] == [7, 3]
    # The observer sees no card: no links to them.
    assert reverse("control:assignment", args=[control.one_off.pk]) not in page


def test_insider_sees_restricted_text_and_links(cast: Cast, control: Control) -> None:
    restricted = register(cast, lead=control.other_org, text=SECRET, restricted=True, number="9")
    make_overdue(restricted)
    page = cast.client(cast.secretary).get(URL).content.decode()
    assert SECRET in page
    assert reverse("control:assignment", args=[restricted.pk]) in page


def test_outsider_sees_only_own_bodies(cast: Cast, control: Control) -> None:
    make_overdue(control.one_off)
    response = cast.client(cast.outsider).get(URL)
    assert response.status_code == 200
    assert [r.body.pk for r in response.context["rows"]] == [cast.other_body.pk]
    assert response.context["overdue"] == []
    assert control.one_off.text not in response.content.decode()


def test_query_count_fixed(cast: Cast, control: Control) -> None:
    client = cast.client(cast.observer)
    make_overdue(control.one_off)
    client.get(URL)
    with CaptureQueriesContext(connection) as first:
        client.get(URL)
    for n in range(4):
        make_overdue(register(cast, lead=control.other_org, text=f"Ещё {n}", number=f"7.{n}"))
    with CaptureQueriesContext(connection) as second:
        response = client.get(URL)
    assert len(response.context["overdue"]) == 5
    assert len(second) == len(first)


def test_overdue_list_is_paged_and_counted(
    cast: Cast, control: Control, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A region sees hundreds of overdue assignments: the list comes in pages, oldest first,
    with the total in the heading; the counts per body stay whole."""
    monkeypatch.setattr(views_export, "OVERDUE_PER_PAGE", 2)
    for n, days in enumerate((9, 7, 5)):
        make_overdue(
            register(cast, lead=control.other_org, text=f"Дело {n}", number=f"8.{n}"), days
        )
    client = cast.client(cast.observer)
    first = client.get(URL)
    assert [r.days for r in first.context["overdue"]] == [9, 7]
    text = first.content.decode()
    assert 'Просроченные поручения <span class="muted">(3)</span>' in text
    assert "Страница 1 из 2" in text
    assert 'href="?page=2#summary-overdue"' in text
    counts = {r.body.pk: r.overdue for r in first.context["rows"]}
    assert counts[cast.body.pk] == 3
    second = client.get(URL, {"page": 2})
    assert [r.days for r in second.context["overdue"]] == [5]
    assert client.get(URL, {"page": "чепуха"}).status_code == 200
    assert [r.days for r in client.get(URL, {"page": 99}).context["overdue"]] == [5]
