"""Template context shared by every page: the user's bodies and the control links for the
navigation."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

NAV_BODIES = 30


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from koordinator.accounts.models import BodyRoleKind
    from koordinator.accounts.standing import standing

    def nav_bodies() -> list[Any]:
        """The bodies where the user holds a role of their own (bodies below a higher body
        are reached from its page, not listed here)."""
        held = sorted(standing(user).bodies.values(), key=lambda b: (b.name, b.pk))
        return held[:NAV_BODIES]

    @cache
    def nav_control() -> dict[str, bool]:
        """Which control links to show: «Контроль» to people with a role of their own in a
        body, «Сводка» to observers of a higher body, «Мои поручения» to executor officers."""
        from koordinator.bodies.permissions import user_roles
        from koordinator.control.permissions import executor_org_ids

        kinds = set().union(*user_roles(user).values())
        own = bool(kinds - {BodyRoleKind.OBSERVER})
        return {
            "register": own or user.is_superuser,
            # Observers of a higher body see counts and overdue lists of the bodies below.
            "summary": bool(kinds) and not own,
            "inbox": bool(executor_org_ids(user)),
        }

    # Lazy: pages that do not render the navigation pay no query.
    return {"nav_bodies": nav_bodies, "nav_control": nav_control}
