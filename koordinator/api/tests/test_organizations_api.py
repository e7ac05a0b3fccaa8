"""/organizations: a shared directory every signed-in user reads and the apparatus keeps.

Any body's secretary may add and change organisations (so the outsider, a secretary elsewhere,
may too); the chair, the member, the observer and the executor officer may only read (403).
"""

from __future__ import annotations

from typing import Any

import pytest

from koordinator.api.tests.helpers import (
    assert_query_count_is_flat,
    audit_count,
    call,
    last_audit,
)
from koordinator.bodies.models import Organization
from koordinator.conftest import Cast

EDITORS = ["secretary", "outsider"]
READ_ONLY = ["chair", "member", "observer", "executor"]
EVERYONE = EDITORS + READ_ONLY

NEW = {
    "name": "Прокуратура города Энска",
    "short_name": "Прокуратура",
    "level": "municipal",
    "territory": "город Энск",
    "kind": "prosecutor",
    "email": "prokuratura@example.ru",
}


def org_path(organization: Organization) -> str:
    return f"/organizations/{organization.pk}"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/organizations"),
        ("get", "/organizations/1"),
        ("post", "/organizations"),
        ("patch", "/organizations/1"),
    ],
)
def test_anonymous_gets_401(cast: Cast, method: str, path: str) -> None:
    before = Organization.objects.count()
    assert call(cast.client(None), method, path, NEW).status_code == 401
    assert Organization.objects.count() == before


# --- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_everyone_signed_in_reads_the_directory(cast: Cast, who: str) -> None:
    client = cast.client(getattr(cast, who))
    data = call(client, "get", "/organizations").json()
    assert data["count"] == Organization.objects.count()
    names = [o["name"] for o in data["items"]]
    assert names == sorted(names)
    detail = call(client, "get", org_path(cast.police))
    assert detail.status_code == 200
    assert detail.json()["short_name"] == "УМВД"
    assert detail.json()["kind_label"] == "правоохранительный орган"
    assert detail.json()["can_edit"] is (who in EDITORS)


def test_list_filters_by_level_and_searches_by_name(cast: Cast) -> None:
    client = cast.client(cast.member)
    regional = call(client, "get", "/organizations", {"level": "regional"}).json()
    assert [o["name"] for o in regional["items"]] == ["Правительство Энской области"]
    assert regional["items"][0]["level_label"] == "региональный"
    # Lower case finds capitalised Cyrillic names (SQLite folds ASCII only).
    found = call(client, "get", "/organizations", {"q": "администрация"}).json()
    assert [o["name"] for o in found["items"]] == ["Администрация города Энска"]
    assert found["items"][0]["parent"]["name"] == "Правительство Энской области"
    by_short_name = call(client, "get", "/organizations", {"q": "УМВД"}).json()
    assert [o["id"] for o in by_short_name["items"]] == [cast.police.pk]
    assert call(client, "get", "/organizations", {"level": "galactic"}).status_code == 422


def test_list_query_count_is_flat(cast: Cast) -> None:
    client = cast.client(cast.member)
    parent = Organization.objects.get(name="Правительство Энской области")

    def add_organizations(k: int) -> None:
        start = Organization.objects.count()
        for i in range(k):
            Organization.objects.create(
                name=f"Отдел № {start + i}", level="municipal", parent=parent
            )

    assert_query_count_is_flat(
        lambda: call(client, "get", "/organizations"), add_organizations, n=12
    )


def test_list_is_paginated(cast: Cast) -> None:
    client = cast.client(cast.member)
    page = call(client, "get", "/organizations", {"page_size": 2, "page": 2}).json()
    assert page["count"] == Organization.objects.count() > 4
    assert len(page["items"]) == 2
    first = call(client, "get", "/organizations", {"page_size": 2}).json()
    assert {o["id"] for o in first["items"]}.isdisjoint({o["id"] for o in page["items"]})
    assert call(client, "get", "/organizations", {"page_size": 0}).status_code == 422


def test_missing_organisation_is_404(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    assert call(client, "get", "/organizations/999999").status_code == 404
    assert call(client, "patch", "/organizations/999999", {"name": "x"}).status_code == 404


# --- creating ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", EDITORS)
def test_secretaries_add_organisations_and_it_is_audited(cast: Cast, who: str) -> None:
    before = audit_count()
    payload = {**NEW, "parent_id": cast.police.pk}
    response = call(cast.client(getattr(cast, who)), "post", "/organizations", payload)
    assert response.status_code == 201, response.content
    data = response.json()
    organization = Organization.objects.get(pk=data["id"])
    assert organization.name == NEW["name"]
    assert organization.parent == cast.police
    assert data["parent"]["id"] == cast.police.pk
    assert data["kind"] == "prosecutor"
    assert audit_count() == before + 1
    record = last_audit()
    assert record.action == "organization.create"
    assert record.actor == getattr(cast, who)
    assert record.target_id == str(organization.pk)


@pytest.mark.parametrize("who", READ_ONLY)
def test_others_may_not_add_organisations(cast: Cast, who: str) -> None:
    before = (Organization.objects.count(), audit_count())
    response = call(cast.client(getattr(cast, who)), "post", "/organizations", NEW)
    assert response.status_code == 403
    assert response.json()["detail"] == "Справочник организаций ведёт секретарь."
    assert (Organization.objects.count(), audit_count()) == before


def refused(cast: Cast, method: str, path: str, payload: dict[str, Any]) -> dict[str, Any]:
    before = (Organization.objects.count(), audit_count())
    response = call(cast.client(cast.secretary), method, path, payload)
    assert response.status_code == 400, response.content
    assert (Organization.objects.count(), audit_count()) == before
    body: dict[str, Any] = response.json()
    return body


def test_bad_organisations_are_refused_in_russian(cast: Cast) -> None:
    duplicate = {**NEW, "name": "УМВД России по городу Энску"}
    error = refused(cast, "post", "/organizations", duplicate)
    assert error["detail"] == "Организация с таким наименованием на этой территории уже есть."
    error = refused(cast, "post", "/organizations", {**NEW, "parent_id": 999999})
    assert error["errors"] == {"parent_id": ["Вышестоящая организация не найдена."]}
    error = refused(cast, "post", "/organizations", {**NEW, "email": "не почта"})
    assert list(error["errors"]) == ["email"]
    error = refused(cast, "post", "/organizations", {**NEW, "name": "   "})
    assert list(error["errors"]) == ["name"]
    before = Organization.objects.count()
    assert (
        call(
            cast.client(cast.secretary), "post", "/organizations", {"name": "Без уровня"}
        ).status_code
        == 422
    )
    assert Organization.objects.count() == before


# --- changing ----------------------------------------------------------------------------------


def test_secretary_changes_an_organisation_and_it_is_audited(cast: Cast) -> None:
    before = audit_count()
    response = call(
        cast.client(cast.secretary),
        "patch",
        org_path(cast.police),
        {"short_name": "УМВД по г. Энску", "email": "umvd@example.ru"},
    )
    assert response.status_code == 200, response.content
    cast.police.refresh_from_db()
    assert cast.police.short_name == "УМВД по г. Энску"
    assert cast.police.name == "УМВД России по городу Энску"  # not sent, not changed
    assert audit_count() == before + 1
    record = last_audit()
    assert record.action == "organization.update"
    assert record.actor == cast.secretary
    assert record.before is not None
    assert record.before["short_name"] == "УМВД"


@pytest.mark.parametrize("who", READ_ONLY)
def test_others_may_not_change_organisations(cast: Cast, who: str) -> None:
    before = audit_count()
    response = call(cast.client(getattr(cast, who)), "patch", org_path(cast.police), {"name": "x"})
    assert response.status_code == 403
    cast.police.refresh_from_db()
    assert cast.police.name == "УМВД России по городу Энску"
    assert audit_count() == before


def test_parent_rules(cast: Cast) -> None:
    city = Organization.objects.get(name="Администрация города Энска")
    region = city.parent
    assert region is not None
    error = refused(cast, "patch", org_path(region), {"parent_id": city.pk})
    assert error["errors"] == {"parent": ["Организация не может подчиняться сама себе."]}
    error = refused(cast, "patch", org_path(city), {"name": None})
    assert error["errors"] == {"name": ["Это поле не может быть пустым."]}
    response = call(cast.client(cast.secretary), "patch", org_path(city), {"parent_id": None})
    assert response.status_code == 200
    assert response.json()["parent"] is None
    city.refresh_from_db()
    assert city.parent is None
