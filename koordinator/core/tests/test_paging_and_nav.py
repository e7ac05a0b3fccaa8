"""One page of a list in one query (``core.paging``), and the navigation every page shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import TemplateSyntaxError, engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koordinator.bodies.models import Organization
from koordinator.conftest import Cast
from koordinator.core.compiled import Compiled
from koordinator.core.paging import page_from, page_number, page_of, with_total
from koordinator.core.testing import factories as f
from koordinator.core.text import truncate


@pytest.mark.django_db
def test_page_and_total_in_one_query() -> None:
    for n in range(7):
        f.OrganizationFactory.create(name=f"Орган {n}")
    qs = Organization.objects.order_by("name")
    with CaptureQueriesContext(connection) as ctx:
        page = page_of(qs.values("pk", "name"), "2", 3)
    assert len(ctx.captured_queries) == 1
    assert [row["name"] for row in page] == ["Орган 3", "Орган 4", "Орган 5"]
    assert (page.count, page.num_pages, page.number) == (7, 3, 2)
    assert page.has_previous and page.has_next
    assert (page.previous_page_number, page.next_page_number) == (1, 3)
    models = page_of(qs, "3", 3)
    assert [o.name for o in models] == ["Орган 6"] and not models.has_next


@pytest.mark.django_db
def test_past_the_end_gives_the_last_page_and_a_known_total_costs_nothing_more() -> None:
    for n in range(5):
        f.OrganizationFactory.create(name=f"Орган {n}")
    qs = Organization.objects.order_by("name").values("pk", "name")
    page = page_of(qs, "9", 2)
    assert (page.number, page.count, [r["name"] for r in page]) == (3, 5, ["Орган 4"])
    with CaptureQueriesContext(connection) as ctx:
        known = page_of(qs, "2", 2, count=5)
    assert len(ctx.captured_queries) == 1 and len(known) == 2
    assert page_of(Organization.objects.none(), "1", 2).count == 0


_orgs_page = Compiled(
    lambda start, stop, prefix: with_total(
        Organization.objects.filter(territory=prefix).order_by("name").values("pk", "name")
    )[start:stop],
    shape=("start", "stop"),
    prefix=str,
)


@pytest.mark.django_db
def test_a_compiled_page_reads_like_page_of() -> None:
    for n in range(5):
        f.OrganizationFactory.create(name=f"Орган {n}", territory="Энск")

    def fetch(start: int) -> list[dict[str, object]]:
        return list(_orgs_page(start=start, stop=start + 2, prefix="Энск"))

    with CaptureQueriesContext(connection) as ctx:
        page = page_from(fetch, "2", 2)
    assert len(ctx.captured_queries) == 1
    assert [r["name"] for r in page] == ["Орган 2", "Орган 3"] and page.count == 5
    with CaptureQueriesContext(connection) as ctx:
        last = page_from(fetch, "9", 2)  # past the end: the first page's total, the last page
    assert len(ctx.captured_queries) == 3
    assert (last.number, [r["name"] for r in last]) == (3, ["Орган 4"])
    assert page_from(lambda start: [], "4", 2).count == 0


@pytest.mark.parametrize(
    ("raw", "number"), [(None, 1), ("", 1), ("0", 1), ("-2", 1), ("abc", 1), ("3", 3), (" 4 ", 4)]
)
def test_page_number(raw: object, number: int) -> None:
    assert page_number(raw) == number


def test_truncate_matches_the_template_filter() -> None:
    assert truncate("короткий", 10) == "короткий"
    assert truncate("ровно десять", 12) == "ровно десять"
    assert truncate("слишком длинный текст", 10) == "слишком д…"
    assert len(truncate("а" * 500, 200)) == 200
    assert truncate(None, 5) == ""


@pytest.mark.django_db
def test_navigation_lists_own_bodies_and_the_control_links(cast: Cast) -> None:
    home = reverse("home")
    secretary = cast.client(cast.secretary).get(home).content.decode()
    assert cast.body.short_name in secretary and "Контроль</a>" in secretary
    assert "Сводка</a>" not in secretary and "Мои поручения</a>" not in secretary
    observer = cast.client(cast.observer).get(home).content.decode()
    assert "Сводка</a>" in observer and "Контроль</a>" not in observer
    executor = cast.client(cast.executor).get(home).content.decode()
    assert "Мои поручения</a>" in executor and "Вы не входите в состав органов" in executor


def test_the_link_tag_prints_what_url_prints() -> None:
    page = engines["django"].from_string(
        "{% link 'control:register' %}|{% link 'meetings:protocol' m %}|"
        "{% url 'control:register' %}|{% url 'meetings:protocol' m %}"
    )
    first, second, third, fourth = page.render({"m": 42}).split("|")
    assert (first, second) == (third, fourth) == ("/control/", "/meetings/42/protocol/")
    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% link 'meetings:protocol' 1 2 %}").render({})
