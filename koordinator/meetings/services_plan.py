"""Writes to a body's work plan: the plan, its questions by quarter, the chair's approval, the
secretary's outcome for a question (postponed, dropped). Each runs in one transaction, records
itself in the audit log and raises ``ValidationError`` with a Russian message, writing
nothing, when the input is wrong.

An approved plan is fixed: its questions can no longer be added, changed, moved or deleted,
only given an outcome (a question is postponed or dropped after approval, not before).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from koordinator.accounts.models import User
from koordinator.bodies.models import Body, Organization
from koordinator.core import audit
from koordinator.meetings.models import PlannedQuestion, PlanStatus, QuestionOutcome, WorkPlan

PLAN_FIELDS = ("body", "year", "status", "approved_by", "approved_at")
QUESTION_FIELDS = ("quarter", "order", "title", "rapporteurs", "outcome", "outcome_note")
TITLE_STARTS = ("О ", "Об ", "Обо ")


def clean_title(title: str, field: str = "title") -> str:
    """A question is worded «О …», «Об …» or «Обо …», as agendas and protocols print it."""
    title = " ".join(title.split())
    if not title:
        raise ValidationError({field: "Укажите формулировку вопроса."})
    if not title.startswith(TITLE_STARTS):
        raise ValidationError(
            {field: "Формулировка вопроса начинается с «О », «Об » или «Обо »: «О ходе …»."}
        )
    return title


def _check_draft(plan: WorkPlan) -> None:
    if plan.status == PlanStatus.APPROVED:
        raise ValidationError(
            "План утверждён: вопросы в нём не меняются. Можно отметить, что вопрос перенесён "
            "или снят с рассмотрения."
        )


@transaction.atomic
def plan_create(*, actor: User | None, body: Body, year: int) -> WorkPlan:
    if WorkPlan.objects.filter(body=body, year=year).exists():
        raise ValidationError({"year": f"План работы на {year} год уже есть."})
    plan = WorkPlan(body=body, year=year)
    plan.full_clean()
    plan.save()
    audit.record(
        actor=actor,
        action="workplan.create",
        target=plan,
        body=body,
        after=audit.snapshot(plan, PLAN_FIELDS),
    )
    return plan


@transaction.atomic
def plan_approve(*, actor: User, plan: WorkPlan) -> WorkPlan:
    plan = WorkPlan.objects.select_for_update().select_related("body").get(pk=plan.pk)
    if plan.status == PlanStatus.APPROVED:
        raise ValidationError("План уже утверждён.")
    if not plan.questions.exists():
        raise ValidationError("В плане нет ни одного вопроса: утверждать нечего.")
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.status = PlanStatus.APPROVED
    plan.approved_by = actor
    plan.approved_at = timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit.record(
        actor=actor,
        action="workplan.approve",
        target=plan,
        body=plan.body,
        before=before,
        after=audit.snapshot(plan, PLAN_FIELDS),
    )
    return plan


def _clean_quarter(quarter: Any) -> int:
    if not isinstance(quarter, int) or not 1 <= quarter <= 4:
        raise ValidationError({"quarter": "Квартал: от 1 до 4."})
    return quarter


@transaction.atomic
def question_add(
    *,
    actor: User | None,
    plan: WorkPlan,
    quarter: int,
    title: str,
    rapporteurs: str = "",
    organizations: Iterable[Organization] = (),
) -> PlannedQuestion:
    """Add a question at the end of its quarter."""
    plan = WorkPlan.objects.select_for_update().select_related("body").get(pk=plan.pk)
    _check_draft(plan)
    quarter = _clean_quarter(quarter)
    last = plan.questions.filter(quarter=quarter).order_by("-order").first()
    question = PlannedQuestion(
        plan=plan,
        quarter=quarter,
        order=(last.order + 1) if last else 1,
        title=clean_title(title),
        rapporteurs=" ".join(rapporteurs.split()),
    )
    question.full_clean()
    question.save()
    orgs = list(organizations)
    question.organizations.set(orgs)
    audit.record(
        actor=actor,
        action="plannedquestion.add",
        target=question,
        body=plan.body,
        after={**audit.snapshot(question, QUESTION_FIELDS), "organizations": [o.pk for o in orgs]},
    )
    return question


@transaction.atomic
def question_update(
    *,
    actor: User | None,
    question: PlannedQuestion,
    organizations: Iterable[Organization] | None = None,
    **fields: Any,
) -> PlannedQuestion:
    """Change the wording, the quarter (the question goes to the end of the new quarter), the
    rapporteurs and the responsible agencies."""
    plan = WorkPlan.objects.select_for_update().select_related("body").get(pk=question.plan_id)
    _check_draft(plan)
    question = PlannedQuestion.objects.get(pk=question.pk)
    before = {
        **audit.snapshot(question, QUESTION_FIELDS),
        "organizations": sorted(question.organizations.values_list("pk", flat=True)),
    }
    for name, value in fields.items():
        if name == "title":
            value = clean_title(value)
        elif name == "rapporteurs":
            value = " ".join(str(value).split())
        elif name == "quarter":
            value = _clean_quarter(value)
            if value != question.quarter:
                last = plan.questions.filter(quarter=value).order_by("-order").first()
                question.order = (last.order + 1) if last else 1
        else:
            raise ValueError(f"question_update cannot change {name}")
        setattr(question, name, value)
    question.full_clean()
    question.save()
    if organizations is not None:
        question.organizations.set(list(organizations))
    after = {
        **audit.snapshot(question, QUESTION_FIELDS),
        "organizations": sorted(question.organizations.values_list("pk", flat=True)),
    }
    if after != before:
        audit.record(
            actor=actor,
            action="plannedquestion.update",
            target=question,
            body=plan.body,
            before=before,
            after=after,
        )
    return question


@transaction.atomic
def question_move(*, actor: User | None, question: PlannedQuestion, up: bool) -> PlannedQuestion:
    """Move a question one place up or down within its quarter; the quarter is renumbered
    1..n."""
    plan = WorkPlan.objects.select_for_update().select_related("body").get(pk=question.plan_id)
    _check_draft(plan)
    siblings = list(plan.questions.filter(quarter=question.quarter).order_by("order", "pk"))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for n, q in enumerate(siblings, start=1):
        if q.order != n:
            q.order = n
            q.save(update_fields=["order", "updated_at"])
    moved = next(q for q in siblings if q.pk == question.pk)
    audit.record(
        actor=actor,
        action="plannedquestion.move",
        target=moved,
        body=plan.body,
        after={"quarter": moved.quarter, "order": moved.order},
    )
    return moved


@transaction.atomic
def question_delete(*, actor: User | None, question: PlannedQuestion) -> None:
    plan = WorkPlan.objects.select_for_update().select_related("body").get(pk=question.plan_id)
    _check_draft(plan)
    before = audit.snapshot(question, QUESTION_FIELDS)
    audit.record(
        actor=actor, action="plannedquestion.delete", target=question, body=plan.body, before=before
    )
    question.delete()
    for n, q in enumerate(
        plan.questions.filter(quarter=before["quarter"]).order_by("order", "pk"), start=1
    ):
        if q.order != n:
            q.order = n
            q.save(update_fields=["order", "updated_at"])


@transaction.atomic
def question_set_outcome(
    *, actor: User | None, question: PlannedQuestion, outcome: str, note: str = ""
) -> PlannedQuestion:
    """Mark a question postponed or dropped (with the reason, or where it went), or clear the
    mark with ``outcome=""``. Allowed in an approved plan too."""
    question = PlannedQuestion.objects.select_related("plan__body").get(pk=question.pk)
    if outcome not in QuestionOutcome.values:
        raise ValidationError({"outcome": "Неизвестное решение по вопросу."})
    note = " ".join(note.split())
    if outcome and not note:
        raise ValidationError(
            {"outcome_note": "Укажите причину (для переноса — куда перенесён вопрос)."}
        )
    before = audit.snapshot(question, QUESTION_FIELDS)
    question.outcome = outcome
    question.outcome_note = note if outcome else ""
    question.full_clean()
    question.save(update_fields=["outcome", "outcome_note", "updated_at"])
    audit.record(
        actor=actor,
        action="plannedquestion.outcome",
        target=question,
        body=question.plan.body,
        before=before,
        after=audit.snapshot(question, QUESTION_FIELDS),
    )
    return question
