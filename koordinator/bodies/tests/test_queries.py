"""Doubling the rows adds no queries on the body list and the composition page."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koordinator.conftest import Cast
from koordinator.core.testing import factories as f


def count_queries(fetch: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fetch()
    return len(ctx.captured_queries)


def test_body_list_query_count_is_flat(cast: Cast) -> None:
    client = cast.client(cast.observer)
    url = reverse("bodies:list")

    def grow(n: int) -> None:
        for _ in range(n):
            body = f.make_body(parent=cast.region_body)
            f.add_member(body)
            f.add_member(body)

    grow(3)
    small = count_queries(lambda: client.get(url))
    grow(6)
    assert count_queries(lambda: client.get(url)) == small
    assert small <= 10


def test_composition_page_query_count_is_flat(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    url = reverse("bodies:detail", args=[cast.body.pk])
    for _ in range(5):
        f.add_member(cast.body)
    small = count_queries(lambda: client.get(url))
    for _ in range(10):
        f.add_member(cast.body)
    assert count_queries(lambda: client.get(url)) == small
    assert small <= 12


def test_home_and_organisations_query_counts_are_flat(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    home = count_queries(lambda: client.get(reverse("home")))
    orgs = count_queries(lambda: client.get(reverse("bodies:organizations")))
    for _ in range(10):
        f.OrganizationFactory.create()
        f.make_body()
    assert count_queries(lambda: client.get(reverse("home"))) == home
    assert count_queries(lambda: client.get(reverse("bodies:organizations"))) == orgs


def test_history_page_query_count_is_flat(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    url = reverse("bodies:history", args=[cast.body.pk])
    small = count_queries(lambda: client.get(url))
    for _ in range(10):
        f.add_member(cast.body)
    assert count_queries(lambda: client.get(url)) == small
