"""REST actions of execution control (/api/v1/): reports (electronic and on paper), their
acceptance and return, extensions of a deadline, removal from control.

Each fetches its object through ``control.permissions`` (404 if the user may not see it; 403
where the helper knows the user may not act), then calls one service, which enforces the
business rules (its ``PermissionDenied`` is 403, its ``ValidationError`` is 400 with the Russian
message, nothing written). Each answers with the id of what it created or changed and the
assignment card afresh.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from koordinator.accounts.models import User
from koordinator.api.auth import current_user
from koordinator.bodies.models import Organization
from koordinator.control import permissions, services_changes, services_reports
from koordinator.control.models import Report
from koordinator.control.schemas import WRITE_ERRORS, ActionOut, InputSchema, card

router = Router(tags=["Контроль исполнения"])


class CommentIn(InputSchema):
    comment: str = ""


class ExtensionIn(InputSchema):
    new_due_on: dt.date
    reason: str = ""


class ProposalIn(ExtensionIn):
    change_id: int | None = Field(None, description="Запрос исполнителя, который предлагается.")


class DecisionIn(InputSchema):
    approve: bool
    comment: str = ""


class RemovalIn(InputSchema):
    kind: Literal["executed", "irrelevant"]
    reason: str = ""


def _out(user: User, obj_id: int, assignment_id: int) -> dict[str, Any]:
    return {"id": obj_id, "assignment": card(user, assignment_id)}


def _organization(pk: int) -> Organization:
    found = Organization.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({"organization": f"Организация с id={pk} не найдена."})
    return found


# --- reports ---------------------------------------------------------------------------------


@router.post(
    "/control/points/{point_id}/reports",
    response={201: ActionOut, **WRITE_ERRORS},
    summary="Отчитаться по контрольному сроку (исполнитель)",
)
def report_submit(
    request: HttpRequest,
    point_id: int,
    organization: Form[int],
    kind: Form[str],
    text: Form[str] = "",
    consolidates: Form[list[int] | None] = None,
    files: File[list[UploadedFile] | None] = None,
) -> Status[Any]:
    """multipart/form-data: ``organization`` — ведомство, за которое отчитываетесь; ``kind`` —
    interim или final; ``files`` — вложения (не больше UPLOAD_MAX_MB каждое); ``consolidates``
    — id отчётов соисполнителей, сводимых ответственным исполнителем."""
    user = current_user(request)
    point = permissions.get_point_for_report(user, point_id)
    found = list(Report.objects.filter(pk__in=consolidates or [], point=point))
    if len(found) != len(set(consolidates or [])):
        raise ValidationError("Можно включить только отчёты соисполнителей по этому сроку.")
    report = services_reports.report_submit(
        actor=user,
        point=point,
        organization=_organization(organization),
        kind=kind,
        text=text,
        files=list(files or []),
        consolidates=found,
    )
    return Status(201, _out(user, report.pk, point.assignment_id))


@router.post(
    "/control/points/{point_id}/paper-reports",
    response={201: ActionOut, **WRITE_ERRORS},
    summary="Зарегистрировать отчёт, поступивший на бумаге (секретарь)",
)
def report_paper(
    request: HttpRequest,
    point_id: int,
    organization: Form[int],
    kind: Form[str],
    received_on: Form[dt.date],
    text: Form[str] = "",
    letter: Form[str] = "",
    scan: File[UploadedFile | None] = None,
) -> Status[Any]:
    """multipart/form-data: ведомство, вид, содержание, дата поступления, реквизиты письма,
    скан (обязателен)."""
    user = current_user(request)
    point = permissions.get_point_for_report(user, point_id)
    report = services_reports.report_register_paper(
        actor=user,
        point=point,
        organization=_organization(organization),
        kind=kind,
        text=text,
        received_on=received_on,
        scan=scan,
        letter=letter,
    )
    return Status(201, _out(user, report.pk, point.assignment_id))


@router.post(
    "/control/reports/{report_id}/accept",
    response={200: ActionOut, **WRITE_ERRORS},
    summary="Принять отчёт (секретарь); итоговый закрывает срок",
)
def report_accept(request: HttpRequest, report_id: int, payload: CommentIn) -> dict[str, Any]:
    user = current_user(request)
    report = permissions.get_report(user, report_id, for_review=True)
    services_reports.report_accept(actor=user, report=report, comment=payload.comment)
    return _out(user, report.pk, report.point.assignment_id)


@router.post(
    "/control/reports/{report_id}/return",
    response={200: ActionOut, **WRITE_ERRORS},
    summary="Вернуть отчёт на доработку с замечаниями (секретарь)",
)
def report_return(request: HttpRequest, report_id: int, payload: CommentIn) -> dict[str, Any]:
    user = current_user(request)
    report = permissions.get_report(user, report_id, for_review=True)
    services_reports.report_return(actor=user, report=report, comment=payload.comment)
    return _out(user, report.pk, report.point.assignment_id)


# --- extensions ------------------------------------------------------------------------------


@router.post(
    "/control/points/{point_id}/extension-requests",
    response={201: ActionOut, **WRITE_ERRORS},
    summary="Запросить перенос срока (ответственный исполнитель)",
)
def extension_request(request: HttpRequest, point_id: int, payload: ExtensionIn) -> Status[Any]:
    user = current_user(request)
    point = permissions.get_point(user, point_id)
    change = services_changes.extension_request(
        actor=user, point=point, new_due_on=payload.new_due_on, reason=payload.reason
    )
    return Status(201, _out(user, change.pk, point.assignment_id))


@router.post(
    "/control/points/{point_id}/extension-proposals",
    response={201: ActionOut, **WRITE_ERRORS},
    summary="Предложить председателю перенос срока (секретарь), в т.ч. по запросу исполнителя",
)
def extension_propose(request: HttpRequest, point_id: int, payload: ProposalIn) -> Status[Any]:
    user = current_user(request)
    point = permissions.get_point(user, point_id)
    change = None
    if payload.change_id is not None:
        change = permissions.get_change(user, payload.change_id)
        if change.point_id != point.pk:
            raise ValidationError({"change_id": "Этот запрос относится к другому сроку."})
    change = services_changes.extension_propose(
        actor=user,
        point=point,
        new_due_on=payload.new_due_on,
        reason=payload.reason,
        change=change,
    )
    return Status(201, _out(user, change.pk, point.assignment_id))


@router.post(
    "/control/extensions/{change_id}/decision",
    response={200: ActionOut, **WRITE_ERRORS},
    summary="Решение по переносу срока (председатель; секретарь может отклонить запрос)",
)
def extension_decide(request: HttpRequest, change_id: int, payload: DecisionIn) -> dict[str, Any]:
    user = current_user(request)
    change = permissions.get_change(user, change_id)
    services_changes.extension_decide(
        actor=user, change=change, approve=payload.approve, comment=payload.comment
    )
    return _out(user, change.pk, change.point.assignment_id)


# --- removal ---------------------------------------------------------------------------------


@router.post(
    "/control/assignments/{assignment_id}/removal-proposals",
    response={201: ActionOut, **WRITE_ERRORS},
    summary="Предложить снять поручение с контроля (секретарь)",
)
def removal_propose(request: HttpRequest, assignment_id: int, payload: RemovalIn) -> Status[Any]:
    """``kind``: executed — только при принятом итоговом отчёте; irrelevant — с причиной."""
    user = current_user(request)
    assignment = permissions.get_assignment(user, assignment_id, for_change=True)
    removal = services_changes.removal_propose(
        actor=user, assignment=assignment, kind=payload.kind, reason=payload.reason
    )
    return Status(201, _out(user, removal.pk, assignment.pk))


@router.post(
    "/control/removals/{removal_id}/decision",
    response={200: ActionOut, **WRITE_ERRORS},
    summary="Решение о снятии с контроля (председатель или заместитель)",
)
def removal_decide(request: HttpRequest, removal_id: int, payload: DecisionIn) -> dict[str, Any]:
    user = current_user(request)
    removal = permissions.get_removal(user, removal_id)
    services_changes.removal_decide(
        actor=user, removal=removal, approve=payload.approve, comment=payload.comment
    )
    return _out(user, removal.pk, removal.assignment_id)
