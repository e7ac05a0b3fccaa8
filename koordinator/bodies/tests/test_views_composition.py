"""The secretary's composition pages: add, edit, end, settings, history and its CSV."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from koordinator.bodies.models import Membership, Person
from koordinator.conftest import Cast
from koordinator.core.models import AuditRecord


def add_data(cast: Cast, **over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "last_name": "Сидорова",
        "first_name": "Анна",
        "patronymic": "Павловна",
        "gender": "female",
        "email": "",
        "organization": cast.police.pk,
        "post_title": "начальник управления по вопросам миграции",
        "roles": ["member"],
        "starts_on": "2026-03-01",
        "ends_on": "",
        "ground": "распоряжение от 01.03.2026 № 45-р",
    }
    data.update(over)
    return data


def test_secretary_adds_a_member(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    response = client.post(reverse("bodies:membership_add", args=[cast.body.pk]), add_data(cast))
    assert response.status_code == 302
    membership = Membership.objects.get(person__last_name="Сидорова")
    assert membership.post.body == cast.body
    assert membership.roles == ["member"]
    record = AuditRecord.objects.get(action="membership.add", target_id=str(membership.pk))
    assert record.actor == cast.secretary
    assert record.body == cast.body
    assert record.ground == "распоряжение от 01.03.2026 № 45-р"
    page = client.get(reverse("bodies:detail", args=[cast.body.pk]) + "?on=2026-03-02")
    assert "Сидорова Анна Павловна" in page.content.decode()


def test_a_second_chair_is_refused_and_nothing_written(cast: Cast) -> None:
    people, memberships, audit = (
        Person.objects.count(),
        Membership.objects.count(),
        AuditRecord.objects.count(),
    )
    response = cast.client(cast.secretary).post(
        reverse("bodies:membership_add", args=[cast.body.pk]), add_data(cast, roles=["chair"])
    )
    assert response.status_code == 200
    assert "Председатель уже назначен" in response.content.decode()
    assert (Person.objects.count(), Membership.objects.count(), AuditRecord.objects.count()) == (
        people,
        memberships,
        audit,
    )


def test_end_before_start_is_refused(cast: Cast) -> None:
    response = cast.client(cast.secretary).post(
        reverse("bodies:membership_add", args=[cast.body.pk]),
        add_data(cast, starts_on="2026-03-01", ends_on="2026-02-01"),
    )
    assert "не может быть раньше даты начала" in response.content.decode()
    assert not Membership.objects.filter(person__last_name="Сидорова").exists()


def test_duplicate_member_is_refused(cast: Cast) -> None:
    person = cast.member_membership.person
    response = cast.client(cast.secretary).post(
        reverse("bodies:membership_add", args=[cast.body.pk]),
        add_data(
            cast,
            last_name=person.last_name,
            first_name=person.first_name,
            patronymic=person.patronymic,
            post_title="другая должность",
        ),
    )
    assert "уже входит в состав" in response.content.decode()


def test_secretary_edits_and_ends_a_membership(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    pk = cast.member_membership.pk
    response = client.post(
        reverse("bodies:membership_edit", args=[pk]),
        {
            "roles": ["deputy_chair", "member"],
            "starts_on": "2026-01-01",
            "ends_on": "",
            "ground": "распоряжение № 7",
            "by_agreement": "on",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(pk=pk)
    assert membership.roles == ["deputy_chair", "member"]
    assert membership.by_agreement
    response = client.post(
        reverse("bodies:membership_end", args=[pk]),
        {"ends_on": "2026-05-31", "ground": "распоряжение № 8"},
    )
    assert response.status_code == 302
    assert str(Membership.objects.get(pk=pk).ends_on) == "2026-05-31"
    url = reverse("bodies:detail", args=[cast.body.pk])
    after = client.get(url + "?on=2026-06-01", HTTP_HX_REQUEST="true")
    assert cast.member_membership.person.full_name not in after.content.decode()
    before = client.get(url + "?on=2026-05-31", HTTP_HX_REQUEST="true")
    assert cast.member_membership.person.full_name in before.content.decode()


def test_composition_date_switch_returns_a_partial_for_htmx(cast: Cast) -> None:
    response = cast.client(cast.member).get(
        reverse("bodies:detail", args=[cast.body.pk]) + "?on=2025-12-31", HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="composition"')
    assert "никого нет" in content  # the cast joined on 01.01.2026


def test_bad_date_falls_back_to_today_with_a_message(cast: Cast) -> None:
    response = cast.client(cast.member).get(
        reverse("bodies:detail", args=[cast.body.pk]) + "?on=31.02.2026"
    )
    assert response.status_code == 200
    assert "не распознана" in response.content.decode()


def test_settings_change_is_audited_with_ground(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    url = reverse("bodies:settings", args=[cast.body.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        quorum_rule="two_thirds", protocol_signatories="presiding", ground="новое положение"
    )
    data = {k: v for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    cast.body.refresh_from_db()
    assert cast.body.quorum_rule == "two_thirds"
    record = AuditRecord.objects.get(action="body.update", body=cast.body)
    assert (record.before or {})["quorum_rule"] == "more_than_half"
    assert (record.after or {})["quorum_rule"] == "two_thirds"
    assert record.ground == "новое положение"


def test_history_page_and_csv(cast: Cast) -> None:
    client = cast.client(cast.chair)
    page = client.get(reverse("bodies:history", args=[cast.body.pk])).content.decode()
    assert "включение в состав" in page
    response = client.get(reverse("bodies:history_csv", args=[cast.body.pk]))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Дата и время"
    assert len(rows) - 1 == AuditRecord.objects.filter(body=cast.body).count()


def test_history_names_people_and_roles_instead_of_codes(cast: Cast) -> None:
    page = cast.client(cast.secretary).get(reverse("bodies:history", args=[cast.body.pk]))
    content = page.content.decode()
    assert cast.member_membership.person.full_name in content  # the person's name, not an id
    assert "председатель" in content
    assert "роли</b>: chair" not in content
