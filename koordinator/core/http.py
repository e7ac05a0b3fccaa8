"""Small helpers every view uses."""

from __future__ import annotations

from django.http import HttpRequest

from koordinator.accounts.models import User


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx made the request (django-htmx sets ``request.htmx``)."""
    return bool(getattr(request, "htmx", False))


def authenticated_user(request: HttpRequest) -> User:
    """``request.user`` typed as our User; only for views behind ``login_required``."""
    user = request.user
    assert isinstance(user, User)
    return user
