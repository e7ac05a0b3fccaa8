"""Writes to users and their roles, each audited in its transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from koordinator.accounts.models import (
    BodyRole,
    BodyRoleKind,
    OrganizationRole,
    OrganizationRoleKind,
    User,
)
from koordinator.bodies.models import Body, Organization, Person
from koordinator.core import audit


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    person: Person | None = None,
    is_superuser: bool = False,
    email: str = "",
) -> User:
    """A user who signs in (argon2-hashed password), linked to the official they are; the
    e-mail is where reminders and notices go."""
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"Пользователь «{username}» уже есть."})
    names = {"first_name": person.first_name, "last_name": person.last_name} if person else {}
    if is_superuser:
        user = User.objects.create_superuser(
            username=username, password=password, email=email, **names
        )
    else:
        user = User.objects.create_user(username=username, password=password, email=email, **names)
    if person is not None:
        user.person = person
        user.save(update_fields=["person"])
    audit.record(
        actor=actor,
        action="user.create",
        target=user,
        after={
            "username": username,
            "email": email,
            "person": person.pk if person else None,
            "is_superuser": is_superuser,
        },
    )
    return user


@transaction.atomic
def body_role_grant(*, actor: User | None, user: User, body: Body, role: str) -> BodyRole:
    if role not in BodyRoleKind.values:
        raise ValidationError({"role": f"Неизвестная роль «{role}»."})
    body_role, created = BodyRole.objects.get_or_create(user=user, body=body, role=role)
    if created:
        audit.record(
            actor=actor,
            action="bodyrole.create",
            target=body_role,
            body=body,
            after={"user": user.pk, "role": role},
        )
    return body_role


@transaction.atomic
def organization_role_grant(
    *,
    actor: User | None,
    user: User,
    organization: Organization,
    role: str = OrganizationRoleKind.EXECUTOR,
) -> OrganizationRole:
    org_role, created = OrganizationRole.objects.get_or_create(
        user=user, organization=organization, role=role
    )
    if created:
        audit.record(
            actor=actor,
            action="organizationrole.create",
            target=org_role,
            after={"user": user.pk, "organization": organization.pk, "role": role},
        )
    return org_role
