"""Execution control's read API and registering an instruction: the same access as the pages
(401 anonymous, 404 outside, 403 read-only), the register's filters, masking of ДСП text."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koordinator.accounts.models import ApiToken
from koordinator.conftest import Cast
from koordinator.control import services_reports
from koordinator.control.models import Assignment, ControlPoint, Report
from koordinator.control.tests.conftest import Control, register
from koordinator.core.audit import AuditRecord

API = "/api/v1"


def get(client: Client, url: str, **params: Any) -> Any:
    return client.get(API + url, params)


# --- the register ----------------------------------------------------------------------------


def test_register_lists_what_each_user_sees(cast: Cast, control: Control) -> None:
    out = get(cast.client(cast.secretary), "/control/assignments").json()
    assert out["total"] == 4 and len(out["items"]) == 4
    first = out["items"][0]
    assert {"status", "status_label", "next_due", "is_overdue", "co_executors"} <= set(first)
    numbers = {
        i["number"] for i in get(cast.client(cast.executor), "/control/assignments").json()["items"]
    }
    assert numbers == {"1.1", "1.2", "2.2"}  # not the other agency's 2.1
    co = next(
        i
        for i in get(cast.client(cast.executor), "/control/assignments").json()["items"]
        if i["number"] == "2.2"
    )
    assert [o["short_name"] for o in co["co_executors"]] == ["УМВД"]
    assert get(cast.client(cast.outsider), "/control/assignments").json()["total"] == 0


def test_register_anonymous_gets_401(cast: Cast, control: Control) -> None:
    for url in (
        "/control/assignments",
        f"/control/assignments/{control.one_off.pk}",
        "/control/inbox",
        "/control/summary",
    ):
        assert get(Client(), url).status_code == 401


def test_register_filters(cast: Cast, control: Control) -> None:
    client = cast.client(cast.secretary)

    def numbers(**params: Any) -> set[str]:
        response = get(client, "/control/assignments", **params)
        assert response.status_code == 200, response.content
        return {i["number"] for i in response.json()["items"]}

    assert numbers(agency=control.other_org.pk) == {"2.1", "2.2"}
    assert numbers(agency=cast.police.pk) == {"1.1", "1.2", "2.2"}
    assert numbers(q="классные") == {"2.1"}
    assert numbers(q="1.2") == {"1.2"}
    assert numbers(status="open") == {"1.1", "1.2", "2.1", "2.2"}
    assert numbers(overdue="1") == set()
    assert numbers(body=cast.other_body.pk) == set()
    due = (control.today + dt.timedelta(days=10)).isoformat()
    assert numbers(due_from=due, due_to=due) == {"1.1"}
    page = get(client, "/control/assignments", limit=2, offset=1).json()
    assert page["total"] == 4 and page["limit"] == 2 and len(page["items"]) == 2


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"status": "lost"}, "status", "Неизвестный статус"),
        ({"due_from": "01.12.2026"}, "due_from", "ГГГГ-ММ-ДД"),
        ({"body": "x"}, "body", "Неверный номер"),
        ({"limit": "500"}, "limit", "от 1 до 200"),
        ({"offset": "-1"}, "offset", "отрицательным"),
    ],
)
def test_register_bad_filters_are_422(
    cast: Cast, control: Control, params: dict[str, str], field: str, words: str
) -> None:
    response = get(cast.client(cast.secretary), "/control/assignments", **params)
    assert response.status_code == 422
    out = response.json()
    assert words in out["detail"] and words in out["errors"][field][0]


def test_register_queries_do_not_grow_with_rows(cast: Cast, control: Control) -> None:
    client = cast.client(cast.executor)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = get(client, "/control/assignments")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for n in range(4):
        register(
            cast,
            lead=cast.police,
            number=f"9.{n}",
            text="Ещё поручение",
            due_on=control.today + dt.timedelta(days=5),
            co_executors=[control.other_org],
        )
    assert get(client, "/control/assignments").json()["total"] == 7
    assert count() == before


def test_register_with_a_bearer_token(cast: Cast, control: Control) -> None:
    _, raw = ApiToken.issue(user=cast.executor, name="СЭД")
    response = Client().get(
        API + "/control/assignments", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200 and response.json()["total"] == 3
    response = Client().get(API + "/control/inbox", headers={"Authorization": "Bearer kt_wrong"})
    assert response.status_code == 401


# --- the card --------------------------------------------------------------------------------


def test_card_access(cast: Cast, control: Control) -> None:
    url = f"/control/assignments/{control.foreign.pk}"
    assert get(cast.client(cast.secretary), url).status_code == 200
    assert get(cast.client(cast.member), url).status_code == 200
    assert get(cast.client(cast.executor), url).status_code == 404
    assert get(cast.client(cast.outsider), url).status_code == 404
    assert get(cast.client(cast.observer), url).status_code == 404
    assert get(cast.client(cast.secretary), "/control/assignments/999999").status_code == 404


def test_card_shows_points_reports_with_file_urls(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    report = services_reports.report_submit(
        actor=cast.executor,
        point=point,
        organization=cast.police,
        kind="interim",
        text="Проведено 3 рейда.",
        files=[SimpleUploadedFile("справка.pdf", b"%PDF-1.4 test", "application/pdf")],
    )
    out = get(cast.client(cast.secretary), f"/control/assignments/{control.one_off.pk}").json()
    assert out["can_manage"] and not out["can_decide"]
    assert [p["id"] for p in out["points"]] == [point.pk]
    assert out["points"][0]["status"] == "submitted"
    assert out["status"] == "submitted"
    (r,) = out["reports"]
    assert r["id"] == report.pk and r["state"] == "submitted" and r["text"] == "Проведено 3 рейда."
    (f,) = r["files"]
    assert f["name"] == "справка.pdf"
    assert f["url"] == reverse("control:report_file", args=[report.files.get().pk])
    assert out["changes"] == [] and out["removals"] == []
    periodic = get(cast.client(cast.executor), f"/control/assignments/{control.periodic.pk}")
    assert len(periodic.json()["points"]) > 1 and periodic.json()["is_periodic"]


def test_co_executor_sees_only_own_reports(cast: Cast, control: Control) -> None:
    point = control.point(control.co_executed)
    services_reports.report_submit(
        actor=cast.executor, point=point, organization=cast.police, kind="final", text="Наше."
    )
    services_reports.report_submit(
        actor=control.other_officer,
        point=point,
        organization=control.other_org,
        kind="interim",
        text="Ответственного.",
    )
    url = f"/control/assignments/{control.co_executed.pk}"
    mine = get(cast.client(cast.executor), url).json()["reports"]
    assert [r["text"] for r in mine] == ["Наше."]
    lead = get(cast.client(control.other_officer), url).json()["reports"]
    assert {r["text"] for r in lead} == {"Наше.", "Ответственного."}


# --- registering an instruction --------------------------------------------------------------


def form(cast: Cast, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "body_id": cast.body.pk,
        "number": "3",
        "document": "поручение АТК области от 02.11.2026 № 15",
        "document_date": (dt.date.today() - dt.timedelta(days=3)).isoformat(),
        "issuer": "АТК области",
        "text": "Усилить охрану мест массового пребывания людей.",
        "lead_executor_id": cast.police.pk,
        "deadline_text": "в течение месяца",
    }
    data.update(extra)
    return data


def post_form(client: Client, data: dict[str, Any]) -> Any:
    return client.post(API + "/control/assignments", data)


def test_secretary_registers_an_instruction_with_a_scan(cast: Cast, control: Control) -> None:
    scan = SimpleUploadedFile("поручение.pdf", b"%PDF-1.4 scan", "application/pdf")
    response = post_form(
        cast.client(cast.secretary), form(cast, file=scan, co_executor_ids=[control.other_org.pk])
    )
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["number"] == "3" and out["source"] == "instruction"
    assert out["file_url"] == reverse("control:assignment_file", args=[out["id"]])
    assert [o["id"] for o in out["co_executors"]] == [control.other_org.pk]
    assert len(out["points"]) == 1 and out["status"] == "open"
    assert AuditRecord.objects.filter(
        action="assignment.register", target_id=str(out["id"])
    ).exists()


def test_register_instruction_access(cast: Cast, control: Control) -> None:
    before = Assignment.objects.count()
    assert post_form(Client(), form(cast)).status_code == 401
    response = post_form(cast.client(cast.member), form(cast))
    assert response.status_code == 403 and "секретарь" in response.json()["detail"]
    assert post_form(cast.client(cast.chair), form(cast)).status_code == 403
    assert post_form(cast.client(cast.executor), form(cast)).status_code == 404
    assert post_form(cast.client(cast.outsider), form(cast)).status_code == 404
    assert Assignment.objects.count() == before


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"deadline_text": "до 10 числа"}, "Срок не распознан"),
        ({"deadline_text": "со дня получения в течение 5 дней"}, "Срок не распознан"),
        ({"text": "  "}, "Укажите содержание поручения"),
        ({"lead_executor_id": 999999}, "не найдена"),
        ({"deadline_text": "", "due_on": "2000-01-01"}, "раньше даты документа"),
    ],
)
def test_register_instruction_bad_input(
    cast: Cast, control: Control, extra: dict[str, Any], words: str
) -> None:
    before = (Assignment.objects.count(), ControlPoint.objects.count())
    response = post_form(cast.client(cast.secretary), form(cast, **extra))
    assert response.status_code == 400, response.content
    assert words in response.json()["detail"]
    assert (Assignment.objects.count(), ControlPoint.objects.count()) == before


@override_settings(UPLOAD_MAX_MB=1)
def test_register_instruction_file_over_limit(cast: Cast, control: Control) -> None:
    before = Assignment.objects.count()
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (1024 * 1024 + 10), "application/pdf")
    response = post_form(cast.client(cast.secretary), form(cast, file=big))
    assert response.status_code == 400
    assert "1 МБ" in response.json()["detail"]
    assert Assignment.objects.count() == before


# --- inbox and summary -----------------------------------------------------------------------


def test_inbox_of_the_executor(cast: Cast, control: Control) -> None:
    out = get(cast.client(cast.executor), "/control/inbox").json()
    ids = {row["assignment_id"] for row in out}
    assert ids == {control.one_off.pk, control.periodic.pk, control.co_executed.pk}
    co = next(row for row in out if row["assignment_id"] == control.co_executed.pk)
    assert co["is_lead"] is False and co["point"]["status"] == "open"
    assert get(cast.client(cast.outsider), "/control/inbox").json() == []
    assert get(cast.client(cast.secretary), "/control/inbox").json() == []


def overdue_restricted(cast: Cast, control: Control) -> Assignment:
    return register(
        cast,
        lead=cast.police,
        number="7",
        text="Секретное поручение.",
        due_on=control.today - dt.timedelta(days=5),
        restricted=True,
    )


def test_summary_masks_restricted_text_for_a_higher_body(cast: Cast, control: Control) -> None:
    late = overdue_restricted(cast, control)
    out = get(cast.client(cast.observer), "/control/summary").json()
    row = next(b for b in out["bodies"] if b["body"]["id"] == cast.body.pk)
    assert row["on_control"] == 5 and row["overdue"] == 1 and row["removed"] == 0
    (item,) = out["overdue"]
    assert item["id"] == late.pk and item["hidden"] and "Секретное" not in item["text"]
    own = get(cast.client(cast.secretary), "/control/summary").json()
    assert own["overdue"][0]["text"] == "Секретное поручение." and not own["overdue"][0]["hidden"]
    assert get(cast.client(cast.outsider), "/control/summary").json()["overdue"] == []


def test_summary_queries_do_not_grow(cast: Cast, control: Control) -> None:
    client = cast.client(cast.observer)
    overdue_restricted(cast, control)
    with CaptureQueriesContext(connection) as first:
        client.get(API + "/control/summary")
    for n in range(3):
        register(
            cast,
            lead=control.other_org,
            number=f"8.{n}",
            text="Просрочено",
            due_on=control.today - dt.timedelta(days=2),
            co_executors=[cast.police],
        )
    with CaptureQueriesContext(connection) as second:
        assert len(client.get(API + "/control/summary").json()["overdue"]) == 4
    assert len(second.captured_queries) == len(first.captured_queries)


def test_summary_overdue_comes_in_windows(cast: Cast, control: Control) -> None:
    client = cast.client(cast.observer)
    for n, days in enumerate((9, 7, 5, 3)):
        register(
            cast,
            lead=control.other_org,
            number=f"8.{n}",
            text=f"Просрочено {n}",
            due_on=control.today - dt.timedelta(days=days),
        )
    whole = get(client, "/control/summary").json()
    assert whole["overdue_total"] == 4 and (whole["limit"], whole["offset"]) == (50, 0)
    window = get(client, "/control/summary?limit=2&offset=1").json()
    assert [o["text"] for o in window["overdue"]] == ["Просрочено 1", "Просрочено 2"]
    assert window["overdue_total"] == 4
    assert sum(b["overdue"] for b in window["bodies"]) == 4  # the counts stay whole
    bad = client.get(API + "/control/summary?limit=0&offset=-1")
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"limit", "offset"}
    assert "Число строк" in bad.json()["detail"]


def test_endpoints_in_openapi(cast: Cast) -> None:
    paths = cast.client(cast.member).get(API + "/openapi.json").json()["paths"]
    for path, method in (
        ("/control/assignments", "get"),
        ("/control/assignments", "post"),
        ("/control/assignments/{assignment_id}", "get"),
        ("/control/inbox", "get"),
        ("/control/summary", "get"),
        ("/control/points/{point_id}/reports", "post"),
        ("/control/points/{point_id}/paper-reports", "post"),
        ("/control/reports/{report_id}/accept", "post"),
        ("/control/reports/{report_id}/return", "post"),
        ("/control/points/{point_id}/extension-requests", "post"),
        ("/control/points/{point_id}/extension-proposals", "post"),
        ("/control/extensions/{change_id}/decision", "post"),
        ("/control/assignments/{assignment_id}/removal-proposals", "post"),
        ("/control/removals/{removal_id}/decision", "post"),
    ):
        operation = paths[API + path][method]
        assert operation["tags"] == ["Контроль исполнения"]


def test_report_model_untouched_by_reads(cast: Cast, control: Control) -> None:
    get(cast.client(cast.secretary), "/control/assignments")
    assert Report.objects.count() == 0
