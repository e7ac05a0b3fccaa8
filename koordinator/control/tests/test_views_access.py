"""Who may open which page of execution control, and who may act on the card.

Anonymous → the login page; a user who may not see the assignment (the outsider, the police
officer on another agency's assignment) → 404; a member sees the card but gets 403 on the
secretary's actions; the executor officer gets 403 on accepting a report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koordinator.conftest import Cast
from koordinator.control import services_changes, services_reports
from koordinator.control.models import Report, ReportKind
from koordinator.control.tests.conftest import Control


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def pdf(name: str = "otchet.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 report", content_type="application/pdf")


def submitted(cast: Cast, control: Control) -> Report:
    return services_reports.report_submit(
        actor=cast.executor,
        point=control.point(control.one_off),
        organization=cast.police,
        kind=ReportKind.FINAL,
        text="Проведено 12 рейдов.",
        files=[pdf()],
    )


def pages(control: Control) -> list[str]:
    pk = control.one_off.pk
    return [
        reverse("control:register"),
        reverse("control:inbox"),
        reverse("control:assignment", args=[pk]),
        reverse("control:assignment_new"),
    ]


def test_anonymous_goes_to_login(cast: Cast, control: Control) -> None:
    client = cast.client(None)
    report = submitted(cast, control)
    point = control.point(control.one_off).pk
    urls = [
        *pages(control),
        reverse("control:assignment_file", args=[control.one_off.pk]),
        reverse("control:report_file", args=[report.files.get().pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    posts = [
        reverse("control:report_submit", args=[point]),
        reverse("control:report_paper", args=[point]),
        reverse("control:extension_request", args=[point]),
        reverse("control:extension_propose", args=[point]),
        reverse("control:report_accept", args=[report.pk]),
        reverse("control:report_return", args=[report.pk]),
        reverse("control:removal_propose", args=[control.one_off.pk]),
    ]
    for url in posts:
        response = client.post(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_outsider_gets_404(cast: Cast, control: Control) -> None:
    client = cast.client(cast.outsider)
    report = submitted(cast, control)
    point = control.point(control.one_off).pk
    assert client.get(reverse("control:assignment", args=[control.one_off.pk])).status_code == 404
    assert (
        client.get(reverse("control:report_file", args=[report.files.get().pk])).status_code == 404
    )
    for url in (
        reverse("control:report_submit", args=[point]),
        reverse("control:report_paper", args=[point]),
        reverse("control:extension_request", args=[point]),
        reverse("control:extension_propose", args=[point]),
        reverse("control:report_accept", args=[report.pk]),
        reverse("control:report_return", args=[report.pk]),
        reverse("control:removal_propose", args=[control.one_off.pk]),
    ):
        assert client.post(url).status_code == 404, url
    # The register is empty for them, not an error.
    response = client.get(reverse("control:register"))
    assert response.status_code == 200
    assert "Провести профилактические рейды" not in response.content.decode()


def test_police_officer_does_not_see_another_agencys_assignment(
    cast: Cast, control: Control
) -> None:
    client = cast.client(cast.executor)
    foreign = control.foreign
    assert client.get(reverse("control:assignment", args=[foreign.pk])).status_code == 404
    point = control.point(foreign).pk
    response = client.post(
        reverse("control:report_submit", args=[point]),
        {
            f"p{point}-organization": cast.police.pk,
            f"p{point}-kind": "final",
            f"p{point}-text": "x",
        },
    )
    assert response.status_code == 404
    assert not Report.objects.exists()
    # but sees the assignment where the police is a co-executor
    assert (
        client.get(reverse("control:assignment", args=[control.co_executed.pk])).status_code == 200
    )
    register = client.get(reverse("control:register")).content.decode()
    assert "классные часы" not in register
    assert "встречи с родителями" in register


def test_member_sees_the_card_but_not_the_secretarys_actions(cast: Cast, control: Control) -> None:
    client = cast.client(cast.member)
    report = submitted(cast, control)
    point = control.point(control.one_off).pk
    page = client.get(reverse("control:assignment", args=[control.one_off.pk]))
    assert page.status_code == 200
    assert "Принять отчёт" not in page.content.decode()
    for url in (
        reverse("control:report_paper", args=[point]),
        reverse("control:extension_propose", args=[point]),
        reverse("control:report_accept", args=[report.pk]),
        reverse("control:report_return", args=[report.pk]),
        reverse("control:removal_propose", args=[control.one_off.pk]),
        reverse("control:report_submit", args=[point]),
        reverse("control:extension_request", args=[point]),
    ):
        assert client.post(url).status_code == 403, url
    assert client.get(reverse("control:assignment_new")).status_code == 403
    assert client.get(reverse("control:register")).status_code == 200


def test_executor_may_not_accept_or_decide(cast: Cast, control: Control) -> None:
    client = cast.client(cast.executor)
    report = submitted(cast, control)
    assert client.post(reverse("control:report_accept", args=[report.pk])).status_code == 403
    assert (
        client.post(
            reverse("control:report_return", args=[report.pk]), {"comment": "x"}
        ).status_code
        == 403
    )
    report.refresh_from_db()
    assert report.state == "submitted"
    assert client.get(reverse("control:assignment_new")).status_code == 403


def test_secretary_may_not_decide_what_the_chair_decides(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    change = services_changes.extension_propose(
        actor=cast.secretary,
        point=point,
        new_due_on=point.due_on.replace(year=point.due_on.year + 1),
        reason="Нужно больше времени.",
    )
    client = cast.client(cast.member)
    url = reverse("control:extension_decide", args=[change.pk])
    assert client.post(url, {"approve": "1"}).status_code == 403
    secretary = cast.client(cast.secretary)
    assert secretary.post(url, {"approve": "1"}).status_code == 403
    change.refresh_from_db()
    assert change.state == "proposed"


def test_get_on_actions_is_refused(cast: Cast, control: Control) -> None:
    client = cast.client(cast.secretary)
    url = reverse("control:removal_propose", args=[control.one_off.pk])
    assert client.get(url).status_code == 405


def test_inbox_for_someone_without_an_agency_is_friendly(cast: Cast, control: Control) -> None:
    response = cast.client(cast.member).get(reverse("control:inbox"))
    assert response.status_code == 200
    assert "Вы не назначены ответственным" in response.content.decode()


def test_navigation_links(cast: Cast, control: Control) -> None:
    executor = cast.client(cast.executor).get(reverse("control:inbox")).content.decode()
    assert reverse("control:inbox") in executor
    assert f'href="{reverse("control:register")}"' not in executor
    member = cast.client(cast.member).get(reverse("control:register")).content.decode()
    assert f'href="{reverse("control:register")}"' in member
    assert f'href="{reverse("control:inbox")}"' not in member
