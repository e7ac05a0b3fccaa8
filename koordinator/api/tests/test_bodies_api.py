"""/bodies, /bodies/{id} and /bodies/{id}/history: the same rights as the pages.

Outsiders (the secretary of an unrelated body, the police officer with no role in the body)
get 404; the chair, the member and the regional observer may read but not change (403); the
secretary changes the settings, and every change is in the body's history.
"""

from __future__ import annotations

import datetime as dt

import pytest

from koordinator.api.tests.helpers import (
    assert_query_count_is_flat,
    audit_count,
    call,
    last_audit,
)
from koordinator.bodies.models import Body
from koordinator.conftest import Cast
from koordinator.core.testing import factories as f

READERS = ["secretary", "chair", "member", "observer"]
READ_ONLY = ["chair", "member", "observer"]
OUTSIDERS = ["outsider", "executor"]
SETTINGS = {"meetings_per_year": 6, "co_chairs_allowed": True, "ground": "решение № 3"}


def body_url(cast: Cast, tail: str = "") -> str:
    return f"/bodies/{cast.body.pk}{tail}"


@pytest.mark.parametrize(
    ("method", "tail"),
    [("get", None), ("get", ""), ("patch", ""), ("get", "/history")],
    ids=["list", "detail", "update", "history"],
)
def test_anonymous_gets_401(cast: Cast, method: str, tail: str | None) -> None:
    path = "/bodies" if tail is None else body_url(cast, tail)
    assert call(cast.client(None), method, path).status_code == 401


# --- list --------------------------------------------------------------------------------------


def test_list_shows_only_visible_bodies_with_member_counts(cast: Cast) -> None:
    data = call(cast.client(cast.secretary), "get", "/bodies").json()
    assert data["count"] == 1
    (item,) = data["items"]
    assert item["id"] == cast.body.pk
    assert item["member_count"] == 3
    assert item["organization"]["name"] == "Администрация города Энска"
    assert item["parent"]["id"] == cast.region_body.pk
    assert item["kind_label"] == "рабочая группа"

    outsider = call(cast.client(cast.outsider), "get", "/bodies").json()
    assert [b["id"] for b in outsider["items"]] == [cast.other_body.pk]
    assert call(cast.client(cast.executor), "get", "/bodies").json()["count"] == 0
    observer = call(cast.client(cast.observer), "get", "/bodies").json()
    assert {b["id"] for b in observer["items"]} == {cast.region_body.pk, cast.body.pk}


def test_list_is_paginated(cast: Cast) -> None:
    client = cast.client(cast.observer)
    first = call(client, "get", "/bodies", {"page_size": 1}).json()
    second = call(client, "get", "/bodies", {"page_size": 1, "page": 2}).json()
    assert first["count"] == second["count"] == 2
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]


def test_list_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    client = cast.client(cast.observer)

    def add_bodies(k: int) -> None:
        for _ in range(k):
            body = f.make_body(parent=cast.region_body)
            f.add_member(body)
            f.add_member(body)

    assert_query_count_is_flat(lambda: call(client, "get", "/bodies"), add_bodies, n=8)


# --- detail ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_body_with_its_regulation(cast: Cast, who: str) -> None:
    response = call(cast.client(getattr(cast, who)), "get", body_url(cast))
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == cast.body.name
    for field in Body.REGULATION_FIELDS:
        assert field in data
    assert data["quorum_rule"] == "more_than_half"
    assert data["protocol_days"] == 5
    assert data["term_started_on"] is None


@pytest.mark.parametrize(
    ("who", "roles", "can_manage", "can_see_history"),
    [
        ("secretary", ["secretary"], True, True),
        ("chair", ["chair"], False, True),
        ("member", ["member"], False, False),
        ("observer", [], False, False),
    ],
)
def test_detail_tells_the_user_what_they_are(
    cast: Cast, who: str, roles: list[str], can_manage: bool, can_see_history: bool
) -> None:
    data = call(cast.client(getattr(cast, who)), "get", body_url(cast)).json()
    assert data["my_roles"] == roles
    assert data["can_manage"] is can_manage
    assert data["can_see_history"] is can_see_history


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(("method", "tail"), [("get", ""), ("patch", ""), ("get", "/history")])
def test_outsiders_get_404(cast: Cast, who: str, method: str, tail: str) -> None:
    before = audit_count()
    response = call(cast.client(getattr(cast, who)), method, body_url(cast, tail), SETTINGS)
    assert response.status_code == 404
    assert response.json() == {"detail": "Не найдено или нет доступа."}
    assert audit_count() == before


def test_missing_body_is_404(cast: Cast) -> None:
    assert call(cast.client(cast.secretary), "get", "/bodies/999999").status_code == 404


# --- settings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", READ_ONLY)
def test_read_only_users_may_not_change_settings(cast: Cast, who: str) -> None:
    before = audit_count()
    response = call(cast.client(getattr(cast, who)), "patch", body_url(cast), SETTINGS)
    assert response.status_code == 403
    assert "секретарь" in response.json()["detail"]
    cast.body.refresh_from_db()
    assert cast.body.meetings_per_year == 4
    assert audit_count() == before


def test_secretary_changes_settings_and_it_is_audited(cast: Cast) -> None:
    before = audit_count()
    response = call(
        cast.client(cast.secretary),
        "patch",
        body_url(cast),
        {**SETTINGS, "term_started_on": "2026-02-01", "quorum_rule": "two_thirds"},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["meetings_per_year"] == 6
    assert data["co_chairs_allowed"] is True
    assert data["term_started_on"] == "2026-02-01"
    cast.body.refresh_from_db()
    assert cast.body.quorum_rule == "two_thirds"
    assert (
        cast.body.name
        == "Межведомственная рабочая группа по профилактике правонарушений в среде мигрантов"
    )
    assert audit_count() == before + 1
    record = last_audit()
    assert record.action == "body.update"
    assert record.actor == cast.secretary
    assert record.body == cast.body
    assert record.ground == "решение № 3"
    assert record.after is not None
    assert record.after["meetings_per_year"] == 6


def test_settings_that_break_the_rules_are_refused_in_russian(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    before = audit_count()
    response = call(client, "patch", body_url(cast), {"meetings_per_year": 0})
    assert response.status_code == 400
    assert response.json()["detail"] == "Заседаний в год: от 1 до 52."
    response = call(client, "patch", body_url(cast), {"name": None})
    assert response.status_code == 400
    assert response.json()["errors"] == {"name": ["Это поле не может быть пустым."]}
    cast.body.refresh_from_db()
    assert cast.body.meetings_per_year == 4
    assert audit_count() == before


def test_settings_of_the_wrong_shape_get_422(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    before = audit_count()
    # The hierarchy is not a setting: an unknown field is refused, not silently ignored.
    assert call(client, "patch", body_url(cast), {"parent": None}).status_code == 422
    assert call(client, "patch", body_url(cast), {"quorum_rule": "all"}).status_code == 422
    assert call(client, "patch", body_url(cast), {"term_started_on": "1.2.26"}).status_code == 422
    assert audit_count() == before


# --- history -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary", "chair"])
def test_history_is_for_secretary_and_chair(cast: Cast, who: str) -> None:
    call(cast.client(cast.secretary), "patch", body_url(cast), SETTINGS)
    response = call(cast.client(getattr(cast, who)), "get", body_url(cast, "/history"))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 8  # body.create, three posts and members, the settings change
    newest = data["items"][0]
    assert newest["action"] == "body.update"
    assert newest["actor"] == {"id": cast.secretary.pk, "name": str(cast.secretary)}
    assert newest["ground"] == "решение № 3"
    assert newest["after"]["meetings_per_year"] == 6
    assert dt.datetime.fromisoformat(newest["created_at"]).tzinfo is not None


@pytest.mark.parametrize("who", ["member", "observer"])
def test_history_is_closed_to_other_readers(cast: Cast, who: str) -> None:
    response = call(cast.client(getattr(cast, who)), "get", body_url(cast, "/history"))
    assert response.status_code == 403
    assert response.json()["detail"] == "Журнал изменений доступен секретарю и председателю."


def test_history_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    changes = iter(range(1, 31))

    def add_records(k: int) -> None:
        for _ in range(k):
            call(client, "patch", body_url(cast), {"protocol_days": next(changes)})

    assert_query_count_is_flat(
        lambda: call(client, "get", body_url(cast, "/history")), add_records, n=12
    )
