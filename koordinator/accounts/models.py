"""Users and what they may do: roles per body, roles per organisation, API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models

from koordinator.core.models import TimeStampedModel


class User(AbstractUser):
    """A person who signs in. Linked to the official (:class:`Person`) they are, if any."""

    person = models.OneToOneField(
        "bodies.Person",
        verbose_name="должностное лицо",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"

    def __str__(self) -> str:
        if self.person_id and self.person:
            return self.person.surname_initials
        return self.get_full_name() or self.username


class BodyRoleKind(models.TextChoices):
    CHAIR = "chair", "председатель"
    DEPUTY_CHAIR = "deputy_chair", "заместитель председателя"
    SECRETARY = "secretary", "секретарь (аппарат)"
    MEMBER = "member", "член"
    OBSERVER = "observer", "наблюдатель вышестоящего органа"


# Roles that may change a body's composition, settings and (later) its meetings.
MANAGING_ROLES = frozenset({BodyRoleKind.SECRETARY})
# Roles that lead the body: they approve and sign, and see its history.
LEADING_ROLES = frozenset({BodyRoleKind.CHAIR, BodyRoleKind.DEPUTY_CHAIR})


class BodyRole(TimeStampedModel):
    """What a user is in one body. A role on a higher body also lets the user watch the
    bodies below it (read only)."""

    user = models.ForeignKey(
        User, verbose_name="пользователь", on_delete=models.CASCADE, related_name="body_roles"
    )
    body = models.ForeignKey(
        "bodies.Body",
        verbose_name="координационный орган",
        on_delete=models.CASCADE,
        related_name="user_roles",
    )
    role = models.CharField("роль", max_length=16, choices=BodyRoleKind.choices)

    class Meta:
        verbose_name = "роль в координационном органе"
        verbose_name_plural = "роли в координационных органах"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "body", "role"],
                name="bodyrole_unique",
                violation_error_message="У пользователя уже есть эта роль в этом органе.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.body}"


class OrganizationRoleKind(models.TextChoices):
    EXECUTOR = "executor", "ответственный исполнитель (офицер ведомства)"


class OrganizationRole(TimeStampedModel):
    """What a user does for an agency: the executor officer reports on its assignments."""

    user = models.ForeignKey(
        User,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="organization_roles",
    )
    organization = models.ForeignKey(
        "bodies.Organization",
        verbose_name="организация",
        on_delete=models.CASCADE,
        related_name="user_roles",
    )
    role = models.CharField(
        "роль",
        max_length=16,
        choices=OrganizationRoleKind.choices,
        default=OrganizationRoleKind.EXECUTOR,
    )

    class Meta:
        verbose_name = "роль в организации"
        verbose_name_plural = "роли в организациях"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                name="organizationrole_unique",
                violation_error_message="У пользователя уже есть эта роль в этой организации.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organization}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(TimeStampedModel):
    """A personal API token. Only its SHA-256 is stored; the raw value is shown once."""

    user = models.ForeignKey(
        User, verbose_name="пользователь", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("назначение", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    last_used_at = models.DateTimeField("использован", null=True, blank=True)

    class Meta:
        verbose_name = "токен API"
        verbose_name_plural = "токены API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple[ApiToken, str]:
        raw = "kt_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_token(raw), prefix=raw[:8])
        return token, raw
