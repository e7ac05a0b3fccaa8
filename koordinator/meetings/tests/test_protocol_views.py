"""The protocol editor pages: access for the cast, htmx partials, the keyboard flow, refusals
that keep what was typed, the live deadline preview, and a flat query count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koordinator.accounts.models import User
from koordinator.conftest import Cast
from koordinator.meetings import services_protocol as svc
from koordinator.meetings.forms_protocol import CorrectionForm
from koordinator.meetings.models import Decision, Meeting, Protocol, ProtocolSignature
from koordinator.meetings.tests.protocol_helpers import (
    add_decision,
    first_item,
    second_item,
    sign_all,
    start,
    submit,
    with_quorum,
)

HTMX = {"HX-Request": "true"}


def test_secretary_opens_editor_and_protocol_is_created(cast: Cast, meeting: Meeting) -> None:
    response = cast.client(cast.secretary).get(reverse("meetings:protocol", args=[meeting.pk]))
    assert response.status_code == 200
    assert Protocol.objects.filter(meeting=meeting).exists()
    page = response.content.decode()
    assert "СЛУШАЛИ" in page and "ВЫСТУПИЛИ" in page and "РЕШИЛИ" in page
    assert "js/protocol.js" in page and 'accesskey="n"' in page


def test_member_sees_read_only_and_does_not_start_the_protocol(
    cast: Cast, meeting: Meeting
) -> None:
    client = cast.client(cast.member)
    response = client.get(reverse("meetings:protocol", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Протокол ещё не начат" in response.content.decode()
    assert not Protocol.objects.exists()
    protocol = start(cast, meeting)
    add_decision(cast.secretary, protocol, first_item(meeting), text="Видимое решение")
    page = client.get(reverse("meetings:protocol", args=[meeting.pk])).content.decode()
    assert "Видимое решение" in page and "decision-form" not in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("outsider", 404), ("executor", 404), ("observer", 200), ("member", 200)],
)
def test_editor_page_access(cast: Cast, meeting: Meeting, who: str, status: int) -> None:
    start(cast, meeting)
    user = None if who == "anonymous" else getattr(cast, who)
    response = cast.client(user).get(reverse("meetings:protocol", args=[meeting.pk]))
    assert response.status_code == status


def _write_urls(cast: Cast, meeting: Meeting) -> list[tuple[str, dict[str, Any]]]:
    protocol = start(cast, meeting)
    item = first_item(meeting)
    decision = add_decision(cast.secretary, protocol, item)
    speech = svc.speech_add(
        actor=cast.secretary,
        protocol=protocol,
        version=protocol.version,
        item=item,
        speaker="Иванов И.И.",
    )
    protocol.refresh_from_db()
    v: dict[str, Any] = {"version": protocol.version}
    return [
        (reverse("meetings:protocol_settings", args=[meeting.pk]), {**v, "form": "short"}),
        (reverse("meetings:protocol_item", args=[item.pk]), {**v, "heard_summary": "x"}),
        (reverse("meetings:protocol_speech_add", args=[item.pk]), {**v, "speaker": "Петров"}),
        (reverse("meetings:protocol_speech", args=[speech.pk]), {**v, "speaker": "Петров"}),
        (reverse("meetings:protocol_speech_move", args=[speech.pk]), {**v, "direction": "up"}),
        (reverse("meetings:protocol_speech_delete", args=[speech.pk]), v),
        (reverse("meetings:protocol_decision_add", args=[item.pk]), v),
        (reverse("meetings:protocol_decision", args=[decision.pk]), {**v, "text": "x"}),
        (reverse("meetings:protocol_decision_move", args=[decision.pk]), {**v, "direction": "up"}),
        (reverse("meetings:protocol_decision_delete", args=[decision.pk]), v),
        (reverse("meetings:protocol_deadline", args=[meeting.pk]), {"deadline_text": "срочно"}),
        (reverse("meetings:protocol_submit", args=[meeting.pk]), v),
        (reverse("meetings:protocol_correct", args=[meeting.pk]), {"reason": "x"}),
        (reverse("meetings:protocol_distribute", args=[meeting.pk]), {}),
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("outsider", 404), ("executor", 404), ("member", 403), ("observer", 403)],
)
def test_writes_are_refused_to_everyone_but_the_secretary(
    cast: Cast, meeting: Meeting, who: str, status: int
) -> None:
    urls = _write_urls(cast, meeting)
    user = None if who == "anonymous" else getattr(cast, who)
    client = cast.client(user)
    version = Protocol.objects.get(meeting=meeting).version
    for url, data in urls:
        response = client.post(url, data)
        assert response.status_code == status, url
        if status == 302:
            assert "/login" in response["Location"] or "accounts" in response["Location"]
    assert Protocol.objects.get(meeting=meeting).version == version


def test_secretary_writes_succeed(cast: Cast, meeting: Meeting) -> None:
    urls = _write_urls(cast, meeting)
    client = cast.client(cast.secretary)
    for url, data in urls[:11]:
        data = {**data, "version": Protocol.objects.get(meeting=meeting).version}
        response = client.post(url, data)
        assert response.status_code in (200, 302), (url, response.content.decode()[:500])


def test_sign_by_non_signatory_is_403_and_nothing_is_written(cast: Cast, meeting: Meeting) -> None:
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    add_decision(cast.secretary, protocol, first_item(meeting), lead=cast.police)
    submit(cast, protocol)
    url = reverse("meetings:protocol_sign", args=[meeting.pk])
    response = cast.client(cast.member).post(url)
    assert response.status_code == 403
    assert "Протокол подписывают: председательствующий" in response.content.decode()
    assert cast.client(cast.outsider).post(url).status_code == 404
    assert not ProtocolSignature.objects.exists()
    assert cast.client(cast.chair).post(url).status_code == 302
    assert ProtocolSignature.objects.filter(role="presiding").count() == 1


def test_submit_refusal_is_shown_with_the_decision_code(cast: Cast, meeting: Meeting) -> None:
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    add_decision(cast.secretary, protocol, first_item(meeting), lead=None)
    protocol.refresh_from_db()
    client = cast.client(cast.secretary)
    response = client.post(
        reverse("meetings:protocol_submit", args=[meeting.pk]),
        {"version": protocol.version},
        follow=True,
    )
    assert "Решение 1.1: не указан ответственный исполнитель." in response.content.decode()
    protocol.refresh_from_db()
    assert protocol.status == "draft"


def _decision_post(protocol: Protocol, **fields: object) -> dict[str, object]:
    return {"version": protocol.version, "text": "Текст", "deadline_text": "", **fields}


def test_htmx_decision_save_returns_the_decision_and_the_new_version(
    cast: Cast, meeting: Meeting
) -> None:
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting))
    protocol.refresh_from_db()
    response = cast.client(cast.secretary).post(
        reverse("meetings:protocol_decision", args=[decision.pk]),
        _decision_post(protocol, text="Новый текст", lead_executor=cast.police.pk),
        headers=HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert response["HX-Retarget"] == f"#decision-{decision.pk}"
    assert f'id="decision-{decision.pk}"' in body and "Новый текст" in body
    assert f'data-version="{protocol.version + 1}" hx-swap-oob="true"' in body
    decision.refresh_from_db()
    assert decision.lead_executor == cast.police


def test_ctrl_enter_saves_and_adds_the_next_decision_focused(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting))
    protocol.refresh_from_db()
    response = cast.client(cast.secretary).post(
        reverse("meetings:protocol_decision", args=[decision.pk]),
        _decision_post(protocol, next="1"),
        headers=HTMX,
    )
    assert response.status_code == 200
    new = Decision.objects.exclude(pk=decision.pk).get()
    assert new.code == "1.2"
    body = response.content.decode()
    assert response["HX-Retarget"] == f"#item-{decision.item_id}"
    assert f'id="d{new.pk}-text"' in body
    new_text = body.split(f'id="decision-{new.pk}"')[1].split("</textarea>")[0]
    assert "autofocus" in new_text


def test_add_decision_button_with_htmx_focuses_the_new_text(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    response = cast.client(cast.secretary).post(
        reverse("meetings:protocol_decision_add", args=[second_item(meeting).pk]),
        {"version": protocol.version},
        headers=HTMX,
    )
    new = Decision.objects.get()
    assert new.code == "2.1"
    assert "autofocus" in response.content.decode().split(f'id="decision-{new.pk}"')[1]


def test_stale_save_is_refused_with_409_and_the_typed_text_comes_back(
    cast: Cast, meeting: Meeting
) -> None:
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting), text="Исходный")
    protocol.refresh_from_db()
    opened = protocol.version
    other = cast.client(cast.secretary)
    other.post(
        reverse("meetings:protocol_decision", args=[decision.pk]),
        _decision_post(protocol, text="Чужая правка"),
    )
    response = cast.client(cast.secretary).post(
        reverse("meetings:protocol_decision", args=[decision.pk]),
        {"version": opened, "text": "Мой длинный текст решения"},
        headers=HTMX,
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Протокол уже изменил другой пользователь" in body
    assert "Мой длинный текст решения" in body
    assert "Сейчас в протоколе: «Чужая правка»" in body
    decision.refresh_from_db()
    assert decision.text == "Чужая правка"


def test_unreadable_deadline_in_the_form_shows_the_reason(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting))
    protocol.refresh_from_db()
    response = cast.client(cast.secretary).post(
        reverse("meetings:protocol_decision", args=[decision.pk]),
        _decision_post(protocol, text="Мой текст", deadline_text="к Новому году примерно"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Не удалось распознать срок" in body and "Мой текст" in body
    decision.refresh_from_db()
    assert decision.text != "Мой текст"


def test_deadline_preview(cast: Cast, meeting: Meeting) -> None:
    start(cast, meeting)
    client = cast.client(cast.secretary)
    url = reverse("meetings:protocol_deadline", args=[meeting.pk])
    ok = client.post(url, {"deadline_text": "до 1 декабря 2026 г."}, headers=HTMX).content.decode()
    assert "01.12.2026" in ok and 'class="ok"' in ok
    bad = client.post(url, {"deadline_text": "когда-нибудь"}, headers=HTMX).content.decode()
    assert "Не удалось распознать срок" in bad and 'class="error"' in bad
    monthly = client.post(url, {"deadline_text": "ежемесячно"}, headers=HTMX).content.decode()
    assert monthly.count(".2026") >= 4  # the first due dates of the recurrence


def test_move_to_other_item_re_renders_all_items(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting))
    protocol.refresh_from_db()
    response = cast.client(cast.secretary).post(
        reverse("meetings:protocol_decision_move", args=[decision.pk]),
        {"version": protocol.version, "to_item": second_item(meeting).pk},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#protocol-items"
    decision.refresh_from_db()
    assert decision.code == "2.1"


def test_signed_protocol_page_is_read_only_with_correction(cast: Cast, meeting: Meeting) -> None:
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting), lead=cast.police)
    sign_all(cast, submit(cast, protocol))
    client = cast.client(cast.secretary)
    page = client.get(reverse("meetings:protocol", args=[meeting.pk])).content.decode()
    assert "decision-form" not in page and "Исправить (новая редакция)" in page
    assert "№ 1" in page
    # The reason's field is written out in the template: it says what CorrectionForm says.
    reason = CorrectionForm.base_fields["reason"]
    assert isinstance(reason, forms.CharField)
    assert f'<label for="id_reason">{reason.label}</label>' in page
    assert f'maxlength="{reason.max_length}" required' in page
    assert f'placeholder="{reason.widget.attrs["placeholder"]}"' in page
    protocol.refresh_from_db()
    response = client.post(
        reverse("meetings:protocol_decision", args=[decision.pk]),
        _decision_post(protocol, text="Правка"),
    )
    assert response.status_code == 400
    decision.refresh_from_db()
    assert decision.text != "Правка"
    # The same from the editor's htmx form: every item as it now reads replaces the list.
    response = client.post(
        reverse("meetings:protocol_decision", args=[decision.pk]),
        _decision_post(protocol, text="Правка"),
        headers=HTMX,
    )
    assert response.status_code == 400 and response["HX-Retarget"] == "#protocol-items"
    assert "decision-form" not in response.content.decode()
    assert f'id="decision-{decision.pk}"' in response.content.decode()
    client.post(reverse("meetings:protocol_correct", args=[meeting.pk]), {"reason": "Опечатка"})
    page = client.get(reverse("meetings:protocol", args=[meeting.pk])).content.decode()
    assert "decision-form" in page and "Опечатка" in page and "История редакций" in page
    assert "Текст редакции 1" in page and "1.1. Обеспечить проведение" in page


def test_restricted_parts_are_hidden_from_non_insiders(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    add_decision(cast.secretary, protocol, first_item(meeting), text="Открытое решение")
    add_decision(
        cast.secretary, protocol, first_item(meeting), text="Закрытое решение", restricted=True
    )
    restricted_item = second_item(meeting)
    restricted_item.restricted = True
    restricted_item.save()
    url = reverse("meetings:protocol", args=[meeting.pk])
    observer_page = cast.client(cast.observer).get(url).content.decode()
    assert "Открытое решение" in observer_page
    assert "Закрытое решение" not in observer_page and restricted_item.title not in observer_page
    member_page = cast.client(cast.member).get(url).content.decode()
    assert "Закрытое решение" in member_page and restricted_item.title in member_page
    protocol.refresh_from_db()
    svc.protocol_update(
        actor=cast.secretary, protocol=protocol, version=protocol.version, restricted=True
    )
    observer_page = cast.client(cast.observer).get(url).content.decode()
    assert "Открытое решение" not in observer_page and "Для служебного пользования" in observer_page


def _count(fetch: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fetch()
    return len(ctx.captured_queries)


def test_editor_query_count_is_flat(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    client: Client = cast.client(cast.secretary)
    url = reverse("meetings:protocol", args=[meeting.pk])

    def grow(n: int) -> None:
        for item in (first_item(meeting), second_item(meeting)):
            for _ in range(n):
                add_decision(cast.secretary, protocol, item, lead=cast.police, co=(cast.police,))
                protocol.refresh_from_db()
                svc.speech_add(
                    actor=cast.secretary,
                    protocol=protocol,
                    version=protocol.version,
                    item=item,
                    person=cast.member.person,
                )

    grow(2)
    client.get(url)
    small = _count(lambda: client.get(url))
    grow(4)
    assert _count(lambda: client.get(url)) == small
    assert small <= 30
    member: User = cast.member
    member_client = cast.client(member)
    member_client.get(url)
    reading = _count(lambda: member_client.get(url))
    grow(2)
    assert _count(lambda: member_client.get(url)) == reading


def test_the_protocol_reads_as_written_for_those_who_do_not_edit_it(
    cast: Cast, meeting: Meeting
) -> None:
    """The items as read (the row template): rapporteurs, СЛУШАЛИ, ВЫСТУПИЛИ, decisions with
    executors, deadline, votes and dissent; a restricted decision left out for an observer."""
    from html import unescape

    from koordinator.documents.tests.builders import build_protocol

    built = build_protocol(cast, meeting)
    Decision.objects.filter(item__meeting=meeting, order=2).update(restricted=True)
    url = reverse("meetings:protocol", args=[meeting.pk])
    page = unescape(cast.client(cast.member).get(url).content.decode())
    assert "decision-form" not in page
    for text in (
        f"Докладчик: {built.rapporteur.initials_surname}, начальник отдела УМВД",
        "— О состоянии правопорядка в среде мигрантов за 2025 год",
        "— Предложил усилить профилактику</p>",
        "<p>Гостев Г.Г.</p>",
        "1.1.</span> Информацию докладчика принять к сведению",
        "Ответственный исполнитель: УМВД России по городу Энску; соисполнители: Управление "
        "культуры администрации города Энска · Срок: до 1 декабря 2026 г. · Голосовали: за — 5, "
        "против — 1, воздержались — 0",
        "Особое мнение: Член группы считает срок нереальным",
        f"{built.culture} — текст доклада прилагается",
        "· Срок: 30.06.2026",
        "Выступлений нет.",
    ):
        assert text in page, text
    observer = unescape(cast.client(cast.observer).get(url).content.decode())
    assert "Решений с пометкой ДСП, скрытых от вас: 1." in observer
    assert "Особое мнение" not in observer and "1.1.</span> Информацию" in observer
