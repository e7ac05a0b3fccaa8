"""Execution control: assignments, their control points, reports, deadline changes, removal.

An :class:`Assignment` (поручение) comes from a decision of a signed protocol, or is registered
by hand from an incoming instruction of a higher body. It has a lead agency and co-executors and
one :class:`ControlPoint` per due date: a one-off assignment has one, a periodic one gets one per
reporting period until its end or until it is removed from control.

What is stored is what people did (a report submitted, accepted, returned; a date changed; the
assignment removed). What follows from the calendar — *overdue* — is never stored: it is derived
from today's date in the query (:meth:`ControlPointQuerySet.with_status`,
:meth:`AssignmentQuerySet.with_status`), so it cannot go stale. An assignment carries a summary
of its points (the earliest dates still due and owed, whether a report awaits review or was
returned) that the database keeps (:mod:`koordinator.control.progress`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from koordinator.control.progress import COLUMNS as PROGRESS_COLUMNS
from koordinator.core.models import TimeStampedModel

if TYPE_CHECKING:
    from koordinator.accounts.models import User


class Source(models.TextChoices):
    PROTOCOL = "protocol", "решение протокола заседания"
    INSTRUCTION = "instruction", "поручение вышестоящего органа"


class Lifecycle(models.TextChoices):
    """What the chair decided: on control, or removed (as executed / as no longer relevant)."""

    ON_CONTROL = "on_control", "на контроле"
    EXECUTED = "executed", "снято с контроля как исполненное"
    IRRELEVANT = "irrelevant", "снято с контроля: утратило актуальность"


class PointState(models.TextChoices):
    """Stored state of a control point: what the people did. ``overdue`` is derived."""

    OPEN = "open", "на контроле"
    SUBMITTED = "submitted", "представлен отчёт"
    ACCEPTED = "accepted", "отчёт принят"
    RETURNED = "returned", "отчёт возвращён на доработку"
    CLOSED = "closed", "снято с контроля"


class Status(models.TextChoices):
    """Status shown to people: the stored state plus what the calendar says."""

    OPEN = "open", "на контроле"
    SUBMITTED = "submitted", "представлен отчёт"
    ACCEPTED = "accepted", "отчёт принят"
    RETURNED = "returned", "возвращён на доработку"
    OVERDUE = "overdue", "просрочено"
    EXECUTED = "executed", "снято с контроля: исполнено"
    IRRELEVANT = "irrelevant", "снято с контроля: утратило актуальность"


# States in which the executor still owes something: these become overdue after the due date,
# and a report may be submitted on them.
OWED_STATES = (PointState.OPEN, PointState.RETURNED)
REPORTABLE = OWED_STATES
# States in which the date may still be changed (a report under review included).
CHANGEABLE = (PointState.OPEN, PointState.RETURNED, PointState.SUBMITTED)


# What the points' summary says (``Assignment.progress``), before lifecycle and calendar.
PROGRESS_STATES = (Status.OPEN, Status.SUBMITTED, Status.ACCEPTED, Status.RETURNED)


def status_label(value: str) -> str:
    """The Russian label of a :class:`Status` value (the value itself if unknown)."""
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def assignment_file_path(instance: Assignment, filename: str) -> str:
    return f"control/instructions/{instance.body_id}/{filename}"


def report_file_path(instance: ReportFile, filename: str) -> str:
    return f"control/reports/{instance.report.point.assignment_id}/{instance.report_id}/{filename}"


def overdue_on(today: dt.date) -> Q:
    """An assignment is overdue when a point it still owes was due before ``today``."""
    return Q(owed_due__lt=today)


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def on_control(self) -> AssignmentQuerySet:
        return self.filter(lifecycle=Lifecycle.ON_CONTROL)

    def with_status(self, today: dt.date | None = None) -> AssignmentQuerySet:
        """Annotate ``status`` (a :class:`Status` value) and ``is_overdue``, from the stored
        summary of the points (``owed_due``, ``progress``) and today's date."""
        today = today or timezone.localdate()
        late = overdue_on(today)
        return self.annotate(
            is_overdue=Case(When(late, then=Value(True)), default=Value(False)),
            status=Case(
                When(lifecycle=Lifecycle.EXECUTED, then=Value(Status.EXECUTED)),
                When(lifecycle=Lifecycle.IRRELEVANT, then=Value(Status.IRRELEVANT)),
                When(late, then=Value(Status.OVERDUE)),
                default=F("progress"),
                output_field=models.CharField(),
            ),
        )


class Assignment(TimeStampedModel):
    """An assignment on control (поручение): from a protocol decision or an incoming instruction."""

    body = models.ForeignKey(
        "bodies.Body",
        verbose_name="контролирующий орган",
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    source = models.CharField("источник", max_length=16, choices=Source.choices)
    decision = models.OneToOneField(
        "meetings.Decision",
        verbose_name="решение протокола",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignment",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="заседание",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    number = models.CharField(
        "номер пункта", max_length=50, help_text="Пункт протокола (1.2) или номер поручения"
    )
    document = models.CharField(
        "документ",
        max_length=300,
        help_text="Например: протокол заседания от 19.03.2026 № 1",
    )
    document_date = models.DateField("дата документа")
    issuer = models.CharField("кем дано", max_length=300, blank=True)
    text = models.TextField("содержание поручения")
    file = models.FileField(
        "документ (скан)", upload_to=assignment_file_path, max_length=500, blank=True
    )
    restricted = models.BooleanField("ДСП", default=False)
    lead_executor = models.ForeignKey(
        "bodies.Organization",
        verbose_name="ответственный исполнитель",
        on_delete=models.PROTECT,
        related_name="lead_assignments",
    )
    co_executors = models.ManyToManyField(
        "bodies.Organization",
        verbose_name="соисполнители",
        blank=True,
        related_name="co_assignments",
    )
    deadline_text = models.CharField("срок (как записан)", max_length=300, blank=True)
    issued_on = models.DateField("дата, от которой исчисляется срок")
    is_periodic = models.BooleanField("периодическое", default=False)
    ends_on = models.DateField("периодичность до", null=True, blank=True)
    lifecycle = models.CharField(
        "контроль", max_length=16, choices=Lifecycle.choices, default=Lifecycle.ON_CONTROL
    )
    removed_at = models.DateTimeField("снято с контроля", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="снял с контроля",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removal_reason = models.TextField("основание снятия", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="поставил на контроль",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The summary of the points, kept by the database's triggers (see control/progress.py).
    next_due = models.DateField("ближайший срок", null=True, editable=False)
    owed_due = models.DateField("ранний неисполненный срок", null=True, editable=False)
    progress = models.CharField(
        "ход исполнения",
        max_length=16,
        choices=[(s.value, s.label) for s in PROGRESS_STATES],
        db_default=Status.ACCEPTED,  # no points yet: nothing pending
        editable=False,
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "поручение"
        verbose_name_plural = "поручения"
        ordering = ["-document_date", "pk"]
        indexes = [
            models.Index(fields=["body", "lifecycle"], name="assignment_body_lifecycle"),
            models.Index(fields=["lead_executor", "lifecycle"], name="assignment_lead_lifecycle"),
        ]

    def __str__(self) -> str:
        return f"п. {self.number} ({self.document})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, never writing the points' summary: the database keeps it, and this instance's
        copy may be older than the triggers' latest."""
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None:
                fields = [f.name for f in self._meta.concrete_fields if not f.primary_key]
            kwargs["update_fields"] = [f for f in fields if f not in PROGRESS_COLUMNS]
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return f"Поручение п. {self.number}, {self.document}"

    @property
    def on_control(self) -> bool:
        return self.lifecycle == Lifecycle.ON_CONTROL

    def executor_ids(self) -> set[int]:
        return {self.lead_executor_id, *(o.pk for o in self.co_executors.all())}


class ControlPointQuerySet(models.QuerySet["ControlPoint"]):
    def owed(self) -> ControlPointQuerySet:
        return self.filter(state__in=OWED_STATES, assignment__lifecycle=Lifecycle.ON_CONTROL)

    def overdue(self, today: dt.date | None = None) -> ControlPointQuerySet:
        return self.owed().filter(due_on__lt=today or timezone.localdate())

    def with_status(self, today: dt.date | None = None) -> ControlPointQuerySet:
        today = today or timezone.localdate()
        return self.annotate(
            status=Case(
                When(
                    Q(state__in=OWED_STATES) & Q(due_on__lt=today),
                    then=Value(Status.OVERDUE),
                ),
                When(state=PointState.CLOSED, then=F("assignment__lifecycle")),
                default=F("state"),
                output_field=models.CharField(),
            )
        )


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    """«01.01.2026 – 31.03.2026», the reporting period of a periodic control point."""
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}" if start and end else ""


class ControlPoint(models.Model):
    """One due date of an assignment: the only one of a one-off assignment, or one reporting
    period of a periodic one. ``due_on`` moves when an extension is approved; the original
    date stays in ``original_due_on``."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="points")
    due_on = models.DateField("срок")
    original_due_on = models.DateField("первоначальный срок")
    period_start = models.DateField("отчётный период с", null=True, blank=True)
    period_end = models.DateField("отчётный период по", null=True, blank=True)
    state = models.CharField(
        "состояние", max_length=16, choices=PointState.choices, default=PointState.OPEN
    )
    closed_at = models.DateTimeField("закрыт", null=True, blank=True)

    objects = ControlPointQuerySet.as_manager()

    class Meta:
        verbose_name = "контрольный срок"
        verbose_name_plural = "контрольные сроки"
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["state", "due_on"], name="point_state_due"),
            models.Index(fields=["assignment", "due_on"], name="point_assignment_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "original_due_on"],
                name="point_unique_due",
                violation_error_message="Такой контрольный срок уже есть.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} — срок {self.due_on:%d.%m.%Y}"

    @property
    def period_label(self) -> str:
        return period_text(self.period_start, self.period_end)

    def status_on(self, today: dt.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.state in OWED_STATES and self.due_on < today:
            return Status.OVERDUE
        if self.state == PointState.CLOSED:
            return str(self.assignment.lifecycle)
        return str(self.state)


class ReportKind(models.TextChoices):
    INTERIM = "interim", "промежуточный"
    FINAL = "final", "итоговый"


class ReportState(models.TextChoices):
    TO_LEAD = "to_lead", "направлен ответственному исполнителю"
    SUBMITTED = "submitted", "на рассмотрении"
    ACCEPTED = "accepted", "принят"
    RETURNED = "returned", "возвращён на доработку"


class Report(TimeStampedModel):
    """A report on a control point. A co-executor's report goes to the lead agency
    (``to_lead``), which may consolidate it into its own; the lead's report goes to the
    secretary, who accepts it or returns it with a comment. The secretary may also register a
    report that came on paper (``received_on``, a scan) on the agency's behalf."""

    point = models.ForeignKey(ControlPoint, on_delete=models.CASCADE, related_name="reports")
    organization = models.ForeignKey(
        "bodies.Organization",
        verbose_name="от организации",
        on_delete=models.PROTECT,
        related_name="control_reports",
    )
    kind = models.CharField("вид отчёта", max_length=8, choices=ReportKind.choices)
    text = models.TextField("содержание отчёта")
    state = models.CharField("состояние", max_length=16, choices=ReportState.choices)
    consolidates = models.ManyToManyField(
        "self",
        verbose_name="включает отчёты соисполнителей",
        symmetrical=False,
        blank=True,
        related_name="consolidated_in",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="представил",
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_paper = models.BooleanField("поступил на бумаге / письмом", default=False)
    received_on = models.DateField("дата поступления", null=True, blank=True)
    letter = models.CharField("реквизиты письма", max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="рассмотрел",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("рассмотрен", null=True, blank=True)
    review_comment = models.TextField("замечания", blank=True)

    class Meta:
        verbose_name = "отчёт об исполнении"
        verbose_name_plural = "отчёты об исполнении"
        ordering = ["created_at", "pk"]
        indexes = [
            # The executor's inbox asks, for every row, whether the agency already sent its
            # report to the lead agency: the few reports in that state, by agency.
            models.Index(
                fields=["organization", "point"],
                condition=models.Q(state=ReportState.TO_LEAD),
                name="report_sent_to_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display().capitalize()} отчёт — {self.organization}"


class ReportFile(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    file = models.FileField("файл", upload_to=report_file_path, max_length=500)
    name = models.CharField("имя файла", max_length=255)
    size = models.PositiveBigIntegerField("размер", default=0)

    class Meta:
        verbose_name = "файл отчёта"
        verbose_name_plural = "файлы отчёта"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ChangeState(models.TextChoices):
    REQUESTED = "requested", "запрошен исполнителем"
    PROPOSED = "proposed", "предложен секретарём"
    APPROVED = "approved", "утверждён председателем"
    REJECTED = "rejected", "отклонён"


class DeadlineChange(TimeStampedModel):
    """A change of a control point's date: the lead agency asks with reasons (or the secretary
    starts it), the secretary proposes, the chair approves or rejects. Kept for good."""

    point = models.ForeignKey(ControlPoint, on_delete=models.CASCADE, related_name="changes")
    old_due_on = models.DateField("прежний срок")
    new_due_on = models.DateField("новый срок")
    reason = models.TextField("обоснование")
    state = models.CharField("состояние", max_length=16, choices=ChangeState.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="запросил",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="предложил",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField("предложено", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="решил",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("решено", null=True, blank=True)
    comment = models.TextField("комментарий", blank=True)

    class Meta:
        verbose_name = "перенос срока"
        verbose_name_plural = "переносы сроков"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["point"],
                condition=Q(state__in=["requested", "proposed"]),
                name="change_one_pending_per_point",
                violation_error_message="По этому сроку уже есть нерассмотренный запрос переноса.",
            )
        ]

    def __str__(self) -> str:
        return f"Перенос срока с {self.old_due_on:%d.%m.%Y} на {self.new_due_on:%d.%m.%Y}"


class RemovalState(models.TextChoices):
    PROPOSED = "proposed", "предложено секретарём"
    APPROVED = "approved", "утверждено председателем"
    REJECTED = "rejected", "отклонено"


class Removal(TimeStampedModel):
    """The secretary's proposal to remove an assignment from control, and the chair's decision."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="removals")
    kind = models.CharField(
        "как снять",
        max_length=16,
        choices=[
            (Lifecycle.EXECUTED, "исполнено"),
            (Lifecycle.IRRELEVANT, "утратило актуальность"),
        ],
    )
    reason = models.TextField("основание")
    state = models.CharField(
        "состояние", max_length=16, choices=RemovalState.choices, default=RemovalState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="предложил",
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="решил",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("решено", null=True, blank=True)
    comment = models.TextField("комментарий", blank=True)

    class Meta:
        verbose_name = "снятие с контроля"
        verbose_name_plural = "снятие с контроля"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(state="proposed"),
                name="removal_one_pending",
                violation_error_message="Предложение о снятии с контроля уже направлено председателю.",
            )
        ]

    def __str__(self) -> str:
        return f"Снятие с контроля ({self.get_kind_display()})"


class OnAgenda(models.Model):
    """An assignment put on a meeting's agenda from the standing «О ходе исполнения» item."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="hearings")
    item = models.ForeignKey(
        "meetings.AgendaItem", on_delete=models.CASCADE, related_name="control_assignments"
    )

    class Meta:
        verbose_name = "поручение в повестке"
        verbose_name_plural = "поручения в повестке"
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "item"],
                name="onagenda_unique",
                violation_error_message="Это поручение уже в повестке.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.item}"


class OutboxState(models.TextChoices):
    PENDING = "pending", "ожидает отправки"
    SENDING = "sending", "отправляется"
    SENT = "sent", "отправлено"
    FAILED = "failed", "не отправлено"
    UNKNOWN = "unknown", "прервано при отправке (не повторяется)"


class OutboxMessage(models.Model):
    """A mail to send, written in the same transaction as the change it is about.

    ``key`` makes each reminder unique (the same reminder is never written twice). The worker
    claims a message (pending → sending) and commits *before* it talks to the SMTP server, and
    marks it sent after; a message found in ``sending`` by a later run was interrupted mid-send
    and is never retried (at most once), only reported."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField("вид", max_length=32)
    body = models.ForeignKey(
        "bodies.Body", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    recipients = models.JSONField("кому", default=list)
    subject = models.CharField("тема", max_length=300)
    text = models.TextField("текст")
    state = models.CharField(
        "состояние", max_length=16, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    claimed_at = models.DateTimeField("взято в отправку", null=True, blank=True)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)
    error = models.TextField("ошибка", blank=True)

    class Meta:
        verbose_name = "исходящее письмо"
        verbose_name_plural = "исходящие письма"
        ordering = ["pk"]
        indexes = [models.Index(fields=["state", "id"], name="outbox_state")]

    def __str__(self) -> str:
        return self.subject


def actor_label(user: User | None) -> str:
    return str(user) if user is not None else "система"
