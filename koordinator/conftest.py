"""The named cast every test can call on.

``body`` is a city working group whose higher body is ``region_body``. In it: ``chair``,
``secretary`` and ``member`` (each with a BodyRole and a Membership); ``executor`` is the police
agency's officer (an OrganizationRole, no role in the body); ``observer`` watches from the
regional body; ``outsider`` is the secretary of an unrelated body.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from koordinator.accounts.models import User
from koordinator.bodies.models import Body, Membership, Organization, Person
from koordinator.core.testing import factories as f


@dataclass
class Cast:
    region_body: Body
    body: Body
    other_body: Body
    police: Organization
    chair: User
    secretary: User
    member: User
    executor: User
    observer: User
    outsider: User
    chair_membership: Membership
    member_membership: Membership

    def person(self, user: User) -> Person:
        """The official a cast member is (every cast user has one)."""
        assert user.person is not None
        return user.person

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def cast(db: None) -> Cast:
    region_org = f.OrganizationFactory.create(
        name="Правительство Энской области", level="regional", territory="Энская область"
    )
    city_org = f.OrganizationFactory.create(name="Администрация города Энска", parent=region_org)
    police = f.OrganizationFactory.create(
        name="УМВД России по городу Энску", short_name="УМВД", kind="law_enforcement"
    )
    region_body = f.make_body(
        name="Антитеррористическая комиссия в Энской области",
        short_name="АТК области",
        kind="commission",
        organization=region_org,
    )
    body = f.make_body(
        name="Межведомственная рабочая группа по профилактике правонарушений в среде мигрантов",
        short_name="МРГ мигранты",
        organization=city_org,
        parent=region_body,
    )
    other_body = f.make_body(
        name="Комиссия по делам несовершеннолетних", short_name="КДН", kind="commission"
    )

    chair, secretary, member, executor, observer, outsider = (
        f.UserFactory.create(username=name)
        for name in ("chair", "secretary", "member", "executor", "observer", "outsider")
    )
    chair_membership = f.add_member(body, chair.person, roles=("chair",))
    f.add_member(body, secretary.person, roles=("secretary",))
    member_membership = f.add_member(body, member.person, organization=police)
    f.grant(chair, body, "chair")
    f.grant(secretary, body, "secretary")
    f.grant(member, body, "member")
    f.grant(observer, region_body, "observer")
    f.grant(outsider, other_body, "secretary")
    f.grant_executor(executor, police)
    return Cast(
        region_body=region_body,
        body=body,
        other_body=other_body,
        police=police,
        chair=chair,
        secretary=secretary,
        member=member,
        executor=executor,
        observer=observer,
        outsider=outsider,
        chair_membership=chair_membership,
        member_membership=member_membership,
    )
