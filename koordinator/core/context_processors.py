"""Template context shared by every page: the user's bodies and the control links for the
navigation."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from koordinator.bodies.models import Body

    def nav_bodies() -> list[Body]:
        return list(Body.objects.visible_to(user).only("id", "short_name", "name")[:30])

    @cache
    def nav_control() -> dict[str, bool]:
        """Which control links to show: «Контроль» to people with a role of their own in a
        body, «Сводка» to observers of a higher body, «Мои поручения» to executor officers.
        One query for all."""
        from django.db.models import Exists, OuterRef

        from koordinator.accounts.models import BodyRole, BodyRoleKind, OrganizationRole, User

        row: Any = (
            User.objects.filter(pk=user.pk)
            .annotate(
                has_body=Exists(BodyRole.objects.filter(user=OuterRef("pk"))),
                has_own=Exists(
                    BodyRole.objects.filter(user=OuterRef("pk")).exclude(role=BodyRoleKind.OBSERVER)
                ),
                has_org=Exists(OrganizationRole.objects.filter(user=OuterRef("pk"))),
            )
            .values("has_body", "has_own", "has_org")
            .first()
        ) or {}
        return {
            "register": bool(row.get("has_own")) or user.is_superuser,
            # Observers of a higher body see counts and overdue lists of the bodies below.
            "summary": bool(row.get("has_body")) and not row.get("has_own"),
            "inbox": bool(row.get("has_org")),
        }

    # Lazy: pages that do not render the navigation pay no query.
    return {"nav_bodies": nav_bodies, "nav_control": nav_control}
