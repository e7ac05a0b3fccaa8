"""The agenda: items «О/Об …», order, rapporteurs, materials with their due date and the list of
who has not sent them, the chair's approval (withdrawn by any change), the standing control
item, and restricted (ДСП) items hidden from everyone outside the bodies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koordinator.accounts.models import User
from koordinator.api.tests.helpers import audit_count, call, last_audit
from koordinator.conftest import Cast
from koordinator.core.testing import factories as f
from koordinator.meetings import selectors, services_agenda
from koordinator.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Invitee,
    Material,
    Meeting,
    Rapporteur,
)
from koordinator.meetings.tests.agenda_helpers import OUTSIDERS, READ_ONLY, first, pdf

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def guest(meeting: Meeting) -> User:
    """An invited guest (not a member): sees the meeting, none of its restricted parts."""
    user = f.UserFactory.create(username="guest")
    assert user.person is not None
    Invitee.objects.create(meeting=meeting, person=user.person, position="прокурор города")
    return user


@pytest.fixture
def secret(meeting: Meeting) -> AgendaItem:
    item = services_agenda.item_add(
        actor=None,
        meeting=meeting,
        title="О мерах по антитеррористической защищённости",
        restricted=True,
    )
    services_agenda.material_upload(
        actor=None, item=item, file=SimpleUploadedFile("plan.pdf", b"%PDF secret")
    )
    return item


# --- access ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    url: Callable[[Meeting], str]
    data: dict[str, Any]
    leader: bool = False  # the chair's action (approve), not the secretary's


ACTIONS = [
    Action("item_add", lambda m: reverse("meetings:agenda_item_add", args=[m.pk]), {"title": "О вопросе"}),
    Action("control_add", lambda m: reverse("meetings:agenda_control_add", args=[m.pk]), {}),
    Action("item_edit", lambda m: reverse("meetings:agenda_item_edit", args=[first(m).pk]), {"title": "О другом"}),
    Action("item_move", lambda m: reverse("meetings:agenda_item_move", args=[first(m).pk]), {"direction": "down"}),
    Action("item_delete", lambda m: reverse("meetings:agenda_item_delete", args=[first(m).pk]), {}),
    Action("rapporteur_add", lambda m: reverse("meetings:rapporteur_add", args=[first(m).pk]), {"role": "rapporteur", "position": "x"}),
    Action("material_upload", lambda m: reverse("meetings:material_upload", args=[first(m).pk]), {}),
    Action("approve", lambda m: reverse("meetings:agenda_approve", args=[m.pk]), {}, leader=True),
]  # fmt: skip
IDS = [a.name for a in ACTIONS]


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_anonymous_is_sent_to_login(cast: Cast, meeting: Meeting, action: Action) -> None:
    response = cast.client(None).post(action.url(meeting), action.data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404(cast: Cast, meeting: Meeting, action: Action, who: str) -> None:
    before = audit_count()
    assert cast.client(getattr(cast, who)).post(action.url(meeting), action.data).status_code == 404
    assert audit_count() == before


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
@pytest.mark.parametrize("who", READ_ONLY)
def test_read_only_users_get_403(cast: Cast, meeting: Meeting, action: Action, who: str) -> None:
    if action.leader and who == "chair":
        return  # the chair approves: tested below
    before = audit_count()
    response = cast.client(getattr(cast, who)).post(action.url(meeting), action.data)
    assert response.status_code == 403
    assert audit_count() == before
    assert meeting.items.count() == 2


def test_secretary_may_not_approve_the_agenda(cast: Cast, meeting: Meeting) -> None:
    response = cast.client(cast.secretary).post(
        reverse("meetings:agenda_approve", args=[meeting.pk])
    )
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.agenda_approved_at is None


def test_secretary_opens_the_item_pages(cast: Cast, meeting: Meeting) -> None:
    client = cast.client(cast.secretary)
    assert client.get(reverse("meetings:agenda_item_add", args=[meeting.pk])).status_code == 200
    assert (
        client.get(reverse("meetings:agenda_item_edit", args=[first(meeting).pk])).status_code
        == 200
    )


# --- items and order ---------------------------------------------------------------------------


def test_secretary_adds_an_item_with_the_materials_due_date(cast: Cast, meeting: Meeting) -> None:
    before = audit_count()
    response = cast.client(cast.secretary).post(
        reverse("meetings:agenda_item_add", args=[meeting.pk]),
        {"title": "Об  итогах  работы", "duration_minutes": "15"},
    )
    assert response.status_code == 302
    item = meeting.items.get(number=3)
    assert item.title == "Об итогах работы"
    assert item.duration_minutes == 15
    # 10.03.2026 minus the body's 10 calendar days.
    assert item.materials_due_on == dt.date(2026, 2, 28)
    assert audit_count() == before + 1
    assert last_audit().action == "agenda.item_add"


@pytest.mark.parametrize("title", ["Профилактика правонарушений", "Обзор", "Оработе", ""])
def test_item_title_must_start_with_o(cast: Cast, meeting: Meeting, title: str) -> None:
    before = audit_count()
    response = cast.client(cast.secretary).post(
        reverse("meetings:agenda_item_add", args=[meeting.pk]), {"title": title}
    )
    assert response.status_code == 200
    assert meeting.items.count() == 2
    assert audit_count() == before
    if title:
        assert "начинается с «О », «Об » или «Обо »" in response.content.decode()


def test_obo_is_accepted(meeting: Meeting) -> None:
    item = services_agenda.item_add(actor=None, meeting=meeting, title="Обо всём по порядку")
    assert item.number == 3


def test_move_renumbers_all_items(cast: Cast, meeting: Meeting) -> None:
    third = services_agenda.item_add(actor=None, meeting=meeting, title="О третьем")
    client = cast.client(cast.secretary)
    client.post(reverse("meetings:agenda_item_move", args=[third.pk]), {"direction": "up"})
    client.post(reverse("meetings:agenda_item_move", args=[third.pk]), {"direction": "up"})
    titles = list(meeting.items.order_by("number").values_list("number", "title"))
    assert titles == [
        (1, "О третьем"),
        (2, "О профилактике правонарушений в среде мигрантов"),
        (3, "Об информационно-разъяснительной работе с мигрантами"),
    ]
    # Moving the first one up changes nothing.
    client.post(reverse("meetings:agenda_item_move", args=[third.pk]), {"direction": "up"})
    assert meeting.items.get(pk=third.pk).number == 1


def test_move_by_htmx_returns_the_agenda_partial(cast: Cast, meeting: Meeting) -> None:
    response = cast.client(cast.secretary).post(
        reverse("meetings:agenda_item_move", args=[first(meeting).pk]),
        {"direction": "down"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith('<div id="agenda">')
    assert text.index("Об информационно") < text.index("О профилактике")


def test_delete_renumbers(cast: Cast, meeting: Meeting) -> None:
    cast.client(cast.secretary).post(
        reverse("meetings:agenda_item_delete", args=[first(meeting).pk])
    )
    assert list(meeting.items.values_list("number", "title")) == [
        (1, "Об информационно-разъяснительной работе с мигрантами")
    ]
    assert last_audit().action == "agenda.item_delete"


def test_control_item_is_added_once(cast: Cast, meeting: Meeting) -> None:
    client = cast.client(cast.secretary)
    client.post(reverse("meetings:agenda_control_add", args=[meeting.pk]))
    item = meeting.items.get(kind=AgendaItemKind.CONTROL)
    assert item.title == "О ходе исполнения решений, принятых на заседаниях МРГ мигранты"
    assert item.number == 3
    response = client.post(reverse("meetings:agenda_control_add", args=[meeting.pk]), follow=True)
    assert "уже есть в повестке" in response.content.decode()
    assert meeting.items.count() == 3


# --- rapporteurs -------------------------------------------------------------------------------


def test_rapporteur_from_the_composition_takes_post_and_agency(
    cast: Cast, meeting: Meeting
) -> None:
    response = cast.client(cast.secretary).post(
        reverse("meetings:rapporteur_add", args=[first(meeting).pk]),
        {"role": "rapporteur", "person": cast.member.person_id},
    )
    assert response.status_code == 302
    r = Rapporteur.objects.get()
    assert r.organization == cast.police
    assert r.position == cast.member_membership.post.title


def test_co_rapporteur_may_be_an_agency_or_an_invitee(
    cast: Cast, meeting: Meeting, guest: User
) -> None:
    item = first(meeting)
    services_agenda.rapporteur_add(
        actor=None, item=item, role="co_rapporteur", organization=cast.police
    )
    r = services_agenda.rapporteur_add(
        actor=None, item=item, role="co_rapporteur", person=guest.person
    )
    assert r.position == "прокурор города"
    assert item.rapporteurs.count() == 2


def test_rapporteur_outside_the_composition_is_refused(cast: Cast, meeting: Meeting) -> None:
    stranger = f.PersonFactory.create()
    response = cast.client(cast.secretary).post(
        reverse("meetings:rapporteur_add", args=[first(meeting).pk]),
        {"role": "rapporteur", "person": stranger.pk},
    )
    # The form only offers members and invitees.
    assert response.status_code == 400
    with pytest.raises(ValidationError, match="не входит в состав"):
        services_agenda.rapporteur_add(actor=None, item=first(meeting), person=stranger)
    with pytest.raises(ValidationError, match="Укажите докладчика"):
        services_agenda.rapporteur_add(actor=None, item=first(meeting))
    assert Rapporteur.objects.count() == 0


# --- approval --------------------------------------------------------------------------------


def test_chair_approves_and_a_change_withdraws_the_approval(cast: Cast, meeting: Meeting) -> None:
    chair = cast.client(cast.chair)
    assert chair.post(reverse("meetings:agenda_approve", args=[meeting.pk])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda_approved_by == cast.chair
    assert last_audit().action == "agenda.approve"

    response = cast.client(cast.secretary).post(
        reverse("meetings:agenda_item_edit", args=[first(meeting).pk]),
        {"title": "О профилактике правонарушений", "materials_due_on": "2026-03-01"},
        follow=True,
    )
    assert "утверждение снято" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.agenda_approved_at is None
    assert "agenda.approval_withdrawn" in [
        a.action for a in last_audit().__class__.objects.order_by("-id")[:3]
    ]


def test_empty_agenda_cannot_be_approved(cast: Cast) -> None:
    from koordinator.meetings.tests.conftest import make_meeting

    empty = make_meeting(cast.body)
    response = cast.client(cast.chair).post(
        reverse("meetings:agenda_approve", args=[empty.pk]), follow=True
    )
    assert "утверждать нечего" in response.content.decode()
    empty.refresh_from_db()
    assert empty.agenda_approved_at is None


# --- materials -------------------------------------------------------------------------------


def test_secretary_uploads_a_material(cast: Cast, meeting: Meeting, media: Path) -> None:
    client = cast.client(cast.secretary)
    response = client.post(
        reverse("meetings:material_upload", args=[first(meeting).pk]),
        {"file": pdf(), "title": "Справка УМВД", "organization": cast.police.pk},
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert (material.title, material.size, material.organization) == (
        "Справка УМВД",
        100,
        cast.police,
    )
    assert material.uploaded_by == cast.secretary
    assert Path(material.file.path).is_file()
    assert last_audit().action == "agenda.material_upload"
    download = cast.client(cast.member).get(
        reverse("meetings:material_download", args=[material.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%" * 100  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("script.exe", b"MZ"), "не принимаются"),
        (SimpleUploadedFile("noext", b"x"), "не принимаются"),
        (SimpleUploadedFile("big.pdf", b"%" * (1024 * 1024 + 1)), "больше допустимого"),
        (SimpleUploadedFile("empty.pdf", b""), "пуст"),
    ],
    ids=["exe", "no-extension", "too-big", "empty"],
)
def test_bad_files_are_refused(
    cast: Cast, meeting: Meeting, media: Path, upload: SimpleUploadedFile, message: str
) -> None:
    before = audit_count()
    response = cast.client(cast.secretary).post(
        reverse("meetings:material_upload", args=[first(meeting).pk]), {"file": upload}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Material.objects.count() == 0
    assert audit_count() == before
    assert not any(p.is_file() for p in media.rglob("*"))


def test_who_has_not_sent_materials(cast: Cast, meeting: Meeting) -> None:
    one, two = meeting.items.order_by("number")
    services_agenda.rapporteur_add(
        actor=None, item=one, organization=cast.police, position="начальник УМВД"
    )
    services_agenda.rapporteur_add(actor=None, item=two, person=cast.member.person)
    services_agenda.material_upload(actor=None, item=two, file=pdf())
    missing = selectors.missing_materials(
        selectors.agenda(meeting, cast.secretary), dt.date(2026, 3, 9)
    )
    assert [(m.item.pk, m.owers, m.overdue) for m in missing] == [
        (one.pk, ["начальник УМВД, УМВД"], False)
    ]
    page = cast.client(cast.secretary).get(reverse("meetings:detail", args=[meeting.pk]))
    assert "Кто не представил материалы" in page.content.decode()
    assert "начальник УМВД, УМВД" in page.content.decode()


# --- restricted items ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["observer", "guest"])
def test_restricted_items_are_invisible_outside_the_body(
    cast: Cast, meeting: Meeting, secret: AgendaItem, guest: User, who: str
) -> None:
    user = guest if who == "guest" else cast.observer
    client = cast.client(user)
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "О профилактике правонарушений" in text
    assert "антитеррористической" not in text
    assert "ДСП" not in text
    material = secret.materials.get()
    assert client.get(reverse("meetings:material_download", args=[material.pk])).status_code == 404
    data = call(client, "get", f"/meetings/{meeting.pk}").json()
    assert [i["title"] for i in data["agenda"]] == [
        "О профилактике правонарушений в среде мигрантов",
        "Об информационно-разъяснительной работе с мигрантами",
    ]
    assert call(client, "get", f"/agenda-items/{secret.pk}/materials").status_code == 404


def test_restricted_items_are_shown_to_members(
    cast: Cast, meeting: Meeting, secret: AgendaItem
) -> None:
    client = cast.client(cast.member)
    text = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "О мерах по антитеррористической защищённости" in text
    material = secret.materials.get()
    assert material.restricted  # a material of a restricted item is restricted too
    assert client.get(reverse("meetings:material_download", args=[material.pk])).status_code == 200


def test_restricted_material_of_an_open_item_is_hidden(cast: Cast, meeting: Meeting) -> None:
    services_agenda.material_upload(
        actor=None,
        item=first(meeting),
        file=pdf("секретно.pdf"),
        title="Секретная справка",
        restricted=True,
    )
    services_agenda.material_upload(
        actor=None, item=first(meeting), file=pdf(), title="Открытая справка"
    )
    text = (
        cast.client(cast.observer)
        .get(reverse("meetings:detail", args=[meeting.pk]))
        .content.decode()
    )
    assert "Открытая справка" in text
    assert "Секретная справка" not in text


def test_guest_cannot_open_a_restricted_item(
    cast: Cast, meeting: Meeting, secret: AgendaItem, guest: User
) -> None:
    client = cast.client(guest)
    assert client.get(reverse("meetings:agenda_item_edit", args=[secret.pk])).status_code == 404
    assert (
        client.get(reverse("meetings:agenda_item_edit", args=[first(meeting).pk])).status_code
        == 403
    )


def test_the_agenda_reads_its_rapporteurs_materials_and_actions(
    cast: Cast, meeting: Meeting
) -> None:
    """The agenda's rows (a Jinja2 row template): the rapporteur as «Докладчик: И.О. Фамилия,
    должность (ведомство)», the materials as links or «не представлены», the control item's
    list, and the secretary's buttons with their CSRF token (none for a member)."""
    item = first(meeting)
    cast.client(cast.secretary).post(
        reverse("meetings:rapporteur_add", args=[item.pk]),
        {"role": "rapporteur", "person": cast.member.person_id},
    )
    material = services_agenda.material_upload(
        actor=None, item=item, file=pdf(), title="Справка УМВД"
    )
    services_agenda.control_item_add(actor=cast.secretary, meeting=meeting)
    url = reverse("meetings:detail", args=[meeting.pk])
    page = cast.client(cast.secretary).get(url).content.decode()
    person = cast.member.person
    assert person is not None
    post = cast.member_membership.post.title
    assert f"Докладчик: {person.initials_surname}, {post} ({cast.police})" in page
    link = reverse("meetings:material_download", args=[material.pk])
    assert f'<a href="{link}">Справка УМВД</a>' in page
    assert '<span class="muted">не представлены</span>' in page  # item 2
    assert reverse("control:agenda_control", args=[meeting.pk]) in page
    assert page.count('name="csrfmiddlewaretoken"') >= 4 and "↓ ниже" in page and "↑ выше" in page
    member = cast.client(cast.member).get(url).content.decode()
    assert "↓ ниже" not in member and "Справка УМВД" in member
