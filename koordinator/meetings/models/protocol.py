"""The protocol of a meeting: СЛУШАЛИ / ВЫСТУПИЛИ / РЕШИЛИ per item, signatures, numbers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from koordinator.core.models import TimeStampedModel
from koordinator.meetings.models.meeting import AgendaItem, Meeting


class ProtocolForm(models.TextChoices):
    FULL = "full", "полный"
    SHORT = "short", "краткий"


class ProtocolStatus(models.TextChoices):
    DRAFT = "draft", "проект"
    SUBMITTED = "submitted", "на подписи"
    SIGNED = "signed", "подписан"
    REGISTERED = "registered", "зарегистрирован"
    DISTRIBUTED = "distributed", "разослан"


class Protocol(TimeStampedModel):
    """One protocol per meeting; a joint meeting's protocol is registered under a number in
    each body's sequence (:class:`MeetingBody`) and signed as each body's regulation says.

    ``version`` guards the draft against lost updates: every save names the version it was
    edited from, and a save from an older version is refused. ``corrections`` counts the
    revisions (kept by ``protocol_correct``), so that a protocol never corrected, nearly all
    of them, is shown without asking for its revisions."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="protocol")
    form = models.CharField(
        "форма", max_length=8, choices=ProtocolForm.choices, default=ProtocolForm.FULL
    )
    status = models.CharField(
        "статус", max_length=16, choices=ProtocolStatus.choices, default=ProtocolStatus.DRAFT
    )
    restricted = models.BooleanField("для служебного пользования (ДСП)", default=False)
    version = models.PositiveIntegerField("версия", default=1)
    corrections = models.PositiveIntegerField(
        "исправлений",
        default=0,
        editable=False,
        help_text="Сколько раз подписанный протокол открывали для исправления (редакций).",
    )
    quorum_text = models.CharField("о кворуме", max_length=500, blank=True)
    submitted_at = models.DateTimeField("передан на подпись", null=True, blank=True)
    signed_at = models.DateTimeField("подписан", null=True, blank=True)
    registered_at = models.DateTimeField("зарегистрирован", null=True, blank=True)
    distributed_at = models.DateTimeField("разослан", null=True, blank=True)

    class Meta:
        verbose_name = "протокол"
        verbose_name_plural = "протоколы"

    def __str__(self) -> str:
        return f"Протокол заседания {self.meeting.starts_at:%d.%m.%Y}"

    @property
    def is_editable(self) -> bool:
        return self.status in {ProtocolStatus.DRAFT, ProtocolStatus.SUBMITTED}


class SignatureRole(models.TextChoices):
    PRESIDING = "presiding", "председательствующий"
    SECRETARY = "secretary", "секретарь"


class ProtocolSignature(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="signatures")
    body = models.ForeignKey(
        "bodies.Body", verbose_name="за орган", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("в качестве", max_length=16, choices=SignatureRole.choices)
    person = models.ForeignKey(
        "bodies.Person", verbose_name="подписал", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "подпись протокола"
        verbose_name_plural = "подписи протокола"
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "body", "role"],
                name="signature_unique",
                violation_error_message="Эта подпись уже поставлена.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person}"


class ProtocolRevision(models.Model):
    """A correction of a signed protocol: the text as it was, and why it changed."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField("номер редакции")
    reason = models.CharField("причина исправления", max_length=1000)
    snapshot = models.JSONField("текст протокола до исправления")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "редакция протокола"
        verbose_name_plural = "редакции протокола"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "number"],
                name="revision_unique_number",
                violation_error_message="Такая редакция уже есть.",
            )
        ]

    def __str__(self) -> str:
        return f"Редакция {self.number}: {self.reason}"


class Speech(models.Model):
    """ВЫСТУПИЛИ: a speaker on an item and the gist of what they said."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="speeches")
    person = models.ForeignKey(
        "bodies.Person",
        verbose_name="выступил",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    speaker = models.CharField("выступил (если нет в справочнике)", max_length=300, blank=True)
    summary = models.TextField("кратко", blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "выступление"
        verbose_name_plural = "выступления"
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(speaker=""),
                name="speech_has_speaker",
                violation_error_message="Укажите, кто выступил.",
            )
        ]

    def __str__(self) -> str:
        return self.person.initials_surname if self.person else self.speaker


class Decision(TimeStampedModel):
    """РЕШИЛИ: one point of the decision, numbered «<item>.<n>» by its place in the item.

    Executors are agencies (a lead and co-executors); the deadline is kept as the secretary
    wrote it (``deadline_text``) and as the date(s) it was read to (``due_on``)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveSmallIntegerField("номер в вопросе")
    text = models.TextField("текст решения")
    lead_executor = models.ForeignKey(
        "bodies.Organization",
        verbose_name="ответственный исполнитель",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_decisions",
    )
    co_executors = models.ManyToManyField(
        "bodies.Organization",
        verbose_name="соисполнители",
        blank=True,
        related_name="co_decisions",
    )
    deadline_text = models.CharField("срок", max_length=300, blank=True)
    due_on = models.DateField("срок (дата)", null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField("за", null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField("против", null=True, blank=True)
    votes_abstained = models.PositiveSmallIntegerField("воздержались", null=True, blank=True)
    dissent = models.TextField("особое мнение", blank=True)
    restricted = models.BooleanField("ДСП", default=False)

    class Meta:
        verbose_name = "решение"
        verbose_name_plural = "решения"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.code}. {self.text[:80]}"

    @property
    def code(self) -> str:
        return f"{self.item.number}.{self.order}"
