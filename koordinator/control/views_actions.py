"""The actions on the control card (POST only). Each fetches and authorizes through
``control.permissions``, calls one service and redirects back to the card with a message. A
refused form (a past date, a file over the limit) is shown again on the card with its errors
and what was typed; the service wrote nothing. A service's PermissionDenied becomes a 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from koordinator.accounts.models import User
from koordinator.control import permissions, services_changes, services_reports
from koordinator.control.forms import (
    DecideForm,
    ExtensionForm,
    PaperReportForm,
    RemovalForm,
    ReportForm,
    ReviewForm,
)
from koordinator.control.models import Assignment, ControlPoint, ReportState
from koordinator.control.views import render_card
from koordinator.core.access import require
from koordinator.core.forms import add_service_error
from koordinator.core.http import authenticated_user


def _to_card(assignment_id: int, point: ControlPoint | None = None) -> HttpResponse:
    response = redirect("control:assignment", pk=assignment_id)
    if point is not None:
        response["Location"] += f"#point-{point.pk}"
    return response


def _run(
    request: HttpRequest, assignment_id: int, action: Callable[[], object], done: str
) -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return _to_card(assignment_id)


def _refused(
    request: HttpRequest,
    user: User,
    assignment: Assignment,
    name: str,
    point: ControlPoint,
    form: object,
) -> HttpResponse:
    return render_card(request, user, assignment, bound=(name, point.pk, form), status=400)


# --- reports ---------------------------------------------------------------------------------


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    point = permissions.get_point(user, pk)
    assignment = permissions.get_assignment(user, point.assignment_id)
    orgs = permissions.reporting_orgs(user, assignment)
    require(bool(orgs) or user.is_superuser, "Отчитываются исполнители поручения.")
    lead = permissions.is_lead_officer(user, assignment)
    co_reports = point.reports.filter(state=ReportState.TO_LEAD) if lead else None
    form = ReportForm(
        request.POST, request.FILES, orgs=orgs, co_reports=co_reports, prefix=f"p{point.pk}"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_reports.report_submit(
                actor=user,
                point=point,
                organization=data["organization"],
                kind=data["kind"],
                text=data["text"],
                files=data["attachments"],
                consolidates=list(data.get("consolidates") or []),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Отчёт представлен.")
            return _to_card(assignment.pk, point)
    return _refused(request, user, assignment, "report_form", point, form)


@login_required
@require_POST
def report_paper(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    point = permissions.get_point(user, pk)
    assignment = permissions.get_assignment(user, point.assignment_id, for_change=True)
    executors = [assignment.lead_executor, *assignment.co_executors.all()]
    form = PaperReportForm(request.POST, request.FILES, orgs=executors, prefix=f"p{point.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_reports.report_register_paper(actor=user, point=point, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Отчёт, поступивший на бумаге, зарегистрирован.")
            return _to_card(assignment.pk, point)
    return _refused(request, user, assignment, "paper_form", point, form)


def _review(request: HttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    """Accept or return a report (the secretary), with the comment from the form."""
    user = authenticated_user(request)
    report = permissions.get_report(user, pk, for_review=True)
    form = ReviewForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    return _run(
        request,
        report.point.assignment_id,
        lambda: service(actor=user, report=report, comment=comment),
        done,
    )


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, services_reports.report_accept, "Отчёт принят.")


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, services_reports.report_return, "Отчёт возвращён на доработку.")


# --- deadlines -------------------------------------------------------------------------------


@login_required
@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    point = permissions.get_point(user, pk)
    assignment = permissions.get_assignment(user, point.assignment_id)
    require(
        user.is_superuser or permissions.is_lead_officer(user, assignment),
        "Перенос срока запрашивает ответственный исполнитель.",
    )
    form = ExtensionForm(request.POST, prefix=f"p{point.pk}")
    if form.is_valid():
        try:
            services_changes.extension_request(
                actor=user,
                point=point,
                new_due_on=form.cleaned_data["new_due_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Запрос о переносе срока направлен секретарю.")
            return _to_card(assignment.pk, point)
    return _refused(request, user, assignment, "extension_form", point, form)


@login_required
@require_POST
def extension_propose(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    point = permissions.get_point(user, pk)
    assignment = permissions.get_assignment(user, point.assignment_id, for_change=True)
    form = ExtensionForm(request.POST, prefix=f"p{point.pk}")
    if form.is_valid():
        change = None
        if form.cleaned_data.get("change"):
            change = permissions.get_change(user, form.cleaned_data["change"])
        try:
            services_changes.extension_propose(
                actor=user,
                point=point,
                new_due_on=form.cleaned_data["new_due_on"],
                reason=form.cleaned_data["reason"],
                change=change,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Перенос срока предложен председателю.")
            return _to_card(assignment.pk, point)
    return _refused(request, user, assignment, "propose_form", point, form)


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    change = permissions.get_change(user, pk)
    assignment = change.point.assignment
    require(
        permissions.can_decide(user, assignment) or permissions.can_manage(user, assignment),
        "Перенос срока утверждает председатель или его заместитель.",
    )
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Выберите: утвердить или отклонить.")
        return _to_card(assignment.pk)
    approve = bool(form.cleaned_data["approve"])
    return _run(
        request,
        assignment.pk,
        lambda: services_changes.extension_decide(
            actor=user, change=change, approve=approve, comment=form.cleaned_data["comment"]
        ),
        "Перенос срока утверждён." if approve else "Перенос срока отклонён.",
    )


# --- removal from control --------------------------------------------------------------------


@login_required
@require_POST
def removal_propose(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    assignment = permissions.get_assignment(user, pk, for_change=True)
    form = RemovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Укажите: исполнено или утратило актуальность.")
        return _to_card(assignment.pk)
    return _run(
        request,
        assignment.pk,
        lambda: services_changes.removal_propose(
            actor=user,
            assignment=assignment,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
        ),
        "Предложение о снятии с контроля направлено председателю.",
    )


@login_required
@require_POST
def removal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    removal = permissions.get_removal(user, pk)
    assignment = permissions.get_assignment_for_chair(user, removal.assignment_id)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Выберите: снять с контроля или оставить.")
        return _to_card(assignment.pk)
    approve = bool(form.cleaned_data["approve"])
    return _run(
        request,
        assignment.pk,
        lambda: services_changes.removal_decide(
            actor=user, removal=removal, approve=approve, comment=form.cleaned_data["comment"]
        ),
        "Поручение снято с контроля." if approve else "Поручение оставлено на контроле.",
    )
