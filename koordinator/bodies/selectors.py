"""Reads across relations for bodies and composition."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from koordinator.accounts.models import User
from koordinator.bodies.models import Body, Membership, Organization
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
