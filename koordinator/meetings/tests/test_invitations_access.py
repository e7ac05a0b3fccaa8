"""Every invitation, attendance and calendar page and endpoint: anonymous → login (401 in the
API), outsider → 404, read-only → 403 on writes, the secretary may.

Read-only: the body's chair and member and the observer from the regional commission. A guest
invited to the meeting sees the meeting, but not the lists of who else was invited or came.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from koordinator.accounts.models import User
from koordinator.api.tests.helpers import call
from koordinator.conftest import Cast
from koordinator.core.models import AuditRecord
from koordinator.core.testing import factories as f
from koordinator.meetings.models import Attendance, Invitee, Meeting


@pytest.fixture
def invitee(cast: Cast, meeting: Meeting) -> Invitee:
    return Invitee.objects.create(
        meeting=meeting, person=f.PersonFactory.create(), position="прокурор города"
    )


@pytest.fixture
def guest(invitee: Invitee) -> User:
    """A user who is only an invitee of the meeting."""
    return f.UserFactory.create(username="guest", person=invitee.person)


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[Meeting, Invitee], str]
    writes: bool
    data: Callable[[Cast], dict[str, Any]] = lambda c: {}


def m_url(name: str) -> Callable[[Meeting, Invitee], str]:
    return lambda m, i: reverse(name, args=[m.pk])


def i_url(name: str) -> Callable[[Meeting, Invitee], str]:
    return lambda m, i: reverse(name, args=[m.pk, i.pk])


PAGES = [
    Page("invitations", m_url("meetings:invitations"), writes=False),
    Page("attendance", m_url("meetings:attendance"), writes=False),
    Page("invitations_send", m_url("meetings:invitations_send"), writes=True),
    Page(
        "invitation_record",
        m_url("meetings:invitation_record"),
        writes=True,
        data=lambda c: {"person": c.member.person_id, "response": "attend"},
    ),
    Page(
        "invitee_add",
        m_url("meetings:invitee_add"),
        writes=True,
        data=lambda c: {"last_name": "Новиков", "first_name": "Ной"},
    ),
    Page("invitee_remove", i_url("meetings:invitee_remove"), writes=True),
    Page("invitee_attended", i_url("meetings:invitee_attended"), writes=True),
    Page("attendance_from_replies", m_url("meetings:attendance_from_replies"), writes=True),
    Page(
        "attendance_mark",
        m_url("meetings:attendance_mark"),
        writes=True,
        data=lambda c: {"membership": c.member_membership.pk, "status": "present"},
    ),
]
IDS = [p.name for p in PAGES]


def request(cast: Cast, user: User | None, page: Page, meeting: Meeting, invitee: Invitee) -> Any:
    client = cast.client(user)
    url = page.url(meeting, invitee)
    return client.post(url, page.data(cast)) if page.writes else client.get(url)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_anonymous_is_sent_to_login(
    cast: Cast, meeting: Meeting, invitee: Invitee, page: Page
) -> None:
    response = request(cast, None, page, meeting, invitee)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", PAGES, ids=IDS)
@pytest.mark.parametrize("who", ["outsider", "executor"])
def test_people_outside_get_404(
    cast: Cast, meeting: Meeting, invitee: Invitee, page: Page, who: str
) -> None:
    assert request(cast, getattr(cast, who), page, meeting, invitee).status_code == 404


@pytest.mark.parametrize("page", PAGES, ids=IDS)
@pytest.mark.parametrize("who", ["chair", "member", "observer"])
def test_read_only_users_read_but_get_403_on_writes(
    cast: Cast, meeting: Meeting, invitee: Invitee, page: Page, who: str
) -> None:
    response = request(cast, getattr(cast, who), page, meeting, invitee)
    assert response.status_code == (403 if page.writes else 200)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_a_guest_gets_403(
    cast: Cast, meeting: Meeting, invitee: Invitee, guest: User, page: Page
) -> None:
    assert request(cast, guest, page, meeting, invitee).status_code == 403


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_secretary_may(cast: Cast, meeting: Meeting, invitee: Invitee, page: Page) -> None:
    response = request(cast, cast.secretary, page, meeting, invitee)
    assert response.status_code == (302 if page.writes else 200)


def test_nothing_written_by_read_only_users(cast: Cast, meeting: Meeting, invitee: Invitee) -> None:
    before = AuditRecord.objects.count()
    for page in PAGES:
        if page.writes:
            request(cast, cast.member, page, meeting, invitee)
    assert AuditRecord.objects.count() == before
    assert not Attendance.objects.exists() and Invitee.objects.count() == 1


# --- API -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: Callable[[Meeting, Invitee], str]
    payload: Callable[[Cast], dict[str, Any]] | None = None
    ok: int = 200

    @property
    def writes(self) -> bool:
        return self.method != "get"


ENDPOINTS = [
    Endpoint("invitees", "get", lambda m, i: f"/meetings/{m.pk}/invitees"),
    Endpoint(
        "invitee_add",
        "post",
        lambda m, i: f"/meetings/{m.pk}/invitees",
        lambda c: {"last_name": "Новиков", "first_name": "Ной", "organization_id": c.police.pk},
        201,
    ),
    Endpoint("invitee_delete", "delete", lambda m, i: f"/meetings/{m.pk}/invitees/{i.pk}", ok=204),
    Endpoint("send", "post", lambda m, i: f"/meetings/{m.pk}/invitations/send", lambda c: {}),
    Endpoint("invitations", "get", lambda m, i: f"/meetings/{m.pk}/invitations"),
    Endpoint(
        "reply",
        "post",
        lambda m, i: f"/meetings/{m.pk}/invitations/reply",
        lambda c: {"person_id": c.member.person_id, "response": "absent", "reason": "отпуск"},
    ),
    Endpoint("attendance", "get", lambda m, i: f"/meetings/{m.pk}/attendance"),
    Endpoint(
        "mark",
        "post",
        lambda m, i: f"/meetings/{m.pk}/attendance",
        lambda c: {"membership_id": c.member_membership.pk, "status": "present"},
    ),
    Endpoint("quorum", "get", lambda m, i: f"/meetings/{m.pk}/quorum"),
]
API_IDS = [e.name for e in ENDPOINTS]


def api(cast: Cast, user: User | None, e: Endpoint, meeting: Meeting, invitee: Invitee) -> Any:
    payload = e.payload(cast) if e.payload else None
    return call(cast.client(user), e.method, e.path(meeting, invitee), payload)


@pytest.mark.parametrize("e", ENDPOINTS, ids=API_IDS)
def test_api_anonymous_401(cast: Cast, meeting: Meeting, invitee: Invitee, e: Endpoint) -> None:
    assert api(cast, None, e, meeting, invitee).status_code == 401


@pytest.mark.parametrize("e", ENDPOINTS, ids=API_IDS)
def test_api_outsider_404(cast: Cast, meeting: Meeting, invitee: Invitee, e: Endpoint) -> None:
    assert api(cast, cast.outsider, e, meeting, invitee).status_code == 404


@pytest.mark.parametrize("e", ENDPOINTS, ids=API_IDS)
@pytest.mark.parametrize("who", ["chair", "member", "observer"])
def test_api_read_only(
    cast: Cast, meeting: Meeting, invitee: Invitee, e: Endpoint, who: str
) -> None:
    response = api(cast, getattr(cast, who), e, meeting, invitee)
    assert response.status_code == (403 if e.writes else 200)


@pytest.mark.parametrize("e", ENDPOINTS, ids=API_IDS)
def test_api_secretary(cast: Cast, meeting: Meeting, invitee: Invitee, e: Endpoint) -> None:
    response = api(cast, cast.secretary, e, meeting, invitee)
    assert response.status_code == e.ok, response.content


def test_api_flow(cast: Cast, meeting: Meeting, invitee: Invitee) -> None:
    client = cast.client(cast.secretary)
    path = f"/meetings/{meeting.pk}"
    sent = call(client, "post", f"{path}/invitations/send", {}).json()
    assert sent["status"] == "announced" and sent["sent"] == []
    assert len(sent["without_email"]) == 4
    rows = call(client, "get", f"{path}/invitations").json()
    assert {r["kind"] for r in rows} == {"member", "invitee"} and len(rows) == 4
    reply = call(
        client,
        "post",
        f"{path}/invitations/reply",
        {"person_id": cast.member.person_id, "response": "substitute"},
    )
    assert reply.status_code == 400
    assert reply.json()["errors"]["substitute_name"] == ["Укажите, кто будет вас замещать."]
    reply = call(
        client,
        "post",
        f"{path}/invitations/reply",
        {
            "person_id": cast.member.person_id,
            "response": "substitute",
            "substitute_name": "Зам З.З.",
        },
    )
    assert reply.json()["response"] == "substitute"
    rows = call(client, "get", f"{path}/attendance").json()
    member = next(r for r in rows if r["membership_id"] == cast.member_membership.pk)
    assert member["marked"] is False and member["status"] == "substitute"
    foreign = f.add_member(cast.other_body)
    bad = call(
        client, "post", f"{path}/attendance", {"membership_id": foreign.pk, "status": "present"}
    )
    assert bad.status_code == 400 and "не входит в состав" in bad.json()["detail"]
    for m in (cast.chair_membership, cast.member_membership):
        ok = call(
            client, "post", f"{path}/attendance", {"membership_id": m.pk, "status": "present"}
        )
        assert ok.json()["status"] == "present"
    quorum = call(client, "get", f"{path}/quorum").json()
    assert quorum["can_adopt"] is True
    assert quorum["bodies"][0]["text"].startswith("Кворум имеется: присутствуют 2 из 3")
    bad = call(client, "post", f"{path}/attendance", {"membership_id": 1, "status": "maybe"})
    assert bad.status_code == 422
