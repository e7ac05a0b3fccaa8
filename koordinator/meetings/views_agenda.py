"""Pages for meetings and agendas (work plan pages are in ``views_plan``). Each view: fetch and authorize through an access
helper (404 for what the user may not see, 403 for what they may see but not change), validate,
call one service, respond (a redirect, or a partial for htmx)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koordinator.accounts.models import User
from koordinator.bodies import permissions as body_permissions
from koordinator.bodies.models import Body
from koordinator.core.forms import add_service_error
from koordinator.core.http import authenticated_user, is_htmx
from koordinator.core.links import link_by_id
from koordinator.core.rows import render_rows
from koordinator.meetings import (
    permissions,
    rows,
    selectors,
    services_agenda,
    services_meeting,
)
from koordinator.meetings.forms_agenda import (
    AgendaItemForm,
    CancelForm,
    MaterialForm,
    MeetingForm,
    RapporteurForm,
)
from koordinator.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
)
from koordinator.meetings.selectors_protocol import protocol_with

APPROVAL_WITHDRAWN = (
    "Повестка была утверждена; после изменения утверждение снято — её нужно утвердить заново."
)


def service_error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def other_bodies(user: User, host: Body) -> Any:
    return Body.objects.visible_to(user).exclude(pk=host.pk).order_by("name")


# --- meetings of a body ----------------------------------------------------------------------


@login_required
@require_GET
def body_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    body = body_permissions.get_body(user, pk)
    upcoming, past = selectors.body_meetings(user, body)
    return render(
        request,
        "meetings/body_meetings.html",
        {
            "body": body,
            "upcoming": upcoming,
            "past": past,
            "can_manage": body_permissions.can_manage_body(user, body),
        },
    )


def _meeting_form(
    request: HttpRequest, user: User, host: Body, day: dt.date, **kwargs: Any
) -> MeetingForm:
    return MeetingForm(
        request.POST or None,
        people=selectors.composition_people([host], day),
        bodies=other_bodies(user, host),
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    body = body_permissions.get_body(user, pk, for_change=True)
    today = timezone.localdate()
    form = _meeting_form(
        request, user, body, today, initial={"date": today, "starts_at": dt.time(10, 0)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services_meeting.meeting_create(
                actor=user, body=body, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Заседание создано. Сформируйте повестку.")
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"body": body, "form": form, "title": "Новое заседание"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    meeting = permissions.get_meeting(user, pk, for_change=True)
    host = selectors.host_body(meeting)
    start = meeting.local_starts_at
    ends = meeting.ends_at.astimezone(start.tzinfo) if meeting.ends_at else None
    initial = {
        "kind": meeting.kind,
        "format": meeting.format,
        "date": start.date(),
        "starts_at": start.time(),
        "ends_at": ends.time() if ends else None,
        "place": meeting.place,
        "vks_link": meeting.vks_link,
        "studios": "\n".join(
            f"{s.name}; {s.address}" if s.address else s.name for s in meeting.studios.all()
        ),
        "presiding": meeting.presiding_id,
        "secretary": meeting.secretary_id,
        "other_bodies": [b.pk for b in permissions.meeting_bodies(meeting)[1:]],
    }
    form = MeetingForm(
        request.POST or None,
        initial=initial,
        people=selectors.composition_people(permissions.meeting_bodies(meeting), start.date()),
        bodies=other_bodies(user, host),
    )
    if not body_permissions.can_manage_body(user, host):
        # A co-body's secretary edits the meeting but not who takes part in it.
        form.fields.pop("other_bodies", None)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        fields["other_bodies"] = fields["other_bodies"] if "other_bodies" in form.fields else None
        try:
            services_meeting.meeting_update(actor=user, meeting=meeting, **fields)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"body": host, "meeting": meeting, "form": form, "title": "Изменить заседание"},
    )


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    meeting = permissions.get_meeting(user, pk, for_change=True)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services_meeting.meeting_cancel(
            actor=user, meeting=meeting, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        service_error(request, exc)
    else:
        messages.success(request, "Заседание отменено.")
    return redirect("meetings:detail", pk=meeting.pk)


# --- the meeting hub -------------------------------------------------------------------------


def _detail_context(request: HttpRequest, user: User, meeting: Meeting) -> dict[str, Any]:
    items = selectors.agenda(meeting, user)
    can_manage = permissions.can_manage_meeting(user, meeting)
    managing = can_manage and meeting.status != MeetingStatus.CANCELLED
    return {
        # The items through a Jinja2 row template (core.rows), as the inbox's rows are.
        "agenda_html": render_rows(
            "meetings/agenda_rows.html",
            rows.agenda_items(items),
            can_manage=managing,
            csrf_input=csrf_input(request),
            meeting_pk=meeting.pk,
            control_url=link_by_id("control:agenda_control")(meeting.pk),
        ),
        "meeting": meeting,
        "bodies": permissions.meeting_bodies(meeting),
        "host": selectors.host_body(meeting),
        "start": meeting.local_starts_at,
        "end": (
            meeting.ends_at.astimezone(zoneinfo.ZoneInfo(meeting.timezone))
            if meeting.ends_at
            else None
        ),
        "missing": selectors.missing_materials(items) if can_manage else [],
        "can_manage": managing,
        "can_lead": permissions.can_lead_meeting(user, meeting),
        "insider": permissions.is_insider(user, meeting),
        "cancelled": meeting.status == MeetingStatus.CANCELLED,
        # Read only where the template prints them (not for the agenda's partial).
        "studios": lambda: selectors.studios_of(meeting.pk),
        "protocol": lambda: protocol_with(meeting),
    }


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    meeting = permissions.get_meeting(user, pk)
    context = _detail_context(request, user, meeting)
    if is_htmx(request):
        return render(request, "meetings/meeting_detail.html#agenda", context)
    return render(request, "meetings/meeting_detail.html", context)


def _agenda_changed(request: HttpRequest, withdrawn: bool) -> None:
    if withdrawn:
        messages.warning(request, APPROVAL_WITHDRAWN)


def _change_agenda(
    request: HttpRequest, meeting: Meeting, change: Callable[[], object], success: str
) -> None:
    """Call one agenda service: its errors become messages; on success, ``success`` and, if the
    agenda had been approved, the warning that the approval is withdrawn."""
    was_approved = meeting.agenda_approved_at is not None
    try:
        change()
    except ValidationError as exc:
        service_error(request, exc)
    else:
        messages.success(request, success)
        _agenda_changed(request, was_approved)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    meeting = permissions.get_meeting(user, pk, for_change=True)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        was_approved = meeting.agenda_approved_at is not None
        try:
            item = services_agenda.item_add(actor=user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Вопрос {item.number} добавлен в повестку.")
            _agenda_changed(request, was_approved)
            return redirect("meetings:agenda_item_edit", pk=item.pk)
    return render(
        request,
        "meetings/agenda_item_form.html",
        {"meeting": meeting, "form": form, "title": "Новый вопрос повестки"},
    )


@login_required
@require_POST
def agenda_control_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    meeting = permissions.get_meeting(user, pk, for_change=True)
    _change_agenda(
        request,
        meeting,
        lambda: services_agenda.control_item_add(actor=user, meeting=meeting),
        "Вопрос о ходе исполнения решений добавлен в повестку.",
    )
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def agenda_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    meeting = permissions.get_meeting_for_leader(user, pk)
    try:
        services_agenda.agenda_approve(actor=user, meeting=meeting)
    except ValidationError as exc:
        service_error(request, exc)
    else:
        messages.success(request, "Повестка утверждена.")
    return redirect("meetings:detail", pk=meeting.pk)


def _item_page(
    request: HttpRequest,
    user: User,
    item: AgendaItem,
    form: AgendaItemForm,
    *,
    rapporteur_form: RapporteurForm | None = None,
    material_form: MaterialForm | None = None,
    status: int = 200,
) -> HttpResponse:
    meeting = item.meeting
    return render(
        request,
        "meetings/agenda_item_form.html",
        {
            "meeting": meeting,
            "item": item,
            "form": form,
            "title": f"Вопрос {item.number}",
            "rapporteurs": list(item.rapporteurs.select_related("person", "organization")),
            "materials": [
                m
                for m in item.materials.select_related("organization")
                if not m.restricted or permissions.is_insider(user, meeting)
            ],
            "rapporteur_form": rapporteur_form
            or RapporteurForm(people=selectors.meeting_people(meeting)),
            "material_form": material_form or MaterialForm(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    item = selectors.get_item(user, pk, for_change=True)
    form = AgendaItemForm(
        request.POST or None,
        initial={
            "title": item.title,
            "duration_minutes": item.duration_minutes,
            "materials_due_on": item.materials_due_on,
            "restricted": item.restricted,
        },
    )
    if request.method == "POST" and form.is_valid():
        was_approved = item.meeting.agenda_approved_at is not None
        try:
            updated = services_agenda.item_update(actor=user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Вопрос сохранён.")
            _agenda_changed(request, was_approved and updated.meeting.agenda_approved_at is None)
            return redirect("meetings:detail", pk=item.meeting_id)
    return _item_page(request, user, item, form)


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    item = selectors.get_item(user, pk, for_change=True)
    was_approved = item.meeting.agenda_approved_at is not None
    try:
        services_agenda.item_move(actor=user, item=item, up=request.POST.get("direction") == "up")
    except ValidationError as exc:
        service_error(request, exc)
    else:
        # The htmx partial shows the approval state itself; a queued message would only
        # surface on some later page.
        _agenda_changed(request, was_approved and not is_htmx(request))
    if is_htmx(request):
        meeting = permissions.get_meeting(user, item.meeting_id)
        return render(
            request, "meetings/meeting_detail.html#agenda", _detail_context(request, user, meeting)
        )
    return redirect("meetings:detail", pk=item.meeting_id)


@login_required
@require_POST
def agenda_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    item = selectors.get_item(user, pk, for_change=True)
    _change_agenda(
        request,
        item.meeting,
        lambda: services_agenda.item_delete(actor=user, item=item),
        "Вопрос удалён из повестки.",
    )
    return redirect("meetings:detail", pk=item.meeting_id)


@login_required
@require_POST
def rapporteur_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    item = selectors.get_item(user, pk, for_change=True)
    form = RapporteurForm(request.POST, people=selectors.meeting_people(item.meeting))
    if form.is_valid():
        was_approved = item.meeting.agenda_approved_at is not None
        try:
            services_agenda.rapporteur_add(actor=user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Докладчик добавлен.")
            _agenda_changed(request, was_approved)
            return redirect("meetings:agenda_item_edit", pk=item.pk)
    return _item_page(
        request, user, item, AgendaItemForm(initial={"title": item.title}),
        rapporteur_form=form, status=400,
    )  # fmt: skip


@login_required
@require_POST
def rapporteur_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    rapporteur = selectors.get_rapporteur(user, pk)
    item = rapporteur.item
    _change_agenda(
        request,
        item.meeting,
        lambda: services_agenda.rapporteur_remove(actor=user, rapporteur=rapporteur),
        "Докладчик исключён.",
    )
    return redirect("meetings:agenda_item_edit", pk=item.pk)


@login_required
@require_POST
def material_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    item = selectors.get_item(user, pk, for_change=True)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services_agenda.material_upload(actor=user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Материал загружен.")
            return redirect("meetings:agenda_item_edit", pk=item.pk)
    return _item_page(
        request, user, item, AgendaItemForm(initial={"title": item.title}),
        material_form=form, status=400,
    )  # fmt: skip


@login_required
@require_GET
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    user = authenticated_user(request)
    material = selectors.get_material(user, pk)
    return FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=(material.file.name or "material").rsplit("/", 1)[-1],
    )


@login_required
@require_POST
def material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    material = selectors.get_material(user, pk)
    item = selectors.get_item(user, material.item_id, for_change=True)
    services_agenda.material_delete(actor=user, material=material)
    messages.success(request, "Материал удалён.")
    return redirect("meetings:agenda_item_edit", pk=item.pk)
