"""Template context shared by every page: the user's bodies for the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from koordinator.bodies.models import Body

    def nav_bodies() -> list[Body]:
        return list(Body.objects.visible_to(user).only("id", "short_name", "name")[:30])

    # Lazy: pages that do not render the navigation pay no query.
    return {"nav_bodies": nav_bodies}
