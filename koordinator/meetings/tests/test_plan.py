"""Work plans: questions by quarter, the chair's approval, plan versus actual, a meeting created
from planned questions. Pages and the API, with the same rights."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koordinator.api.tests.helpers import audit_count, call, last_audit
from koordinator.conftest import Cast
from koordinator.core.testing import factories as f
from koordinator.meetings import selectors, services_agenda, services_plan
from koordinator.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    PlannedQuestion,
    PlanStatus,
    Rapporteur,
    WorkPlan,
)
from koordinator.meetings.tests.conftest import make_meeting

MSK = zoneinfo.ZoneInfo("Europe/Moscow")
READ_ONLY = ["member", "observer", "chair"]
OUTSIDERS = ["outsider", "executor"]


@pytest.fixture
def plan(cast: Cast) -> WorkPlan:
    plan = services_plan.plan_create(actor=None, body=cast.body, year=2026)
    services_plan.question_add(
        actor=None,
        plan=plan,
        quarter=1,
        title="О профилактике правонарушений в среде мигрантов",
        rapporteurs="начальник УМВД России по городу Энску",
        organizations=[cast.police],
    )
    services_plan.question_add(
        actor=None, plan=plan, quarter=1, title="Об информационной работе с мигрантами"
    )
    services_plan.question_add(actor=None, plan=plan, quarter=2, title="О работе с молодёжью")
    return plan


def q(plan: WorkPlan, quarter: int, order: int) -> PlannedQuestion:
    return plan.questions.get(quarter=quarter, order=order)


# --- access ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    url: Callable[[Cast, WorkPlan], str]
    data: dict[str, Any]
    leader: bool = False


ACTIONS = [
    Action("plan_create", lambda c, p: reverse("meetings:body_plans", args=[c.body.pk]), {"year": "2027"}),
    Action("question_add", lambda c, p: reverse("meetings:plan_question_add", args=[p.pk]), {"quarter": "3", "title": "О вопросе"}),
    Action("question_edit", lambda c, p: reverse("meetings:plan_question_edit", args=[q(p, 1, 1).pk]), {"quarter": "1", "title": "О другом"}),
    Action("question_move", lambda c, p: reverse("meetings:plan_question_move", args=[q(p, 1, 1).pk]), {"direction": "down"}),
    Action("question_delete", lambda c, p: reverse("meetings:plan_question_delete", args=[q(p, 1, 1).pk]), {}),
    Action("question_outcome", lambda c, p: reverse("meetings:plan_question_outcome", args=[q(p, 1, 1).pk]), {"outcome": "dropped", "outcome_note": "x"}),
    Action("plan_meeting", lambda c, p: reverse("meetings:plan_meeting", args=[p.pk]), {}),
    Action("approve", lambda c, p: reverse("meetings:plan_approve", args=[p.pk]), {}, leader=True),
]  # fmt: skip
IDS = [a.name for a in ACTIONS]
READ_PAGES = [
    lambda c, p: reverse("meetings:body_plans", args=[c.body.pk]),
    lambda c, p: reverse("meetings:plan_detail", args=[p.pk]),
]


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_anonymous_is_sent_to_login(cast: Cast, plan: WorkPlan, action: Action) -> None:
    response = cast.client(None).post(action.url(cast, plan), action.data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404(cast: Cast, plan: WorkPlan, action: Action, who: str) -> None:
    client = cast.client(getattr(cast, who))
    assert client.post(action.url(cast, plan), action.data).status_code == 404
    for page in READ_PAGES:
        assert client.get(page(cast, plan)).status_code == 404


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
@pytest.mark.parametrize("who", READ_ONLY)
def test_read_only_users_get_403(cast: Cast, plan: WorkPlan, action: Action, who: str) -> None:
    if action.leader and who == "chair":
        return  # the chair approves: tested below
    client = cast.client(getattr(cast, who))
    before = audit_count()
    assert client.post(action.url(cast, plan), action.data).status_code == 403
    assert audit_count() == before
    for page in READ_PAGES:
        assert client.get(page(cast, plan)).status_code == 200


def test_secretary_may_not_approve(cast: Cast, plan: WorkPlan) -> None:
    client = cast.client(cast.secretary)
    assert client.post(reverse("meetings:plan_approve", args=[plan.pk])).status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_secretary_opens_the_plan_pages(cast: Cast, plan: WorkPlan) -> None:
    client = cast.client(cast.secretary)
    for page in READ_PAGES:
        assert client.get(page(cast, plan)).status_code == 200
    assert client.get(reverse("meetings:plan_meeting", args=[plan.pk])).status_code == 200
    edit = reverse("meetings:plan_question_edit", args=[q(plan, 1, 1).pk])
    assert client.get(edit).status_code == 200


# --- questions -------------------------------------------------------------------------------


def test_secretary_creates_a_plan_and_adds_questions(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    response = client.post(reverse("meetings:body_plans", args=[cast.body.pk]), {"year": "2027"})
    plan = WorkPlan.objects.get()
    assert response["Location"] == reverse("meetings:plan_detail", args=[plan.pk])
    assert last_audit().action == "workplan.create"
    client.post(
        reverse("meetings:plan_question_add", args=[plan.pk]),
        {"quarter": "2", "title": "Об итогах", "organizations": [cast.police.pk]},
    )
    question = plan.questions.get()
    assert (question.quarter, question.order, question.title) == (2, 1, "Об итогах")
    assert list(question.organizations.all()) == [cast.police]
    assert last_audit().action == "plannedquestion.add"


def test_second_plan_for_the_same_year_is_refused(cast: Cast, plan: WorkPlan) -> None:
    response = cast.client(cast.secretary).post(
        reverse("meetings:body_plans", args=[cast.body.pk]), {"year": "2026"}
    )
    assert response.status_code == 400
    assert "План работы на 2026 год уже есть" in response.content.decode()
    assert WorkPlan.objects.count() == 1


@pytest.mark.parametrize("title", ["Профилактика", "Оценка работы", "об итогах"])
def test_question_title_must_start_with_o(cast: Cast, plan: WorkPlan, title: str) -> None:
    before = audit_count()
    response = cast.client(cast.secretary).post(
        reverse("meetings:plan_question_add", args=[plan.pk]), {"quarter": "3", "title": title}
    )
    assert response.status_code == 400
    assert "начинается с «О », «Об » или «Обо »" in response.content.decode()
    assert plan.questions.count() == 3
    assert audit_count() == before


def test_move_and_delete_renumber_the_quarter(cast: Cast, plan: WorkPlan) -> None:
    client = cast.client(cast.secretary)
    second = q(plan, 1, 2)
    client.post(reverse("meetings:plan_question_move", args=[second.pk]), {"direction": "up"})
    assert q(plan, 1, 1).pk == second.pk
    client.post(reverse("meetings:plan_question_delete", args=[second.pk]))
    assert list(plan.questions.filter(quarter=1).values_list("order", "title")) == [
        (1, "О профилактике правонарушений в среде мигрантов")
    ]


def test_edit_moves_a_question_to_another_quarter(cast: Cast, plan: WorkPlan) -> None:
    question = q(plan, 1, 1)
    response = cast.client(cast.secretary).post(
        reverse("meetings:plan_question_edit", args=[question.pk]),
        {"quarter": "2", "title": question.title, "rapporteurs": "начальник УМВД"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.quarter, question.order, question.rapporteurs) == (2, 2, "начальник УМВД")
    assert list(question.organizations.all()) == []


def test_outcome_needs_a_reason(cast: Cast, plan: WorkPlan) -> None:
    question = q(plan, 1, 1)
    response = cast.client(cast.secretary).post(
        reverse("meetings:plan_question_outcome", args=[question.pk]), {"outcome": "postponed"}
    )
    assert response.status_code == 400
    assert "Укажите причину" in response.content.decode()
    question.refresh_from_db()
    assert question.outcome == ""


# --- approval --------------------------------------------------------------------------------


def test_chair_approves_and_the_plan_is_fixed_but_outcomes_still_go(
    cast: Cast, plan: WorkPlan
) -> None:
    chair = cast.client(cast.chair)
    assert chair.post(reverse("meetings:plan_approve", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (PlanStatus.APPROVED, cast.chair)
    assert last_audit().action == "workplan.approve"

    client = cast.client(cast.secretary)
    response = client.post(
        reverse("meetings:plan_question_add", args=[plan.pk]), {"quarter": "3", "title": "О новом"}
    )
    assert "План утверждён" in response.content.decode()
    assert plan.questions.count() == 3
    response = client.post(
        reverse("meetings:plan_question_outcome", args=[q(plan, 2, 1).pk]),
        {"outcome": "postponed", "outcome_note": "на III квартал"},
    )
    assert response.status_code == 302
    assert q(plan, 2, 1).outcome == "postponed"


def test_empty_plan_cannot_be_approved(cast: Cast) -> None:
    plan = services_plan.plan_create(actor=None, body=cast.body, year=2027)
    with pytest.raises(ValidationError, match="утверждать нечего"):
        services_plan.plan_approve(actor=cast.chair, plan=plan)


# --- plan versus actual ----------------------------------------------------------------------


def test_plan_versus_actual_states(cast: Cast, plan: WorkPlan) -> None:
    heard_q = q(plan, 1, 1)
    agenda_q = q(plan, 1, 2)
    dropped_q = q(plan, 2, 1)
    held = make_meeting(cast.body, status=MeetingStatus.HELD)
    pending = make_meeting(cast.body, starts_at=dt.datetime(2026, 6, 1, 10, 0, tzinfo=MSK))
    cancelled = make_meeting(cast.body, status=MeetingStatus.CANCELLED)
    AgendaItem.objects.create(meeting=held, number=1, title=heard_q.title, planned_question=heard_q)
    AgendaItem.objects.create(
        meeting=pending, number=1, title=agenda_q.title, planned_question=agenda_q
    )
    AgendaItem.objects.create(
        meeting=cancelled, number=1, title=dropped_q.title, planned_question=dropped_q
    )
    services_plan.question_set_outcome(
        actor=None, question=dropped_q, outcome="dropped", note="утратил актуальность"
    )
    services_plan.question_add(actor=None, plan=plan, quarter=4, title="О планах на 2027 год")

    report = selectors.plan_vs_actual(plan, cast.member)
    states = {r.question.pk: (r.state, r.meeting, r.note) for r in report.rows}
    assert states[heard_q.pk] == ("heard", held, "")
    assert states[agenda_q.pk] == ("on_agenda", pending, "")
    assert states[dropped_q.pk] == ("dropped", None, "утратил актуальность")
    assert report.counts == {"heard": 1, "on_agenda": 1, "dropped": 1, "planned": 1}

    page = cast.client(cast.member).get(reverse("meetings:plan_detail", args=[plan.pk]))
    text = page.content.decode()
    assert "рассмотрен" in text and "утратил актуальность" in text
    assert reverse("meetings:detail", args=[held.pk]) in text


# --- a meeting from the plan -----------------------------------------------------------------


def test_meeting_from_planned_questions(cast: Cast, plan: WorkPlan) -> None:
    chosen = [q(plan, 2, 1), q(plan, 1, 1)]
    response = cast.client(cast.secretary).post(
        reverse("meetings:plan_meeting", args=[plan.pk]),
        {
            "kind": "regular",
            "format": "in_person",
            "date": "2026-03-20",
            "starts_at": "11:00",
            "place": "Зал",
            "questions": [x.pk for x in chosen],
        },
    )
    assert response.status_code == 302, response.content.decode()
    meeting = Meeting.objects.get()
    items = list(meeting.items.order_by("number"))
    assert [(i.number, i.title, i.planned_question_id) for i in items] == [
        (1, "О профилактике правонарушений в среде мигрантов", chosen[1].pk),
        (2, "О работе с молодёжью", chosen[0].pk),
    ]
    rapporteur = Rapporteur.objects.get()
    assert rapporteur.item == items[0]
    assert (rapporteur.organization, rapporteur.position) == (
        cast.police,
        "начальник УМВД России по городу Энску",
    )
    assert items[0].materials_due_on == dt.date(2026, 3, 10)
    report = selectors.plan_vs_actual(plan, cast.secretary)
    assert report.counts == {"on_agenda": 2, "planned": 1}


def test_meeting_from_plan_without_questions_is_refused(cast: Cast, plan: WorkPlan) -> None:
    response = cast.client(cast.secretary).post(
        reverse("meetings:plan_meeting", args=[plan.pk]),
        {"kind": "regular", "format": "in_person", "date": "2026-03-20", "starts_at": "11:00"},
    )
    assert response.status_code == 200
    assert Meeting.objects.count() == 0


# --- API -------------------------------------------------------------------------------------


def test_api_anonymous_gets_401(cast: Cast, plan: WorkPlan) -> None:
    client = cast.client(None)
    assert call(client, "get", f"/bodies/{cast.body.pk}/plans").status_code == 401
    assert call(client, "post", f"/bodies/{cast.body.pk}/plans", {"year": 2027}).status_code == 401
    assert call(client, "get", f"/plans/{plan.pk}").status_code == 401
    question = {"quarter": 1, "title": "О вопросе"}
    assert call(client, "post", f"/plans/{plan.pk}/questions", question).status_code == 401
    assert call(client, "post", f"/plans/{plan.pk}/approve").status_code == 401


@pytest.mark.parametrize("who", OUTSIDERS)
def test_api_outsiders_get_404(cast: Cast, plan: WorkPlan, who: str) -> None:
    client = cast.client(getattr(cast, who))
    assert call(client, "get", f"/bodies/{cast.body.pk}/plans").status_code == 404
    assert call(client, "get", f"/plans/{plan.pk}").status_code == 404
    question = {"quarter": 1, "title": "О вопросе"}
    assert call(client, "post", f"/plans/{plan.pk}/questions", question).status_code == 404
    assert call(client, "post", f"/plans/{plan.pk}/approve").status_code == 404


@pytest.mark.parametrize("who", READ_ONLY)
def test_api_read_only_gets_403(cast: Cast, plan: WorkPlan, who: str) -> None:
    client = cast.client(getattr(cast, who))
    before = audit_count()
    assert call(client, "get", f"/plans/{plan.pk}").status_code == 200
    assert call(client, "post", f"/bodies/{cast.body.pk}/plans", {"year": 2027}).status_code == 403
    question = {"quarter": 1, "title": "О вопросе"}
    assert call(client, "post", f"/plans/{plan.pk}/questions", question).status_code == 403
    if who != "chair":
        assert call(client, "post", f"/plans/{plan.pk}/approve").status_code == 403
    assert audit_count() == before


def test_api_plan_round_trip(cast: Cast) -> None:
    client = cast.client(cast.secretary)
    response = call(client, "post", f"/bodies/{cast.body.pk}/plans", {"year": 2027})
    assert response.status_code == 201
    plan_id = response.json()["id"]
    response = call(
        client,
        "post",
        f"/plans/{plan_id}/questions",
        {"quarter": 1, "title": "О профилактике", "organization_ids": [cast.police.pk]},
    )
    assert response.status_code == 201
    assert response.json()["organizations"][0]["id"] == cast.police.pk
    bad = call(client, "post", f"/plans/{plan_id}/questions", {"quarter": 5, "title": "О чём-то"})
    assert bad.status_code == 400
    assert "Квартал" in bad.json()["detail"]
    bad = call(
        client, "post", f"/plans/{plan_id}/questions", {"quarter": 1, "title": "Профилактика"}
    )
    assert bad.status_code == 400
    assert PlannedQuestion.objects.count() == 1
    assert call(client, "post", f"/plans/{plan_id}/approve").status_code == 403
    approved = call(cast.client(cast.chair), "post", f"/plans/{plan_id}/approve")
    assert approved.json()["status"] == "approved"
    detail = call(client, "get", f"/plans/{plan_id}").json()
    assert detail["counts"]["planned"] == 1
    assert detail["questions"][0]["state"] == "planned"
    listed = call(client, "get", f"/bodies/{cast.body.pk}/plans").json()
    assert [p["year"] for p in listed] == [2027]


def test_api_meeting_from_plan(cast: Cast, plan: WorkPlan) -> None:
    response = call(
        cast.client(cast.secretary),
        "post",
        f"/plans/{plan.pk}/meetings",
        {"starts_at": "2026-03-20T11:00:00", "question_ids": [q(plan, 1, 1).pk]},
    )
    assert response.status_code == 201, response.content
    assert [i["title"] for i in response.json()["agenda"]] == [
        "О профилактике правонарушений в среде мигрантов"
    ]


def test_observer_of_a_higher_body_reads_the_plan(cast: Cast, plan: WorkPlan) -> None:
    other = f.make_body(parent=cast.region_body)
    services_plan.plan_create(actor=None, body=other, year=2026)
    data = call(cast.client(cast.observer), "get", f"/bodies/{cast.body.pk}/plans").json()
    assert [p["id"] for p in data] == [plan.pk]
    # The plan-versus-actual view does not count agenda items of other plans.
    services_agenda.item_add(actor=None, meeting=make_meeting(cast.body), title="О постороннем")
    assert selectors.plan_vs_actual(plan, cast.observer).counts == {"planned": 3}
