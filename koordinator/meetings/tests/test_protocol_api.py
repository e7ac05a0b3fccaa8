"""The protocol's REST API: the same rules as the pages, JSON in and out."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from koordinator.conftest import Cast
from koordinator.meetings import services_protocol as svc
from koordinator.meetings.models import Decision, Meeting, Protocol, ProtocolSignature
from koordinator.meetings.tests.protocol_helpers import (
    add_decision,
    first_item,
    second_item,
    start,
    with_quorum,
)

API = "/api/v1"


def call(client: Client, method: str, url: str, data: Any = None) -> Any:
    kwargs: dict[str, Any] = {}
    if data is not None:
        kwargs = {"data": json.dumps(data), "content_type": "application/json"}
    return getattr(client, method)(API + url, **kwargs)


def test_secretary_writes_a_protocol_end_to_end(
    cast: Cast, meeting: Meeting, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    cast.police.email = "umvd@example.invalid"
    cast.police.save()
    with_quorum(cast, meeting)
    client = cast.client(cast.secretary)
    assert call(client, "get", f"/meetings/{meeting.pk}/protocol").status_code == 404
    out = call(client, "post", f"/meetings/{meeting.pk}/protocol").json()
    assert out["status"] == "draft" and out["can_edit"] and len(out["items"]) == 2
    one, two = first_item(meeting), second_item(meeting)

    out = call(
        client,
        "patch",
        f"/protocol/items/{one.pk}",
        {"version": out["version"], "heard_summary": "О профилактике", "report_attached": False},
    ).json()
    assert out["items"][0]["heard_summary"] == "О профилактике"
    response = call(
        client,
        "post",
        f"/protocol/items/{one.pk}/speeches",
        {"version": out["version"], "person_id": cast.member.person_id, "summary": "Дополнил"},
    )
    assert response.status_code == 201
    out = response.json()
    for text in ("Первое", "Второе"):
        response = call(
            client,
            "post",
            f"/protocol/items/{one.pk}/decisions",
            {
                "version": out["version"],
                "text": text,
                "lead_executor_id": cast.police.pk,
                "deadline_text": "до 1 декабря 2026 г.",
            },
        )
        assert response.status_code == 201, response.content
        out = response.json()
    decisions = out["items"][0]["decisions"]
    assert [(d["code"], d["text"], d["due_on"]) for d in decisions] == [
        ("1.1", "Первое", "2026-12-01"),
        ("1.2", "Второе", "2026-12-01"),
    ]
    out = call(
        client,
        "post",
        f"/protocol/decisions/{decisions[1]['id']}/move",
        {"version": out["version"], "to_item_id": two.pk},
    ).json()
    assert out["items"][1]["decisions"][0]["code"] == "2.1"

    reading = call(
        client, "post", f"/meetings/{meeting.pk}/protocol/deadline", {"text": "ежеквартально"}
    ).json()
    assert reading["ok"] and len(reading["dates"]) == 4

    out = call(
        client, "post", f"/meetings/{meeting.pk}/protocol/submit", {"version": out["version"]}
    ).json()
    assert out["status"] == "submitted" and out["quorum_text"].startswith("Кворум имеется")
    assert call(client, "post", f"/meetings/{meeting.pk}/protocol/sign").status_code == 200
    out = call(cast.client(cast.chair), "post", f"/meetings/{meeting.pk}/protocol/sign").json()
    assert out["status"] == "registered" and out["numbers"][0]["number"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = call(client, "post", f"/meetings/{meeting.pk}/protocol/distribute")
    assert response.status_code == 200
    assert [o["id"] for o in response.json()["sent_to"]] == [cast.police.pk]
    assert len(mailoutbox) == 1

    out = call(
        client, "post", f"/meetings/{meeting.pk}/protocol/correct", {"reason": "Опечатка"}
    ).json()
    assert out["status"] == "draft" and out["numbers"][0]["number"] == 1


def test_stale_version_is_409_and_nothing_written(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting), text="Было")
    protocol.refresh_from_db()
    client = cast.client(cast.secretary)
    body = {"version": protocol.version - 1, "text": "Стало", "lead_executor_id": cast.police.pk}
    response = call(client, "patch", f"/protocol/decisions/{decision.pk}", body)
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Протокол уже изменил другой пользователь")
    decision.refresh_from_db()
    assert decision.text == "Было"


def test_bad_input_is_400_with_the_reason(cast: Cast, meeting: Meeting) -> None:
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting), lead=None)
    protocol.refresh_from_db()
    client = cast.client(cast.secretary)
    response = call(
        client,
        "patch",
        f"/protocol/decisions/{decision.pk}",
        {"version": protocol.version, "text": "Т", "deadline_text": "как-нибудь потом"},
    )
    assert response.status_code == 400
    assert "Не удалось распознать срок" in response.json()["detail"]
    response = call(
        client, "post", f"/meetings/{meeting.pk}/protocol/submit", {"version": protocol.version}
    )
    assert response.status_code == 400
    assert "Решение 1.1: не указан ответственный исполнитель." in response.json()["detail"]
    assert Protocol.objects.get().status == "draft"


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("anonymous", 401, 401),
        ("outsider", 404, 404),
        ("executor", 404, 404),
        ("observer", 200, 403),
        ("member", 200, 403),
        ("secretary", 200, 200),
    ],
)
def test_access(cast: Cast, meeting: Meeting, who: str, read: int, write: int) -> None:
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting))
    protocol.refresh_from_db()
    speech = svc.speech_add(
        actor=cast.secretary,
        protocol=protocol,
        version=protocol.version,
        item=first_item(meeting),
        speaker="Иванов И.И.",
    )
    item = decision.item_id
    client = cast.client(None if who == "anonymous" else getattr(cast, who))
    assert call(client, "get", f"/meetings/{meeting.pk}/protocol").status_code == read
    writes: list[tuple[str, str, dict[str, Any] | None]] = [
        ("patch", f"/meetings/{meeting.pk}/protocol", {"version": 0, "form": "short"}),
        ("patch", f"/protocol/decisions/{decision.pk}", {"version": 0, "text": "x"}),
        ("post", f"/protocol/items/{item}/decisions", {"version": 0}),
        ("post", f"/protocol/decisions/{decision.pk}/move", {"version": 0, "direction": "up"}),
        ("patch", f"/protocol/items/{item}", {"version": 0, "heard_summary": "x"}),
        ("post", f"/protocol/items/{item}/speeches", {"version": 0, "speaker": "x"}),
        ("patch", f"/protocol/speeches/{speech.pk}", {"version": 0, "speaker": "x"}),
        ("post", f"/protocol/speeches/{speech.pk}/move", {"version": 0, "direction": "up"}),
        ("delete", f"/protocol/speeches/{speech.pk}?version=0", None),
        ("post", f"/meetings/{meeting.pk}/protocol", None),
        ("post", f"/meetings/{meeting.pk}/protocol/deadline", {"text": "срочно"}),
        ("delete", f"/protocol/decisions/{decision.pk}?version=0", None),
        ("post", f"/meetings/{meeting.pk}/protocol/submit", {"version": 0}),
        ("post", f"/meetings/{meeting.pk}/protocol/correct", {"reason": "x"}),
        ("post", f"/meetings/{meeting.pk}/protocol/distribute", None),
    ]
    for method, url, data in writes:
        status = call(client, method, url, data).status_code
        expected = 409 if write == 200 and "version" in (data or {}) else write
        if write == 200 and url.endswith(("/submit", "/correct", "/distribute")):
            expected = 400  # incomplete decision; the draft is not signed yet
        if write == 200 and method == "delete":
            expected = 409
        assert status == expected, (method, url, status)
    assert Decision.objects.get().text != "x"


def test_sign_by_non_signatory_is_403(cast: Cast, meeting: Meeting) -> None:
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    add_decision(cast.secretary, protocol, first_item(meeting), lead=cast.police)
    protocol.refresh_from_db()
    secretary = cast.client(cast.secretary)
    call(
        secretary, "post", f"/meetings/{meeting.pk}/protocol/submit", {"version": protocol.version}
    )
    response = call(cast.client(cast.member), "post", f"/meetings/{meeting.pk}/protocol/sign")
    assert response.status_code == 403
    assert "Протокол подписывают" in response.json()["detail"]
    sign = f"/meetings/{meeting.pk}/protocol/sign"
    assert call(cast.client(cast.outsider), "post", sign).status_code == 404
    assert call(cast.client(None), "post", sign).status_code == 401
    assert not ProtocolSignature.objects.exists()


def test_restricted_decisions_hidden_from_observer(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    add_decision(cast.secretary, protocol, first_item(meeting), text="Открытое")
    add_decision(cast.secretary, protocol, first_item(meeting), text="Закрытое", restricted=True)
    out = call(cast.client(cast.observer), "get", f"/meetings/{meeting.pk}/protocol").json()
    assert [d["text"] for d in out["items"][0]["decisions"]] == ["Открытое"]
    assert out["items"][0]["hidden_decisions"] == 1
    restricted = Decision.objects.get(text="Закрытое")
    response = call(
        cast.client(cast.observer), "patch", f"/protocol/decisions/{restricted.pk}", {"version": 1}
    )
    assert response.status_code == 404
