"""Work plan pages: a body's yearly plans, their questions and outcomes, and the meeting made
from ticked planned questions. Each view: fetch and authorize through an access helper (404 for
what the user may not see, 403 for what they may see but not change), validate, call one
service, respond (a redirect, or a page with the form's errors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koordinator.accounts.models import User
from koordinator.bodies import permissions as body_permissions
from koordinator.core.forms import add_service_error
from koordinator.core.http import authenticated_user
from koordinator.meetings import permissions, selectors, services_meeting, services_plan
from koordinator.meetings.forms_agenda import (
    PlanCreateForm,
    PlanMeetingForm,
    QuestionForm,
    QuestionOutcomeForm,
)
from koordinator.meetings.models import PlanStatus, WorkPlan
from koordinator.meetings.views_agenda import other_bodies, service_error


@login_required
@require_http_methods(["GET", "POST"])
def body_plans(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    body = body_permissions.get_body(user, pk, for_change=request.method == "POST")
    form = PlanCreateForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services_plan.plan_create(actor=user, body=body, year=form.cleaned_data["year"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"План работы на {plan.year} год создан.")
            return redirect("meetings:plan_detail", pk=plan.pk)
    return render(
        request,
        "meetings/plan_list.html",
        {
            "body": body,
            "plans": selectors.body_plans(user, body),
            "form": form,
            "can_manage": body_permissions.can_manage_body(user, body),
        },
        status=400 if form.errors else 200,
    )


def _plan_context(user: User, plan: WorkPlan, **extra: Any) -> dict[str, Any]:
    can_manage = selectors.can_manage_plan(user, plan)
    return {
        "plan": plan,
        "body": plan.body,
        "report": selectors.plan_vs_actual(plan, user),
        "can_manage": can_manage,
        "can_edit_questions": can_manage and plan.status == PlanStatus.DRAFT,
        "can_lead": selectors.can_lead_plan(user, plan) and plan.status == PlanStatus.DRAFT,
        "form": QuestionForm(),
        **extra,
    }


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    plan = permissions.get_plan(user, pk)
    return render(request, "meetings/plan_detail.html", _plan_context(user, plan))


@login_required
@require_POST
def plan_question_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    plan = permissions.get_plan(user, pk, for_change=True)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services_plan.question_add(actor=user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Вопрос добавлен в план.")
            return redirect(reverse("meetings:plan_detail", args=[plan.pk]) + "#add")
    return render(
        request, "meetings/plan_detail.html", _plan_context(user, plan, form=form), status=400
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    question = selectors.get_question(user, pk)
    form = QuestionForm(
        request.POST or None,
        initial={
            "quarter": question.quarter,
            "title": question.title,
            "rapporteurs": question.rapporteurs,
            "organizations": list(question.organizations.all()),
        },
    )
    outcome_form = QuestionOutcomeForm(
        initial={"outcome": question.outcome, "outcome_note": question.outcome_note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_plan.question_update(actor=user, question=question, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Вопрос плана сохранён.")
            return redirect("meetings:plan_detail", pk=question.plan_id)
    return render(
        request,
        "meetings/plan_question_form.html",
        {
            "plan": question.plan,
            "question": question,
            "form": form,
            "outcome_form": outcome_form,
            "editable": question.plan.status == PlanStatus.DRAFT,
        },
    )


@login_required
@require_POST
def plan_question_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    question = selectors.get_question(user, pk)
    form = QuestionOutcomeForm(request.POST)
    if form.is_valid():
        try:
            services_plan.question_set_outcome(
                actor=user,
                question=question,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["outcome_note"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Решение по вопросу сохранено.")
            return redirect("meetings:plan_detail", pk=question.plan_id)
    return render(
        request,
        "meetings/plan_question_form.html",
        {
            "plan": question.plan,
            "question": question,
            "form": QuestionForm(initial={"quarter": question.quarter, "title": question.title}),
            "outcome_form": form,
            "editable": question.plan.status == PlanStatus.DRAFT,
        },
        status=400,
    )


@login_required
@require_POST
def plan_question_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    question = selectors.get_question(user, pk)
    try:
        services_plan.question_move(
            actor=user, question=question, up=request.POST.get("direction") == "up"
        )
    except ValidationError as exc:
        service_error(request, exc)
    return redirect("meetings:plan_detail", pk=question.plan_id)


@login_required
@require_POST
def plan_question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    question = selectors.get_question(user, pk)
    try:
        services_plan.question_delete(actor=user, question=question)
    except ValidationError as exc:
        service_error(request, exc)
    else:
        messages.success(request, "Вопрос удалён из плана.")
    return redirect("meetings:plan_detail", pk=question.plan_id)


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    plan = permissions.get_plan_for_leader(user, pk)
    try:
        services_plan.plan_approve(actor=user, plan=plan)
    except ValidationError as exc:
        service_error(request, exc)
    else:
        messages.success(request, f"План работы на {plan.year} год утверждён.")
    return redirect("meetings:plan_detail", pk=plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting whose agenda is the planned questions the secretary ticks."""
    user = authenticated_user(request)
    plan = permissions.get_plan(user, pk, for_change=True)
    today = timezone.localdate()
    form = PlanMeetingForm(
        request.POST or None,
        initial={
            "date": today,
            "starts_at": dt.time(10, 0),
            "questions": [int(q) for q in request.GET.getlist("q") if q.isdigit()],
        },
        people=selectors.composition_people([plan.body], today),
        bodies=other_bodies(user, plan.body),
        questions=plan.questions.order_by("quarter", "order", "pk"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services_meeting.meeting_from_plan(
                actor=user,
                plan=plan,
                questions=form.cleaned_data["questions"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Заседание создано из вопросов плана.")
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "body": plan.body,
            "plan": plan,
            "form": form,
            "title": f"Заседание по плану работы на {plan.year} год",
        },
    )
