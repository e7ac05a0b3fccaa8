"""Realistic subjects for the bench, picked deterministically from the data as it is.

Every choice is «the biggest of its kind», ties broken by the smallest id, so two runs on the
same database measure the same pages. What could not be found is said in ``notes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from koordinator.accounts.models import BodyRole, BodyRoleKind, OrganizationRole, User
from koordinator.bodies.models import Body
from koordinator.control.models import ControlPoint
from koordinator.meetings.models import Decision, MeetingBody, ProtocolStatus

SIGNED = (ProtocolStatus.SIGNED, ProtocolStatus.REGISTERED, ProtocolStatus.DISTRIBUTED)
DOCX_DECISIONS = 100


@dataclass
class Subjects:
    executor: User | None = None
    executor_open_points: int = 0
    body: Body | None = None
    body_assignments: int = 0
    secretary: User | None = None
    meeting_id: int | None = None
    meeting_decisions: int = 0
    meeting_user: User | None = None
    docx_meeting_id: int | None = None
    docx_decisions: int = 0
    docx_user: User | None = None
    notes: list[str] = field(default_factory=list)

    def describe(self) -> dict[str, object]:
        def who(user: User | None) -> str | None:
            return f"{user.username} (id {user.pk})" if user else None

        return {
            "executor": who(self.executor),
            "executor_open_points": self.executor_open_points,
            "body_id": self.body.pk if self.body else None,
            "body": str(self.body) if self.body else None,
            "body_assignments": self.body_assignments,
            "secretary": who(self.secretary),
            "meeting_id": self.meeting_id,
            "meeting_decisions": self.meeting_decisions,
            "meeting_user": who(self.meeting_user),
            "docx_meeting_id": self.docx_meeting_id,
            "docx_decisions": self.docx_decisions,
            "docx_user": who(self.docx_user),
            "notes": self.notes,
        }


def _secretary_of(body_ids: list[int]) -> User | None:
    """The first active secretary (by user id) of the first body in ``body_ids`` that has one."""
    roles = (
        BodyRole.objects.filter(
            body__in=body_ids, role=BodyRoleKind.SECRETARY, user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    )
    by_body: dict[int, User] = {}
    for role in roles:
        by_body.setdefault(role.body_id, role.user)
    return next((by_body[b] for b in body_ids if b in by_body), None)


def _superuser() -> User | None:
    return User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


def pick_executor(s: Subjects) -> None:
    """The executor officer whose agency leads the most open (owed) control points."""
    with_officer = OrganizationRole.objects.filter(user__is_active=True).values("organization")
    top = (
        ControlPoint.objects.owed()
        .filter(assignment__lead_executor__in=with_officer)
        .values("assignment__lead_executor")
        .annotate(n=Count("pk"))
        .order_by("-n", "assignment__lead_executor")
        .first()
    )
    if top is None:
        role = OrganizationRole.objects.filter(user__is_active=True).order_by("user_id").first()
        s.executor = role.user if role else None
        s.notes.append("no open control point led by an agency with an officer")
        return
    role = (
        OrganizationRole.objects.filter(
            organization=top["assignment__lead_executor"], user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    s.executor = role.user if role else None
    s.executor_open_points = top["n"]


def pick_body(s: Subjects) -> None:
    """The body with the most assignments on control (then the most members), and its
    secretary; if it has none, the next biggest body that has one."""
    ranked = list(
        Body.objects.annotate(a=Count("assignments", distinct=True))
        .order_by("-a", "pk")
        .values_list("pk", "a")[:50]
    )
    if not ranked:
        s.notes.append("no body in the database")
        return
    ids = [pk for pk, _ in ranked]
    s.secretary = _secretary_of(ids)
    chosen = ids[0]
    if s.secretary is not None:
        secretary_bodies = set(
            BodyRole.objects.filter(user=s.secretary, role=BodyRoleKind.SECRETARY).values_list(
                "body", flat=True
            )
        )
        chosen = next(b for b in ids if b in secretary_bodies)
        if chosen != ids[0]:
            s.notes.append(f"largest body {ids[0]} has no secretary; body {chosen} used")
    else:
        s.secretary = _superuser()
        s.notes.append("no secretary among the largest bodies; a superuser is used")
    s.body = Body.objects.get(pk=chosen)
    s.body_assignments = dict(ranked)[chosen]


def _meeting_user(meeting_id: int) -> User | None:
    links = MeetingBody.objects.filter(meeting=meeting_id).order_by("-is_host", "order", "pk")
    return _secretary_of(list(links.values_list("body", flat=True))) or _superuser()


def pick_meetings(s: Subjects) -> None:
    """The meeting with a signed protocol and the most decisions under 100 (meeting and
    protocol editor pages), and the protocol with the most decisions (≥ 100 wanted) for the
    DOCX."""
    per_meeting = Decision.objects.values("item__meeting").annotate(n=Count("pk"))
    # The pages are measured on the largest ordinary protocol; the big annual ones (100
    # decisions and more) are the DOCX case.
    signed = (
        per_meeting.filter(item__meeting__protocol__status__in=SIGNED, n__lt=DOCX_DECISIONS)
        .order_by("-n", "item__meeting")
        .first()
    )
    if signed is None:
        s.notes.append("no meeting with a signed protocol and decisions")
    else:
        s.meeting_id, s.meeting_decisions = signed["item__meeting"], signed["n"]
        s.meeting_user = _meeting_user(signed["item__meeting"])
    docx = (
        per_meeting.filter(~Q(item__meeting__protocol=None)).order_by("-n", "item__meeting").first()
    )
    if docx is None:
        s.notes.append("no protocol with decisions: the DOCX case is not measured")
        return
    s.docx_meeting_id, s.docx_decisions = docx["item__meeting"], docx["n"]
    s.docx_user = _meeting_user(docx["item__meeting"])
    if s.docx_decisions < DOCX_DECISIONS:
        s.notes.append(
            f"no protocol with ≥ {DOCX_DECISIONS} decisions: the DOCX is measured on the "
            f"largest one ({s.docx_decisions} decisions, meeting {s.docx_meeting_id})"
        )


def pick() -> Subjects:
    s = Subjects()
    pick_executor(s)
    pick_body(s)
    pick_meetings(s)
    return s
