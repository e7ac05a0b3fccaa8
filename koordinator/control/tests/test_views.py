"""The pages of execution control, through the views: the whole way of an assignment from
registering it to removing it from control, the register and the inbox, and bad input (a
clear Russian message, nothing written)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from koordinator.conftest import Cast
from koordinator.control.models import (
    Assignment,
    ChangeState,
    DeadlineChange,
    Lifecycle,
    PointState,
    Removal,
    Report,
    ReportState,
)
from koordinator.control.tests.conftest import Control
from koordinator.core.models import AuditRecord


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def pdf(name: str = "otchet.pdf", size: int = 0) -> SimpleUploadedFile:
    content = b"%PDF-1.4 report" + b"0" * size
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def report_data(point_pk: int, **over: Any) -> dict[str, Any]:
    p = f"p{point_pk}-"
    data: dict[str, Any] = {
        p + "kind": "final",
        p + "text": "Проведено 12 рейдов.",
        p + "attachments": [pdf()],
    }
    for key, value in over.items():
        data[p + key] = value
    return data


def text(response: Any) -> str:
    return response.content.decode()


def follow_messages(client: Client, response: Any) -> str:
    assert response.status_code == 302, text(response)[:2000]
    return text(client.get(response["Location"]))


# --- the whole way ---------------------------------------------------------------------------


def test_happy_path_through_the_views(cast: Cast, control: Control) -> None:
    assignment = control.one_off
    point = control.point(assignment)
    card = reverse("control:assignment", args=[assignment.pk])
    officer, secretary, chair = (
        cast.client(cast.executor),
        cast.client(cast.secretary),
        cast.client(cast.chair),
    )

    page = text(officer.get(card))
    assert "Представить отчёт" in page
    assert "Запросить перенос срока" in page
    response = officer.post(
        reverse("control:report_submit", args=[point.pk]), report_data(point.pk)
    )
    assert "Отчёт представлен." in follow_messages(officer, response)
    report = Report.objects.get()
    assert report.state == ReportState.SUBMITTED
    assert report.files.get().name == "otchet.pdf"

    # the file streams to the people who see the card
    file_url = reverse("control:report_file", args=[report.files.get().pk])
    download = secretary.get(file_url)
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]

    # the secretary returns it with a comment; the officer sees it in the inbox
    response = secretary.post(
        reverse("control:report_return", args=[report.pk]), {"comment": "Приложите акты рейдов."}
    )
    assert "Отчёт возвращён на доработку." in follow_messages(secretary, response)
    inbox = text(officer.get(reverse("control:inbox")))
    assert "возвращён: Приложите акты рейдов." in inbox

    # returning twice: a clear message, not a 500
    response = secretary.post(
        reverse("control:report_return", args=[report.pk]), {"comment": "Ещё раз."}
    )
    assert "не на рассмотрении" in follow_messages(secretary, response)

    response = officer.post(
        reverse("control:report_submit", args=[point.pk]),
        report_data(point.pk, text="Проведено 12 рейдов, акты приложены."),
    )
    assert "Отчёт представлен." in follow_messages(officer, response)
    second = Report.objects.latest("pk")
    assert "отчёт на рассмотрении" in text(officer.get(reverse("control:inbox")))

    response = secretary.post(reverse("control:report_accept", args=[second.pk]))
    assert "Отчёт принят." in follow_messages(secretary, response)
    response = secretary.post(reverse("control:report_accept", args=[second.pk]))
    assert "не на рассмотрении" in follow_messages(secretary, response)
    point.refresh_from_db()
    assert point.state == PointState.ACCEPTED

    response = secretary.post(
        reverse("control:removal_propose", args=[assignment.pk]), {"kind": "executed"}
    )
    assert "направлено председателю" in follow_messages(secretary, response)
    removal = Removal.objects.get()
    response = secretary.post(
        reverse("control:removal_propose", args=[assignment.pk]), {"kind": "executed"}
    )
    assert "уже направлено председателю" in follow_messages(secretary, response)

    assert "Снять с контроля" in text(chair.get(card))
    response = chair.post(reverse("control:removal_decide", args=[removal.pk]), {"approve": "1"})
    assert "Поручение снято с контроля." in follow_messages(chair, response)
    assignment.refresh_from_db()
    assert assignment.lifecycle == Lifecycle.EXECUTED
    page = text(chair.get(card))
    assert "снято с контроля" in page
    # the history tells the whole story
    for label in (
        "представлен отчёт об исполнении",
        "отчёт возвращён на доработку",
        "отчёт принят",
    ):
        assert label in page
    assert "Приложите акты рейдов." in page
    # twice: a clear message
    response = chair.post(reverse("control:removal_decide", args=[removal.pk]), {"approve": "1"})
    assert "уже принято" in follow_messages(chair, response)


def test_extension_through_the_views(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    new = point.due_on + dt.timedelta(days=30)
    p = f"p{point.pk}-"
    officer = cast.client(cast.executor)
    response = officer.post(
        reverse("control:extension_request", args=[point.pk]),
        {p + "new_due_on": new.isoformat(), p + "reason": "Ждём данные из ФМС."},
    )
    assert "направлен секретарю" in follow_messages(officer, response)
    change = DeadlineChange.objects.get()
    secretary = cast.client(cast.secretary)
    page = text(secretary.get(reverse("control:assignment", args=[control.one_off.pk])))
    assert "Предложить перенос председателю (по запросу исполнителя)" in page
    response = secretary.post(
        reverse("control:extension_propose", args=[point.pk]),
        {
            p + "new_due_on": new.isoformat(),
            p + "reason": "Ждём данные из ФМС.",
            p + "change": change.pk,
        },
    )
    assert "предложен председателю" in follow_messages(secretary, response)
    chair = cast.client(cast.chair)
    response = chair.post(reverse("control:extension_decide", args=[change.pk]), {"approve": "1"})
    assert "Перенос срока утверждён." in follow_messages(chair, response)
    point.refresh_from_db()
    change.refresh_from_db()
    assert point.due_on == new and change.state == ChangeState.APPROVED
    page = text(chair.get(reverse("control:assignment", args=[control.one_off.pk])))
    assert "первоначально" in page
    assert f"на {new:%d.%m.%Y}" in page


def test_paper_report(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    p = f"p{point.pk}-"
    secretary = cast.client(cast.secretary)
    response = secretary.post(
        reverse("control:report_paper", args=[point.pk]),
        {
            p + "organization": cast.police.pk,
            p + "kind": "interim",
            p + "text": "Письмо о ходе рейдов.",
            p + "received_on": control.today.isoformat(),
            p + "letter": "№ 12/345",
            p + "scan": pdf("skan.pdf"),
        },
    )
    assert "зарегистрирован" in follow_messages(secretary, response)
    report = Report.objects.get()
    assert report.on_paper and report.letter == "№ 12/345"


def test_co_executor_reports_to_the_lead_who_consolidates(cast: Cast, control: Control) -> None:
    point = control.point(control.co_executed)
    police = cast.client(cast.executor)
    response = police.post(
        reverse("control:report_submit", args=[point.pk]),
        report_data(point.pk, kind="interim", text="Встречи проведены в трёх школах."),
    )
    follow_messages(police, response)
    part = Report.objects.get()
    assert part.state == ReportState.TO_LEAD
    lead = cast.client(control.other_officer)
    page = text(lead.get(reverse("control:assignment", args=[control.co_executed.pk])))
    assert "Включить отчёты соисполнителей" in page
    response = lead.post(
        reverse("control:report_submit", args=[point.pk]),
        report_data(point.pk, text="Сводный отчёт.", consolidates=[part.pk]),
    )
    follow_messages(lead, response)
    final = Report.objects.latest("pk")
    assert list(final.consolidates.all()) == [part]


# --- bad input -------------------------------------------------------------------------------


def test_report_on_another_agencys_point_is_refused(cast: Cast, control: Control) -> None:
    # The police officer may see the co-executed card, but not report for the lead agency.
    point = control.point(control.co_executed)
    response = cast.client(cast.executor).post(
        reverse("control:report_submit", args=[point.pk]),
        report_data(point.pk, organization=control.other_org.pk),
    )
    assert response.status_code == 400
    assert "Отчитаться можно только за своё ведомство" in text(response)
    assert not Report.objects.exists()


def test_extension_to_a_past_date_is_refused(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    p = f"p{point.pk}-"
    past = control.today - dt.timedelta(days=2)
    response = cast.client(cast.executor).post(
        reverse("control:extension_request", args=[point.pk]),
        {p + "new_due_on": past.isoformat(), p + "reason": "Не успеваем."},
    )
    assert response.status_code == 400
    assert "перенос в прошлое невозможен" in text(response)
    assert "Не успеваем." in text(response)  # what was typed stays
    assert not DeadlineChange.objects.exists()


def test_removal_without_accepted_final_report_is_refused(cast: Cast, control: Control) -> None:
    secretary = cast.client(cast.secretary)
    before = AuditRecord.objects.count()
    response = secretary.post(
        reverse("control:removal_propose", args=[control.one_off.pk]), {"kind": "executed"}
    )
    assert "только при принятом итоговом отчёте" in follow_messages(secretary, response)
    assert not Removal.objects.exists()
    assert AuditRecord.objects.count() == before
    response = secretary.post(
        reverse("control:removal_propose", args=[control.one_off.pk]), {"kind": "irrelevant"}
    )
    assert "утратило актуальность" in follow_messages(secretary, response)
    assert not Removal.objects.exists()


@override_settings(UPLOAD_MAX_MB=1)
def test_file_over_the_limit_is_refused(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    big = pdf("big.pdf", size=1024 * 1024 + 10)
    response = cast.client(cast.executor).post(
        reverse("control:report_submit", args=[point.pk]), report_data(point.pk, attachments=[big])
    )
    assert response.status_code == 400
    assert "Файл больше допустимого" in text(response)
    assert not Report.objects.exists()
    point.refresh_from_db()
    assert point.state == PointState.OPEN


def test_empty_return_comment_is_refused(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    officer = cast.client(cast.executor)
    follow_messages(
        officer,
        officer.post(reverse("control:report_submit", args=[point.pk]), report_data(point.pk)),
    )
    report = Report.objects.get()
    secretary = cast.client(cast.secretary)
    response = secretary.post(reverse("control:report_return", args=[report.pk]), {"comment": " "})
    assert "Напишите, что нужно доработать." in follow_messages(secretary, response)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


# --- registering an instruction --------------------------------------------------------------


def new_data(cast: Cast, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "body": cast.body.pk,
        "number": "5",
        "document": "поручение АТК области от 02.11.2026 № 15",
        "document_date": (dt.date.today() - dt.timedelta(days=3)).isoformat(),
        "issuer": "АТК области",
        "text": "Провести встречи с руководителями диаспор.",
        "lead_executor": cast.police.pk,
        "deadline_text": "",
    }
    data.update(over)
    return data


def test_assignment_new(cast: Cast, control: Control) -> None:
    client = cast.client(cast.secretary)
    page = client.get(reverse("control:assignment_new") + f"?body={cast.body.pk}")
    assert page.status_code == 200
    year = dt.date.today().year + 1
    response = client.post(
        reverse("control:assignment_new"),
        new_data(cast, deadline_text=f"до 1 декабря {year} г.", file=pdf("poruchenie.pdf")),
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(number="5")
    assert assignment.points.get().due_on.year == year
    assert client.get(reverse("control:assignment_file", args=[assignment.pk])).status_code == 200


def test_assignment_new_unreadable_deadline(cast: Cast, control: Control) -> None:
    client = cast.client(cast.secretary)
    count = Assignment.objects.count()
    response = client.post(
        reverse("control:assignment_new"), new_data(cast, deadline_text="когда-нибудь потом")
    )
    assert response.status_code == 400
    assert "Срок не распознан" in text(response)
    assert Assignment.objects.count() == count


def test_assignment_new_preview(cast: Cast, control: Control) -> None:
    client = cast.client(cast.secretary)
    url = reverse("control:assignment_new")
    ok = client.get(
        url,
        {
            "deadline_text": "в течение 10 дней",
            "body": str(cast.body.pk),
            "document_date": "2026-11-02",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Срок прочитан" in text(ok)
    bad = client.get(url, {"deadline_text": "когда-нибудь"}, HTTP_HX_REQUEST="true")
    assert "Срок не распознан" in text(bad)


def test_assignment_new_not_in_foreign_body(cast: Cast, control: Control) -> None:
    # The outsider is the secretary of another body: they cannot register into ours.
    response = cast.client(cast.outsider).post(reverse("control:assignment_new"), new_data(cast))
    assert response.status_code == 400
    assert not Assignment.objects.filter(number="5").exists()


# --- the register ----------------------------------------------------------------------------


def test_register_filters_and_bad_values(cast: Cast, control: Control) -> None:
    client = cast.client(cast.secretary)
    url = reverse("control:register")
    page = text(client.get(url))
    assert "п. 1.1" in page and "п. 2.1" in page
    assert reverse("control:export_xlsx") in page
    assert "Поставить на контроль поручение" in page
    only = text(client.get(url, {"agency": control.other_org.pk}))
    assert "п. 2.1" in only and "п. 1.1" not in only
    bad = client.get(url, {"due_from": "вчера", "status": "nope", "body": "x"})
    assert bad.status_code == 200
    assert "Дата должна быть в виде ГГГГ-ММ-ДД." in text(bad)
    assert "Неизвестный статус." in text(bad)
    searched = text(client.get(url, {"q": "рейды"}))
    assert "п. 1.1" in searched and "п. 2.1" not in searched


def test_register_shows_overdue_in_red(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    point.due_on = control.today - dt.timedelta(days=3)
    point.save(update_fields=["due_on"])
    page = text(cast.client(cast.secretary).get(reverse("control:register"), {"overdue": "1"}))
    assert "просрочено на 3 дн." in page
    assert "п. 2.1" not in page


def count_queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def grow(cast: Cast, control: Control, n: int) -> None:
    from koordinator.control.tests.conftest import register

    for i in range(n):
        register(
            cast,
            lead=cast.police,
            number=f"9.{i}",
            text="Дополнительное поручение.",
            due_on=control.today + dt.timedelta(days=5 + i),
            co_executors=[control.other_org],
        )


def test_register_query_count_is_flat(cast: Cast, control: Control) -> None:
    client = cast.client(cast.secretary)
    url = reverse("control:register")
    grow(cast, control, 3)
    small = count_queries(client, url)
    grow(cast, control, 6)
    assert count_queries(client, url) == small


def test_inbox_query_count_is_flat(cast: Cast, control: Control) -> None:
    client = cast.client(cast.executor)
    url = reverse("control:inbox")
    grow(cast, control, 3)
    small = count_queries(client, url)
    grow(cast, control, 6)
    assert count_queries(client, url) == small


def test_inbox_orders_overdue_first(cast: Cast, control: Control) -> None:
    late = control.point(control.co_executed)
    late.due_on = control.today - dt.timedelta(days=1)
    late.save(update_fields=["due_on"])
    page = text(cast.client(cast.executor).get(reverse("control:inbox")))
    assert page.index("встречи с родителями") < page.index("профилактические рейды")
    assert "просрочено на 1 дн." in page
    assert "период" in page  # the periodic one shows its period


def test_restricted_assignment_is_marked(cast: Cast, control: Control) -> None:
    from koordinator.control.tests.conftest import register

    secret = register(
        cast, lead=cast.police, number="3.1", text="Секретный текст.", restricted=True,
        due_on=control.today + dt.timedelta(days=3),
    )  # fmt: skip
    page = text(cast.client(cast.member).get(reverse("control:register")))
    assert "ДСП" in page and "Секретный текст." in page
    card = text(cast.client(cast.executor).get(reverse("control:assignment", args=[secret.pk])))
    assert "ДСП" in card
    # no scan attached: the file link is a 404, not a 500
    url = reverse("control:assignment_file", args=[secret.pk])
    assert cast.client(cast.member).get(url).status_code == 404
