"""The body's work plan for a year: questions by quarter, approved by the chair."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from koordinator.core.models import TimeStampedModel


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "проект"
    APPROVED = "approved", "утверждён"


class WorkPlan(TimeStampedModel):
    body = models.ForeignKey(
        "bodies.Body",
        verbose_name="координационный орган",
        on_delete=models.PROTECT,
        related_name="work_plans",
    )
    year = models.PositiveSmallIntegerField("год")
    status = models.CharField(
        "статус", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="утвердил",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("утверждён", null=True, blank=True)

    class Meta:
        verbose_name = "план работы"
        verbose_name_plural = "планы работы"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year"],
                name="workplan_unique_year",
                violation_error_message="План работы на этот год уже есть.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="workplan_year_range",
                violation_error_message="Год плана: от 2000 до 2100.",
            ),
        ]

    def __str__(self) -> str:
        return f"План работы на {self.year} год — {self.body}"


class QuestionOutcome(models.TextChoices):
    """What the secretary decided about a planned question; «heard» and «on the agenda»
    are derived from the agenda items that took it up, never stored."""

    NONE = "", "—"
    POSTPONED = "postponed", "перенесён"
    DROPPED = "dropped", "снят с рассмотрения"


class PlannedQuestion(TimeStampedModel):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="questions")
    quarter = models.PositiveSmallIntegerField("квартал")
    order = models.PositiveSmallIntegerField("порядок", default=0)
    title = models.CharField("вопрос", max_length=1000, help_text="«О …» / «Об …»")
    rapporteurs = models.CharField(
        "ответственные (докладчики)",
        max_length=1000,
        blank=True,
        help_text="Например: начальник УМВД России по городу Энску",
    )
    organizations = models.ManyToManyField(
        "bodies.Organization",
        verbose_name="ответственные органы",
        blank=True,
        related_name="planned_questions",
    )
    outcome = models.CharField(
        "решение по вопросу",
        max_length=16,
        choices=QuestionOutcome.choices,
        blank=True,
        default=QuestionOutcome.NONE,
    )
    outcome_note = models.CharField("причина / куда перенесён", max_length=500, blank=True)

    class Meta:
        verbose_name = "вопрос плана"
        verbose_name_plural = "вопросы плана"
        ordering = ["quarter", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                name="question_quarter_range",
                violation_error_message="Квартал: от 1 до 4.",
            )
        ]

    def __str__(self) -> str:
        return self.title
