"""Every body and organisation page: anonymous → login, outsider → 404, read-only → 403.

The outsider is the secretary of an unrelated body; the read-only users are the body's chair,
member and the observer from the regional commission (who see the body but may not change it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from koordinator.conftest import Cast


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[Cast], str]
    changes: bool  # a page that changes the body (secretary only)
    history: bool = False  # the history pages (secretary and chair)


def body_url(name: str) -> Callable[[Cast], str]:
    return lambda c: reverse(name, args=[c.body.pk])


def membership_url(name: str) -> Callable[[Cast], str]:
    return lambda c: reverse(name, args=[c.member_membership.pk])


BODY_PAGES = [
    Page("detail", body_url("bodies:detail"), changes=False),
    Page("composition_docx", body_url("bodies:composition_docx"), changes=False),
    Page("settings", body_url("bodies:settings"), changes=True),
    Page("membership_add", body_url("bodies:membership_add"), changes=True),
    Page("composition_import", body_url("bodies:composition_import"), changes=True),
    Page("membership_edit", membership_url("bodies:membership_edit"), changes=True),
    Page("history", body_url("bodies:history"), changes=False, history=True),
    Page("history_csv", body_url("bodies:history_csv"), changes=False, history=True),
]
IDS = [p.name for p in BODY_PAGES]


@pytest.mark.parametrize("page", BODY_PAGES, ids=IDS)
def test_anonymous_is_sent_to_login(cast: Cast, page: Page) -> None:
    response = cast.client(None).get(page.url(cast))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", BODY_PAGES, ids=IDS)
@pytest.mark.parametrize("who", ["outsider", "executor"])
def test_people_outside_the_body_get_404(cast: Cast, page: Page, who: str) -> None:
    response = cast.client(getattr(cast, who)).get(page.url(cast))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "page", [p for p in BODY_PAGES if p.changes or p.history], ids=lambda p: p.name
)
@pytest.mark.parametrize("who", ["member", "observer"])
def test_read_only_users_get_403(cast: Cast, page: Page, who: str) -> None:
    client = cast.client(getattr(cast, who))
    assert client.get(page.url(cast)).status_code == 403
    if page.changes:
        assert client.post(page.url(cast), {}).status_code == 403


@pytest.mark.parametrize("page", [p for p in BODY_PAGES if p.changes], ids=lambda p: p.name)
def test_chair_may_not_change_composition(cast: Cast, page: Page) -> None:
    assert cast.client(cast.chair).post(page.url(cast), {}).status_code == 403


@pytest.mark.parametrize("page", BODY_PAGES, ids=IDS)
def test_secretary_opens_every_page(cast: Cast, page: Page) -> None:
    assert cast.client(cast.secretary).get(page.url(cast)).status_code == 200


@pytest.mark.parametrize("who", ["member", "observer", "chair"])
def test_read_only_users_see_the_body(cast: Cast, who: str) -> None:
    response = cast.client(getattr(cast, who)).get(reverse("bodies:detail", args=[cast.body.pk]))
    assert response.status_code == 200
    assert "Включить в состав" not in response.content.decode()


def test_membership_end_is_post_only_and_guarded(cast: Cast) -> None:
    url = reverse("bodies:membership_end", args=[cast.member_membership.pk])
    data = {"ends_on": "2026-06-30", "ground": "распоряжение № 1"}
    assert cast.client(cast.outsider).post(url, data).status_code == 404
    assert cast.client(cast.member).post(url, data).status_code == 403
    assert cast.client(cast.secretary).get(url).status_code == 405
    assert cast.client(cast.secretary).post(url, data).status_code == 302


def test_body_list_shows_only_visible_bodies(cast: Cast) -> None:
    content = cast.client(cast.outsider).get(reverse("bodies:list")).content.decode()
    assert cast.other_body.short_name in content
    assert cast.body.short_name not in content
    observer = cast.client(cast.observer).get(reverse("bodies:list")).content.decode()
    assert cast.body.short_name in observer
    assert cast.region_body.short_name in observer


# --- organisations: a shared directory, kept by the apparatus --------------------------------


def test_organisation_pages_read_by_everyone_signed_in(cast: Cast) -> None:
    for who in (cast.member, cast.executor, cast.outsider):
        client = cast.client(who)
        assert client.get(reverse("bodies:organizations")).status_code == 200
        assert client.get(reverse("bodies:organization", args=[cast.police.pk])).status_code == 200
    anonymous = cast.client(None).get(reverse("bodies:organizations"))
    assert anonymous.status_code == 302


@pytest.mark.parametrize("who", ["member", "executor", "chair", "observer"])
def test_organisation_edit_is_for_secretaries(cast: Cast, who: str) -> None:
    client = cast.client(getattr(cast, who))
    assert client.get(reverse("bodies:organization_new")).status_code == 403
    edit = reverse("bodies:organization_edit", args=[cast.police.pk])
    assert client.post(edit, {"name": "x"}).status_code == 403


def test_organisation_missing_is_404(cast: Cast) -> None:
    assert cast.client(cast.secretary).get("/organizations/999999/").status_code == 404


def test_admin_is_for_superusers_only(cast: Cast) -> None:
    cast.secretary.is_staff = True
    cast.secretary.save(update_fields=["is_staff"])
    response = cast.client(cast.secretary).get("/admin/")
    assert response.status_code == 302  # to the admin login: staff is not enough
