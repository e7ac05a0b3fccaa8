"""Placeholder: filled by the sub-domain's work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from koordinator.core.http import authenticated_user
from koordinator.meetings import permissions


def _stub(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.get_meeting(authenticated_user(request), pk)
    return HttpResponse("Раздел в разработке.", status=501)


attendance = login_required(_stub)
invitations = login_required(_stub)
