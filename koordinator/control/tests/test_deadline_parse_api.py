"""POST /api/v1/deadlines/parse: the deadline reader over HTTP (dates as the tests of
``koordinator.deadlines`` know them; 6 November 2026 is a Friday)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from koordinator.conftest import Cast

URL = "/api/v1/deadlines/parse"
FRIDAY = "2026-11-06"


def post(client: Client, data: dict[str, Any]) -> Any:
    return client.post(URL, data=json.dumps(data), content_type="application/json")


@pytest.mark.parametrize(
    ("text", "calendar", "working"),
    [
        ("до 1 декабря 2026 г.", "2026-12-01", "2026-12-01"),
        ("срочно", "2026-11-09", "2026-11-11"),
        ("оперативно", "2026-11-16", "2026-11-20"),
        ("немедленно", "2026-11-09", "2026-11-09"),
        ("в течение 10 дней", "2026-11-16", "2026-11-20"),
        ("в течение 10 рабочих дней", "2026-11-20", "2026-11-20"),
        ("в течение 10 календарных дней", "2026-11-16", "2026-11-16"),
        # one month → 6 December, a Sunday → the previous working day
        ("", "2026-12-04", "2026-12-04"),
        ("в течение месяца", "2026-12-04", "2026-12-04"),
        # by 10 January 2027 (holidays) → the last working day of 2026
        ("ежеквартально", "2026-12-30", "2026-12-30"),
    ],
)
def test_first_due_dates_by_policy(cast: Cast, text: str, calendar: str, working: str) -> None:
    client = cast.client(cast.member)
    for policy, expected in (("calendar", calendar), ("working", working)):
        response = post(client, {"text": text, "issued_on": FRIDAY, "policy": policy})
        assert response.status_code == 200, response.content
        out = response.json()
        assert out["ok"] is True and out["policy"] == policy
        assert out["due_dates"][0] == expected, (text, policy)
        assert out["issued_on"] == FRIDAY and out["explanation"]


def test_body_policy_instead_of_policy(cast: Cast) -> None:
    client = cast.client(cast.member)
    for days, expected in (("calendar", "2026-11-16"), ("working", "2026-11-20")):
        cast.body.deadline_days = days
        cast.body.save(update_fields=["deadline_days"])
        out = post(
            client, {"text": "в течение 10 дней", "issued_on": FRIDAY, "body": cast.body.pk}
        ).json()
        assert out["ok"] and out["policy"] == days and out["due"] == expected


def test_recurring_gives_several_dates(cast: Cast) -> None:
    out = post(
        cast.client(cast.member),
        {"text": "ежеквартально", "issued_on": FRIDAY, "policy": "calendar"},
    ).json()
    assert out["kind"] == "recurring"
    assert out["due_dates"][:3] == ["2026-12-30", "2027-04-09", "2027-07-09"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("до 31 февраля", "такой даты нет"),
        ("до 10 числа", "не указана периодичность"),
        ("в течение 5 дней со дня получения", "от даты получения"),
    ],
)
def test_unreadable_is_an_answer_not_an_error(cast: Cast, text: str, words: str) -> None:
    response = post(
        cast.client(cast.member), {"text": text, "issued_on": FRIDAY, "policy": "calendar"}
    )
    assert response.status_code == 200
    out = response.json()
    assert out["ok"] is False and out["due"] is None and out["due_dates"] == []
    assert "Не удалось прочитать срок" in out["reason"] and words in out["reason"]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"text": "срочно", "policy": "calendar"}, "issued_on"),
        ({"text": "срочно", "issued_on": "06.11.2026", "policy": "calendar"}, "ГГГГ-ММ-ДД"),
        ({"text": "срочно", "issued_on": "2026-02-31", "policy": "calendar"}, "ГГГГ-ММ-ДД"),
        ({"text": "срочно", "issued_on": FRIDAY}, "policy"),
        ({"text": "срочно", "issued_on": FRIDAY, "policy": "calendar", "body": 1}, "policy"),
        ({"text": "срочно", "issued_on": FRIDAY, "policy": "weekly"}, "схеме"),
    ],
)
def test_bad_input_is_422_in_russian(cast: Cast, data: dict[str, Any], words: str) -> None:
    response = post(cast.client(cast.member), data)
    assert response.status_code == 422
    assert words in response.json()["detail"]


def test_body_must_be_visible(cast: Cast) -> None:
    data = {"text": "срочно", "issued_on": FRIDAY, "body": cast.other_body.pk}
    assert post(cast.client(cast.member), data).status_code == 404
    assert post(cast.client(cast.outsider), data).status_code == 200
    data["body"] = 999999
    assert post(cast.client(cast.member), data).status_code == 404


def test_anonymous_gets_401(cast: Cast) -> None:
    response = post(Client(), {"text": "срочно", "issued_on": FRIDAY, "policy": "calendar"})
    assert response.status_code == 401
    assert "Требуется вход" in response.json()["detail"]


def test_listed_in_openapi(cast: Cast) -> None:
    paths = cast.client(cast.member).get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/deadlines/parse"]
