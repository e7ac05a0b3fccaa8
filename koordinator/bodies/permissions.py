"""Who may see and change organisations, bodies and composition.

One access helper per object type (``get_body``, ``get_membership``, ``get_organization``):
each fetches through ``visible_to`` and raises 404 for what the user may not see, 403 for what
they may see but not change. Pages and the API both call these.
"""

from __future__ import annotations

from django.db.models import QuerySet

from koordinator.accounts.models import LEADING_ROLES, MANAGING_ROLES, User
from koordinator.accounts.standing import standing
from koordinator.bodies.models import Body, Membership, Organization
from koordinator.core.access import fetch_compiled, fetch_visible, hide_unless, require
from koordinator.core.compiled import Compiled


def user_roles(user: User) -> dict[int, frozenset[str]]:
    """The user's own roles, by body id (not those inherited from a higher body).

    Read with the rest of the user's standing, once per request (``accounts.standing``).
    """
    return standing(user).roles


def body_roles(user: User, body: Body) -> frozenset[str]:
    """The user's own roles in ``body`` (not those inherited from a higher body)."""
    return user_roles(user).get(body.pk, frozenset())


def can_manage_body(user: User, body: Body) -> bool:
    """Change composition and settings: the body's secretary (apparatus) or a superuser."""
    return user.is_superuser or bool(body_roles(user, body) & MANAGING_ROLES)


def can_see_history(user: User, body: Body) -> bool:
    return can_manage_body(user, body) or bool(body_roles(user, body) & LEADING_ROLES)


def can_see_body(user: User, body: Body) -> bool:
    """For one body already read, what ``Body.objects.visible_to`` says in SQL: a body where
    the user holds a role, or one below it; every body for a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or standing(user).sees_path(body.path)


_body = Compiled(
    lambda pk: Body.objects.select_related("organization", "parent").filter(pk=pk), pk=int
)


def get_body(user: User, pk: object, *, for_change: bool = False) -> Body:
    body = fetch_compiled(_body, pk)
    hide_unless(can_see_body(user, body))
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
    return any(roles & MANAGING_ROLES for roles in user_roles(user).values())


def get_organization(user: User, pk: object, *, for_change: bool = False) -> Organization:
    organization = fetch_visible(organizations_visible_to(user).select_related("parent"), pk)
    if for_change:
        require(can_edit_organizations(user), "Справочник организаций ведёт секретарь.")
    return organization
