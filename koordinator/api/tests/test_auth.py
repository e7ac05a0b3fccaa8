"""How the API knows who is calling: a bearer token or the browser session (with CSRF).

Also: the OpenAPI schema, and ``manage.py issue_token``.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from koordinator.accounts.models import ApiToken, User, hash_token
from koordinator.api.tests.helpers import API, audit_count, call, last_audit
from koordinator.bodies.models import Membership
from koordinator.conftest import Cast

SETTINGS = {"protocol_days": 7, "ground": "решение № 5"}
CSRF_SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"  # any 32 characters of [a-zA-Z0-9]


def bearer(raw: str) -> dict[str, Any]:
    return {"headers": {"Authorization": f"Bearer {raw}"}}


def body_path(cast: Cast) -> str:
    return f"/bodies/{cast.body.pk}"


# --- anonymous ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/bodies"),
        ("get", "/organizations"),
        ("post", "/organizations"),
        ("get", "/bodies/{pk}/composition"),
        ("post", "/bodies/{pk}/composition"),
        ("patch", "/bodies/{pk}"),
        ("get", "/bodies/{pk}/history"),
    ],
)
def test_anonymous_gets_401(cast: Cast, method: str, path: str) -> None:
    before = audit_count()
    response = call(Client(), method, path.format(pk=cast.body.pk), {"name": "x"})
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Требуется вход")
    assert audit_count() == before


# --- bearer token ------------------------------------------------------------------------------


def test_bearer_token_reads_as_its_user(cast: Cast) -> None:
    token, raw = ApiToken.issue(user=cast.outsider, name="тест")
    response = call(Client(), "get", "/bodies", **bearer(raw))
    assert response.status_code == 200
    assert [b["id"] for b in response.json()["items"]] == [cast.other_body.pk]
    assert call(Client(), "get", body_path(cast), **bearer(raw)).status_code == 404
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_bearer_token_writes_without_csrf(cast: Cast) -> None:
    # A token is not sent by the browser on its own, so it needs no CSRF token.
    _, raw = ApiToken.issue(user=cast.secretary, name="тест")
    client = Client(enforce_csrf_checks=True)
    response = call(client, "patch", body_path(cast), SETTINGS, **bearer(raw))
    assert response.status_code == 200, response.content
    record = last_audit()
    assert record.action == "body.update"
    assert record.actor == cast.secretary


def test_bearer_token_has_its_users_rights(cast: Cast) -> None:
    _, raw = ApiToken.issue(user=cast.member, name="тест")
    response = call(Client(), "patch", body_path(cast), SETTINGS, **bearer(raw))
    assert response.status_code == 403


@pytest.mark.parametrize("header", ["Bearer kt_wrong", "Bearer ", "Token kt_x", "kt_x"])
def test_a_wrong_token_gets_401(cast: Cast, header: str) -> None:
    ApiToken.issue(user=cast.secretary, name="тест")
    response = Client().get(f"{API}/bodies", headers={"Authorization": header})
    assert response.status_code == 401


def test_a_token_of_a_disabled_user_gets_401(cast: Cast) -> None:
    _, raw = ApiToken.issue(user=cast.secretary, name="тест")
    User.objects.filter(pk=cast.secretary.pk).update(is_active=False)
    assert call(Client(), "get", "/bodies", **bearer(raw)).status_code == 401


# --- session and CSRF --------------------------------------------------------------------------


def csrf_client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_session_reads_without_csrf(cast: Cast) -> None:
    assert call(csrf_client(cast.member), "get", body_path(cast)).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("patch", "/bodies/{pk}", SETTINGS),
        ("post", "/organizations", {"name": "Новый отдел", "level": "municipal"}),
        (
            "post",
            "/memberships/{membership}/end",
            {"ends_on": "2026-06-30", "ground": "распоряжение № 9"},
        ),
    ],
)
def test_session_writes_need_the_csrf_token(
    cast: Cast, method: str, path: str, payload: dict[str, Any]
) -> None:
    path = path.format(pk=cast.body.pk, membership=cast.member_membership.pk)
    client = csrf_client(cast.secretary)
    before = audit_count()
    refused = call(client, method, path, payload)
    assert refused.status_code == 403
    assert audit_count() == before
    assert Membership.objects.get(pk=cast.member_membership.pk).ends_on is None

    client.cookies["csrftoken"] = CSRF_SECRET
    accepted = call(client, method, path, payload, headers={"X-CSRFToken": CSRF_SECRET})
    assert accepted.status_code in (200, 201), accepted.content
    assert audit_count() > before
    assert last_audit().actor == cast.secretary


def test_a_wrong_csrf_token_is_refused(cast: Cast) -> None:
    client = csrf_client(cast.secretary)
    client.cookies["csrftoken"] = CSRF_SECRET
    response = call(
        client, "patch", body_path(cast), SETTINGS, headers={"X-CSRFToken": CSRF_SECRET.lower()}
    )
    assert response.status_code == 403
    cast.body.refresh_from_db()
    assert cast.body.protocol_days == 5


# --- schema ------------------------------------------------------------------------------------


def test_openapi_schema_lists_the_paths(cast: Cast) -> None:
    response = cast.client(cast.member).get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path, methods in {
        "/api/v1/organizations": {"get", "post"},
        "/api/v1/organizations/{organization_id}": {"get", "patch"},
        "/api/v1/bodies": {"get"},
        "/api/v1/bodies/{body_id}": {"get", "patch"},
        "/api/v1/bodies/{body_id}/composition": {"get", "post"},
        "/api/v1/bodies/{body_id}/history": {"get"},
        "/api/v1/memberships/{membership_id}": {"patch"},
        "/api/v1/memberships/{membership_id}/end": {"post"},
    }.items():
        assert methods <= set(paths[path]), path
    assert "201" in paths["/api/v1/bodies/{body_id}/composition"]["post"]["responses"]
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    assert paths["/api/v1/bodies"]["get"]["security"] == [{"TokenAuth": []}, {"SessionAuth": []}]


# --- issue_token -------------------------------------------------------------------------------


def test_issue_token_prints_a_working_token_once(cast: Cast) -> None:
    out, err = StringIO(), StringIO()
    before = audit_count()
    call_command("issue_token", "secretary", "--name", "выгрузка", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("kt_")
    assert "повторно он показан не будет" in err.getvalue()
    token = ApiToken.objects.get(user=cast.secretary)
    assert token.name == "выгрузка"
    assert token.key_hash == hash_token(raw)
    assert raw not in (token.key_hash, token.prefix)
    assert audit_count() == before + 1
    assert last_audit().action == "api_token.issue"
    response = call(Client(), "get", "/bodies", **bearer(raw))
    assert [b["id"] for b in response.json()["items"]] == [cast.body.pk]


def test_issue_token_refuses_unknown_and_disabled_users(cast: Cast) -> None:
    with pytest.raises(CommandError, match="не найден"):
        call_command("issue_token", "nobody", "--name", "x", stdout=StringIO())
    User.objects.filter(pk=cast.member.pk).update(is_active=False)
    with pytest.raises(CommandError, match="отключён"):
        call_command("issue_token", "member", "--name", "x", stdout=StringIO())
    with pytest.raises(CommandError, match="назначение"):
        call_command("issue_token", "secretary", "--name", "  ", stdout=StringIO())
    assert not ApiToken.objects.exists()
