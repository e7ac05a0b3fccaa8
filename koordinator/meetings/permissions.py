"""Who may see and change meetings, agendas, protocols and work plans.

- Everyone who sees one of a meeting's bodies sees the meeting; an invited guest sees that
  meeting only.
- Restricted (ДСП) items, materials and decisions are shown only to *insiders*: people with
  their own role in one of the meeting's bodies (not observers of a higher body, not guests).
- The secretary of any of the meeting's bodies prepares it and writes the protocol; the chair
  or a deputy approves the agenda and the plan; the presiding person and the secretary sign,
  as each body's regulation says.
"""

from __future__ import annotations

from django.db.models import QuerySet

from koordinator.accounts.models import BodyRoleKind, User
from koordinator.bodies.models import Body
from koordinator.bodies.permissions import body_roles, can_manage_body, can_see_body
from koordinator.core.access import fetch_compiled, fetch_visible, hide_unless, require
from koordinator.core.compiled import Compiled, attach
from koordinator.meetings.models import Invitee, Meeting, MeetingBody, WorkPlan

INSIDER_ROLES = frozenset(
    {BodyRoleKind.CHAIR, BodyRoleKind.DEPUTY_CHAIR, BodyRoleKind.SECRETARY, BodyRoleKind.MEMBER}
)
LEADER_ROLES = frozenset({BodyRoleKind.CHAIR, BodyRoleKind.DEPUTY_CHAIR})


def meeting_bodies(meeting: Meeting) -> list[Body]:
    """The meeting's bodies, host first (uses the prefetch cache when there is one)."""
    links = sorted(meeting.meeting_bodies.all(), key=lambda mb: (not mb.is_host, mb.order, mb.pk))
    return [link.body for link in links]


def is_insider(user: User, meeting: Meeting) -> bool:
    """May see restricted (ДСП) parts: a role of one's own in one of the meeting's bodies."""
    if user.is_superuser:
        return True
    return any(body_roles(user, body) & INSIDER_ROLES for body in meeting_bodies(meeting))


def can_manage_meeting(user: User, meeting: Meeting) -> bool:
    return any(can_manage_body(user, body) for body in meeting_bodies(meeting))


def can_lead_meeting(user: User, meeting: Meeting) -> bool:
    """Approve the agenda: the chair or a deputy chair of one of the meeting's bodies."""
    if user.is_superuser:
        return True
    return any(body_roles(user, body) & LEADER_ROLES for body in meeting_bodies(meeting))


def can_see_meeting(user: User, meeting: Meeting) -> bool:
    """For one meeting already read (with its bodies), what ``Meeting.objects.visible_to``
    says in SQL: a meeting of a body the user sees, or one they are invited to."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or any(can_see_body(user, body) for body in meeting_bodies(meeting)):
        return True
    return (
        user.person_id is not None
        and Invitee.objects.filter(meeting=meeting, person=user.person_id).exists()
    )


# The people every meeting page names in its header come with it (one join each), and its
# protocol (the meeting page shows its state, the editor and the documents read it), then its
# bodies; who may see it is decided from those and the user's standing, without a subquery.
_meeting = Compiled(
    lambda pk: Meeting.objects.select_related(
        "presiding", "secretary", "agenda_approved_by__person", "protocol"
    ).filter(pk=pk),
    pk=int,
)
_meeting_bodies = Compiled(
    lambda meeting: MeetingBody.objects.select_related("body").filter(meeting=meeting),
    meeting=int,
)


def meeting_body_links(meeting: int) -> list[MeetingBody]:
    """The meeting's links to its bodies, each with its body (for ``attach``)."""
    return list(_meeting_bodies(meeting=meeting))


def get_meeting(user: User, pk: object, *, for_change: bool = False) -> Meeting:
    meeting = fetch_compiled(_meeting, pk)
    attach([meeting], "meeting_bodies", meeting_body_links(meeting.pk))
    hide_unless(can_see_meeting(user, meeting))
    if for_change:
        require(can_manage_meeting(user, meeting), "Готовит заседание секретарь органа.")
    return meeting


def get_meeting_for_leader(user: User, pk: object) -> Meeting:
    meeting = get_meeting(user, pk)
    require(can_lead_meeting(user, meeting), "Утверждает председатель или его заместитель.")
    return meeting


def plans_visible_to(user: User) -> QuerySet[WorkPlan]:
    return WorkPlan.objects.filter(body__in=Body.objects.visible_to(user))


def get_plan(user: User, pk: object, *, for_change: bool = False) -> WorkPlan:
    plan = fetch_visible(plans_visible_to(user).select_related("body"), pk)
    if for_change:
        require(can_manage_body(user, plan.body), "План работы ведёт секретарь органа.")
    return plan


def get_plan_for_leader(user: User, pk: object) -> WorkPlan:
    plan = get_plan(user, pk)
    allowed = user.is_superuser or bool(body_roles(user, plan.body) & LEADER_ROLES)
    require(allowed, "План утверждает председатель или его заместитель.")
    return plan
