"""The start page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from koordinator.accounts.models import OrganizationRole
from koordinator.bodies.selectors import bodies_for_list
from koordinator.core.http import authenticated_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    bodies = list(bodies_for_list(user))
    agencies = list(OrganizationRole.objects.filter(user=user).select_related("organization"))
    return render(request, "core/home.html", {"bodies": bodies, "agencies": agencies})
