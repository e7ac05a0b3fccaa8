"""Pages for invitations, replies, attendance and quorum, and the calendar feeds.

Each view: fetch and authorize through the access helper (``permissions.get_meeting``: 404
for those who may not see the meeting, 403 on writes for those who may only read), validate,
call one service, respond (a redirect, or a partial for htmx).

Two kinds of pages need no login and are reached by a secret instead: the reply page (the
invitation's random token from the e-mail) and the calendar feeds (a signed token naming the
user; their access is checked again on every request).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koordinator.accounts.models import User
from koordinator.bodies.models import Body, Membership, Person
from koordinator.core.access import HIDDEN, fetch_visible, hide_unless, require
from koordinator.core.forms import add_service_error
from koordinator.core.http import authenticated_user, is_htmx
from koordinator.meetings import ics, permissions, services_attendance, services_invitations
from koordinator.meetings.forms_invitations import (
    AttendanceForm,
    AttendedForm,
    InviteeForm,
    ReplyByHandForm,
    ReplyForm,
    SendForm,
)
from koordinator.meetings.models import Invitation, Invitee, Meeting

# How far back a feed reaches: a calendar needs the coming meetings and the recent ones.
FEED_HISTORY = dt.timedelta(days=400)


def _get_meeting(user: User, pk: int, *, for_change: bool = False) -> Meeting:
    """The meeting, for the people of its bodies. A guest invited to it sees the meeting but
    not who else was invited or came (403)."""
    meeting = permissions.get_meeting(user, pk, for_change=for_change)
    if not for_change and not user.is_superuser:
        ids = [b.pk for b in permissions.meeting_bodies(meeting)]
        require(
            Body.objects.visible_to(user).filter(pk__in=ids).exists(),
            "Список приглашённых и отметки о присутствии видят члены органа.",
        )
    return meeting


# --- invitations -----------------------------------------------------------------------------


def _invitations_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    invitee_form: InviteeForm | None = None,
    reply_form: ReplyByHandForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = authenticated_user(request)
    people = services_invitations.recipients(meeting)
    context = {
        "meeting": meeting,
        "recipients": people,
        "invitees": list(meeting.invitees.select_related("person", "organization")),
        "can_manage": permissions.can_manage_meeting(user, meeting),
        "invitee_form": invitee_form or InviteeForm(),
        "send_form": SendForm(),
        "reply_form": reply_form,
        "reply_choices": ReplyByHandForm.base_fields["response"].choices,  # type: ignore[attr-defined]
        "answered": sum(1 for r in people if r.invitation and r.invitation.responded_at),
        "without_email": [r for r in people if not r.person.email],
    }
    return render(request, "meetings/invitations.html", context, status=status)


@login_required
@require_GET
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting(authenticated_user(request), pk)
    return _invitations_page(request, meeting)


@login_required
@require_POST
def invitations_send(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    meeting = _get_meeting(user, pk, for_change=True)
    form = SendForm(request.POST)
    form.is_valid()
    try:
        result = services_invitations.invitations_send(
            actor=user,
            meeting=meeting,
            resend=bool(form.cleaned_data.get("resend")),
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        (messages.warning if result.without_email else messages.success)(request, result.summary)
    return redirect("meetings:invitations", pk=meeting.pk)


@login_required
@require_POST
def invitee_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    meeting = _get_meeting(user, pk, for_change=True)
    form = InviteeForm(request.POST)
    if form.is_valid():
        try:
            invitee = services_invitations.invitee_add(
                actor=user, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{invitee.person.full_name} приглашён(а).")
            return redirect("meetings:invitations", pk=meeting.pk)
    return _invitations_page(request, meeting, invitee_form=form, status=400)


@login_required
@require_POST
def invitee_remove(request: HttpRequest, pk: int, invitee_pk: int) -> HttpResponse:
    user = authenticated_user(request)
    meeting = _get_meeting(user, pk, for_change=True)
    invitee = get_object_or_404(
        Invitee.objects.select_related("person"), pk=invitee_pk, meeting=meeting
    )
    services_invitations.invitee_remove(actor=user, invitee=invitee)
    messages.success(request, f"Приглашение {invitee.person.full_name} отозвано.")
    return redirect("meetings:invitations", pk=meeting.pk)


@login_required
@require_POST
def invitation_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary records a reply received by telephone or letter."""
    user = authenticated_user(request)
    meeting = _get_meeting(user, pk, for_change=True)
    form = ReplyByHandForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        person = Person.objects.filter(pk=data.pop("person")).first()
        try:
            if person is None:
                raise ValidationError({"person": "Этот человек не приглашён на заседание."})
            services_invitations.invitation_record_reply(
                actor=user, meeting=meeting, person=person, **data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Ответ {person.surname_initials} записан.")
            return redirect("meetings:invitations", pk=meeting.pk)
    return _invitations_page(request, meeting, reply_form=form, status=400)


@require_http_methods(["GET", "POST"])
def invitation_reply(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the link in the invitation: no login, the token is the key."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("meeting", "person"), token=token
    )
    meeting = invitation.meeting
    initial = {
        "response": invitation.response if invitation.responded_at else None,
        "substitute_name": invitation.substitute_name,
        "substitute_position": invitation.substitute_position,
        "reason": invitation.reason,
    }
    form = ReplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_invitations.invitation_respond(invitation=invitation, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Спасибо! Ваш ответ записан.")
            return redirect("meetings:reply", token=token)
    local = meeting.local_starts_at
    context = {
        "invitation": invitation,
        "meeting": meeting,
        "starts": local,
        "summary": ics.summary(meeting),
        "location": ics.location(meeting),
        # The link may be forwarded: restricted titles are never shown here.
        "agenda": ics.agenda_lines(meeting.items.all(), insider=False),
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    response = render(request, "meetings/invitation_reply.html", context, status=status)
    # The token is in the URL: never send it to other sites (but keep the Origin for CSRF).
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- attendance ------------------------------------------------------------------------------


def _attendance_context(user: User, meeting: Meeting) -> dict[str, object]:
    sheet = services_attendance.attendance_sheet(meeting)
    can_adopt, why_not = services_attendance.meeting_can_adopt(meeting)
    return {
        "meeting": meeting,
        "sheet": sheet,
        "quorums": [b.quorum for b in sheet],
        "can_adopt": can_adopt,
        "why_not": why_not,
        "invitees": list(meeting.invitees.select_related("person", "organization")),
        "can_manage": permissions.can_manage_meeting(user, meeting),
        "statuses": AttendanceForm.base_fields["status"].choices,  # type: ignore[attr-defined]
    }


@login_required
@require_GET
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    meeting = _get_meeting(user, pk)
    context = _attendance_context(user, meeting)
    if is_htmx(request):
        return render(request, "meetings/_quorum.html", context)
    return render(request, "meetings/attendance.html", context)


@login_required
@require_POST
def attendance_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one member; for htmx the answer is the member's row and, out of band, the quorum."""
    user = authenticated_user(request)
    meeting = _get_meeting(user, pk, for_change=True)
    form = AttendanceForm(request.POST)
    error = ""
    membership_pk = None
    if form.is_valid():
        data = dict(form.cleaned_data)
        membership_pk = data.pop("membership")
        membership = (
            Membership.objects.select_related("post__body", "person")
            .filter(pk=membership_pk)
            .first()
        )
        try:
            if membership is None:
                raise ValidationError("Этот человек не входит в состав органов заседания.")
            services_attendance.attendance_mark(
                actor=user, meeting=meeting, membership=membership, **data
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(m) for ms in form.errors.values() for m in ms)
    if not is_htmx(request):
        if not error:
            return redirect("meetings:attendance", pk=meeting.pk)
        context = _attendance_context(user, meeting)
        context["error"] = error
        return render(request, "meetings/attendance.html", context, status=400)
    context = _attendance_context(user, meeting)
    row = next(
        (
            (b.body, r)
            for b in context["sheet"]  # type: ignore[attr-defined]
            for r in b.rows
            if r.membership.pk == membership_pk
        ),
        None,
    )
    if row is None:
        return HttpResponse(
            format_html('<p class="error" role="alert">{}</p>', error or "Не найдено."),
            status=400,
        )
    context.update({"body": row[0], "row": row[1], "row_error": error})
    html = render_to_string("meetings/attendance.html#member-row", context, request=request)
    html += render_to_string("meetings/_quorum.html", {**context, "oob": True}, request=request)
    return HttpResponse(html)


@login_required
@require_POST
def attendance_from_replies(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark every member not yet marked as their reply to the invitation says."""
    user = authenticated_user(request)
    meeting = _get_meeting(user, pk, for_change=True)
    marked = services_attendance.attendance_from_replies(actor=user, meeting=meeting)
    messages.success(request, f"Отмечено по ответам на приглашения: {marked}.")
    return redirect("meetings:attendance", pk=meeting.pk)


@login_required
@require_POST
def invitee_attended(request: HttpRequest, pk: int, invitee_pk: int) -> HttpResponse:
    user = authenticated_user(request)
    meeting = _get_meeting(user, pk, for_change=True)
    invitee = get_object_or_404(
        Invitee.objects.select_related("person", "organization"), pk=invitee_pk, meeting=meeting
    )
    form = AttendedForm(request.POST)
    form.is_valid()
    invitee.meeting = meeting
    services_attendance.invitee_set_attended(
        actor=user, invitee=invitee, attended=bool(form.cleaned_data.get("attended"))
    )
    if is_htmx(request):
        return render(
            request,
            "meetings/attendance.html#invitee-row",
            {"meeting": meeting, "invitee": invitee, "can_manage": True},
        )
    return redirect("meetings:attendance", pk=meeting.pk)


# --- calendar --------------------------------------------------------------------------------


@login_required
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """The user's subscription links: one for all their meetings, one per body."""
    user = authenticated_user(request)
    bodies = Body.objects.visible_to(user).filter(is_active=True).order_by("path", "name")

    def url(name: str, token: str) -> str:
        return request.build_absolute_uri(reverse(name, args=[token]))

    context = {
        "user_feed": url("meetings:calendar_user", ics.feed_token(user)),
        "body_feeds": [(b, url("meetings:calendar_body", ics.feed_token(user, b))) for b in bodies],
    }
    return render(request, "meetings/calendar.html", context)


def _feed_user(token: str) -> tuple[User, int | None]:
    owner = ics.read_feed_token(token)
    user = User.objects.filter(pk=owner.user_id, is_active=True).first() if owner else None
    if owner is None or user is None or not ics.feed_user_matches(owner, user):
        raise Http404(HIDDEN)
    return user, owner.body_id


def _feed_response(meetings: QuerySet[Meeting], name: str) -> HttpResponse:
    data = ics.feed_ics(meetings, name=name)
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="koordinator.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def _feed_meetings(user: User) -> QuerySet[Meeting]:
    since = timezone.now() - FEED_HISTORY
    return (
        Meeting.objects.visible_to(user)
        .filter(starts_at__gte=since)
        .with_bodies()
        .prefetch_related("studios", "items")
        .order_by("starts_at")
    )


@require_GET
def calendar_body(request: HttpRequest, token: str) -> HttpResponse:
    """A body's meetings, for as long as the token's user may see the body."""
    user, body_id = _feed_user(token)
    hide_unless(body_id is not None)
    body = fetch_visible(Body.objects.visible_to(user), body_id)
    meetings = _feed_meetings(user).filter(meeting_bodies__body=body)
    return _feed_response(meetings, f"Заседания: {body.short_name or body.name}")


@require_GET
def calendar_user(request: HttpRequest, token: str) -> HttpResponse:
    """Every meeting the token's user may see today."""
    user, body_id = _feed_user(token)
    hide_unless(body_id is None)
    return _feed_response(_feed_meetings(user), "Мои заседания — Координатор")
