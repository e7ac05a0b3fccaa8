"""The agenda through the API: 401 for the anonymous, 404 for outsiders, 403 for those who may
only read; the secretary builds the agenda and the chair approves it; the query count is flat."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from koordinator.api.tests.helpers import audit_count, call
from koordinator.conftest import Cast
from koordinator.meetings import services_agenda
from koordinator.meetings.models import Meeting
from koordinator.meetings.tests.agenda_helpers import OUTSIDERS, READ_ONLY, first, pdf

pytestmark = pytest.mark.usefixtures("media")


def _statuses(client: Any, meeting: Meeting, *names: str, **extra: Any) -> dict[str, int]:
    """The answer to each named request on the meeting's first item."""
    item = first(meeting)
    requests = {
        "add": ("post", f"/meetings/{meeting.pk}/items", {"title": "О вопросе"}),
        "control": ("post", f"/meetings/{meeting.pk}/items/control", None),
        "edit": ("patch", f"/agenda-items/{item.pk}", {"title": "О вопросе"}),
        "move": ("post", f"/agenda-items/{item.pk}/move", {"direction": "up"}),
        "delete": ("delete", f"/agenda-items/{item.pk}", None),
        "materials": ("get", f"/agenda-items/{item.pk}/materials", None),
        **extra,
    }
    return {name: call(client, *requests[name]).status_code for name in names}


def test_api_anonymous_gets_401(cast: Cast, meeting: Meeting) -> None:
    names = ("add", "edit", "move", "delete", "materials")
    assert _statuses(cast.client(None), meeting, *names) == dict.fromkeys(names, 401)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_api_outsiders_get_404(cast: Cast, meeting: Meeting, who: str) -> None:
    names = ("add", "edit", "delete", "materials")
    client = cast.client(getattr(cast, who))
    assert _statuses(client, meeting, *names) == dict.fromkeys(names, 404)


@pytest.mark.parametrize("who", READ_ONLY)
def test_api_read_only_gets_403(cast: Cast, meeting: Meeting, who: str) -> None:
    client = cast.client(getattr(cast, who))
    item = first(meeting)
    before = audit_count()
    rapporteur = (
        "post",
        f"/agenda-items/{item.pk}/rapporteurs",
        {"organization_id": cast.police.pk},
    )
    names = ("add", "control", "edit", "move", "delete", "rapporteur")
    assert _statuses(client, meeting, *names, rapporteur=rapporteur) == dict.fromkeys(names, 403)
    upload = client.post(f"/api/v1/agenda-items/{item.pk}/materials", {"file": pdf()})
    assert upload.status_code == 403
    assert _statuses(client, meeting, "materials") == {"materials": 200}
    if who != "chair":
        assert call(client, "post", f"/meetings/{meeting.pk}/agenda/approve").status_code == 403
    assert audit_count() == before


def test_api_secretary_builds_the_agenda_and_the_chair_approves(
    cast: Cast, meeting: Meeting
) -> None:
    client = cast.client(cast.secretary)
    response = call(
        client,
        "post",
        f"/meetings/{meeting.pk}/items",
        {"title": "О третьем", "duration_minutes": 10},
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert (item["number"], item["materials_due_on"]) == (3, "2026-02-28")
    response = call(
        client,
        "post",
        f"/agenda-items/{item['id']}/rapporteurs",
        {"role": "co_rapporteur", "organization_id": cast.police.pk, "position": "начальник"},
    )
    assert response.status_code == 201
    assert response.json()["rapporteurs"][0]["organization"]["id"] == cast.police.pk
    moved = call(client, "post", f"/agenda-items/{item['id']}/move", {"direction": "up"}).json()
    assert [i["title"] for i in moved][1] == "О третьем"
    response = call(client, "patch", f"/agenda-items/{item['id']}", {"title": "Третье"})
    assert response.status_code == 400
    assert "начинается с «О »" in response.json()["detail"]
    upload = client.post(
        f"/api/v1/agenda-items/{item['id']}/materials", {"file": pdf(), "title": "Справка"}
    )
    assert upload.status_code == 201, upload.content
    bad = client.post(
        f"/api/v1/agenda-items/{item['id']}/materials", {"file": SimpleUploadedFile("x.exe", b"MZ")}
    )
    assert bad.status_code == 400
    assert "не принимаются" in bad.json()["detail"]
    listed = call(client, "get", f"/agenda-items/{item['id']}/materials").json()
    assert [m["title"] for m in listed] == ["Справка"]
    assert call(client, "post", f"/meetings/{meeting.pk}/agenda/approve").status_code == 403
    approved = call(cast.client(cast.chair), "post", f"/meetings/{meeting.pk}/agenda/approve")
    assert approved.status_code == 200
    assert approved.json()["agenda_approved_at"] is not None
    assert call(client, "delete", f"/agenda-items/{item['id']}").status_code == 204
    assert call(client, "get", f"/meetings/{meeting.pk}").json()["agenda_approved_at"] is None
    control = call(client, "post", f"/meetings/{meeting.pk}/items/control")
    assert control.status_code == 201
    assert control.json()["kind"] == "control"


def test_materials_do_not_withdraw_the_approval(cast: Cast, meeting: Meeting) -> None:
    services_agenda.agenda_approve(actor=cast.chair, meeting=meeting)
    services_agenda.material_upload(actor=cast.secretary, item=first(meeting), file=pdf())
    meeting.refresh_from_db()
    assert meeting.agenda_approved_at is not None


def test_api_meeting_query_count_is_flat(cast: Cast, meeting: Meeting) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = cast.client(cast.member)

    def measure() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert call(client, "get", f"/meetings/{meeting.pk}").status_code == 200
        return len(ctx.captured_queries)

    def grow(n: int) -> None:
        for _ in range(n):
            item = services_agenda.item_add(actor=None, meeting=meeting, title="О вопросе")
            services_agenda.rapporteur_add(actor=None, item=item, organization=cast.police)
            services_agenda.material_upload(actor=None, item=item, file=pdf())

    grow(2)
    small = measure()
    grow(4)
    assert measure() == small
