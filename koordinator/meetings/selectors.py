"""Reads for work plans, meetings and agendas, and the access helpers for the objects inside
a meeting (an agenda item, a rapporteur, a material, a planned question).

Restricted (ДСП) items and materials are dropped here for everyone who is not an insider of
the meeting (``permissions.is_insider``): pages and the API both read through these functions,
so neither can show what the other hides.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from koordinator.accounts.models import User
from koordinator.bodies.models import Body, Membership, Person
from koordinator.bodies.permissions import body_roles, can_manage_body
from koordinator.core.access import fetch_visible, hide_unless, require
from koordinator.core.compiled import Compiled, attach
from koordinator.meetings import permissions
from koordinator.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Invitee,
    Material,
    Meeting,
    MeetingStatus,
    PlannedQuestion,
    QuestionOutcome,
    Rapporteur,
    Studio,
    WorkPlan,
)

# --- meetings --------------------------------------------------------------------------------


def meetings_queryset(user: User) -> QuerySet[Meeting]:
    return (
        Meeting.objects.visible_to(user)
        .select_related("presiding", "secretary")
        .with_bodies()
        .prefetch_related("studios")
    )


def body_meetings(user: User, body: Body) -> tuple[list[Meeting], list[Meeting]]:
    """The body's meetings the user sees: (upcoming soonest first, past newest first)."""
    meetings = list(meetings_queryset(user).filter(meeting_bodies__body=body).distinct())
    now = timezone.now()
    upcoming = sorted((m for m in meetings if m.starts_at >= now), key=lambda m: m.starts_at)
    past = sorted((m for m in meetings if m.starts_at < now), key=lambda m: m.starts_at)
    past.reverse()
    return upcoming, past


def host_body(meeting: Meeting) -> Body:
    return permissions.meeting_bodies(meeting)[0]


# --- agenda ----------------------------------------------------------------------------------


def _items(insider: bool, meeting: int) -> QuerySet[AgendaItem]:
    items = AgendaItem.objects.filter(meeting=meeting).select_related("planned_question")
    return items if insider else items.filter(restricted=False)


def _rapporteurs(insider: bool, meeting: int) -> QuerySet[Rapporteur]:
    rapporteurs = Rapporteur.objects.filter(item__meeting=meeting)
    if not insider:
        rapporteurs = rapporteurs.filter(item__restricted=False)
    return rapporteurs.select_related("person", "organization")


def _materials(insider: bool, meeting: int) -> QuerySet[Material]:
    materials = Material.objects.filter(item__meeting=meeting)
    if not insider:
        materials = materials.filter(item__restricted=False, restricted=False)
    return materials.select_related("organization").order_by("created_at", "pk")


_agenda_items = Compiled(_items, shape=("insider",), meeting=int)
_agenda_rapporteurs = Compiled(_rapporteurs, shape=("insider",), meeting=int)
_agenda_materials = Compiled(_materials, shape=("insider",), meeting=int)


def agenda(meeting: Meeting, user: User) -> list[AgendaItem]:
    """The agenda in order with rapporteurs and materials; restricted items and materials
    only for insiders (for others they are not there at all, not even the title)."""
    insider = permissions.is_insider(user, meeting)
    items = list(_agenda_items(insider=insider, meeting=meeting.pk))
    attach(items, "rapporteurs", _agenda_rapporteurs(insider=insider, meeting=meeting.pk))
    attach(items, "materials", _agenda_materials(insider=insider, meeting=meeting.pk))
    return items


_studios = Compiled(lambda meeting: Studio.objects.filter(meeting=meeting), meeting=int)


def studios_of(meeting: int) -> list[Studio]:
    """The videoconference studios of a meeting, in order."""
    return list(_studios(meeting=meeting))


@dataclass
class Missing:
    """An item whose materials have not come in, and who owes them."""

    item: AgendaItem
    owers: list[str]
    overdue: bool


def missing_materials(items: list[AgendaItem], today: dt.date | None = None) -> list[Missing]:
    """«Кто не представил материалы»: the rapporteurs (agencies, or officials where no agency is
    named) of items without a single material. ``overdue`` once the due date has passed."""
    today = today or timezone.localdate()
    out = []
    for item in items:
        # The control item's content comes from execution control, not from rapporteurs.
        if item.kind == AgendaItemKind.CONTROL or item.materials.all():
            continue
        owers = [rapporteur_label(r) for r in item.rapporteurs.all()]
        overdue = item.materials_due_on is not None and item.materials_due_on < today
        out.append(Missing(item=item, owers=owers or ["докладчик не назначен"], overdue=overdue))
    return out


def rapporteur_label(r: Rapporteur) -> str:
    parts = []
    if r.person_id and r.person:
        parts.append(r.person.initials_surname)
    if r.position:
        parts.append(r.position)
    if r.organization_id and r.organization:
        parts.append(str(r.organization))
    return ", ".join(parts)


def get_item(user: User, pk: int, *, for_change: bool = False) -> AgendaItem:
    """An agenda item: 404 if the meeting is not visible or the item is restricted and the user
    is no insider; 403 if they may see but not change it."""
    item = fetch_visible(AgendaItem.objects.all(), pk)
    meeting = permissions.get_meeting(user, item.meeting_id)
    hide_unless(not item.restricted or permissions.is_insider(user, meeting))
    if for_change:
        # Checked only after the restricted test: a guest must not learn the item exists.
        require(
            permissions.can_manage_meeting(user, meeting), "Готовит заседание секретарь органа."
        )
    item.meeting = meeting
    return item


def get_rapporteur(user: User, pk: int) -> Rapporteur:
    rapporteur = fetch_visible(Rapporteur.objects.all(), pk)
    rapporteur.item = get_item(user, rapporteur.item_id, for_change=True)
    return rapporteur


def get_material(user: User, pk: int) -> Material:
    material = fetch_visible(Material.objects.all(), pk)
    material.item = get_item(user, material.item_id)
    hide_unless(not material.restricted or permissions.is_insider(user, material.item.meeting))
    return material


# --- work plans ------------------------------------------------------------------------------


def body_plans(user: User, body: Body) -> list[WorkPlan]:
    return list(permissions.plans_visible_to(user).filter(body=body).order_by("-year"))


def get_question(user: User, pk: int, *, for_change: bool = True) -> PlannedQuestion:
    question = fetch_visible(PlannedQuestion.objects.all(), pk)
    question.plan = permissions.get_plan(user, question.plan_id, for_change=for_change)
    return question


class State:
    PLANNED = "planned"
    ON_AGENDA = "on_agenda"
    HEARD = "heard"
    POSTPONED = "postponed"
    DROPPED = "dropped"


STATE_LABELS = {
    State.PLANNED: "запланирован",
    State.ON_AGENDA: "в повестке заседания",
    State.HEARD: "рассмотрен",
    State.POSTPONED: "перенесён",
    State.DROPPED: "снят с рассмотрения",
}


@dataclass
class QuestionRow:
    question: PlannedQuestion
    state: str
    meeting: Meeting | None = None
    note: str = ""

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class PlanVsActual:
    rows: list[QuestionRow]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def count_rows(self) -> list[tuple[str, str, int]]:
        return [(code, label, self.counts.get(code, 0)) for code, label in STATE_LABELS.items()]

    def by_quarter(self) -> list[tuple[int, list[QuestionRow]]]:
        return [(q, [r for r in self.rows if r.question.quarter == q]) for q in (1, 2, 3, 4)]


def plan_vs_actual(plan: WorkPlan, user: User) -> PlanVsActual:
    """Each planned question with its state. «Heard» and «on the agenda» come from the agenda
    items that took the question up (a held meeting wins over one still being prepared; a
    cancelled meeting does not count); otherwise the secretary's outcome (postponed,
    dropped); otherwise «planned». A meeting the user may not see is not named."""
    questions = list(
        plan.questions.prefetch_related("organizations").order_by("quarter", "order", "pk")
    )
    visible = set(
        Meeting.objects.visible_to(user)
        .filter(items__planned_question__plan=plan)
        .values_list("pk", flat=True)
    )
    links = (
        AgendaItem.objects.filter(planned_question__plan=plan)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting")
        .order_by("meeting__starts_at")
    )
    by_question: dict[int, list[AgendaItem]] = {}
    for item in links:
        assert item.planned_question_id is not None
        by_question.setdefault(item.planned_question_id, []).append(item)
    rows = []
    for q in questions:
        items = by_question.get(q.pk, [])
        held = [i for i in items if i.meeting.status == MeetingStatus.HELD]
        pending = [i for i in items if i.meeting.status != MeetingStatus.HELD]
        if held:
            row = QuestionRow(q, State.HEARD, held[-1].meeting)
        elif pending:
            row = QuestionRow(q, State.ON_AGENDA, pending[0].meeting)
        elif q.outcome == QuestionOutcome.POSTPONED:
            row = QuestionRow(q, State.POSTPONED, note=q.outcome_note)
        elif q.outcome == QuestionOutcome.DROPPED:
            row = QuestionRow(q, State.DROPPED, note=q.outcome_note)
        else:
            row = QuestionRow(q, State.PLANNED)
        if row.meeting is not None and row.meeting.pk not in visible:
            row.meeting = None
        rows.append(row)
    return PlanVsActual(rows=rows, counts=dict(Counter(r.state for r in rows)))


def can_manage_plan(user: User, plan: WorkPlan) -> bool:
    return can_manage_body(user, plan.body)


def can_lead_plan(user: User, plan: WorkPlan) -> bool:
    return user.is_superuser or bool(body_roles(user, plan.body) & permissions.LEADER_ROLES)


# --- people to choose from -------------------------------------------------------------------


def composition_people(bodies: list[Body], day: dt.date) -> QuerySet[Person]:
    """Officials in the composition of any of ``bodies`` on ``day`` (presiding, secretary)."""
    members = Membership.objects.on(day).filter(post__body__in=bodies)
    return Person.objects.filter(pk__in=members.values("person_id")).order_by(
        "last_name", "first_name", "patronymic"
    )


def meeting_people(meeting: Meeting) -> QuerySet[Person]:
    """Who may report on an item: members of the meeting's bodies on its date, and invitees."""
    bodies = permissions.meeting_bodies(meeting)
    day = meeting.local_date
    members = Membership.objects.on(day).filter(post__body__in=bodies).values("person_id")
    guests = Invitee.objects.filter(meeting=meeting).values("person_id")
    return Person.objects.filter(Q(pk__in=members) | Q(pk__in=guests)).order_by(
        "last_name", "first_name", "patronymic"
    )
