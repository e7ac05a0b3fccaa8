"""Reports: submitted by the agencies, registered on paper, accepted or returned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from koordinator.conftest import Cast
from koordinator.control import services_changes as changes
from koordinator.control import services_reports as svc
from koordinator.control.models import (
    ControlPoint,
    Lifecycle,
    OutboxMessage,
    PointState,
    Report,
    ReportFile,
    ReportKind,
    ReportState,
)
from koordinator.control.tests.conftest import Control
from koordinator.core.models import AuditRecord


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def pdf(name: str = "отчёт.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 report", content_type="application/pdf")


def counts() -> tuple[int, ...]:
    return (
        Report.objects.count(),
        ReportFile.objects.count(),
        AuditRecord.objects.count(),
        OutboxMessage.objects.count(),
        ControlPoint.objects.exclude(state=PointState.OPEN).count(),
    )


def submit(cast: Cast, point: ControlPoint, **kw: Any) -> Report:
    params: dict[str, Any] = {
        "actor": cast.executor,
        "point": point,
        "organization": cast.police,
        "kind": ReportKind.FINAL,
        "text": "Проведено 12 рейдов.",
    }
    params.update(kw)
    return svc.report_submit(**params)


@pytest.fixture
def emails(cast: Cast) -> None:
    for user, email in (
        (cast.secretary, "secretary@example.org"),
        (cast.executor, "mvd@example.org"),
    ):
        user.email = email
        user.save(update_fields=["email"])


def test_lead_report_goes_to_the_secretary(cast: Cast, control: Control, emails: None) -> None:
    point = control.point(control.one_off)
    report = submit(cast, point, files=[pdf()])
    point.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.submitted_by == cast.executor
    assert point.state == PointState.SUBMITTED
    assert [f.name for f in report.files.all()] == ["отчёт.pdf"]
    message = OutboxMessage.objects.get(kind="report_submitted")
    assert message.recipients == ["secretary@example.org"]
    assert message.key == f"report-submitted:{report.pk}"
    audit = AuditRecord.objects.get(action="assignment.report_submit")
    after = audit.after or {}
    assert audit.actor == cast.executor and after["to"] == "secretary"
    assert after["point"] == f"{point.original_due_on:%d.%m.%Y}"


def test_co_executor_report_goes_to_the_lead_who_consolidates_it(
    cast: Cast, control: Control
) -> None:
    point = control.point(control.co_executed)
    mine = submit(cast, point, text="Встречи проведены в 3 школах.")
    point.refresh_from_db()
    assert mine.state == ReportState.TO_LEAD and point.state == PointState.OPEN
    assert not OutboxMessage.objects.filter(kind="report_submitted").exists()

    with pytest.raises(ValidationError, match="только ответственный исполнитель"):
        submit(cast, point, consolidates=[mine])
    lead = submit(
        cast,
        point,
        actor=control.other_officer,
        organization=control.other_org,
        consolidates=[mine],
    )
    point.refresh_from_db()
    assert lead.state == ReportState.SUBMITTED and point.state == PointState.SUBMITTED
    assert list(lead.consolidates.all()) == [mine]


def test_report_for_an_agency_that_is_not_an_executor(cast: Cast, control: Control) -> None:
    before = counts()
    with pytest.raises(ValidationError, match="не является исполнителем"):
        submit(cast, control.point(control.foreign))
    assert counts() == before


def test_officer_cannot_report_for_an_agency_they_do_not_represent(
    cast: Cast, control: Control
) -> None:
    before = counts()
    with pytest.raises(PermissionDenied, match="не представляете"):
        submit(cast, control.point(control.co_executed), organization=control.other_org)
    with pytest.raises(PermissionDenied):
        submit(cast, control.point(control.one_off), actor=cast.member)
    assert counts() == before


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"text": "   "}, "Напишите, что сделано"),
        ({"kind": "weekly"}, "Укажите вид отчёта"),
        ({"files": [pdf("virus.exe")]}, "не принимаются"),
    ],
)
def test_bad_report_writes_nothing(
    cast: Cast, control: Control, kw: dict[str, Any], message: str
) -> None:
    before = counts()
    with pytest.raises(ValidationError, match=message):
        submit(cast, control.point(control.one_off), **kw)
    assert counts() == before


def test_secretary_registers_a_paper_report(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    base: dict[str, Any] = {
        "actor": cast.secretary,
        "point": point,
        "organization": cast.police,
        "kind": ReportKind.FINAL,
        "text": "Отчёт письмом.",
        "received_on": control.today,
        "scan": pdf("письмо.pdf"),
        "letter": "исх. № 12/345 от 20.11.2026",
    }
    before = counts()
    with pytest.raises(ValidationError, match="позже сегодняшней"):
        svc.report_register_paper(**{**base, "received_on": control.today + dt.timedelta(days=1)})
    with pytest.raises(ValidationError, match="раньше даты самого поручения"):
        svc.report_register_paper(**{**base, "received_on": dt.date(2000, 1, 1)})
    with pytest.raises(ValidationError, match="скан"):
        svc.report_register_paper(**{**base, "scan": None})
    with pytest.raises(PermissionDenied):
        svc.report_register_paper(**{**base, "actor": cast.executor})
    assert counts() == before

    report = svc.report_register_paper(**base)
    point.refresh_from_db()
    assert report.on_paper and report.received_on == control.today
    assert report.letter == "исх. № 12/345 от 20.11.2026"
    assert report.state == ReportState.SUBMITTED and point.state == PointState.SUBMITTED
    assert report.files.count() == 1
    assert AuditRecord.objects.filter(
        action="assignment.report_register", actor=cast.secretary
    ).exists()


def test_accept_twice_and_return_without_comment(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    report = submit(cast, point)
    with pytest.raises(ValidationError, match="что нужно доработать"):
        svc.report_return(actor=cast.secretary, report=report, comment="  ")
    with pytest.raises(PermissionDenied):
        svc.report_accept(actor=cast.executor, report=report)
    with pytest.raises(PermissionDenied):
        svc.report_accept(actor=cast.member, report=report)
    svc.report_accept(actor=cast.secretary, report=report, comment="Принято.")
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED and report.reviewed_by == cast.secretary
    with pytest.raises(ValidationError, match="не на рассмотрении \\(принят\\)"):
        svc.report_accept(actor=cast.secretary, report=report)
    with pytest.raises(ValidationError, match="не на рассмотрении"):
        svc.report_return(actor=cast.secretary, report=report, comment="Ещё раз.")
    with pytest.raises(ValidationError, match="уже не представляется"):
        submit(cast, point)


def test_returned_report_can_be_reported_again(cast: Cast, control: Control, emails: None) -> None:
    point = control.point(control.one_off)
    report = submit(cast, point)
    svc.report_return(actor=cast.secretary, report=report, comment="Нет цифр.")
    point.refresh_from_db()
    assert point.state == PointState.RETURNED
    message = OutboxMessage.objects.get(kind="report_returned")
    assert "mvd@example.org" in message.recipients and "Нет цифр." in message.text
    again = submit(cast, point, text="Проведено 12 рейдов, выявлено 3 нарушения.")
    point.refresh_from_db()
    assert again.state == ReportState.SUBMITTED and point.state == PointState.SUBMITTED


def test_no_reports_on_a_removed_assignment(cast: Cast, control: Control) -> None:
    removal = changes.removal_propose(
        actor=cast.secretary,
        assignment=control.one_off,
        kind=Lifecycle.IRRELEVANT,
        reason="Изменилось законодательство.",
    )
    changes.removal_decide(actor=cast.chair, removal=removal, approve=True)
    point = control.point(control.one_off)
    before = counts()
    with pytest.raises(ValidationError, match="снято с контроля"):
        submit(cast, point)
    with pytest.raises(ValidationError, match="снято с контроля"):
        svc.report_register_paper(
            actor=cast.secretary,
            point=point,
            organization=cast.police,
            kind=ReportKind.FINAL,
            text="Письмо.",
            received_on=control.today,
            scan=pdf(),
        )
    assert counts() == before


def test_accept_rolls_back_when_the_audit_fails(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    report = submit(cast, point)
    before = counts()
    with (
        mock.patch("koordinator.core.audit.record", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError, match="audit down"),
    ):
        svc.report_accept(actor=cast.secretary, report=report)
    report.refresh_from_db()
    point.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.reviewed_by is None
    assert point.state == PointState.SUBMITTED and point.closed_at is None
    assert counts() == before


def test_report_under_review_is_not_reviewed_after_removal(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    report = submit(cast, point)
    removal = changes.removal_propose(
        actor=cast.secretary,
        assignment=control.one_off,
        kind=Lifecycle.IRRELEVANT,
        reason="Мероприятие отменено.",
    )
    changes.removal_decide(actor=cast.chair, removal=removal, approve=True)
    before = counts()
    with pytest.raises(ValidationError, match="не рассматриваются"):
        svc.report_accept(actor=cast.secretary, report=report)
    with pytest.raises(ValidationError, match="не рассматриваются"):
        svc.report_return(actor=cast.secretary, report=report, comment="Доработать.")
    assert counts() == before
    point.refresh_from_db()
    assert point.state == PointState.CLOSED
