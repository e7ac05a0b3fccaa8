"""The protocol lifecycle: submit for signature, sign, reopen for correction, distribute the
extracts. Each view fetches and authorizes through the access helper, calls the lifecycle
service and redirects back to the protocol page with a message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from koordinator.core.access import require
from koordinator.core.http import authenticated_user
from koordinator.meetings import selectors_protocol as sel
from koordinator.meetings import services_protocol_lifecycle as lifecycle
from koordinator.meetings.forms_protocol import CorrectionForm
from koordinator.meetings.views_protocol import _version


def _lifecycle(request: HttpRequest, pk: int, done: str, action: Any) -> HttpResponse:
    user = authenticated_user(request)
    protocol = sel.get_protocol(user, pk, for_change=True)
    try:
        action(user, protocol)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("meetings:protocol", pk=protocol.meeting_id)


@login_required
@require_POST
def protocol_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle(
        request,
        pk,
        "Протокол передан на подпись.",
        lambda user, protocol: lifecycle.protocol_submit(
            actor=user, protocol=protocol, version=_version(request)
        ),
    )


@login_required
@require_POST
def protocol_sign(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    protocol = sel.get_protocol(user, pk)
    wanted = ", ".join(r.label for r in lifecycle.required_signatures(protocol))
    require(sel.can_sign(user, protocol), f"Протокол подписывают: {wanted}.")
    try:
        protocol = lifecycle.protocol_sign(actor=user, protocol=protocol)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "Протокол подписан и зарегистрирован."
            if protocol.registered_at
            else "Подпись поставлена.",
        )
    return redirect("meetings:protocol", pk=protocol.meeting_id)


@login_required
@require_POST
def protocol_correct(request: HttpRequest, pk: int) -> HttpResponse:
    form = CorrectionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _lifecycle(
        request,
        pk,
        "Протокол открыт для исправления; после правки его нужно подписать снова.",
        lambda user, protocol: lifecycle.protocol_correct(
            actor=user, protocol=protocol, reason=reason
        ),
    )


@login_required
@require_POST
def protocol_distribute(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    protocol = sel.get_protocol(user, pk, for_change=True)
    try:
        result = lifecycle.protocol_distribute(actor=user, protocol=protocol)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Выписки отправлены: {len(result.sent_to)}.")
        if result.without_email:
            names = ", ".join(o.short_name or o.name for o in result.without_email)
            messages.warning(request, f"Нет адреса электронной почты: {names}.")
    return redirect("meetings:protocol", pk=protocol.meeting_id)
