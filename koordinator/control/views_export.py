"""The register as files (XLSX, DOCX), the summary for a higher body's people, and the standing
agenda item «О ходе исполнения решений» of a meeting.

Each view fetches and authorizes through ``control.permissions`` (or the meetings' own helpers
for a meeting): what the user may not see is 404, what they see but may not do is 403.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from koordinator.accounts.models import User
from koordinator.bodies.models import Body, Organization
from koordinator.control import exports, permissions, selectors
from koordinator.control.models import Assignment, OnAgenda, Status
from koordinator.control.services_agenda import add_to_agenda
from koordinator.core.access import require
from koordinator.core.http import authenticated_user, is_htmx
from koordinator.core.paging import page_of
from koordinator.documents.wording import genitive
from koordinator.meetings import permissions as meeting_permissions
from koordinator.meetings.models import Meeting
from koordinator.meetings.permissions import meeting_bodies

# --- the register as files -------------------------------------------------------------------


def _register_rows(
    request: HttpRequest,
) -> tuple[User, selectors.RegisterFilter, Body | None, list[exports.Row]] | HttpResponse:
    user = authenticated_user(request)
    f, errors = selectors.RegisterFilter.from_params(request.GET)
    if errors:
        text = "Файл не сформирован: неверные условия отбора. " + " ".join(
            f"{name}: {message}" for name, message in errors.items()
        )
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    body = permissions.summary_bodies(user).filter(pk=f.body).first() if f.body else None
    table = exports.rows(user, selectors.register(user, f), f.today)
    return user, f, body, table


def _heading(f: selectors.RegisterFilter, body: Body | None) -> list[str]:
    lines = [exports.title(body), f"По состоянию на {f.today:%d.%m.%Y}"]
    conditions = []
    if f.status:
        conditions.append(f"статус: {selectors.Status(f.status).label}")
    if f.overdue:
        conditions.append("только просроченные")
    if f.this_week:
        conditions.append("срок на этой неделе")
    if f.due_from:
        conditions.append(f"срок с {f.due_from:%d.%m.%Y}")
    if f.due_to:
        conditions.append(f"срок по {f.due_to:%d.%m.%Y}")
    if f.agency:
        agency = Organization.objects.filter(pk=f.agency).first()
        conditions.append(f"исполнитель: {agency or '—'}")
    if f.query:
        conditions.append(f"поиск: «{f.query}»")
    if conditions:
        lines.append("Отбор: " + "; ".join(conditions))
    return lines


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def register_xlsx(request: HttpRequest) -> HttpResponse:
    got = _register_rows(request)
    if isinstance(got, HttpResponse):
        return got
    _user, f, body, table = got
    content = exports.build_xlsx(_heading(f, body), table)
    return _file(content, exports.XLSX_CONTENT_TYPE, f"control-{f.today:%Y-%m-%d}.xlsx")


@login_required
@require_GET
def register_docx(request: HttpRequest) -> HttpResponse:
    got = _register_rows(request)
    if isinstance(got, HttpResponse):
        return got
    _user, f, body, table = got
    bodies = {row.body.pk: row.body for row in table}
    if body is None and len(bodies) == 1:
        body = next(iter(bodies.values()))
    name = genitive(body.name) if body else "координационных органов"
    content = exports.build_docx(body=body, body_name=name, day=f.today, table=table)
    return _file(content, exports.DOCX_CONTENT_TYPE, f"control-{f.today:%Y-%m-%d}.docx")


# --- the summary for a higher body -----------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: int
    y: int
    width: int
    css: str


@dataclass
class Chart:
    height: int
    bars: list[Bar]
    groups: list[tuple[str, int]]


CHART_SERIES = (
    ("on_control", "на контроле", "bar-open"),
    ("overdue", "просрочено", "bar-overdue"),
    ("submitted", "на рассмотрении", "bar-submitted"),
    ("removed", "снято", "bar-removed"),
)
BAR_HEIGHT = 14
BAR_MAX = 300


def _chart(rows: list[selectors.BodySummary]) -> Chart:
    """Horizontal bars per body, one per count, scaled to the largest: drawn as SVG on the
    server, no script."""
    top = max([1, *(getattr(r, key) for r in rows for key, _, _ in CHART_SERIES)])
    bars: list[Bar] = []
    groups: list[tuple[str, int]] = []
    y = 0
    for row in rows:
        groups.append((row.body.short_name or row.body.name, y + 12))
        y += 18
        for key, label, css in CHART_SERIES:
            value = int(getattr(row, key))
            width = round(BAR_MAX * value / top)
            bars.append(Bar(label=label, value=value, y=y, width=width, css=css))
            y += BAR_HEIGHT + 2
        y += 10
    return Chart(height=max(y, 20), bars=bars, groups=groups)


#: Overdue assignments per page of the summary (a region sees hundreds at national scale).
OVERDUE_PER_PAGE = 50


@dataclass
class OverdueRow:
    assignment: Assignment
    text: str
    days: int
    can_open: bool


@login_required
@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    today = timezone.localdate()
    rows = selectors.summary(user, today)
    page = page_of(selectors.overdue_list(user, today), request.GET.get("page"), OVERDUE_PER_PAGE)
    overdue: list[Assignment] = page.rows
    visible = set(
        permissions.assignments_visible_to(user)
        .filter(pk__in=[a.pk for a in overdue])
        .values_list("pk", flat=True)
    )
    listed = []
    for a in overdue:
        shown = not a.restricted or permissions.is_insider(user, a.body)
        due: dt.date | None = getattr(a, "next_due", None)
        listed.append(
            OverdueRow(
                assignment=a,
                text=a.text if shown else "",
                days=(today - due).days if due else 0,
                can_open=a.pk in visible,
            )
        )
    return render(
        request,
        "control/summary.html",
        {"rows": rows, "chart": _chart(rows), "overdue": listed, "page": page, "today": today},
    )


# --- the standing agenda item ----------------------------------------------------------------


def _agenda_assignments(meeting: Meeting, today: dt.date) -> list[Assignment]:
    """The assignments of the meeting's bodies still owed or awaiting review (overdue first,
    then by the next due date); those whose reports are all accepted are left out."""
    bodies = meeting_bodies(meeting)
    return list(
        Assignment.objects.on_control()
        .filter(body__in=[b.pk for b in bodies])
        .with_status(today)
        .exclude(**{"status": Status.ACCEPTED})
        .select_related("body", "lead_executor")
        .prefetch_related("co_executors")
        .order_by(*selectors.REGISTER_ORDER)
    )


def _agenda_context(user: User, meeting: Meeting) -> dict[str, object]:
    today = timezone.localdate()
    insider = meeting_permissions.is_insider(user, meeting)
    assignments = _agenda_assignments(meeting, today)
    on_agenda = set(
        OnAgenda.objects.filter(
            item__meeting=meeting, assignment__in=[a.pk for a in assignments]
        ).values_list("assignment_id", flat=True)
    )
    listed = [
        {
            "assignment": a,
            "text": a.text if insider or not a.restricted else "",
            "status": Status(a.status).label,  # type: ignore[attr-defined]
            "on_agenda": a.pk in on_agenda,
        }
        for a in assignments
    ]
    return {
        "meeting": meeting,
        "listed": listed,
        "can_manage": meeting_permissions.can_manage_meeting(user, meeting),
        "today": today,
    }


@login_required
@require_GET
def agenda_control(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = authenticated_user(request)
    meeting = meeting_permissions.get_meeting(user, meeting_id)
    return render(request, "control/agenda_control.html", _agenda_context(user, meeting))


@login_required
@require_POST
def agenda_add(request: HttpRequest, meeting_id: int, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    meeting = meeting_permissions.get_meeting(user, meeting_id)
    bodies = [b.pk for b in meeting_bodies(meeting)]
    assignment = (
        Assignment.objects.on_control()
        .filter(body__in=bodies)
        .select_related("body", "lead_executor")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404("Поручение не найдено.")
    require(
        meeting_permissions.can_manage_meeting(user, meeting),
        "Включает в повестку секретарь органа.",
    )
    was_approved = meeting.agenda_approved_at is not None
    try:
        add_to_agenda(user, meeting, assignment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Вопрос о поручении п. {assignment.number} включён в повестку.")
        if was_approved:
            messages.warning(
                request,
                "Повестка была утверждена; после изменения утверждение снято — её нужно "
                "утвердить заново.",
            )
    if is_htmx(request):
        return render(request, "control/agenda_control.html", _agenda_context(user, meeting))
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#agenda-section")
