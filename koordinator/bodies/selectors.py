"""Reads across relations for bodies and composition."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from koordinator.accounts.models import User
from koordinator.bodies.models import ROLE_ORDER, Body, Membership, Organization, Role
from koordinator.core.compiled import Compiled
from koordinator.core.links import link_by_id
from koordinator.core.models import AuditRecord


def today() -> dt.date:
    return timezone.localdate()


def bodies_for_list(user: User, day: dt.date | None = None) -> QuerySet[Body]:
    """The user's visible bodies with the number of members on ``day``, in one query."""
    day = day or today()
    current = Q(posts__memberships__starts_on__lte=day) & (
        Q(posts__memberships__ends_on__isnull=True) | Q(posts__memberships__ends_on__gte=day)
    )
    return (
        Body.objects.visible_to(user)
        .select_related("organization", "parent")
        .annotate(member_count=Count("posts__memberships", filter=current, distinct=True))
        .order_by("path", "name")
    )


def composition_on(body: Body, day: dt.date) -> list[Membership]:
    """«Состав» on ``day``: chair, deputies, secretary, then members by surname."""
    members = list(
        Membership.objects.on(day)
        .filter(post__body=body)
        .select_related("person", "post__organization")
    )
    members.sort(key=lambda m: (m.rank, m.person.last_name, m.person.first_name))
    return members


def short_or_full(relation: str) -> Coalesce:
    """The related body's or organisation's short name, or its full name when it has none
    (what ``short_name|default:name`` shows)."""
    prefix = f"{relation}__" if relation else ""
    return Coalesce(NullIf(f"{prefix}short_name", Value("")), f"{prefix}name")


_composition = Compiled(
    lambda body, day: (
        Membership.objects.on(day)
        .filter(post__body=body)
        .values(
            "pk",
            "roles",
            "by_agreement",
            "starts_on",
            "ends_on",
            "person__last_name",
            "person__first_name",
            "person__patronymic",
            "post__title",
            organization=short_or_full("post__organization"),
        )
    ),
    body=int,
    day=dt.date,
)


def composition_rows(body: Body, day: dt.date, *, can_manage: bool) -> list[dict[str, Any]]:
    """«Состав» on ``day`` for the body's page, as plain rows in the order of
    :func:`composition_on`, each with the link to change it when ``can_manage``."""
    edit = link_by_id("bodies:membership_edit") if can_manage else None
    rows = cast(list[dict[str, Any]], list(_composition(body=body.pk, day=day)))
    for row in rows:
        roles = sorted((Role(r) for r in row["roles"]), key=ROLE_ORDER.__getitem__)
        names = (row["person__last_name"], row["person__first_name"], row["person__patronymic"])
        row["full_name"] = " ".join(n for n in names if n)
        row["role_labels"] = ", ".join(r.label for r in roles)
        row["rank"] = ROLE_ORDER[roles[0]] if roles else len(ROLE_ORDER)
        row["edit_url"] = edit(row["pk"]) if edit else ""
        row["starts"] = f"{row['starts_on']:%d.%m.%Y}"
        row["ends"] = f"{row['ends_on']:%d.%m.%Y}" if row["ends_on"] else "—"
    rows.sort(key=lambda r: (r["rank"], r["person__last_name"], r["person__first_name"]))
    return rows


_children = Compiled(
    lambda body: (
        Body.objects.filter(parent=body, is_active=True)
        .order_by("name", "pk")
        .values("pk", name_shown=short_or_full(""))
    ),
    body=int,
)


def active_children(body: Body) -> list[dict[str, Any]]:
    """The body's active bodies below it, by name, as ``pk`` and ``name_shown``."""
    return cast(list[dict[str, Any]], list(_children(body=body.pk)))


def composition_history(body: Body) -> QuerySet[Membership]:
    """Every membership the body has had, newest first (for the composition's changes)."""
    return (
        Membership.objects.filter(post__body=body)
        .select_related("person", "post__organization")
        .order_by("-starts_on", "person__last_name")
    )


def body_history(body: Body) -> QuerySet[AuditRecord]:
    return AuditRecord.objects.filter(body=body).select_related("actor__person")


def organizations_tree(queryset: QuerySet[Organization]) -> list[tuple[int, Organization]]:
    """(depth, organisation) pairs in tree order, from one query."""
    items = list(queryset.select_related("parent").order_by("name"))
    by_parent: dict[int | None, list[Organization]] = {}
    ids = {o.pk for o in items}
    for org in items:
        key = org.parent_id if org.parent_id in ids else None
        by_parent.setdefault(key, []).append(org)
    out: list[tuple[int, Organization]] = []

    def walk(parent: int | None, depth: int) -> None:
        for org in by_parent.get(parent, []):
            out.append((depth, org))
            walk(org.pk, depth + 1)

    walk(None, 0)
    return out
