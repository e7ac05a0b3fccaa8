"""Pages of execution control: the register, the executor's inbox, the control card of an
assignment, registering an instruction of a higher body, and the files. Each view fetches and
authorizes through ``control.permissions`` (404 for what the user may not see, 403 for what
they may see but not do); the actions on the card are in ``views_actions``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from koordinator.accounts.models import User
from koordinator.bodies.models import Body
from koordinator.control import permissions, selectors, services
from koordinator.control.forms import (
    AssignmentForm,
    ExtensionForm,
    PaperReportForm,
    RemovalForm,
    ReportForm,
    ReviewForm,
)
from koordinator.control.models import (
    CHANGEABLE,
    REPORTABLE,
    Assignment,
    ControlPoint,
    DeadlineChange,
    Lifecycle,
    PointState,
    Removal,
    Report,
    ReportFile,
    ReportState,
    Status,
    period_text,
    status_label,
)
from koordinator.core import audit
from koordinator.core.access import fetch_visible, hide_unless, require
from koordinator.core.forms import add_service_error
from koordinator.core.http import authenticated_user, is_htmx
from koordinator.core.links import link_by_id
from koordinator.core.models import AuditRecord
from koordinator.core.paging import Page
from koordinator.core.rows import render_rows
from koordinator.core.text import truncate
from koordinator.deadlines import Deadline

PER_PAGE = 50


# --- the register ----------------------------------------------------------------------------


def secretary_bodies(user: User) -> QuerySet[Body]:
    if user.is_superuser:
        return Body.objects.order_by("name")
    return Body.objects.filter(pk__in=permissions.secretary_body_ids(user)).order_by("name")


def _register_page(
    user: User, flt: selectors.RegisterFilter, raw_page: object
) -> tuple[Page, dict[str, int]]:
    """The page of register rows, ready for the template (texts cut, ДСП masked, links), and
    the counts by status."""
    page, by_status = selectors.register_page(user, flt, raw_page, PER_PAGE)
    co = selectors.co_executor_rows([row["pk"] for row in page.rows])
    card = link_by_id("control:assignment")
    for row in page.rows:
        others = co.get(row["pk"], [])
        row["co_names"] = ", ".join(name for _, name in others)
        executors = {row["lead_executor_id"], *(org for org, _ in others)}
        row["show_text"] = not row["restricted"] or permissions.sees_restricted_of(
            user, row["body_id"], executors
        )
        row["text"] = truncate(row["text_start"], selectors.REGISTER_TEXT)
        row["status_label"] = status_label(row["status"])
        due = row["next_due"]
        row["due"] = f"{due:%d.%m.%Y}" if due else "—"
        row["days_overdue"] = (flt.today - due).days if row["is_overdue"] and due else 0
        row["url"] = card(row["pk"])
    return page, by_status


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    flt, errors = selectors.RegisterFilter.from_params(request.GET)
    page, by_status = _register_page(user, flt, request.GET.get("page"))
    total = sum(by_status.values())
    counts = [(s.value, s.label, by_status.get(s.value, 0)) for s in Status]
    bodies, agencies = selectors.register_choices(user)
    params = request.GET.copy()
    params.pop("page", None)
    can_register = user.is_superuser or bool(permissions.secretary_body_ids(user))
    return render(
        request,
        "control/register.html",
        {
            "page": page,
            "rows_html": render_rows("control/register_rows.html", page.rows),
            "flt": flt,
            "errors": errors,
            "counts": counts,
            "total": total,
            "bodies": bodies,
            "agencies": agencies,
            "statuses": Status.choices,
            "query": params.urlencode(),
            "can_register": can_register,
        },
    )


# --- the executor's inbox --------------------------------------------------------------------


def _expected(row: dict[str, Any], orgs: frozenset[int]) -> str:
    """What the agency has to do next about an inbox row (see ``selectors.inbox_rows``)."""
    if row["state"] == PointState.SUBMITTED:
        return "отчёт на рассмотрении"
    if row["state"] == PointState.RETURNED:
        comment = row["return_comment"]
        return f"возвращён: {comment}" if comment else "возвращён на доработку"
    if row["sent_to_lead"] and row["lead_id"] not in orgs:
        return "отчёт направлен ответственному исполнителю"
    return "представить отчёт"


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    orgs = permissions.executor_org_ids(user)
    page = None
    if orgs:
        today = timezone.localdate()
        page = selectors.inbox_page(user, request.GET.get("page"), PER_PAGE, today)
        card = link_by_id("control:assignment")
        for row in page.rows:
            row["status_label"] = status_label(row["status"])
            row["expected"] = _expected(row, orgs)
            row["days_overdue"] = (today - row["due_on"]).days if row["late"] else 0
            row["due"] = f"{row['due_on']:%d.%m.%Y}"
            row["text"] = truncate(row["text"], selectors.INBOX_TEXT)
            row["url"] = card(row["assignment_id"])
            row["can_report"] = row["state"] in REPORTABLE
            row["period"] = period_text(row["period_start"], row["period_end"])
    agencies = selectors.agency_names(orgs)
    return render(
        request,
        "control/inbox.html",
        {
            "page": page,
            "rows_html": render_rows("control/inbox_rows.html", page.rows if page else []),
            "is_executor": bool(orgs),
            "agencies": agencies,
        },
    )


# --- the control card ------------------------------------------------------------------------


@dataclass
class PointRow:
    point: ControlPoint
    reports: list[Report]
    changes: list[DeadlineChange]
    report_form: ReportForm | None = None
    paper_form: PaperReportForm | None = None
    extension_form: ExtensionForm | None = None
    propose_form: ExtensionForm | None = None
    open_form: str = ""
    status_label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def report_visible(user: User, assignment: Assignment, report: Report) -> bool:
    """A co-executor's report is seen by its own agency, the lead agency and the body's people;
    the lead's report by every agency of the assignment."""
    if permissions.is_insider(user, assignment.body) or permissions.is_lead_officer(
        user, assignment
    ):
        return True
    mine = permissions.executor_org_ids(user)
    return report.organization_id in mine or report.organization_id == assignment.lead_executor_id


def _points(assignment: Assignment) -> list[ControlPoint]:
    reports = Report.objects.select_related(
        "organization", "submitted_by__person", "reviewed_by__person"
    ).prefetch_related("files", "consolidates__organization")
    changes = DeadlineChange.objects.select_related(
        "requested_by__person", "proposed_by__person", "decided_by__person"
    )
    return list(
        ControlPoint.objects.filter(assignment=assignment)
        .with_status()
        .prefetch_related(
            Prefetch("reports", queryset=reports), Prefetch("changes", queryset=changes)
        )
        .order_by("due_on", "pk")
    )


def card_context(
    request: HttpRequest,
    user: User,
    assignment: Assignment,
    *,
    bound: tuple[str, int, Any] | None = None,
) -> dict[str, Any]:
    """Everything the card shows; ``bound`` = (form name, point pk, bound form) puts a form
    that failed back in its place, with its errors."""
    on_control = assignment.on_control
    orgs = permissions.reporting_orgs(user, assignment)
    manage = permissions.can_manage(user, assignment)
    decide = permissions.can_decide(user, assignment)
    lead = permissions.is_lead_officer(user, assignment)
    executors = [assignment.lead_executor, *assignment.co_executors.all()]
    rows = []
    for point in _points(assignment):
        reports = [r for r in point.reports.all() if report_visible(user, assignment, r)]
        for r in reports:
            r.can_review = manage and r.state == ReportState.SUBMITTED  # type: ignore[attr-defined]
            r.review_form = ReviewForm(auto_id=f"review{r.pk}_%s")  # type: ignore[attr-defined]
        changes = list(point.changes.all())
        row = PointRow(point, reports, changes, status_label=status_label(point.status))  # type: ignore[attr-defined]
        prefix = f"p{point.pk}"
        if on_control and point.state in REPORTABLE:
            if orgs:
                # From the prefetched reports: a query only where there is something to tick.
                to_lead = [r.pk for r in point.reports.all() if r.state == ReportState.TO_LEAD]
                co_reports = (
                    Report.objects.filter(pk__in=to_lead).select_related("organization")
                    if lead and to_lead
                    else None
                )
                row.report_form = ReportForm(orgs=orgs, co_reports=co_reports, prefix=prefix)
            if manage:
                row.paper_form = PaperReportForm(
                    orgs=executors,
                    prefix=prefix,
                    initial={
                        "organization": assignment.lead_executor_id,
                        "received_on": timezone.localdate(),
                    },
                )
        pending = next((c for c in changes if c.state in ("requested", "proposed")), None)
        row.extra["pending_change"] = pending
        if on_control and point.state in CHANGEABLE and pending is None:
            if lead:
                row.extension_form = ExtensionForm(prefix=prefix)
            if manage:
                row.propose_form = ExtensionForm(prefix=prefix)
        if manage and pending is not None and pending.state == "requested":
            row.propose_form = ExtensionForm(
                prefix=prefix,
                initial={
                    "new_due_on": pending.new_due_on,
                    "reason": pending.reason,
                    "change": pending.pk,
                },
            )
        if bound is not None and bound[1] == point.pk:
            setattr(row, bound[0], bound[2])
            row.open_form = bound[0]
        elif request.GET.get("report") == str(point.pk):  # the inbox's direct link
            row.open_form = "report_form"
        rows.append(row)
    removals = list(
        Removal.objects.filter(assignment=assignment).select_related(
            "proposed_by__person", "decided_by__person"
        )
    )
    history = audit.with_names(
        AuditRecord.objects.filter(target_type="control.assignment", target_id=str(assignment.pk))
        .select_related("actor__person")
        .order_by("-created_at", "-id")[:300]
    )
    pending_removal = next((r for r in removals if r.state == "proposed"), None)
    status = (
        Assignment.objects.filter(pk=assignment.pk)
        .with_status()
        .values_list(*selectors.STATUS_FIELD, flat=True)
    )
    return {
        "assignment": assignment,
        "status_label": status_label(status[0]),
        "show_text": permissions.shows_text(user, assignment),
        "co_executors": executors[1:],
        "rows": rows,
        "removals": removals,
        "history": history,
        "can_manage": manage,
        "can_decide": decide,
        "on_control": on_control,
        "removal_form": (bound[2] if bound and bound[0] == "removal_form" else RemovalForm())
        if manage and on_control and pending_removal is None
        else None,
        "pending_removal": pending_removal,
        "decide_form_comment": ReviewForm(auto_id="decide_%s"),
        "Lifecycle": Lifecycle,
    }


def render_card(
    request: HttpRequest,
    user: User,
    assignment: Assignment,
    *,
    bound: tuple[str, int, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "control/assignment_card.html",
        card_context(request, user, assignment, bound=bound),
        status=status,
    )


@login_required
@require_GET
def assignment_card(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    assignment = permissions.get_assignment(user, pk)
    return render_card(request, user, assignment)


@login_required
@require_GET
def assignment_file(request: HttpRequest, pk: int) -> FileResponse:
    user = authenticated_user(request)
    assignment = permissions.get_assignment(user, pk)
    if not assignment.file:
        raise Http404("Файл не приложен.")
    require(permissions.can_see_restricted(user, assignment), "Документ ДСП вам недоступен.")
    return FileResponse(
        assignment.file.open("rb"),
        as_attachment=True,
        filename=(assignment.file.name or "document").rsplit("/", 1)[-1],
    )


@login_required
@require_GET
def report_file(request: HttpRequest, pk: int) -> FileResponse:
    user = authenticated_user(request)
    attached = fetch_visible(ReportFile.objects.all(), pk)
    report = permissions.get_report(user, attached.report_id)
    hide_unless(report_visible(user, report.point.assignment, report))
    return FileResponse(attached.file.open("rb"), as_attachment=True, filename=attached.name)


# --- registering an instruction of a higher body ---------------------------------------------


def _preview(request: HttpRequest, bodies: QuerySet[Body]) -> HttpResponse:
    """The deadline as read, for the live hint under the field (htmx)."""
    text = request.GET.get("deadline_text", "")
    body = (
        bodies.filter(pk=request.GET.get("body") or 0).first()
        if (request.GET.get("body") or "").isdigit()
        else None
    )
    body = body or bodies.first()
    try:
        issued = dt.date.fromisoformat(request.GET.get("document_date") or "")
    except ValueError:
        issued = timezone.localdate()
    result: Any = None
    if body is not None:
        result = services.read(text, issued_on=issued, body=body)
    dues: list[dt.date] = result.due_dates(4) if isinstance(result, Deadline) else []
    return render(
        request,
        "control/assignment_new.html#preview",
        {"result": result, "read_ok": isinstance(result, Deadline), "dues": dues},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_new(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    bodies = secretary_bodies(user)
    require(bodies.exists(), "Поручения ставит на контроль секретарь органа.")
    if is_htmx(request) and request.method == "GET" and "deadline_text" in request.GET:
        return _preview(request, bodies)
    initial: dict[str, Any] = {"document_date": timezone.localdate()}
    wanted = request.GET.get("body", "")
    if wanted.isdigit() and bodies.filter(pk=int(wanted)).exists():
        initial["body"] = int(wanted)
    elif bodies.count() == 1:
        initial["body"] = bodies.first()
    form = AssignmentForm(
        request.POST or None, request.FILES or None, bodies=bodies, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_register(actor=user, **form.service_fields())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Поручение поставлено на контроль.")
            return redirect("control:assignment", pk=assignment.pk)
    return render(
        request,
        "control/assignment_new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
