"""Querysets compiled once and run with new values (``core.compiled``): the same rows as the
ordinary queryset, on SQLite and PostgreSQL; misuse is refused."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.db.models import Count, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from koordinator.accounts.backends import Backend
from koordinator.bodies.models import Membership, Organization, Post
from koordinator.conftest import Cast
from koordinator.core.compiled import (
    _CONVERTERS,
    Compiled,
    CompiledFamily,
    CompiledQueryError,
    Ids,
    _CompiledRows,
    attach,
    attached,
)
from koordinator.core.testing import factories as f

_by_name = Compiled(
    lambda name: Organization.objects.select_related("parent").filter(name=name).order_by("pk"),
    name=str,
)
_children = Compiled(
    lambda parent, limit: (
        Organization.objects.filter(parent_id=parent, pk__lte=limit)
        .order_by("name")
        .values("pk", "name", "parent__name")
    ),
    parent=int,
    limit=int,
)
_on = Compiled(
    lambda day: (
        Membership.objects.filter(starts_on__lte=day)
        .exclude(ends_on__lt=day)
        .order_by("pk")
        .values_list("pk", flat=True)
    ),
    day=dt.date,
)
_since = Compiled(
    lambda moment: Organization.objects.filter(created_at__gte=moment).order_by("pk"),
    moment=dt.datetime,
)
_shaped = Compiled(
    lambda below, pk: (
        Organization.objects.filter(pk__gte=pk).exclude(parent=None)
        if below
        else Organization.objects.filter(pk__gte=pk)
    ).order_by("pk"),
    shape=("below",),
    pk=int,
)


@pytest.mark.django_db
def test_the_same_rows_as_the_ordinary_queryset_with_one_query_each() -> None:
    top = f.OrganizationFactory.create(name="Правительство области")
    a = f.OrganizationFactory.create(name="Администрация", parent=top, short_name="Адм.")
    b = f.OrganizationFactory.create(name="УМВД", parent=top)
    f.OrganizationFactory.create(name="Прочее")

    with CaptureQueriesContext(connection) as ctx:
        found = list(_by_name(name="Администрация"))
    # One statement, and the related row came with it (select_related).
    assert [o.pk for o in found] == [a.pk] and len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        parent = found[0].parent
        assert parent is not None and parent.name == "Правительство области"
    assert not ctx.captured_queries

    assert _by_name.first(name="Администрация") == a and _by_name.first(name="нет") is None

    rows = list(_children(parent=top.pk, limit=b.pk))
    assert rows == [
        {"pk": a.pk, "name": "Администрация", "parent__name": "Правительство области"},
        {"pk": b.pk, "name": "УМВД", "parent__name": "Правительство области"},
    ]
    assert list(_children(parent=top.pk, limit=a.pk)) == rows[:1]
    assert list(_children(parent=a.pk, limit=b.pk)) == []

    below = list(_shaped(below=True, pk=top.pk))
    every = list(_shaped(below=False, pk=top.pk))
    assert [o.pk for o in below] == [a.pk, b.pk] and len(every) == 4


@pytest.mark.django_db
def test_dates_and_datetimes_are_passed_as_django_passes_them() -> None:
    body = f.make_body(name="Комиссия")
    person = f.PersonFactory.create()
    old = f.add_member(body, person)
    Membership.objects.filter(pk=old.pk).update(
        starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 12, 31)
    )
    new = f.add_member(body, f.PersonFactory.create())
    Membership.objects.filter(pk=new.pk).update(starts_on=dt.date(2021, 1, 1), ends_on=None)
    assert list(_on(day=dt.date(2020, 6, 1))) == [old.pk]
    assert list(_on(day=dt.date(2020, 12, 31))) == [old.pk]
    assert list(_on(day=dt.date(2022, 1, 1))) == [new.pk]
    assert list(_on(day=dt.date(2019, 1, 1))) == []

    org = f.OrganizationFactory.create()
    created = Organization.objects.get(pk=org.pk).created_at
    assert org.pk in [o.pk for o in _since(moment=created)]
    later = created + dt.timedelta(microseconds=1)
    assert org.pk not in [o.pk for o in _since(moment=later)]
    # Another zone, the same instant.
    moscow = created.astimezone(dt.timezone(dt.timedelta(hours=3)))
    assert org.pk in [o.pk for o in _since(moment=moscow)]


@pytest.mark.django_db
def test_the_converters_are_asked_once_per_statement_and_connection(monkeypatch) -> None:
    """The timestamps still come back as aware datetimes, equal to the ORM's, when the
    converters are kept from the first execution."""
    org = f.OrganizationFactory.create()
    asked = []
    find = SQLCompiler.get_converters

    def counted(self: SQLCompiler, expressions: Any) -> Any:
        asked.append(len(expressions))
        return find(self, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", counted)
    connections["default"].__dict__.pop(_CONVERTERS, None)  # what earlier tests left there
    moment = org.created_at - dt.timedelta(days=1)
    for _ in range(3):
        rows = list(_since(moment=moment))
        assert [(o.pk, o.created_at, o.updated_at) for o in rows] == [
            (o.pk, o.created_at, o.updated_at)
            for o in Organization.objects.filter(created_at__gte=moment).order_by("pk")
        ]
        assert rows[0].created_at.tzinfo is not None
    compiled_asks = len(asked) - 3  # the ORM's own queries ask every time
    assert compiled_asks == 1


class TestAgreesWithTheOrm(TestCase):
    top: Organization

    @classmethod
    def setUpTestData(cls) -> None:
        cls.top = f.OrganizationFactory.create(name="Верх")
        for n in range(6):
            f.OrganizationFactory.create(
                name=f"Орган {n % 3}", territory=f"Район {n}", parent=cls.top if n % 2 else None
            )

    @settings(max_examples=40, deadline=None)
    @given(
        name=st.sampled_from(["Верх", "Орган 0", "Орган 1", "Орган 2", "нет", "", "Ё'; --"]),
        offset=st.integers(min_value=-3, max_value=12),
    )
    def test_random_values(self, name: str, offset: int) -> None:
        expected = list(
            Organization.objects.select_related("parent").filter(name=name).order_by("pk")
        )
        assert list(_by_name(name=name)) == expected
        limit = self.top.pk + offset
        assert list(_children(parent=self.top.pk, limit=limit)) == list(
            Organization.objects.filter(parent_id=self.top.pk, pk__lte=limit)
            .order_by("name")
            .values("pk", "name", "parent__name")
        )


@pytest.mark.django_db
def test_misuse_is_refused() -> None:
    with pytest.raises(CompiledQueryError, match="cannot be changed"):
        _by_name(name="x").filter(pk=1)
    with pytest.raises(CompiledQueryError, match="cannot be changed"):
        _by_name(name="x").get()
    with pytest.raises(CompiledQueryError, match="cannot be changed"):
        _by_name(name="x")[:1]
    with pytest.raises(CompiledQueryError, match="Expected the arguments"):
        _by_name(title="x")
    with pytest.raises(CompiledQueryError, match="is not int"):
        _children(parent=True, limit=1)
    with pytest.raises(CompiledQueryError, match="is not int"):
        _children(parent="1", limit=1)
    with pytest.raises(CompiledQueryError, match="is not str"):
        _by_name(name=None)
    with pytest.raises(CompiledQueryError, match="is not date"):
        _on(day=timezone.now())
    with pytest.raises(CompiledQueryError, match="no time zone"):
        _since(moment=dt.datetime(2026, 1, 1))
    with pytest.raises(CompiledQueryError, match="unsupported type"):
        Compiled(lambda ids: Organization.objects.filter(pk__in=ids), ids=list)


@pytest.mark.django_db
def test_a_parameter_that_is_not_plain_is_refused_at_the_first_call() -> None:
    contains = Compiled(lambda text: Organization.objects.filter(name__icontains=text), text=str)
    with pytest.raises(CompiledQueryError, match="not a plain parameter"):
        contains(text="УМВД")


@pytest.mark.django_db
def test_the_check_catches_a_build_whose_sql_depends_on_a_value() -> None:
    # Branching on a value without declaring it a shape: the first call compiles the branch
    # of the marker; with the check on (as in every test) the other branch is caught.
    wrong = Compiled(
        lambda pk: (
            Organization.objects.filter(pk=pk)
            if pk < 0
            else Organization.objects.filter(pk=pk, name="x")
        ),
        pk=int,
    )
    with pytest.raises(CompiledQueryError, match="differs from the built one"):
        wrong(pk=5)
    with override_settings(KOORDINATOR_VERIFY_COMPILED=False):
        wrong(pk=5)  # without the check nothing stops it: hence the rule and the check


@pytest.mark.django_db
def test_an_expired_or_unknown_session_signs_nobody_in(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("control:register"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.cookies["sessionid"] = "not-a-session-key-at-all"
    assert client.get(reverse("control:register")).status_code == 302


@pytest.mark.django_db
def test_the_backend_loads_active_users_only(cast: Cast) -> None:
    backend = Backend()
    user = backend.get_user(cast.secretary.pk)
    assert user == cast.secretary and user is not None and user.person == cast.secretary.person
    assert backend.get_user(str(cast.secretary.pk)) == cast.secretary
    assert backend.get_user("x") is None and backend.get_user(None) is None
    assert backend.get_user(10**9) is None
    cast.secretary.is_active = False
    cast.secretary.save(update_fields=["is_active"])
    assert backend.get_user(cast.secretary.pk) is None


_memberships_of = Compiled(
    lambda body: Membership.objects.filter(post__body=body).select_related("person"),
    body=int,
)


@pytest.mark.django_db
def test_attached_children_answer_like_a_prefetch() -> None:
    body = f.make_body(name="Комиссия")
    for name in ("Борисов", "Алексеев"):
        f.add_member(body, f.PersonFactory.create(last_name=name))
    f.add_member(f.make_body(name="Другая"), f.PersonFactory.create(last_name="Чужой"))
    posts = list(Post.objects.order_by("pk"))
    first, second, other = posts

    with CaptureQueriesContext(connection) as ctx:
        attach(posts, "memberships", _memberships_of(body=body.pk))
        names = [m.person.last_name for p in (first, second) for m in p.memberships.all()]
        assert all(m.post is first for m in first.memberships.all())
        assert list(other.memberships.all()) == [] and other.memberships.count() == 0
        assert len(first.memberships.all()) == 1 and first.memberships.all()[0].post is first
        assert list(attached(first, "memberships")) == list(first.memberships.all())
        assert list(attached(other, "memberships")) == []
    assert len(ctx.captured_queries) == 1
    assert names == ["Борисов", "Алексеев"]
    # Without attach, attached() asks the relation as .all() would.
    fresh = Post.objects.get(pk=first.pk)
    assert [m.pk for m in attached(fresh, "memberships")] == [m.pk for m in first.memberships.all()]
    # Asking the relation anything new reads it again, for this parent only, as Django would.
    with CaptureQueriesContext(connection) as ctx:
        found = second.memberships.filter(person__last_name="Алексеев")
        assert [m.person_id for m in found] == [second.memberships.all()[0].person_id]
        assert other.memberships.filter(person__last_name="Чужой").count() == 1
        assert len(list(first.memberships.all().iterator())) == 1
    assert len(ctx.captured_queries) == 3
    attach([], "memberships", [])  # nothing to do


_among = Compiled(
    lambda ids, name: Organization.objects.filter(pk__in=ids).exclude(name=name).order_by("pk"),
    ids=Ids,
    name=str,
)


@pytest.mark.django_db
def test_a_list_of_ids_is_one_parameter_per_id_and_an_empty_one_reads_nothing() -> None:
    a, b, c = (f.OrganizationFactory.create(name=n) for n in ("А", "Б", "В"))
    assert [o.pk for o in _among(ids=[c.pk, a.pk, a.pk], name="-")] == [a.pk, c.pk]
    assert [o.pk for o in _among(ids={b.pk, c.pk}, name="В")] == [b.pk]
    assert [o.pk for o in _among(ids=(a.pk, b.pk, c.pk), name="Б")] == [a.pk, c.pk]
    with CaptureQueriesContext(connection) as ctx:
        assert list(_among(ids=[], name="А")) == []
        assert _among(ids=(), name="Б").count() == 0 and not _among(ids=set(), name="В")
    assert not ctx.captured_queries
    for wrong in ("12", [1, "2"], [True], 5):
        with pytest.raises(CompiledQueryError):
            _among(ids=wrong, name="А")


@pytest.mark.django_db(transaction=True)
def test_each_thread_runs_on_its_own_connection() -> None:
    org = f.OrganizationFactory.create(name="Потоки")
    assert [o.pk for o in _by_name(name="Потоки")] == [org.pk]  # compiled on this thread
    seen: list[object] = []

    def other() -> None:
        try:
            with CaptureQueriesContext(connections["default"]) as ctx:
                seen.extend(o.pk for o in _by_name(name="Потоки"))
            seen.append(len(ctx.captured_queries))
        finally:
            connections.close_all()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen == [org.pk, 1]


def _filtered_orgs(**filters: object) -> QuerySet[Organization]:
    qs = Organization.objects.order_by("pk")
    if "name" in filters:
        qs = qs.filter(name=filters["name"])
    if "territory" in filters:
        qs = qs.filter(territory=filters["territory"])
    return qs


_family = CompiledFamily(_filtered_orgs, name=str, territory=str)


@pytest.mark.django_db
def test_a_family_compiles_once_per_set_of_filters_given() -> None:
    a = f.OrganizationFactory.create(name="УМВД", territory="Энск")
    b = f.OrganizationFactory.create(name="УМВД", territory="Иксово")
    assert [o.pk for o in _family()] == [a.pk, b.pk]
    assert [o.pk for o in _family(name="УМВД")] == [a.pk, b.pk]
    assert [o.pk for o in _family(territory="Иксово")] == [b.pk]
    assert [o.pk for o in _family(name="УМВД", territory="Энск")] == [a.pk]
    assert [o.pk for o in _family(name="нет", territory="Энск")] == []
    with pytest.raises(CompiledQueryError, match="Unknown parameters"):
        _family(kind="x")


_with_parent_and_count = Compiled(
    lambda top: (
        Organization.objects.filter(Q(pk=top) | Q(parent_id=top))
        .select_related("parent")
        .annotate(below=Count("children"))
        .order_by("pk")
    ),
    top=int,
)


def _state(o: Organization | None) -> dict[str, Any] | None:
    if o is None:
        return None
    fields = {f.attname: getattr(o, f.attname) for f in Organization._meta.concrete_fields}
    return {**fields, "_db": o._state.db, "_adding": o._state.adding}


@pytest.mark.django_db
def test_compiled_rows_are_the_instances_the_orm_makes() -> None:
    """A compiled model query builds its rows itself (``_CompiledRows``): every field, the
    ``select_related`` row (or its absence), the annotations and the timestamps as aware
    datetimes are what Django's own iterable makes; the statement is seen by Django's query
    log; ``iterator()`` reads the same."""
    top = f.OrganizationFactory.create(name="Верх")
    for n in range(3):
        f.OrganizationFactory.create(name=f"Орган {n}", parent=top)
    expected = list(
        Organization.objects.filter(Q(pk=top.pk) | Q(parent_id=top.pk))
        .select_related("parent")
        .annotate(below=Count("children"))
        .order_by("pk")
    )
    compiled = _with_parent_and_count(top=top.pk)
    assert compiled._iterable_class is _CompiledRows
    with CaptureQueriesContext(connection) as ctx:
        got = list(compiled)
    assert len(ctx.captured_queries) == 1
    assert [_state(o) for o in got] == [_state(o) for o in expected]
    assert [_state(o.parent) for o in got] == [_state(o.parent) for o in expected]
    assert [o.below for o in got] == [o.below for o in expected] == [3, 0, 0, 0]
    assert got[0].created_at.tzinfo is not None
    assert got[0].parent is None and got[1].parent == top
    with CaptureQueriesContext(connection) as ctx:
        got[1].parent  # noqa: B018 - read from the joined row, no query
    assert not ctx.captured_queries
    assert [o.pk for o in _with_parent_and_count(top=top.pk).iterator()] == [o.pk for o in got]
