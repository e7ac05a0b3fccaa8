"""The protocol editor (submit, sign, correct and distribute are in
``views_protocol_lifecycle``). Each view: fetch and authorize through the access helper (404
for outsiders, 403 for read-only users), validate, call the service, respond: a partial for
htmx (the changed item, with the new protocol version out of band), a redirect otherwise.

A refused save (a stale version, a deadline that does not read) answers with the same form,
filled with what the user typed, so that nothing typed is lost."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from koordinator.accounts.models import User
from koordinator.bodies.models import Organization, Person
from koordinator.core.compiled import attach
from koordinator.core.forms import add_service_error
from koordinator.core.http import authenticated_user, is_htmx
from koordinator.core.rows import render_rows
from koordinator.meetings import permissions, rows
from koordinator.meetings import selectors_protocol as sel
from koordinator.meetings import services_protocol as svc
from koordinator.meetings import services_protocol_lifecycle as lifecycle
from koordinator.meetings.forms_protocol import (
    DecisionForm,
    ItemMinutesForm,
    MoveForm,
    ProtocolSettingsForm,
    SpeechForm,
)
from koordinator.meetings.models import (
    AgendaItem,
    Decision,
    Meeting,
    Protocol,
)
from koordinator.meetings.quorum import quorum
from koordinator.meetings.services_protocol_common import StaleVersion, is_unreadable, read_deadline

PAGE = "meetings/protocol.html"

# A bound form that was refused, to show in place of the fresh one: (kind, pk, form).
Bound = tuple[str, int, forms.Form]


# --- building the page -----------------------------------------------------------------------


def _decision_initial(d: Decision, version: int) -> dict[str, Any]:
    return {
        "version": version,
        "text": d.text,
        "lead_executor": d.lead_executor_id,
        "co_executors": [o.pk for o in d.co_executors.all()],
        "deadline_text": d.deadline_text,
        "due_on": d.due_on,
        "votes_for": d.votes_for,
        "votes_against": d.votes_against,
        "votes_abstained": d.votes_abstained,
        "dissent": d.dissent,
        "restricted": d.restricted,
    }


def _context(
    user: User,
    meeting: Meeting,
    protocol: Protocol | None,
    *,
    bound: Bound | None = None,
    focus: int | None = None,
) -> dict[str, Any]:
    view = sel.protocol_items(user, meeting, protocol)
    if protocol is not None:
        # Read once: the list, what is missing and whether the user may sign all use them.
        attach([protocol], "signatures", sel.signatures_of(protocol.pk))
    members = sel.meeting_members(meeting)
    attendance = svc.meeting_attendance(meeting, members)
    can_manage = permissions.can_manage_meeting(user, meeting)
    editable = bool(protocol and can_manage and protocol.is_editable and not view.hidden)
    version = protocol.version if protocol else 1
    if editable:
        orgs = sel.organization_choices()
        people = sel.person_choices(meeting, members)
        for iv in view.items:
            item = iv.item
            iv.minutes_form = _pick(
                bound,
                "item",
                item.pk,
                lambda item=item: ItemMinutesForm(
                    initial={
                        "version": version,
                        "heard_summary": item.heard_summary,
                        "report_attached": item.report_attached,
                        "restricted": item.restricted,
                    },
                    auto_id=f"i{item.pk}-%s",
                ),
            )
            iv.new_speech_form = _pick(
                bound,
                "new_speech",
                item.pk,
                lambda item=item: SpeechForm(
                    initial={"version": version}, people=people, auto_id=f"ns{item.pk}-%s"
                ),
            )
            iv.speech_forms = [
                (
                    s,
                    _pick(
                        bound,
                        "speech",
                        s.pk,
                        lambda s=s: SpeechForm(
                            initial={
                                "version": version,
                                "person": s.person_id,
                                "speaker": s.speaker,
                                "summary": s.summary,
                            },
                            people=people,
                            auto_id=f"s{s.pk}-%s",
                        ),
                    ),
                )
                for s in iv.speeches
            ]
            decision_forms = []
            for d in iv.decisions:
                form = _pick(
                    bound,
                    "decision",
                    d.pk,
                    lambda d=d: DecisionForm(
                        initial=_decision_initial(d, version),
                        organizations=orgs,
                        auto_id=f"d{d.pk}-%s",
                    ),
                )
                if d.pk == focus:
                    form.fields["text"].widget.attrs["autofocus"] = True
                decision_forms.append((d, form))
            iv.decision_forms = decision_forms
    items = [iv.item for iv in view.items]
    return {
        # Read, not edited: the items through a Jinja2 row template (core.rows).
        "items_html": ""
        if editable or view.hidden
        else render_rows("meetings/protocol_items.html", rows.protocol_items(view)),
        "meeting": meeting,
        "protocol": protocol,
        "view": view,
        "items": items,
        "bodies": permissions.meeting_bodies(meeting),
        "can_manage": can_manage,
        "editable": editable,
        "can_sign": bool(protocol and sel.can_sign(user, protocol)),
        "settings_form": ProtocolSettingsForm(
            initial={
                "version": version,
                "form": protocol.form if protocol else "full",
                "restricted": protocol.restricted if protocol else False,
            }
        )
        if editable
        else None,
        "present": svc.present_block(meeting, attendance),
        "quorum": quorum(meeting, attendance=attendance, members=members),
        "numbers": sel.numbers(meeting),
        "signatures": list(protocol.signatures.all()) if protocol else [],
        "missing_signatures": lifecycle.missing_signatures(protocol) if protocol else [],
        "revisions": sel.revisions_of(protocol.pk) if protocol and protocol.corrections else [],
        "focus": focus,
    }


def _pick(bound: Bound | None, kind: str, pk: int, make: Any) -> Any:
    if bound is not None and bound[0] == kind and bound[1] == pk:
        return bound[2]
    return make()


def _respond(
    request: HttpRequest,
    protocol: Protocol,
    *,
    item_pk: int | None = None,
    decision_pk: int | None = None,
    bound: Bound | None = None,
    status: int = 200,
    focus: int | None = None,
    anchor: str = "",
) -> HttpResponse:
    """A redirect (or the page with the refused form) without htmx; with htmx the smallest
    part that changed: one decision, one item, or all items (a decision moved between items).
    The target is set by the response, so any form may answer with any part."""
    user = authenticated_user(request)
    url = reverse("meetings:protocol", args=[protocol.meeting_id])
    if not is_htmx(request) and status == 200:
        return redirect(f"{url}{anchor}")
    context = _context(user, protocol.meeting, protocol, bound=bound, focus=focus)
    if not is_htmx(request):
        return render(request, PAGE, context, status=status)
    if not context["editable"]:  # signed meanwhile: every item as it now reads
        return _retarget(
            render(request, f"{PAGE}#items", context, status=status), "#protocol-items"
        )
    iv = next((iv for iv in context["view"].items if iv.item.pk == item_pk), None)
    if iv is not None and decision_pk is not None:
        pair = next((p for p in iv.decision_forms if p[0].pk == decision_pk), None)
        if pair is not None:
            context.update(oob="decision", iv=iv, d=pair[0], form=pair[1])
            response = render(request, f"{PAGE}#decision", context, status=status)
            return _retarget(response, f"#decision-{decision_pk}")
    if iv is not None:
        context.update(oob="item", iv=iv)
        response = render(request, f"{PAGE}#item", context, status=status)
        return _retarget(response, f"#item-{item_pk}")
    context["oob"] = "items"
    return _retarget(render(request, f"{PAGE}#items", context, status=status), "#protocol-items")


def _retarget(response: HttpResponse, target: str) -> HttpResponse:
    response["HX-Retarget"] = target
    response["HX-Reswap"] = "outerHTML"
    return response


def _refused(exc: ValidationError, form: forms.Form) -> int:
    add_service_error(form, exc)
    return 409 if isinstance(exc, StaleVersion) else 400


# --- the page --------------------------------------------------------------------------------


@login_required
@require_GET
def protocol_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The protocol of the meeting; opening it the first time starts the draft (for the
    secretary; others see that it has not been started)."""
    user = authenticated_user(request)
    meeting = sel.get_meeting(user, pk)
    protocol = sel.protocol_with(meeting)
    if protocol is None and permissions.can_manage_meeting(user, meeting):
        protocol = svc.protocol_get_or_create(actor=user, meeting=meeting)
    if protocol is not None:
        protocol.meeting = meeting
    return render(request, PAGE, _context(user, meeting, protocol))


@login_required
@require_POST
def protocol_settings(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    protocol = sel.get_protocol(user, pk, for_change=True)
    form = ProtocolSettingsForm(request.POST)
    if form.is_valid():
        try:
            svc.protocol_update(
                actor=user,
                protocol=protocol,
                version=form.cleaned_data["version"],
                form=form.cleaned_data["form"],
                restricted=form.cleaned_data["restricted"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Форма протокола сохранена.")
    else:
        messages.error(request, "Форма протокола не сохранена: проверьте поля.")
    return redirect("meetings:protocol", pk=protocol.meeting_id)


@login_required
@require_POST
def item_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    item, protocol = sel.get_item(user, pk, for_change=True)
    form = ItemMinutesForm(request.POST, auto_id=f"i{item.pk}-%s")
    status = 400
    if form.is_valid():
        try:
            svc.item_minutes_update(
                actor=user,
                protocol=protocol,
                version=form.cleaned_data["version"],
                item=item,
                heard_summary=form.cleaned_data["heard_summary"],
                report_attached=form.cleaned_data["report_attached"],
                restricted=form.cleaned_data["restricted"],
            )
        except ValidationError as exc:
            status = _refused(exc, form)
        else:
            return _respond(request, protocol, item_pk=item.pk, anchor=f"#item-{item.pk}")
    return _respond(
        request, protocol, item_pk=item.pk, bound=("item", item.pk, form), status=status
    )


# --- ВЫСТУПИЛИ -------------------------------------------------------------------------------


def _person(pk: int | None) -> Person | None:
    return Person.objects.filter(pk=pk).first() if pk else None


def _speech_post(
    request: HttpRequest,
    protocol: Protocol,
    item_pk: int,
    bound_key: tuple[str, int],
    auto_id: str,
    save: Callable[..., object],
) -> HttpResponse:
    """Add or save a speech: the same form, the same refusal, the same item re-rendered."""
    user = authenticated_user(request)
    form = SpeechForm(request.POST, people=sel.person_choices(protocol.meeting), auto_id=auto_id)
    status = 400
    if form.is_valid():
        try:
            save(
                actor=user,
                protocol=protocol,
                version=form.cleaned_data["version"],
                person=_person(form.cleaned_data["person"]),
                speaker=form.cleaned_data["speaker"],
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as exc:
            status = _refused(exc, form)
        else:
            return _respond(request, protocol, item_pk=item_pk, anchor=f"#item-{item_pk}")
    return _respond(request, protocol, item_pk=item_pk, bound=(*bound_key, form), status=status)


@login_required
@require_POST
def speech_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    item, protocol = sel.get_item(user, pk, for_change=True)
    return _speech_post(
        request,
        protocol,
        item.pk,
        ("new_speech", item.pk),
        f"ns{item.pk}-%s",
        partial(svc.speech_add, item=item),
    )


@login_required
@require_POST
def speech_save(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    speech, protocol = sel.get_speech(user, pk, for_change=True)
    return _speech_post(
        request,
        protocol,
        speech.item_id,
        ("speech", speech.pk),
        f"s{speech.pk}-%s",
        partial(svc.speech_update, speech=speech),
    )


def _version(request: HttpRequest) -> int | None:
    form = MoveForm(request.POST)
    return form.cleaned_data["version"] if form.is_valid() else None


def _simple(
    request: HttpRequest, protocol: Protocol, item_pk: int | None, action: Any, **kwargs: Any
) -> HttpResponse:
    """Delete / move: no form to refill; a refusal becomes a message (and a 409/400)."""
    user = authenticated_user(request)
    try:
        action(actor=user, protocol=protocol, version=_version(request), **kwargs)
    except ValidationError as exc:
        status = 409 if isinstance(exc, StaleVersion) else 400
        if not is_htmx(request):
            messages.error(request, " ".join(exc.messages))
            return redirect("meetings:protocol", pk=protocol.meeting_id)
        response = _respond(request, protocol, item_pk=item_pk, status=status)
        response["HX-Trigger"] = _trigger_error(" ".join(exc.messages))
        return response
    anchor = f"#item-{item_pk}" if item_pk else ""
    return _respond(request, protocol, item_pk=item_pk, anchor=anchor)


def _trigger_error(message: str) -> str:
    return json.dumps({"protocol-error": message}, ensure_ascii=True)


@login_required
@require_POST
def speech_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    speech, protocol = sel.get_speech(user, pk, for_change=True)
    return _simple(request, protocol, speech.item_id, svc.speech_delete, speech=speech)


@login_required
@require_POST
def speech_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    speech, protocol = sel.get_speech(user, pk, for_change=True)
    direction = "down" if request.POST.get("direction") == "down" else "up"
    return _simple(
        request, protocol, speech.item_id, svc.speech_move, speech=speech, direction=direction
    )


# --- РЕШИЛИ ----------------------------------------------------------------------------------


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    item, protocol = sel.get_item(user, pk, for_change=True)
    try:
        decision = svc.decision_add(
            actor=user, protocol=protocol, version=_version(request), item=item
        )
    except ValidationError as exc:
        status = 409 if isinstance(exc, StaleVersion) else 400
        if not is_htmx(request):
            messages.error(request, " ".join(exc.messages))
            return redirect("meetings:protocol", pk=protocol.meeting_id)
        response = _respond(request, protocol, item_pk=item.pk, status=status)
        response["HX-Trigger"] = _trigger_error(" ".join(exc.messages))
        return response
    if not is_htmx(request):
        return redirect(
            reverse("meetings:protocol", args=[protocol.meeting_id]) + f"#decision-{decision.pk}"
        )
    return _respond(request, protocol, item_pk=item.pk, focus=decision.pk)


def _organizations(ids: list[int]) -> dict[int, Organization]:
    return Organization.objects.in_bulk(ids)


@login_required
@require_POST
def decision_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save a decision; with ``next`` (Ctrl+Enter) add the next one and focus it."""
    user = authenticated_user(request)
    decision, protocol = sel.get_decision(user, pk, for_change=True)
    form = DecisionForm(
        request.POST, organizations=sel.organization_choices(), auto_id=f"d{decision.pk}-%s"
    )
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        orgs = _organizations(
            [x for x in [data["lead_executor"], *data["co_executors"]] if x is not None]
        )
        try:
            svc.decision_update(
                actor=user,
                protocol=protocol,
                version=data["version"],
                decision=decision,
                text=data["text"],
                lead_executor=orgs.get(data["lead_executor"]) if data["lead_executor"] else None,
                co_executors=[orgs[i] for i in data["co_executors"] if i in orgs],
                deadline_text=data["deadline_text"],
                due_on=data["due_on"],
                votes_for=data["votes_for"],
                votes_against=data["votes_against"],
                votes_abstained=data["votes_abstained"],
                dissent=data["dissent"],
                restricted=data["restricted"],
            )
            focus = None
            if data["next"]:
                new = svc.decision_add(
                    actor=user,
                    protocol=protocol,
                    version=protocol.version,
                    item=decision.item,
                    after=decision,
                )
                focus = new.pk
        except ValidationError as exc:
            status = _refused(exc, form)
        else:
            anchor = f"#decision-{focus or decision.pk}"
            if not is_htmx(request) and focus:
                return redirect(reverse("meetings:protocol", args=[protocol.meeting_id]) + anchor)
            return _respond(
                request,
                protocol,
                item_pk=decision.item_id,
                decision_pk=None if focus else decision.pk,
                focus=focus,
                anchor=anchor,
            )
    return _respond(
        request,
        protocol,
        item_pk=decision.item_id,
        decision_pk=decision.pk,
        bound=("decision", decision.pk, form),
        status=status,
    )


@login_required
@require_POST
def decision_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    decision, protocol = sel.get_decision(user, pk, for_change=True)
    return _simple(request, protocol, decision.item_id, svc.decision_delete, decision=decision)


@login_required
@require_POST
def decision_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Up/down within the item, or to another item (then the whole list is re-rendered)."""
    user = authenticated_user(request)
    decision, protocol = sel.get_decision(user, pk, for_change=True)
    form = MoveForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    to_item = None
    if data.get("to_item"):
        to_item = AgendaItem.objects.filter(pk=data["to_item"], meeting=protocol.meeting).first()
        if to_item is None:
            messages.error(request, "Такого вопроса в повестке нет.")
            return redirect("meetings:protocol", pk=protocol.meeting_id)
    direction = data.get("direction") or None
    item_pk = None if to_item is not None else decision.item_id
    return _simple(
        request,
        protocol,
        item_pk,
        svc.decision_move,
        decision=decision,
        direction=direction,
        to_item=to_item,
    )


@login_required
@require_POST
def deadline_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What a deadline phrase reads as, live while the secretary types it."""
    user = authenticated_user(request)
    protocol = sel.get_protocol(user, pk, for_change=True)
    text = (request.POST.get("deadline_text") or "").strip()[:300]
    result = read_deadline(text, meeting=protocol.meeting, protocol=protocol) if text else None
    dates: list[Any] = []
    if result is not None and not is_unreadable(result):
        dates = result.due_dates(4) if result.kind == "recurring" else [result.due]
    return render(
        request,
        f"{PAGE}#deadline",
        {
            "result": result,
            "dates": dates,
            "unreadable": result is not None and is_unreadable(result),
        },
    )
