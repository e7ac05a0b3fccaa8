"""Who may see and change assignments on control (one helper per object type).

- The body's own people (chair, deputy chair, secretary, members) see all the body's
  assignments, restricted (ДСП) ones included.
- An executor officer (``OrganizationRole``) sees the assignments where their agency is the
  lead executor or a co-executor — and nothing else.
- People of a higher body (observers, the regional commission's apparatus) see *counts and
  overdue lists* of the bodies below (:func:`summary_bodies`), never the cards or the reports;
  restricted assignments reach them without their text.
- The secretary registers instructions and paper reports, accepts and returns reports, and
  proposes extensions and removals; the chair or a deputy decides them; the lead agency's
  officer reports and asks for extensions; a co-executor's officer reports to the lead agency.

Pages and the API call the same helpers: 404 for what the user may not see, 403 for what they
may see but not do.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Q, QuerySet

from koordinator.accounts.models import BodyRoleKind, User
from koordinator.accounts.standing import standing
from koordinator.bodies.models import Body, Organization
from koordinator.bodies.permissions import body_roles, user_roles
from koordinator.control.models import (
    Assignment,
    AssignmentQuerySet,
    ControlPoint,
    DeadlineChange,
    Removal,
    Report,
)
from koordinator.core.access import fetch_visible, require

INSIDER_ROLES = frozenset(
    {BodyRoleKind.CHAIR, BodyRoleKind.DEPUTY_CHAIR, BodyRoleKind.SECRETARY, BodyRoleKind.MEMBER}
)
LEADER_ROLES = frozenset({BodyRoleKind.CHAIR, BodyRoleKind.DEPUTY_CHAIR})


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def executor_org_ids(user: User) -> frozenset[int]:
    """The agencies the user reports for (read with the user's standing, once per request)."""
    return standing(user).agencies


def insider_body_ids(user: User) -> frozenset[int]:
    """Bodies where the user has a role of their own (not an observer's)."""
    return frozenset(body for body, roles in user_roles(user).items() if roles & INSIDER_ROLES)


def secretary_body_ids(user: User) -> frozenset[int]:
    """Bodies where the user is the secretary (apparatus): where they register instructions."""
    return frozenset(b for b, roles in user_roles(user).items() if BodyRoleKind.SECRETARY in roles)


def executed_by(org_ids: Collection[int], *, on_control: bool = False) -> QuerySet[Assignment, Any]:
    """Ids of the assignments where one of ``org_ids`` is the lead executor or a co-executor.

    A UNION of two indexed lookups: an OR of the two conditions cannot use an index and made
    PostgreSQL scan every assignment (the inbox took 0.8 s at a million control points)."""
    lead = Assignment.objects.filter(lead_executor__in=org_ids)
    co = Assignment.objects.filter(co_executors__in=org_ids)
    if on_control:
        lead, co = lead.on_control(), co.on_control()
    return lead.order_by().values("pk").union(co.order_by().values("pk"))


def executes(org_ids: Collection[int]) -> Q:
    """Assignments where one of ``org_ids`` is the lead executor or a co-executor."""
    return Q(pk__in=executed_by(org_ids))


def assignments_visible_to(user: User) -> AssignmentQuerySet:
    if not _active(user):
        return Assignment.objects.none()
    scope = visible_scope(user)
    return assignments_in(scope.get("bodies"), scope.get("orgs"))


def visible_scope(user: User) -> dict[str, frozenset[int]]:
    """What :func:`assignments_visible_to` says, as values for :func:`assignments_in`: the
    bodies where the user has a role of their own and the agencies they report for; nothing
    for a superuser, who sees every assignment. (An inactive user's ``bodies`` and ``orgs``
    are empty: they see none.)"""
    if not _active(user):
        return {"bodies": frozenset(), "orgs": frozenset()}
    if user.is_superuser:
        return {}
    return {"bodies": insider_body_ids(user), "orgs": executor_org_ids(user)}


def assignments_in(
    bodies: Collection[int] | None, orgs: Collection[int] | None
) -> AssignmentQuerySet:
    """Assignments of ``bodies`` and those ``orgs`` execute; every one when both are None (a
    superuser). Both come from :func:`visible_scope`, also as parameters of a compiled
    query (``core.compiled``): the SQL depends only on whether they are given and empty."""
    if bodies is None and orgs is None:
        return Assignment.objects.all()
    q = Q(body__in=bodies or ())
    if orgs:
        q |= executes(orgs)
    return Assignment.objects.filter(q)


def summary_bodies(user: User) -> QuerySet[Body]:
    """Bodies whose counts and overdue lists the user may see: every body they see (their own
    and, through a role on a higher body, those below it)."""
    return Body.objects.visible_to(user)


def is_insider(user: User, body: Body) -> bool:
    return user.is_superuser or bool(body_roles(user, body) & INSIDER_ROLES)


def can_manage(user: User, assignment: Assignment) -> bool:
    """The body's secretary (apparatus)."""
    return user.is_superuser or BodyRoleKind.SECRETARY in body_roles(user, assignment.body)


def can_manage_body(user: User, body: Body) -> bool:
    return user.is_superuser or BodyRoleKind.SECRETARY in body_roles(user, body)


def can_decide(user: User, assignment: Assignment) -> bool:
    """The chair or a deputy chair of the controlling body."""
    return user.is_superuser or bool(body_roles(user, assignment.body) & LEADER_ROLES)


def reporting_orgs(user: User, assignment: Assignment) -> list[Organization]:
    """The agencies of ``assignment`` the user reports for (lead first)."""
    mine = executor_org_ids(user)
    orgs = [assignment.lead_executor, *assignment.co_executors.all()]
    out: list[Organization] = []
    for org in orgs:
        if org.pk in mine and org not in out:
            out.append(org)
    return out


def is_lead_officer(user: User, assignment: Assignment) -> bool:
    return assignment.lead_executor_id in executor_org_ids(user)


def can_see_restricted(user: User, assignment: Assignment) -> bool:
    """Restricted text: the body's own people and the executors (they got the extract)."""
    return sees_restricted_of(user, assignment.body_id, assignment.executor_ids())


def sees_restricted_of(user: User, body_id: int, executor_ids: set[int] | frozenset[int]) -> bool:
    """:func:`can_see_restricted` from ids, for lists read as plain rows."""
    if user.is_superuser or body_id in insider_body_ids(user):
        return True
    return bool(executor_ids & executor_org_ids(user))


def shows_text(user: User, assignment: Assignment) -> bool:
    """Whether the assignment's text is shown to the user (or masked as ДСП)."""
    return not assignment.restricted or can_see_restricted(user, assignment)


# --- access helpers ------------------------------------------------------------------------------


def get_assignment(user: User, pk: object, *, for_change: bool = False) -> Assignment:
    assignment = fetch_visible(
        assignments_visible_to(user)
        .select_related("body", "lead_executor", "meeting")
        .prefetch_related("co_executors"),
        pk,
    )
    if for_change:
        require(can_manage(user, assignment), "Это действие выполняет секретарь органа.")
    return assignment


def get_assignment_for_chair(user: User, pk: object) -> Assignment:
    assignment = get_assignment(user, pk)
    require(can_decide(user, assignment), "Решение принимает председатель или его заместитель.")
    return assignment


def get_point(user: User, pk: object) -> ControlPoint:
    point = fetch_visible(
        ControlPoint.objects.filter(assignment__in=assignments_visible_to(user)).select_related(
            "assignment__body", "assignment__lead_executor"
        ),
        pk,
    )
    return point


def get_point_for_report(user: User, pk: object) -> ControlPoint:
    """A point the user may report on: as an executor officer of one of its agencies, or as
    the body's secretary registering a report that came on paper."""
    point = get_point(user, pk)
    assignment = point.assignment
    require(
        bool(reporting_orgs(user, assignment)) or can_manage(user, assignment),
        "Отчитываются исполнители поручения; отчёт на бумаге регистрирует секретарь.",
    )
    return point


def get_report(user: User, pk: object, *, for_review: bool = False) -> Report:
    """Reports are seen by the body's people and by the agencies of the assignment (a
    co-executor's report by its own agency and the lead agency)."""
    report = fetch_visible(
        Report.objects.filter(point__assignment__in=assignments_visible_to(user)).select_related(
            "point__assignment__body", "point__assignment__lead_executor", "organization"
        ),
        pk,
    )
    if for_review:
        require(
            can_manage(user, report.point.assignment),
            "Отчёты принимает и возвращает секретарь органа.",
        )
    return report


def get_change(user: User, pk: object) -> DeadlineChange:
    return fetch_visible(
        DeadlineChange.objects.filter(
            point__assignment__in=assignments_visible_to(user)
        ).select_related("point__assignment__body", "point__assignment__lead_executor"),
        pk,
    )


def get_removal(user: User, pk: object) -> Removal:
    return fetch_visible(
        Removal.objects.filter(assignment__in=assignments_visible_to(user)).select_related(
            "assignment__body", "assignment__lead_executor"
        ),
        pk,
    )
