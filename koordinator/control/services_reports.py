"""Reports on control points: submitted by the executor agency's officer (a co-executor's to
the lead agency, which may consolidate them), registered by the secretary when they came on
paper, accepted or returned by the secretary. An interim report never closes anything.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from koordinator.accounts.models import User
from koordinator.bodies.models import Organization
from koordinator.control import notify
from koordinator.control.models import (
    REPORTABLE,
    Assignment,
    ControlPoint,
    Lifecycle,
    PointState,
    Report,
    ReportFile,
    ReportKind,
    ReportState,
)
from koordinator.control.permissions import can_manage, executor_org_ids
from koordinator.control.services import lock_point, record
from koordinator.meetings.services_agenda import check_upload


def _check_organization(assignment: Assignment, organization: Organization) -> None:
    executors = {assignment.lead_executor_id, *(o.pk for o in assignment.co_executors.all())}
    if organization.pk not in executors:
        raise ValidationError(
            {
                "organization": f"«{organization}» не является исполнителем этого поручения: "
                "отчёт по нему представить нельзя."
            }
        )


def _check_open(assignment: Assignment, point: ControlPoint) -> None:
    if assignment.lifecycle != Lifecycle.ON_CONTROL:
        raise ValidationError("Поручение снято с контроля: отчёты по нему не принимаются.")
    if point.state not in REPORTABLE:
        label = PointState(point.state).label
        raise ValidationError(f"По этому сроку отчёт уже не представляется ({label}).")


def _check_text(text: str, files: list[UploadedFile]) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Напишите, что сделано."})
    for f in files:
        check_upload(f)
    return text


def _attach(report: Report, files: list[UploadedFile]) -> None:
    for f in files:
        attached = ReportFile(report=report, name=(f.name or "file")[:255], size=f.size or 0)
        attached.file.save(f.name or "file", f, save=False)
        attached.save()


def _lead_report_in(point: ControlPoint, report: Report) -> None:
    """The lead agency's report goes to the secretary; the point awaits review."""
    point.state = PointState.SUBMITTED
    point.save(update_fields=["state"])
    assignment = point.assignment
    notify.queue(
        key=f"report-submitted:{report.pk}",
        kind="report_submitted",
        body=assignment.body,
        recipients=notify.secretaries(assignment.body),
        subject=f"Отчёт об исполнении: {assignment.title}",
        text=(
            f"{report.organization} представил {report.get_kind_display()} отчёт.\n"
            f"{notify.about(assignment)}\n\n{notify.link('control:assignment', assignment.pk)}"
        ),
    )


@transaction.atomic
def report_submit(
    *,
    actor: User,
    point: ControlPoint,
    organization: Organization,
    kind: str,
    text: str,
    files: list[UploadedFile] | None = None,
    consolidates: list[Report] | None = None,
) -> Report:
    """An executor officer reports for their agency. The lead agency's report goes to the
    secretary; a co-executor's goes to the lead agency."""
    files = files or []
    point = lock_point(point)
    assignment = point.assignment
    _check_organization(assignment, organization)
    if not actor.is_superuser and organization.pk not in executor_org_ids(actor):
        raise PermissionDenied(
            f"Вы не представляете «{organization}» и не можете отчитаться за него."
        )
    _check_open(assignment, point)
    if kind not in ReportKind.values:
        raise ValidationError({"kind": "Укажите вид отчёта: промежуточный или итоговый."})
    text = _check_text(text, files)
    is_lead = organization.pk == assignment.lead_executor_id
    consolidates = consolidates or []
    if consolidates and not is_lead:
        raise ValidationError(
            "Сводить отчёты соисполнителей может только ответственный исполнитель."
        )
    for other in consolidates:
        if other.point_id != point.pk or other.state != ReportState.TO_LEAD:
            raise ValidationError("Можно включить только отчёты соисполнителей по этому сроку.")
    report = Report.objects.create(
        point=point,
        organization=organization,
        kind=kind,
        text=text,
        state=ReportState.SUBMITTED if is_lead else ReportState.TO_LEAD,
        submitted_by=actor,
    )
    _attach(report, files)
    if consolidates:
        report.consolidates.set(consolidates)
    if is_lead:
        _lead_report_in(point, report)
    else:
        notify.queue(
            key=f"report-to-lead:{report.pk}",
            kind="report_to_lead",
            body=assignment.body,
            recipients=notify.agency_recipients(assignment.lead_executor),
            subject=f"Отчёт соисполнителя: {assignment.title}",
            text=(
                f"Соисполнитель {organization} направил отчёт ответственному исполнителю.\n"
                f"{notify.about(assignment)}\n\n{notify.link('control:assignment', assignment.pk)}"
            ),
        )
    record(
        actor=actor,
        assignment=assignment,
        action="report_submit",
        after={
            "point": f"{point.original_due_on:%d.%m.%Y}",
            "organization": str(organization),
            "kind": kind,
            "to": "secretary" if is_lead else "lead",
            "files": [f.name for f in files],
        },
    )
    return report


@transaction.atomic
def report_register_paper(
    *,
    actor: User,
    point: ControlPoint,
    organization: Organization,
    kind: str,
    text: str,
    received_on: dt.date,
    scan: UploadedFile | None,
    letter: str = "",
) -> Report:
    """The secretary registers a report that came on paper or by letter, on the agency's
    behalf: its date of receipt and a scan."""
    point = lock_point(point)
    assignment = point.assignment
    if not can_manage(actor, assignment):
        raise PermissionDenied("Отчёт, поступивший на бумаге, регистрирует секретарь органа.")
    _check_organization(assignment, organization)
    _check_open(assignment, point)
    if kind not in ReportKind.values:
        raise ValidationError({"kind": "Укажите вид отчёта: промежуточный или итоговый."})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "Дата поступления не может быть позже сегодняшней."})
    if received_on < assignment.document_date:
        raise ValidationError({"received_on": "Дата поступления раньше даты самого поручения."})
    if scan is None:
        raise ValidationError({"scan": "Приложите скан отчёта (письма)."})
    text = _check_text(text, [scan])
    is_lead = organization.pk == assignment.lead_executor_id
    report = Report.objects.create(
        point=point,
        organization=organization,
        kind=kind,
        text=text,
        state=ReportState.SUBMITTED if is_lead else ReportState.TO_LEAD,
        submitted_by=actor,
        on_paper=True,
        received_on=received_on,
        letter=" ".join(letter.split())[:300],
    )
    _attach(report, [scan])
    if is_lead:
        point.state = PointState.SUBMITTED
        point.save(update_fields=["state"])
    record(
        actor=actor,
        assignment=assignment,
        action="report_register",
        after={
            "point": f"{point.original_due_on:%d.%m.%Y}",
            "organization": str(organization),
            "kind": kind,
            "received_on": received_on,
            "letter": report.letter,
        },
    )
    return report


def _check_reviewable(assignment: Assignment) -> None:
    """A report left under review when the assignment was removed from control is not
    accepted or returned any more: that would reopen a closed control point."""
    if assignment.lifecycle != Lifecycle.ON_CONTROL:
        raise ValidationError("Поручение снято с контроля: отчёты по нему не рассматриваются.")


def _lock_report(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("point__assignment__body", "organization")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_accept(*, actor: User, report: Report, comment: str = "") -> Report:
    """Accept the lead agency's report. A final report closes its control point; an interim
    one is noted and the point stays on control."""
    report = _lock_report(report)
    point = lock_point(report.point)
    assignment = point.assignment
    if not can_manage(actor, assignment):
        raise PermissionDenied("Отчёты принимает секретарь органа.")
    _check_reviewable(assignment)
    if report.state != ReportState.SUBMITTED:
        raise ValidationError(f"Этот отчёт не на рассмотрении ({report.get_state_display()}).")
    report.state = ReportState.ACCEPTED
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.review_comment = comment.strip()
    report.save(
        update_fields=["state", "reviewed_by", "reviewed_at", "review_comment", "updated_at"]
    )
    if report.kind == ReportKind.FINAL:
        point.state = PointState.ACCEPTED
        point.closed_at = timezone.now()
    else:
        point.state = PointState.OPEN
    point.save(update_fields=["state", "closed_at"])
    record(
        actor=actor,
        assignment=assignment,
        action="report_accept",
        after={"report": str(report), "point_state": point.state},
        ground=report.review_comment,
    )
    return report


@transaction.atomic
def report_return(*, actor: User, report: Report, comment: str) -> Report:
    """Return the report for rework, with a comment the agency sees."""
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": "Напишите, что нужно доработать."})
    report = _lock_report(report)
    point = lock_point(report.point)
    assignment = point.assignment
    if not can_manage(actor, assignment):
        raise PermissionDenied("Отчёты возвращает секретарь органа.")
    _check_reviewable(assignment)
    if report.state != ReportState.SUBMITTED:
        raise ValidationError(f"Этот отчёт не на рассмотрении ({report.get_state_display()}).")
    report.state = ReportState.RETURNED
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    report.save(
        update_fields=["state", "reviewed_by", "reviewed_at", "review_comment", "updated_at"]
    )
    point.state = PointState.RETURNED
    point.save(update_fields=["state"])
    notify.queue(
        key=f"report-returned:{report.pk}",
        kind="report_returned",
        body=assignment.body,
        recipients=notify.agency_recipients(report.organization),
        subject=f"Отчёт возвращён на доработку: {assignment.title}",
        text=(
            f"Замечания: {comment}\nСрок: {point.due_on:%d.%m.%Y}.\n{notify.about(assignment)}\n\n"
            f"{notify.link('control:assignment', assignment.pk)}"
        ),
    )
    record(
        actor=actor,
        assignment=assignment,
        action="report_return",
        after={"report": str(report), "point_state": point.state},
        ground=comment,
    )
    return report
