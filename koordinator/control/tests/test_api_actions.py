"""Execution control's action API: reports, review, extensions, removal — the same access as
the pages (401, 404 outside, 403 read-only) and the services' rules; bad input gives a
Russian message and writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from koordinator.accounts.models import User
from koordinator.conftest import Cast
from koordinator.control import services_changes, services_reports
from koordinator.control.models import (
    Assignment,
    ChangeState,
    DeadlineChange,
    Lifecycle,
    Removal,
    Report,
    ReportFile,
)
from koordinator.control.tests.conftest import Control
from koordinator.core.audit import AuditRecord

API = "/api/v1"


def call(client: Client, url: str, data: dict[str, Any], *, multipart: bool = False) -> Any:
    if multipart:
        return client.post(API + url, data)
    return client.post(API + url, data=json.dumps(data), content_type="application/json")


def pdf(name: str = "отчёт.pdf", size: int = 20) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF" + b"0" * size, "application/pdf")


def writes() -> tuple[int, ...]:
    return (
        AuditRecord.objects.count(),
        Report.objects.count(),
        ReportFile.objects.count(),
        DeadlineChange.objects.count(),
        Removal.objects.count(),
    )


# --- the happy path --------------------------------------------------------------------------


def test_report_return_resubmit_accept_remove(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    executor, secretary = cast.client(cast.executor), cast.client(cast.secretary)
    response = call(
        executor,
        f"/control/points/{point.pk}/reports",
        {
            "organization": cast.police.pk,
            "kind": "final",
            "text": "Рейды проведены.",
            "files": [pdf()],
        },
        multipart=True,
    )
    assert response.status_code == 201, response.content
    out = response.json()
    first = out["id"]
    assert out["assignment"]["status"] == "submitted"
    assert out["assignment"]["reports"][0]["files"][0]["name"] == "отчёт.pdf"

    response = call(secretary, f"/control/reports/{first}/return", {"comment": "Нет цифр."})
    assert response.status_code == 200, response.content
    assert response.json()["assignment"]["status"] == "returned"

    response = call(
        executor,
        f"/control/points/{point.pk}/reports",
        {"organization": cast.police.pk, "kind": "final", "text": "Проведено 5 рейдов."},
        multipart=True,
    )
    assert response.status_code == 201
    second = response.json()["id"]

    response = call(secretary, f"/control/reports/{second}/accept", {"comment": "Принято."})
    assert response.status_code == 200
    card = response.json()["assignment"]
    assert card["status"] == "accepted"
    assert [(r["id"], r["state"]) for r in card["reports"]] == [
        (first, "returned"),
        (second, "accepted"),
    ]

    response = call(
        secretary,
        f"/control/assignments/{control.one_off.pk}/removal-proposals",
        {"kind": "executed"},
    )
    assert response.status_code == 201, response.content
    removal = response.json()["id"]
    response = call(
        cast.client(cast.chair), f"/control/removals/{removal}/decision", {"approve": True}
    )
    assert response.status_code == 200, response.content
    card = response.json()["assignment"]
    assert card["status"] == "executed" and card["lifecycle"] == Lifecycle.EXECUTED
    assert card["removals"][0]["state"] == "approved"
    control.one_off.refresh_from_db()
    assert control.one_off.lifecycle == Lifecycle.EXECUTED


def test_extension_request_propose_approve(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    new = control.today + dt.timedelta(days=40)
    response = call(
        cast.client(cast.executor),
        f"/control/points/{point.pk}/extension-requests",
        {"new_due_on": new.isoformat(), "reason": "Ждём данные из ФМС."},
    )
    assert response.status_code == 201, response.content
    change = response.json()["id"]
    response = call(
        cast.client(cast.secretary),
        f"/control/points/{point.pk}/extension-proposals",
        {"new_due_on": new.isoformat(), "reason": "Ждём данные из ФМС.", "change_id": change},
    )
    assert response.status_code == 201, response.content
    assert response.json()["id"] == change
    response = call(
        cast.client(cast.chair), f"/control/extensions/{change}/decision", {"approve": True}
    )
    assert response.status_code == 200, response.content
    card = response.json()["assignment"]
    assert card["points"][0]["due_on"] == new.isoformat()
    assert card["changes"][0]["state"] == ChangeState.APPROVED


def test_secretary_registers_a_paper_report(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    response = call(
        cast.client(cast.secretary),
        f"/control/points/{point.pk}/paper-reports",
        {
            "organization": cast.police.pk,
            "kind": "interim",
            "text": "Письмо УМВД.",
            "received_on": control.today.isoformat(),
            "letter": "исх. № 12/345",
            "scan": pdf("скан.pdf"),
        },
        multipart=True,
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get(pk=response.json()["id"])
    assert report.on_paper and report.letter == "исх. № 12/345" and report.files.count() == 1


def test_lead_consolidates_co_executor_reports(cast: Cast, control: Control) -> None:
    point = control.point(control.co_executed)
    co = call(
        cast.client(cast.executor),
        f"/control/points/{point.pk}/reports",
        {"organization": cast.police.pk, "kind": "interim", "text": "Встречи проведены."},
        multipart=True,
    ).json()["id"]
    response = call(
        cast.client(control.other_officer),
        f"/control/points/{point.pk}/reports",
        {
            "organization": control.other_org.pk,
            "kind": "final",
            "text": "Сводный отчёт.",
            "consolidates": [co],
        },
        multipart=True,
    )
    assert response.status_code == 201, response.content
    assert Report.objects.get(pk=response.json()["id"]).consolidates.get().pk == co


# --- access: 401, 404, 403 -------------------------------------------------------------------


@dataclass
class Targets:
    point: int
    report: int
    change: int
    removal: int
    assignment: int


def targets(cast: Cast, assignment: Assignment, officer: User) -> Targets:
    point = assignment.points.order_by("due_on").first()
    assert point is not None
    report = services_reports.report_submit(
        actor=officer,
        point=point,
        organization=assignment.lead_executor,
        kind="interim",
        text="Промежуточный.",
    )
    change = services_changes.extension_propose(
        actor=cast.secretary,
        point=point,
        new_due_on=point.due_on + dt.timedelta(days=30),
        reason="Объективные причины.",
    )
    removal = services_changes.removal_propose(
        actor=cast.secretary, assignment=assignment, kind="irrelevant", reason="Устарело."
    )
    return Targets(point.pk, report.pk, change.pk, removal.pk, assignment.pk)


def endpoints(t: Targets, org: int) -> list[tuple[str, str, dict[str, Any], bool]]:
    later = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    return [
        (
            "report",
            f"/control/points/{t.point}/reports",
            {"organization": org, "kind": "interim", "text": "Т"},
            True,
        ),
        (
            "paper",
            f"/control/points/{t.point}/paper-reports",
            {
                "organization": org,
                "kind": "interim",
                "text": "Т",
                "received_on": dt.date.today().isoformat(),
                "scan": pdf(),
            },
            True,
        ),
        ("accept", f"/control/reports/{t.report}/accept", {"comment": ""}, False),
        ("return", f"/control/reports/{t.report}/return", {"comment": "Доработать."}, False),
        (
            "ext_request",
            f"/control/points/{t.point}/extension-requests",
            {"new_due_on": later, "reason": "Причина."},
            False,
        ),
        (
            "ext_propose",
            f"/control/points/{t.point}/extension-proposals",
            {"new_due_on": later, "reason": "Причина."},
            False,
        ),
        ("ext_decide", f"/control/extensions/{t.change}/decision", {"approve": True}, False),
        (
            "removal",
            f"/control/assignments/{t.assignment}/removal-proposals",
            {"kind": "irrelevant", "reason": "Устарело."},
            False,
        ),
        ("removal_decide", f"/control/removals/{t.removal}/decision", {"approve": True}, False),
    ]


@pytest.fixture
def own(cast: Cast, control: Control) -> Targets:
    return targets(cast, control.one_off, cast.executor)


@pytest.fixture
def foreign(cast: Cast, control: Control) -> Targets:
    return targets(cast, control.foreign, control.other_officer)


def test_anonymous_gets_401_everywhere(cast: Cast, own: Targets) -> None:
    before = writes()
    for name, url, data, multipart in endpoints(own, cast.police.pk):
        assert call(Client(), url, data, multipart=multipart).status_code == 401, name
    assert writes() == before


def test_outsider_gets_404_everywhere(cast: Cast, own: Targets) -> None:
    before = writes()
    client = cast.client(cast.outsider)
    for name, url, data, multipart in endpoints(own, cast.police.pk):
        response = call(client, url, data, multipart=multipart)
        assert response.status_code == 404, name
        assert response.json()["detail"] == "Не найдено или нет доступа."
    assert writes() == before


def test_police_officer_gets_404_on_another_agencys_assignment(
    cast: Cast, control: Control, foreign: Targets
) -> None:
    before = writes()
    client = cast.client(cast.executor)
    for name, url, data, multipart in endpoints(foreign, cast.police.pk):
        assert call(client, url, data, multipart=multipart).status_code == 404, name
    assert writes() == before


READ_ONLY = {
    "member": {
        "report",
        "paper",
        "accept",
        "return",
        "ext_request",
        "ext_propose",
        "ext_decide",
        "removal",
        "removal_decide",
    },
    "executor": {
        "paper",
        "accept",
        "return",
        "ext_propose",
        "ext_decide",
        "removal",
        "removal_decide",
    },
    "secretary": {"report", "ext_request", "ext_decide", "removal_decide"},
    "observer": set(),
}


@pytest.mark.parametrize("who", sorted(READ_ONLY))
def test_read_only_gets_403(cast: Cast, own: Targets, who: str) -> None:
    user: User = getattr(cast, who)
    client = cast.client(user)
    before = writes()
    for name, url, data, multipart in endpoints(own, cast.police.pk):
        if name in READ_ONLY[who]:
            response = call(client, url, data, multipart=multipart)
            assert response.status_code == 403, (who, name, response.content)
            assert response.json()["detail"]
        elif who == "observer":  # a higher body sees counts only, never the cards
            assert call(client, url, data, multipart=multipart).status_code == 404, name
    assert writes() == before


# --- bad input -------------------------------------------------------------------------------


def test_report_for_another_agency(cast: Cast, control: Control) -> None:
    before = writes()
    client = cast.client(cast.executor)
    point = control.point(control.one_off)
    response = call(
        client,
        f"/control/points/{point.pk}/reports",
        {"organization": control.other_org.pk, "kind": "final", "text": "Т"},
        multipart=True,
    )
    assert response.status_code == 400
    assert "не является исполнителем этого поручения" in response.json()["detail"]
    co_point = control.point(control.co_executed)
    response = call(
        client,
        f"/control/points/{co_point.pk}/reports",
        {"organization": control.other_org.pk, "kind": "final", "text": "Т"},
        multipart=True,
    )
    assert response.status_code == 403
    assert "Вы не представляете" in response.json()["detail"]
    foreign = control.point(control.foreign)
    response = call(
        client,
        f"/control/points/{foreign.pk}/reports",
        {"organization": cast.police.pk, "kind": "final", "text": "Т"},
        multipart=True,
    )
    assert response.status_code == 404
    assert writes() == before


@pytest.mark.parametrize(
    ("data", "status", "words"),
    [
        ({"organization": 0, "kind": "final", "text": "Т"}, 400, "не найдена"),
        ({"organization": None, "kind": "bad", "text": "Т"}, 400, "Укажите вид отчёта"),
        ({"organization": None, "kind": "final", "text": " "}, 400, "Напишите, что сделано"),
        (
            {"organization": None, "kind": "final", "text": "Т", "consolidates": [999]},
            400,
            "соисполнителей",
        ),
        ({"kind": "final", "text": "Т"}, 422, "схеме"),
    ],
)
def test_report_bad_input(
    cast: Cast, control: Control, data: dict[str, Any], status: int, words: str
) -> None:
    if data.get("organization") is None and "organization" in data:
        data["organization"] = cast.police.pk
    before = writes()
    point = control.point(control.one_off)
    response = call(
        cast.client(cast.executor), f"/control/points/{point.pk}/reports", data, multipart=True
    )
    assert response.status_code == status, response.content
    assert words in response.json()["detail"]
    assert writes() == before


@override_settings(UPLOAD_MAX_MB=1)
def test_report_file_over_the_limit(cast: Cast, control: Control) -> None:
    before = writes()
    point = control.point(control.one_off)
    response = call(
        cast.client(cast.executor),
        f"/control/points/{point.pk}/reports",
        {
            "organization": cast.police.pk,
            "kind": "final",
            "text": "Т",
            "files": [pdf(), pdf("big.pdf", 1024 * 1024 + 1)],
        },
        multipart=True,
    )
    assert response.status_code == 400
    assert "1 МБ" in response.json()["detail"]
    assert writes() == before


def test_extension_to_a_past_date(cast: Cast, control: Control) -> None:
    before = writes()
    point = control.point(control.one_off)
    past = (control.today - dt.timedelta(days=1)).isoformat()
    for user, url in (
        (cast.executor, f"/control/points/{point.pk}/extension-requests"),
        (cast.secretary, f"/control/points/{point.pk}/extension-proposals"),
    ):
        response = call(cast.client(user), url, {"new_due_on": past, "reason": "Причина."})
        assert response.status_code == 400
        assert "перенос в прошлое невозможен" in response.json()["detail"]
    response = call(
        cast.client(cast.executor),
        f"/control/points/{point.pk}/extension-requests",
        {"new_due_on": "завтра", "reason": "Причина."},
    )
    assert response.status_code == 422
    assert writes() == before


def test_proposal_for_a_request_of_another_point(cast: Cast, control: Control) -> None:
    one, periodic = control.point(control.one_off), control.point(control.periodic)
    later = control.today + dt.timedelta(days=90)
    change = services_changes.extension_request(
        actor=cast.executor, point=periodic, new_due_on=later, reason="Причина."
    )
    before = writes()
    response = call(
        cast.client(cast.secretary),
        f"/control/points/{one.pk}/extension-proposals",
        {"new_due_on": later.isoformat(), "reason": "Причина.", "change_id": change.pk},
    )
    assert response.status_code == 400 and "другому сроку" in response.json()["detail"]
    assert writes() == before


def test_removal_as_executed_without_an_accepted_final_report(cast: Cast, control: Control) -> None:
    before = writes()
    response = call(
        cast.client(cast.secretary),
        f"/control/assignments/{control.one_off.pk}/removal-proposals",
        {"kind": "executed", "reason": ""},
    )
    assert response.status_code == 400
    assert "только при принятом итоговом отчёте" in response.json()["detail"]
    response = call(
        cast.client(cast.secretary),
        f"/control/assignments/{control.one_off.pk}/removal-proposals",
        {"kind": "irrelevant", "reason": " "},
    )
    assert response.status_code == 400
    assert "утратило актуальность" in response.json()["detail"]
    assert writes() == before


def test_return_without_comment_and_chair_decline_without_comment(
    cast: Cast, control: Control, own: Targets
) -> None:
    before = writes()
    response = call(
        cast.client(cast.secretary), f"/control/reports/{own.report}/return", {"comment": ""}
    )
    assert response.status_code == 400 and "доработать" in response.json()["detail"]
    response = call(
        cast.client(cast.chair), f"/control/removals/{own.removal}/decision", {"approve": False}
    )
    assert response.status_code == 400 and "остаётся на контроле" in response.json()["detail"]
    assert writes() == before
