"""A meeting of one body or jointly of several: its agenda, who is invited, who attended."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q

from koordinator.core.models import TimeStampedModel

if TYPE_CHECKING:
    from koordinator.accounts.models import User


class MeetingKind(models.TextChoices):
    REGULAR = "regular", "очередное"
    EXTRAORDINARY = "extraordinary", "внеочередное"


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", "очное"
    VIDEOCONFERENCE = "videoconference", "в режиме видеоконференцсвязи"
    HYBRID = "hybrid", "смешанное (очно и по ВКС)"
    ABSENTEE = "absentee", "заочное (опросным порядком)"


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", "готовится"
    ANNOUNCED = "announced", "назначено, приглашения разосланы"
    HELD = "held", "состоялось"
    CANCELLED = "cancelled", "отменено"


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: User) -> MeetingQuerySet:
        """Meetings of the bodies the user sees, and meetings the user was invited to as a
        guest (an invitee sees only that meeting, and none of its restricted parts)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        from koordinator.bodies.models import Body

        bodies = Body.objects.visible_to(user)
        of_bodies = Q(Exists(MeetingBody.objects.filter(meeting=OuterRef("pk"), body__in=bodies)))
        if user.person_id is None:
            return self.filter(of_bodies)
        as_guest = Q(Exists(Invitee.objects.filter(meeting=OuterRef("pk"), person=user.person_id)))
        return self.filter(of_bodies | as_guest)

    def with_bodies(self) -> MeetingQuerySet:
        """The meeting's body links with their bodies, in one query (``meeting_bodies__body``
        as a lookup takes two)."""
        return self.prefetch_related(
            Prefetch("meeting_bodies", queryset=MeetingBody.objects.select_related("body"))
        )


class Meeting(TimeStampedModel):
    """A meeting (заседание). A joint meeting belongs to several bodies through
    :class:`MeetingBody`: one agenda, one attendance list, quorum per body, and a protocol
    number in each body's own sequence."""

    bodies = models.ManyToManyField(
        "bodies.Body",
        through="MeetingBody",
        verbose_name="координационные органы",
        related_name="meetings",
    )
    kind = models.CharField(
        "вид", max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    format = models.CharField(
        "форма", max_length=16, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    status = models.CharField(
        "статус", max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    starts_at = models.DateTimeField("начало")
    ends_at = models.DateTimeField("окончание", null=True, blank=True)
    timezone = models.CharField("часовой пояс", max_length=64, default="Europe/Moscow")
    place = models.CharField(
        "место проведения",
        max_length=500,
        blank=True,
        help_text="Например: г. Энск, ул. Ленина, 1, администрация города, зал заседаний",
    )
    vks_link = models.CharField("ссылка на ВКС", max_length=500, blank=True)
    presiding = models.ForeignKey(
        "bodies.Person",
        verbose_name="председательствующий",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    secretary = models.ForeignKey(
        "bodies.Person",
        verbose_name="секретарь",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agenda_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="повестку утвердил",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agenda_approved_at = models.DateTimeField("повестка утверждена", null=True, blank=True)
    # Bumped whenever what an invitee's calendar shows changes (RFC 5545 SEQUENCE).
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "заседание"
        verbose_name_plural = "заседания"
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message="Заседание не может закончиться раньше, чем началось.",
            )
        ]
        indexes = [models.Index(fields=["starts_at"], name="meeting_starts_at")]

    def __str__(self) -> str:
        return f"Заседание {self.starts_at:%d.%m.%Y}"

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        """The meeting's own time zone (the site's, should the stored name be unknown)."""
        try:
            return zoneinfo.ZoneInfo(self.timezone or settings.TIME_ZONE)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    @property
    def local_starts_at(self) -> dt.datetime:
        """The start in the meeting's own time zone (what the invitation and protocol say)."""
        return self.starts_at.astimezone(self.tzinfo)

    @property
    def local_date(self) -> dt.date:
        """The meeting's date where it is held: composition and quorum are taken on it."""
        return self.local_starts_at.date()

    @property
    def is_joint(self) -> bool:
        return len(self.meeting_bodies.all()) > 1

    @property
    def is_remote(self) -> bool:
        return self.format in {MeetingFormat.VIDEOCONFERENCE, MeetingFormat.HYBRID}


class MeetingBody(models.Model):
    """A body taking part in a meeting, and the protocol's number in that body's sequence."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="meeting_bodies")
    body = models.ForeignKey(
        "bodies.Body",
        verbose_name="координационный орган",
        on_delete=models.PROTECT,
        related_name="meeting_links",
    )
    is_host = models.BooleanField("созывающий орган", default=False)
    order = models.PositiveSmallIntegerField(default=0)
    protocol_number = models.PositiveIntegerField("номер протокола", null=True, blank=True)
    protocol_period = models.PositiveSmallIntegerField(
        "год (срок) нумерации",
        null=True,
        blank=True,
        help_text="Календарный год или год начала срока полномочий — по положению органа",
    )
    registered_at = models.DateTimeField("зарегистрирован", null=True, blank=True)

    class Meta:
        verbose_name = "участие органа в заседании"
        verbose_name_plural = "органы заседания"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "body"],
                name="meetingbody_unique",
                violation_error_message="Орган уже участвует в этом заседании.",
            ),
            models.UniqueConstraint(
                fields=["body", "protocol_period", "protocol_number"],
                name="protocol_number_unique_per_body",
                violation_error_message="Протокол с таким номером у органа уже зарегистрирован.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.meeting}"


class Studio(models.Model):
    """A videoconference studio (e.g. in a city administration building)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="studios")
    name = models.CharField("студия", max_length=300)
    address = models.CharField("адрес", max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "студия ВКС"
        verbose_name_plural = "студии ВКС"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class AgendaItemKind(models.TextChoices):
    REGULAR = "regular", "вопрос повестки"
    CONTROL = "control", "о ходе исполнения ранее принятых решений"


class AgendaItem(TimeStampedModel):
    """A question of the agenda («О …»). Its number is its place; moving renumbers all."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField("номер")
    kind = models.CharField(
        "вид", max_length=16, choices=AgendaItemKind.choices, default=AgendaItemKind.REGULAR
    )
    title = models.CharField("вопрос", max_length=1000)
    planned_question = models.ForeignKey(
        "meetings.PlannedQuestion",
        verbose_name="вопрос плана",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    duration_minutes = models.PositiveSmallIntegerField("регламент, мин", null=True, blank=True)
    materials_due_on = models.DateField("материалы до", null=True, blank=True)
    restricted = models.BooleanField("ДСП", default=False)
    # The minutes of the item (СЛУШАЛИ): a summary, or «текст доклада прилагается».
    heard_summary = models.TextField("СЛУШАЛИ: краткое содержание", blank=True)
    report_attached = models.BooleanField("текст доклада прилагается", default=False)

    class Meta:
        verbose_name = "вопрос повестки"
        verbose_name_plural = "повестка"
        ordering = ["number", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class RapporteurRole(models.TextChoices):
    RAPPORTEUR = "rapporteur", "докладчик"
    CO_RAPPORTEUR = "co_rapporteur", "содокладчик"


class Rapporteur(models.Model):
    """Who reports on an item: an official (a member or an invitee) or an agency."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="rapporteurs")
    role = models.CharField(
        "роль", max_length=16, choices=RapporteurRole.choices, default=RapporteurRole.RAPPORTEUR
    )
    person = models.ForeignKey(
        "bodies.Person",
        verbose_name="должностное лицо",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "bodies.Organization",
        verbose_name="организация",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.CharField("должность", max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "докладчик"
        verbose_name_plural = "докладчики"
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="rapporteur_person_or_organization",
                violation_error_message="Укажите докладчика: должностное лицо или организацию.",
            )
        ]

    def __str__(self) -> str:
        if self.person_id and self.person:
            return self.person.initials_surname
        return str(self.organization)


def material_path(instance: Material, filename: str) -> str:
    return f"materials/{instance.item.meeting_id}/{instance.item_id}/{filename}"


class Material(TimeStampedModel):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField("наименование", max_length=500)
    file = models.FileField("файл", upload_to=material_path, max_length=500)
    size = models.PositiveBigIntegerField("размер", default=0)
    organization = models.ForeignKey(
        "bodies.Organization",
        verbose_name="от организации",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="загрузил",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    restricted = models.BooleanField("ДСП", default=False)

    class Meta:
        verbose_name = "материал к вопросу"
        verbose_name_plural = "материалы"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class Invitee(TimeStampedModel):
    """Someone invited who is not a member: printed with organisation and position."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    person = models.ForeignKey(
        "bodies.Person",
        verbose_name="должностное лицо",
        on_delete=models.PROTECT,
        related_name="invitations_as_guest",
    )
    organization = models.ForeignKey(
        "bodies.Organization",
        verbose_name="организация",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.CharField("должность", max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    attended = models.BooleanField("присутствовал", default=True)

    class Meta:
        verbose_name = "приглашённый"
        verbose_name_plural = "приглашённые"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="invitee_unique",
                violation_error_message="Этот человек уже приглашён.",
            )
        ]

    def __str__(self) -> str:
        return self.person.initials_surname


class InvitationResponse(models.TextChoices):
    PENDING = "pending", "нет ответа"
    ATTEND = "attend", "будет"
    SUBSTITUTE = "substitute", "направит замещающее лицо"
    ABSENT = "absent", "не будет"


class Invitation(TimeStampedModel):
    """An invitation sent to a member or an invitee, and their reply."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "bodies.Person", verbose_name="кому", on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField("адрес")
    token = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)
    response = models.CharField(
        "ответ",
        max_length=16,
        choices=InvitationResponse.choices,
        default=InvitationResponse.PENDING,
    )
    substitute_name = models.CharField("замещающее лицо", max_length=300, blank=True)
    substitute_position = models.CharField("его должность", max_length=500, blank=True)
    reason = models.CharField("причина отсутствия", max_length=500, blank=True)
    responded_at = models.DateTimeField("ответ получен", null=True, blank=True)

    class Meta:
        verbose_name = "приглашение"
        verbose_name_plural = "приглашения"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="invitation_unique",
                violation_error_message="Приглашение этому человеку уже есть.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "присутствует"
    ABSENT = "absent", "отсутствует"
    SUBSTITUTE = "substitute", "замещающее лицо"


class Attendance(TimeStampedModel):
    """A member's attendance (per membership: in a joint meeting a person who sits in two
    bodies counts for the quorum of each)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(
        "bodies.Membership", verbose_name="член", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("отметка", max_length=16, choices=AttendanceStatus.choices)
    substitute_name = models.CharField("замещающее лицо", max_length=300, blank=True)
    substitute_position = models.CharField("его должность", max_length=500, blank=True)
    absence_reason = models.CharField("причина отсутствия", max_length=500, blank=True)

    class Meta:
        verbose_name = "отметка о присутствии"
        verbose_name_plural = "присутствие"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"],
                name="attendance_unique",
                violation_error_message="Отметка об этом члене уже есть.",
            ),
            models.CheckConstraint(
                condition=~Q(status="substitute") | ~Q(substitute_name=""),
                name="attendance_substitute_named",
                violation_error_message="Укажите замещающее лицо.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} — {self.get_status_display()}"
