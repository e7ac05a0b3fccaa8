"""REST endpoints for work plans (/api/v1/): a body's yearly plans, their questions and
outcomes, and the meeting made from chosen planned questions.

Same conventions as ``api_agenda``: fetch and authorize through the pages' access helpers,
turn the JSON into service arguments, call one service, respond; a service's
``ValidationError`` becomes 400. The operation ids are the ones these endpoints had when they
lived in ``api_agenda``, so that clients generated from the schema keep working.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from koordinator.accounts.models import User
from koordinator.api.auth import current_user
from koordinator.bodies import permissions as body_permissions
from koordinator.bodies.models import Organization
from koordinator.meetings import permissions, selectors, services_meeting, services_plan
from koordinator.meetings.api_agenda import (
    READ_ERRORS,
    WRITE_ERRORS,
    BodyRef,
    InputSchema,
    MeetingIn,
    MeetingOut,
    OrganizationRef,
    find_organizations,
    meeting_fields,
    meeting_out,
)
from koordinator.meetings.models import Meeting, PlannedQuestion, QuestionOutcome, WorkPlan

router = Router(tags=["Заседания"])


# --- schemas ---------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    body: BodyRef
    year: int
    status: str
    approved_at: dt.datetime | None


class QuestionOut(Schema):
    id: int
    quarter: int
    order: int
    title: str
    rapporteurs: str
    organizations: list[OrganizationRef]
    outcome: str
    outcome_note: str

    @staticmethod
    def resolve_organizations(obj: PlannedQuestion) -> list[Organization]:
        return list(obj.organizations.all())


class QuestionStateOut(Schema):
    question: QuestionOut
    state: str = Field(description="planned, on_agenda, heard, postponed, dropped")
    state_label: str
    meeting_id: int | None
    note: str


class PlanDetailOut(PlanOut):
    questions: list[QuestionStateOut]
    counts: dict[str, int]


class PlanIn(InputSchema):
    year: int


class QuestionIn(InputSchema):
    quarter: int
    title: str
    rapporteurs: str = ""
    organization_ids: list[int] = Field(default_factory=list)


class QuestionPatch(InputSchema):
    quarter: int | None = None
    title: str | None = None
    rapporteurs: str | None = None
    organization_ids: list[int] | None = None


class OutcomeIn(InputSchema):
    outcome: QuestionOutcome
    note: str = ""


class PlanMeetingIn(MeetingIn):
    question_ids: list[int]


# --- helpers ---------------------------------------------------------------------------------


def _plan_detail(user: User, plan: WorkPlan) -> dict[str, Any]:
    report = selectors.plan_vs_actual(plan, user)
    return {
        "id": plan.pk,
        "body": plan.body,
        "year": plan.year,
        "status": plan.status,
        "approved_at": plan.approved_at,
        "counts": {code: n for code, _, n in report.count_rows},
        "questions": [
            {
                "question": row.question,
                "state": row.state,
                "state_label": row.state_label,
                "meeting_id": row.meeting.pk if row.meeting else None,
                "note": row.note,
            }
            for row in report.rows
        ],
    }


# --- endpoints -------------------------------------------------------------------------------


@router.get(
    "/bodies/{body_id}/plans",
    response={200: list[PlanOut], **READ_ERRORS},
    operation_id="koordinator_meetings_api_agenda_plan_list",
)
def plan_list(request: HttpRequest, body_id: int) -> list[WorkPlan]:
    """Планы работы органа."""
    user = current_user(request)
    body = body_permissions.get_body(user, body_id)
    return list(
        permissions.plans_visible_to(user)
        .filter(body=body)
        .select_related("body")
        .order_by("-year")
    )


@router.post(
    "/bodies/{body_id}/plans",
    response={201: PlanOut, **WRITE_ERRORS},
    operation_id="koordinator_meetings_api_agenda_plan_create",
)
def plan_create(request: HttpRequest, body_id: int, payload: PlanIn) -> Status[WorkPlan]:
    """Создать план работы на год (секретарь)."""
    user = current_user(request)
    body = body_permissions.get_body(user, body_id, for_change=True)
    return Status(201, services_plan.plan_create(actor=user, body=body, year=payload.year))


@router.get(
    "/plans/{plan_id}",
    response={200: PlanDetailOut, **READ_ERRORS},
    operation_id="koordinator_meetings_api_agenda_plan_detail",
)
def plan_detail(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    """План и факт: состояние каждого вопроса и число вопросов в каждом состоянии."""
    user = current_user(request)
    return _plan_detail(user, permissions.get_plan(user, plan_id))


@router.post(
    "/plans/{plan_id}/questions",
    response={201: QuestionOut, **WRITE_ERRORS},
    operation_id="koordinator_meetings_api_agenda_question_add",
)
def question_add(
    request: HttpRequest, plan_id: int, payload: QuestionIn
) -> Status[PlannedQuestion]:
    user = current_user(request)
    plan = permissions.get_plan(user, plan_id, for_change=True)
    question = services_plan.question_add(
        actor=user,
        plan=plan,
        quarter=payload.quarter,
        title=payload.title,
        rapporteurs=payload.rapporteurs,
        organizations=find_organizations(payload.organization_ids),
    )
    return Status(201, question)


@router.patch(
    "/plan-questions/{question_id}",
    response={200: QuestionOut, **WRITE_ERRORS},
    operation_id="koordinator_meetings_api_agenda_question_update",
)
def question_update(
    request: HttpRequest, question_id: int, payload: QuestionPatch
) -> PlannedQuestion:
    user = current_user(request)
    question = selectors.get_question(user, question_id)
    data = payload.model_dump(exclude_unset=True, exclude_none=True)
    ids = data.pop("organization_ids", None)
    return services_plan.question_update(
        actor=user,
        question=question,
        organizations=None if ids is None else find_organizations(ids),
        **data,
    )


@router.post(
    "/plan-questions/{question_id}/outcome",
    response={200: QuestionOut, **WRITE_ERRORS},
    operation_id="koordinator_meetings_api_agenda_question_outcome",
)
def question_outcome(request: HttpRequest, question_id: int, payload: OutcomeIn) -> PlannedQuestion:
    """Перенести (postponed) или снять с рассмотрения (dropped), с причиной; "" — снять отметку."""
    user = current_user(request)
    question = selectors.get_question(user, question_id)
    return services_plan.question_set_outcome(
        actor=user, question=question, outcome=str(payload.outcome), note=payload.note
    )


@router.post(
    "/plans/{plan_id}/approve",
    response={200: PlanOut, **WRITE_ERRORS},
    operation_id="koordinator_meetings_api_agenda_plan_approve",
)
def plan_approve(request: HttpRequest, plan_id: int) -> WorkPlan:
    """Утвердить план (председатель или заместитель)."""
    user = current_user(request)
    plan = permissions.get_plan_for_leader(user, plan_id)
    return services_plan.plan_approve(actor=user, plan=plan)


@router.post(
    "/plans/{plan_id}/meetings",
    response={201: MeetingOut, **WRITE_ERRORS},
    operation_id="koordinator_meetings_api_agenda_plan_meeting",
)
def plan_meeting(request: HttpRequest, plan_id: int, payload: PlanMeetingIn) -> Status[Meeting]:
    """Создать заседание, повестка которого — выбранные вопросы плана."""
    user = current_user(request)
    plan = permissions.get_plan(user, plan_id, for_change=True)
    questions = list(plan.questions.filter(pk__in=payload.question_ids))
    if len(questions) != len(set(payload.question_ids)):
        raise ValidationError({"question_ids": "Вопрос не найден в этом плане."})
    meeting = services_meeting.meeting_from_plan(
        actor=user, plan=plan, questions=questions, **meeting_fields(user, payload)
    )
    return Status(201, meeting_out(user, meeting.pk))
