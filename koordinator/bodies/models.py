"""Organisations, coordination bodies and their composition by position."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr

from koordinator.core.models import TimeStampedModel
from koordinator.core.text import fold

if TYPE_CHECKING:
    from koordinator.accounts.models import User


class Level(models.TextChoices):
    FEDERAL = "federal", "федеральный"
    REGIONAL = "regional", "региональный"
    MUNICIPAL = "municipal", "муниципальный"


class OrganizationKind(models.TextChoices):
    EXECUTIVE = "executive", "орган исполнительной власти"
    LOCAL_GOVERNMENT = "local_government", "орган местного самоуправления"
    LEGISLATURE = "legislature", "представительный орган"
    LAW_ENFORCEMENT = "law_enforcement", "правоохранительный орган"
    PROSECUTOR = "prosecutor", "прокуратура"
    FEDERAL_TERRITORIAL = "federal_territorial", "территориальный орган федерального органа"
    PUBLIC = "public", "общественная организация"
    OTHER = "other", "иная организация"


class Organization(TimeStampedModel):
    """An agency (орган, ведомство, организация). A tree: federal → regional → municipal."""

    name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="вышестоящая организация",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField("уровень", max_length=16, choices=Level.choices)
    territory = models.CharField("территория", max_length=200, blank=True)
    kind = models.CharField(
        "вид", max_length=32, choices=OrganizationKind.choices, default=OrganizationKind.OTHER
    )
    email = models.EmailField("электронная почта", blank=True)
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "territory"],
                name="organization_unique_name_territory",
                violation_error_message="Организация с таким наименованием на этой территории уже есть.",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class BodyKind(models.TextChoices):
    COMMISSION = "commission", "комиссия"
    WORKING_GROUP = "working_group", "рабочая группа"
    COORDINATION_MEETING = "coordination_meeting", "координационное совещание"
    OPERATIONAL_GROUP = "operational_group", "оперативная группа"
    OTHER = "other", "иной координационный орган"


class QuorumRule(models.TextChoices):
    MORE_THAN_HALF = "more_than_half", "более половины членов"
    HALF = "half", "не менее половины членов"
    TWO_THIRDS = "two_thirds", "не менее двух третей членов"


class Signatories(models.TextChoices):
    PRESIDING_AND_SECRETARY = "presiding_and_secretary", "председательствующий и секретарь"
    PRESIDING = "presiding", "председательствующий"


class DayCount(models.TextChoices):
    CALENDAR = "calendar", "календарные дни"
    WORKING = "working", "рабочие дни"


class Numbering(models.TextChoices):
    YEAR = "year", "в пределах календарного года"
    TERM = "term", "в пределах срока полномочий состава"


class BodyQuerySet(models.QuerySet["Body"]):
    def visible_to(self, user: User) -> BodyQuerySet:
        """Bodies the user may see: where they hold a role, and every body below those.

        A role on a higher body (a regional commission) lets its people watch the bodies
        beneath it (the municipal commissions); ``path`` holds the chain of ids, so "below"
        is a prefix test done in one query.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        from koordinator.accounts.models import BodyRole

        ancestor_role = BodyRole.objects.filter(
            user=user, body__path=Substr(OuterRef("path"), 1, Length("body__path"))
        )
        return self.filter(Exists(ancestor_role))


class Body(TimeStampedModel):
    """A coordination body (commission, working group, coordination meeting …) and its regulation.

    The regulation settings default to the common practice in DOMAIN.md; each body's own
    regulation (положение) may differ, and these fields are where it is written down.
    """

    name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200)
    kind = models.CharField("вид", max_length=32, choices=BodyKind.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name="при какой организации образован",
        on_delete=models.PROTECT,
        related_name="bodies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="вышестоящий координационный орган",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "/<root id>/…/<own id>/", kept by the services; lets one query find everything below.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    established_by = models.CharField(
        "образован документом",
        max_length=500,
        blank=True,
        help_text="Например: распоряжение заместителя главы города от 01.03.2026 № 45-р",
    )
    is_active = models.BooleanField("действует", default=True)
    timezone = models.CharField("часовой пояс", max_length=64, default="Europe/Moscow")

    # Regulation settings (положение о координационном органе).
    quorum_rule = models.CharField(
        "кворум", max_length=32, choices=QuorumRule.choices, default=QuorumRule.MORE_THAN_HALF
    )
    substitutes_count_for_quorum = models.BooleanField(
        "замещающие лица учитываются в кворуме", default=False
    )
    decisions_without_quorum = models.BooleanField(
        "решения могут приниматься и при отсутствии кворума",
        default=False,
        help_text="Только если это прямо допускает положение об органе",
    )
    co_chairs_allowed = models.BooleanField(
        "допускается несколько председателей (сопредседатели)", default=False
    )
    protocol_signatories = models.CharField(
        "протокол подписывают",
        max_length=32,
        choices=Signatories.choices,
        default=Signatories.PRESIDING_AND_SECRETARY,
    )
    meetings_per_year = models.PositiveSmallIntegerField("заседаний в год по плану", default=4)
    protocol_days = models.PositiveSmallIntegerField("дней на оформление протокола", default=5)
    materials_days_before = models.PositiveSmallIntegerField(
        "за сколько дней до заседания представляются материалы", default=10
    )
    deadline_days = models.CharField(
        "сроки исчисляются в", max_length=16, choices=DayCount.choices, default=DayCount.CALENDAR
    )
    protocol_numbering = models.CharField(
        "нумерация протоколов", max_length=16, choices=Numbering.choices, default=Numbering.YEAR
    )
    term_started_on = models.DateField("начало срока полномочий состава", null=True, blank=True)

    # Reminders of execution control (each switchable per body).
    remind_before = models.BooleanField("напоминать исполнителям о приближении срока", default=True)
    remind_days = models.CharField(
        "за сколько дней напоминать",
        max_length=50,
        default="7,1",
        help_text="Дни через запятую, например: 7,1",
        validators=[
            RegexValidator(
                r"^\s*\d{1,2}(\s*,\s*\d{1,2})*\s*$",
                "Укажите дни числами через запятую, например: 7,1",
            )
        ],
    )
    remind_overdue = models.BooleanField("сообщать о просрочке в день её наступления", default=True)
    weekly_digest = models.BooleanField(
        "еженедельная сводка ведомствам (по понедельникам)", default=True
    )

    objects = BodyQuerySet.as_manager()

    REGULATION_FIELDS = (
        "quorum_rule",
        "substitutes_count_for_quorum",
        "decisions_without_quorum",
        "co_chairs_allowed",
        "protocol_signatories",
        "meetings_per_year",
        "protocol_days",
        "materials_days_before",
        "deadline_days",
        "protocol_numbering",
        "term_started_on",
        "remind_before",
        "remind_days",
        "remind_overdue",
        "weekly_digest",
    )

    class Meta:
        verbose_name = "координационный орган"
        verbose_name_plural = "координационные органы"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meetings_per_year__gte=1) & Q(meetings_per_year__lte=52),
                name="body_meetings_per_year_range",
                violation_error_message="Заседаний в год: от 1 до 52.",
            ),
            models.CheckConstraint(
                condition=Q(protocol_days__gte=1) & Q(protocol_days__lte=30),
                name="body_protocol_days_range",
                violation_error_message="Срок оформления протокола: от 1 до 30 дней.",
            ),
            models.CheckConstraint(
                condition=Q(materials_days_before__lte=60),
                name="body_materials_days_range",
                violation_error_message="Материалы представляются не ранее чем за 60 дней.",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def reminder_days(self) -> list[int]:
        """``remind_days`` as numbers, largest first (``"7,1"`` → ``[7, 1]``)."""
        days = {
            int(part) for part in self.remind_days.replace(" ", "").split(",") if part.isdigit()
        }
        return sorted((d for d in days if 0 < d <= 60), reverse=True)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Gender(models.TextChoices):
    MALE = "male", "мужской"
    FEMALE = "female", "женский"


class Person(TimeStampedModel):
    """An official, known by name. Parts of the name are kept apart for Russian inflection."""

    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    patronymic = models.CharField("отчество", max_length=100, blank=True)
    gender = models.CharField("пол", max_length=8, choices=Gender.choices, blank=True)
    email = models.EmailField("электронная почта", blank=True)
    phone = models.CharField("телефон", max_length=50, blank=True)
    # The full name casefolded, «ё» as «е», spaces collapsed: how officials are matched by
    # name (SQLite's case-insensitive comparison knows only Latin letters).
    name_key = models.CharField(max_length=320, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = "должностное лицо"
        verbose_name_plural = "должностные лица"
        ordering = ["last_name", "first_name", "patronymic"]

    def __str__(self) -> str:
        return self.full_name

    @staticmethod
    def make_name_key(last_name: str, first_name: str, patronymic: str = "") -> str:
        return fold(f"{last_name} {first_name} {patronymic}")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = self.make_name_key(self.last_name, self.first_name, self.patronymic)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"last_name", "first_name", "patronymic"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def initials_surname(self) -> str:
        """«И.О. Фамилия», as protocols and lists of members print it."""
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{initials} {self.last_name}".strip()

    @property
    def surname_initials(self) -> str:
        """«Фамилия И.О.»."""
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip()


class Post(TimeStampedModel):
    """A seat in a body's composition, defined by position: «начальник ОМВД России по городу».

    Membership is by position: when the holder changes, the post stays and a new
    :class:`Membership` begins.
    """

    body = models.ForeignKey(
        Body, verbose_name="координационный орган", on_delete=models.PROTECT, related_name="posts"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="организация", on_delete=models.PROTECT, related_name="posts"
    )
    title = models.CharField("должность", max_length=500)

    class Meta:
        verbose_name = "должность в составе"
        verbose_name_plural = "должности в составе"
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "organization", "title"],
                name="post_unique_in_body",
                violation_error_message="Такая должность в составе уже есть.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Role(models.TextChoices):
    CHAIR = "chair", "председатель"
    DEPUTY_CHAIR = "deputy_chair", "заместитель председателя"
    SECRETARY = "secretary", "секретарь"
    MEMBER = "member", "член"


ROLE_ORDER = {Role.CHAIR: 0, Role.DEPUTY_CHAIR: 1, Role.SECRETARY: 2, Role.MEMBER: 3}


class MembershipQuerySet(models.QuerySet["Membership"]):
    def on(self, day: dt.date) -> MembershipQuerySet:
        """Memberships in force on ``day`` (both ends inclusive)."""
        return self.filter(Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day))

    def overlapping(self, starts_on: dt.date, ends_on: dt.date | None) -> MembershipQuerySet:
        qs = self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        if ends_on is not None:
            qs = qs.filter(starts_on__lte=ends_on)
        return qs

    def visible_to(self, user: User) -> MembershipQuerySet:
        return self.filter(post__body__in=Body.objects.visible_to(user))


class Membership(TimeStampedModel):
    """A person holding a post in a body from one date to another, with a set of roles."""

    post = models.ForeignKey(
        Post, verbose_name="должность", on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person,
        verbose_name="должностное лицо",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    roles = models.JSONField(
        "роли", default=list, help_text="Набор из: chair, deputy_chair, secretary, member"
    )
    by_agreement = models.BooleanField("по согласованию", default=False)
    starts_on = models.DateField("входит в состав с")
    ends_on = models.DateField("по", null=True, blank=True)
    ground = models.CharField(
        "основание",
        max_length=500,
        blank=True,
        help_text="Документ, которым внесено изменение в состав",
    )

    objects = MembershipQuerySet.as_manager()

    AUDIT_FIELDS = ("post", "person", "roles", "by_agreement", "starts_on", "ends_on", "ground")

    class Meta:
        verbose_name = "членство в составе"
        verbose_name_plural = "состав"
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
                violation_error_message="Дата окончания не может быть раньше даты начала.",
            )
        ]
        indexes = [models.Index(fields=["post", "starts_on"], name="membership_post_start")]

    def __str__(self) -> str:
        return f"{self.person.surname_initials} — {self.post.title}"

    @property
    def body(self) -> Body:
        return self.post.body

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in sorted(self.roles, key=lambda r: ROLE_ORDER[Role(r)])]

    @property
    def rank(self) -> int:
        """Where the member stands in «Состав»: chair, deputies, secretary, then members."""
        return min((ROLE_ORDER[Role(r)] for r in self.roles), default=len(ROLE_ORDER))

    def is_current(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
