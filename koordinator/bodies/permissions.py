"""Who may see and change organisations, bodies and composition.

One access helper per object type (``get_body``, ``get_membership``, ``get_organization``):
each fetches through ``visible_to`` and raises 404 for what the user may not see, 403 for what
they may see but not change. Pages and the API both call these.
"""

from __future__ import annotations

from django.db.models import QuerySet

from koordinator.accounts.models import LEADING_ROLES, MANAGING_ROLES, BodyRole, User
from koordinator.bodies.models import Body, Membership, Organization
from koordinator.core.access import fetch_visible, require


def user_roles(user: User) -> dict[int, frozenset[str]]:
    """The user's own roles, by body id (not those inherited from a higher body).

    Cached on the user object for the request, so a page asking many times pays one query.
    """
    cache: dict[int, frozenset[str]] | None = getattr(user, "_body_roles_cache", None)
    if cache is None:
        cache = {}
        if user.is_authenticated and user.is_active:
            for body_id, role in BodyRole.objects.filter(user=user).values_list("body_id", "role"):
                cache[body_id] = cache.get(body_id, frozenset()) | {role}
        user._body_roles_cache = cache  # type: ignore[attr-defined]
    return cache


def body_roles(user: User, body: Body) -> frozenset[str]:
    """The user's own roles in ``body`` (not those inherited from a higher body)."""
    return user_roles(user).get(body.pk, frozenset())


def can_manage_body(user: User, body: Body) -> bool:
    """Change composition and settings: the body's secretary (apparatus) or a superuser."""
    return user.is_superuser or bool(body_roles(user, body) & MANAGING_ROLES)


def can_see_history(user: User, body: Body) -> bool:
    return can_manage_body(user, body) or bool(body_roles(user, body) & LEADING_ROLES)


def get_body(user: User, pk: object, *, for_change: bool = False) -> Body:
    body = fetch_visible(Body.objects.visible_to(user).select_related("organization"), pk)
    if for_change:
        require(can_manage_body(user, body), "Изменять состав и настройки органа может секретарь.")
    return body


def get_body_for_history(user: User, pk: object) -> Body:
    body = get_body(user, pk)
    require(can_see_history(user, body), "Журнал изменений доступен секретарю и председателю.")
    return body


def get_membership(user: User, pk: object, *, for_change: bool = False) -> Membership:
    membership = fetch_visible(
        Membership.objects.visible_to(user).select_related(
            "post__body", "post__organization", "person"
        ),
        pk,
    )
    if for_change:
        require(
            can_manage_body(user, membership.post.body),
            "Изменять состав органа может секретарь.",
        )
    return membership


def organizations_visible_to(user: User) -> QuerySet[Organization]:
    """Organisations are a shared directory: every signed-in user may read it."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    return Organization.objects.all()


def can_edit_organizations(user: User) -> bool:
    """The directory is kept by the apparatus: any body's secretary, or a superuser."""
    if user.is_superuser:
        return True
    return BodyRole.objects.filter(user=user, role__in=MANAGING_ROLES).exists()


def get_organization(user: User, pk: object, *, for_change: bool = False) -> Organization:
    organization = fetch_visible(organizations_visible_to(user).select_related("parent"), pk)
    if for_change:
        require(can_edit_organizations(user), "Справочник организаций ведёт секретарь.")
    return organization
