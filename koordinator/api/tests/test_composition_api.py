"""Composition through the API: read on a date, add, change, end.

Same rights as the pages: outsiders get 404 on the body's composition and memberships; the
chair, the member and the regional observer may read but not change (403); the secretary
changes, and every change is an audit record. Refused input writes nothing: no membership, no
new official, no post, no audit record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from koordinator.api.tests.helpers import (
    assert_query_count_is_flat,
    audit_count,
    call,
    last_audit,
)
from koordinator.bodies.models import Membership, Organization, Person, Post
from koordinator.conftest import Cast
from koordinator.core.testing import factories as f

READ_ONLY = ["chair", "member", "observer"]
OUTSIDERS = ["outsider", "executor"]


def new_member(cast: Cast, **extra: Any) -> dict[str, Any]:
    return {
        "last_name": "Сидорова",
        "first_name": "Анна",
        "patronymic": "Петровна",
        "organization_id": cast.police.pk,
        "post_title": "заместитель начальника УМВД",
        "roles": ["member"],
        "starts_on": "2026-03-01",
        "by_agreement": True,
        "ground": "распоряжение от 01.03.2026 № 45-р",
        **extra,
    }


def written() -> tuple[int, int, int, int]:
    return (
        Membership.objects.count(),
        Person.objects.count(),
        Post.objects.count(),
        audit_count(),
    )


# One row per write: (method, path, a valid payload for the secretary).
Write = Callable[[Cast], tuple[str, str, dict[str, Any]]]
WRITES: dict[str, Write] = {
    "add": lambda c: ("post", f"/bodies/{c.body.pk}/composition", new_member(c)),
    "update": lambda c: (
        "patch",
        f"/memberships/{c.member_membership.pk}",
        {"roles": ["deputy_chair", "member"], "ground": "решение № 7"},
    ),
    "end": lambda c: (
        "post",
        f"/memberships/{c.member_membership.pk}/end",
        {"ends_on": "2026-06-30", "ground": "распоряжение № 9"},
    ),
}


def composition_path(cast: Cast) -> str:
    return f"/bodies/{cast.body.pk}/composition"


# --- rights ------------------------------------------------------------------------------------


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_anonymous_gets_401(cast: Cast, write: Write) -> None:
    method, path, payload = write(cast)
    state = written()
    assert call(cast.client(None), method, path, payload).status_code == 401
    assert call(cast.client(None), "get", composition_path(cast)).status_code == 401
    assert written() == state


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_outsiders_get_404(cast: Cast, who: str, write: Write) -> None:
    client = cast.client(getattr(cast, who))
    method, path, payload = write(cast)
    state = written()
    assert call(client, method, path, payload).status_code == 404
    assert call(client, "get", composition_path(cast)).status_code == 404
    assert written() == state


@pytest.mark.parametrize("who", READ_ONLY)
@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_read_only_users_get_403(cast: Cast, who: str, write: Write) -> None:
    method, path, payload = write(cast)
    state = written()
    response = call(cast.client(getattr(cast, who)), method, path, payload)
    assert response.status_code == 403
    assert "секретарь" in response.json()["detail"]
    assert written() == state
    cast.member_membership.refresh_from_db()
    assert cast.member_membership.roles == ["member"]
    assert cast.member_membership.ends_on is None


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_secretary_writes_and_each_write_is_audited(cast: Cast, write: Write) -> None:
    method, path, payload = write(cast)
    before = audit_count()
    response = call(cast.client(cast.secretary), method, path, payload)
    assert response.status_code == (201 if method == "post" and "composition" in path else 200)
    assert audit_count() > before
    record = last_audit()
    assert record.actor == cast.secretary
    assert record.body == cast.body
    assert record.action.startswith("membership.")
    assert record.ground == payload["ground"]


def test_memberships_of_other_bodies_are_404_for_the_secretary(cast: Cast) -> None:
    foreign = f.add_member(cast.other_body)
    client = cast.client(cast.secretary)
    assert (
        call(client, "patch", f"/memberships/{foreign.pk}", {"by_agreement": True}).status_code
        == 404
    )
    assert (
        call(
            client,
            "post",
            f"/memberships/{foreign.pk}/end",
            {"ends_on": "2026-06-30", "ground": "x"},
        ).status_code
        == 404
    )
    assert call(client, "get", f"/bodies/{cast.other_body.pk}/composition").status_code == 404


# --- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary", *READ_ONLY])
def test_readers_see_the_composition_in_order(cast: Cast, who: str) -> None:
    response = call(
        cast.client(getattr(cast, who)), "get", composition_path(cast), {"on": "2026-05-01"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["on"] == "2026-05-01"
    assert data["body"]["id"] == cast.body.pk
    assert data["count"] == 3
    assert [m["roles"] for m in data["items"]] == [["chair"], ["secretary"], ["member"]]
    member = data["items"][2]
    assert member["id"] == cast.member_membership.pk
    person = cast.member_membership.person
    assert member["person"] == {
        "id": person.pk,
        "last_name": person.last_name,
        "first_name": "Иван",
        "patronymic": "Сергеевич",
        "full_name": person.full_name,
    }
    assert member["post"]["title"] == cast.member_membership.post.title
    assert member["post"]["organization"]["id"] == cast.police.pk
    assert member["post"]["organization"]["name"] == "УМВД России по городу Энску"
    assert member["role_labels"] == ["член"]
    assert member["by_agreement"] is False
    assert member["starts_on"] == "2026-01-01"
    assert member["ends_on"] is None
    assert member["ground"] == ""


def test_composition_on_a_date(cast: Cast) -> None:
    cast.member_membership.ends_on = dt.date(2026, 3, 31)
    cast.member_membership.save(update_fields=["ends_on"])
    client = cast.client(cast.member)
    assert call(client, "get", composition_path(cast), {"on": "2025-12-31"}).json()["count"] == 0
    assert call(client, "get", composition_path(cast), {"on": "2026-03-31"}).json()["count"] == 3
    assert call(client, "get", composition_path(cast), {"on": "2026-04-01"}).json()["count"] == 2
    assert (
        call(client, "get", composition_path(cast)).json()["on"] == timezone.localdate().isoformat()
    )
    assert call(client, "get", composition_path(cast), {"on": "01.04.2026"}).status_code == 422


def test_composition_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    client = cast.client(cast.secretary)

    def add_members(k: int) -> None:
        for _ in range(k):
            f.add_member(cast.body)

    assert_query_count_is_flat(
        lambda: call(client, "get", composition_path(cast)), add_members, n=8
    )


# --- adding ------------------------------------------------------------------------------------


def test_secretary_adds_a_new_official(cast: Cast) -> None:
    before = audit_count()
    response = call(cast.client(cast.secretary), "post", composition_path(cast), new_member(cast))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["person"]["full_name"] == "Сидорова Анна Петровна"
    assert data["post"]["title"] == "заместитель начальника УМВД"
    assert data["by_agreement"] is True
    assert data["starts_on"] == "2026-03-01"
    membership = Membership.objects.get(pk=data["id"])
    assert membership.post.body == cast.body
    # A new official, a new post and the membership: three records, all by the secretary.
    assert audit_count() == before + 3
    record = last_audit()
    assert record.action == "membership.add"
    assert record.target_id == str(membership.pk)
    assert record.actor == cast.secretary


def test_secretary_adds_an_official_by_id(cast: Cast) -> None:
    # A member of a body below: the secretary sees them, so may name them by id.
    child = f.make_body(parent=cast.body)
    elsewhere = f.add_member(child)
    payload = new_member(
        cast, person_id=elsewhere.person.pk, last_name="", first_name="", patronymic=""
    )
    response = call(cast.client(cast.secretary), "post", composition_path(cast), payload)
    assert response.status_code == 201, response.content
    assert response.json()["person"]["id"] == elsewhere.person.pk
    assert last_audit().action == "membership.add"


def refused(cast: Cast, method: str, path: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Send bad input as the secretary: 400, a Russian message, nothing written."""
    state = written()
    response = call(cast.client(cast.secretary), method, path, payload)
    assert response.status_code == 400, response.content
    assert written() == state
    body: dict[str, Any] = response.json()
    assert body["detail"]
    return body


def test_a_duplicate_member_is_refused(cast: Cast) -> None:
    person = cast.member_membership.person
    payload = new_member(
        cast,
        last_name=person.last_name,
        first_name=person.first_name,
        patronymic=person.patronymic,
        post_title="советник",
    )
    error = refused(cast, "post", composition_path(cast), payload)
    assert error["detail"].startswith(f"{person.full_name} уже входит в состав")
    # The same by id.
    payload = new_member(cast, person_id=person.pk, last_name="", first_name="", patronymic="")
    assert "уже входит в состав" in refused(cast, "post", composition_path(cast), payload)["detail"]


def test_an_unknown_role_is_refused(cast: Cast) -> None:
    error = refused(
        cast, "post", composition_path(cast), new_member(cast, roles=["member", "король"])
    )
    assert error["errors"]["roles"][0].startswith("Неизвестная роль «король»")
    error = refused(cast, "post", composition_path(cast), new_member(cast, roles=[]))
    assert error["errors"]["roles"] == ["Укажите хотя бы одну роль."]


def test_a_second_chair_is_refused(cast: Cast) -> None:
    error = refused(cast, "post", composition_path(cast), new_member(cast, roles=["chair"]))
    assert error["errors"]["roles"][0].startswith("Председатель уже назначен")
    path = f"/memberships/{cast.member_membership.pk}"
    error = refused(cast, "patch", path, {"roles": ["chair", "member"]})
    assert "Председатель уже назначен" in error["detail"]
    cast.member_membership.refresh_from_db()
    assert cast.member_membership.roles == ["member"]


def test_dates_in_the_wrong_order_are_refused(cast: Cast) -> None:
    payload = new_member(cast, starts_on="2026-03-01", ends_on="2026-02-01")
    error = refused(cast, "post", composition_path(cast), payload)
    assert error["errors"]["ends_on"] == [
        "Дата окончания членства не может быть раньше даты начала."
    ]


def test_who_and_where_must_be_known(cast: Cast) -> None:
    no_one = new_member(cast, last_name="", first_name="")
    assert (
        "person_id или фамилию" in refused(cast, "post", composition_path(cast), no_one)["detail"]
    )
    both = new_member(cast, person_id=cast.member_membership.person.pk)
    assert "не то и другое" in refused(cast, "post", composition_path(cast), both)["detail"]
    # An official of an unrelated body is not named by id.
    stranger = f.add_member(cast.other_body).person
    by_id = new_member(cast, person_id=stranger.pk, last_name="", first_name="", patronymic="")
    error = refused(cast, "post", composition_path(cast), by_id)
    assert error["errors"] == {"person_id": ["Должностное лицо не найдено."]}
    closed = Organization.objects.create(
        name="Упразднённый отдел", level="municipal", is_active=False
    )
    error = refused(
        cast, "post", composition_path(cast), new_member(cast, organization_id=closed.pk)
    )
    assert error["errors"] == {"organization_id": ["Организация не найдена или не действует."]}
    error = refused(cast, "post", composition_path(cast), new_member(cast, post_title="  "))
    assert error["errors"] == {"title": ["Укажите должность."]}


def test_input_of_the_wrong_shape_gets_422(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    state = written()
    for payload in (
        new_member(cast, starts_on="завтра"),
        new_member(cast, roles="member"),
        new_member(cast, title="лишнее поле"),
        {"last_name": "Сидорова"},
    ):
        response = call(client, "post", composition_path(cast), payload)
        assert response.status_code == 422, payload
        assert response.json()["detail"]
    malformed = client.post(
        f"/api/v1{composition_path(cast)}", "{not json", content_type="application/json"
    )
    assert malformed.status_code == 400  # ninja: "Cannot parse request body"
    assert malformed.json()["detail"]
    assert written() == state


# --- changing and ending -----------------------------------------------------------------------


def test_secretary_changes_a_membership(cast: Cast) -> None:
    path = f"/memberships/{cast.member_membership.pk}"
    response = call(
        cast.client(cast.secretary),
        "patch",
        path,
        {"roles": ["член", "deputy_chair"], "ground": "решение № 7"},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["roles"] == ["deputy_chair", "member"]
    assert data["role_labels"] == ["заместитель председателя", "член"]
    assert data["ground"] == "решение № 7"
    record = last_audit()
    assert record.action == "membership.update"
    assert record.before is not None
    assert record.before["roles"] == ["member"]
    assert record.after is not None
    assert record.after["roles"] == ["deputy_chair", "member"]


def test_membership_patch_nulls(cast: Cast) -> None:
    path = f"/memberships/{cast.member_membership.pk}"
    client = cast.client(cast.secretary)
    assert call(client, "patch", path, {"ends_on": "2026-12-31"}).json()["ends_on"] == "2026-12-31"
    # ends_on: null means "no end date" again.
    assert call(client, "patch", path, {"ends_on": None}).json()["ends_on"] is None
    error = refused(cast, "patch", path, {"starts_on": None})
    assert error["errors"] == {"starts_on": ["Это поле не может быть пустым."]}


def test_secretary_ends_a_membership(cast: Cast) -> None:
    path = f"/memberships/{cast.member_membership.pk}/end"
    response = call(
        cast.client(cast.secretary),
        "post",
        path,
        {"ends_on": "2026-06-30", "ground": "распоряжение № 9"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["ends_on"] == "2026-06-30"
    record = last_audit()
    assert record.action == "membership.update"
    assert record.after is not None
    assert record.after["ends_on"] == "2026-06-30"
    on_july = call(cast.client(cast.member), "get", composition_path(cast), {"on": "2026-07-01"})
    assert cast.member_membership.pk not in [m["id"] for m in on_july.json()["items"]]


def test_ending_before_the_start_or_without_ground_is_refused(cast: Cast) -> None:
    path = f"/memberships/{cast.member_membership.pk}/end"
    error = refused(cast, "post", path, {"ends_on": "2025-12-31", "ground": "распоряжение № 9"})
    assert error["detail"] == "Дата окончания членства не может быть раньше даты начала."
    error = refused(cast, "post", path, {"ends_on": "2026-06-30", "ground": "  "})
    assert error["errors"] == {"ground": ["Укажите основание вывода из состава."]}
    cast.member_membership.refresh_from_db()
    assert cast.member_membership.ends_on is None
