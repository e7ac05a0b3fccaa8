"""factory-boy factories for the test cast. Bodies are created through the service so their
``path`` is right."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from koordinator.accounts.models import BodyRole, OrganizationRole, User
from koordinator.bodies import services
from koordinator.bodies.models import Body, BodyKind, Level, Membership, Organization, Person


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Управление № {n} по городу Энску")
    short_name = factory.Sequence(lambda n: f"Управление № {n}")
    level = Level.MUNICIPAL
    territory = "город Энск"


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    last_name = factory.Sequence(lambda n: f"Петров{n}")
    first_name = "Иван"
    patronymic = "Сергеевич"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery")
    person = factory.SubFactory(PersonFactory)


def make_body(**fields: Any) -> Body:
    n = Body.objects.count() + 1
    defaults: dict[str, Any] = {
        "name": f"Межведомственная рабочая группа № {n}",
        "short_name": f"МРГ-{n}",
        "kind": BodyKind.WORKING_GROUP,
    }
    defaults.update(fields)
    if "organization" not in defaults:
        defaults["organization"] = OrganizationFactory.create()
    return services.body_create(actor=None, **defaults)


def grant(user: User, body: Body, role: str) -> BodyRole:
    return BodyRole.objects.create(user=user, body=body, role=role)


def grant_executor(user: User, organization: Organization) -> OrganizationRole:
    return OrganizationRole.objects.create(user=user, organization=organization)


def add_member(
    body: Body,
    person: Person | None = None,
    *,
    roles: tuple[str, ...] = ("member",),
    organization: Organization | None = None,
    title: str | None = None,
    starts_on: dt.date = dt.date(2026, 1, 1),
    ends_on: dt.date | None = None,
) -> Membership:
    person = person or PersonFactory.create()
    organization = organization or OrganizationFactory.create()
    return services.membership_add(
        actor=None,
        body=body,
        person=person,
        organization=organization,
        post_title=title or f"начальник отдела {person.last_name}",
        roles=roles,
        starts_on=starts_on,
        ends_on=ends_on,
    )
