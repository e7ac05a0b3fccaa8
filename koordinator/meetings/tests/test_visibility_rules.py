"""The single-object access checks (``can_see_body``, ``can_see_meeting``) decide in Python
from the user's standing what the list filters (``visible_to``) decide in SQL. They must agree
for every kind of user and every object."""

from __future__ import annotations

import pytest

from koordinator.accounts.standing import standing
from koordinator.bodies.models import Body
from koordinator.bodies.permissions import can_see_body
from koordinator.core.testing import factories as f
from koordinator.meetings.models import Invitee, Meeting
from koordinator.meetings.permissions import can_see_meeting
from koordinator.meetings.tests.conftest import make_meeting

pytestmark = pytest.mark.django_db


def test_single_object_checks_agree_with_the_list_filters() -> None:
    region = f.make_body(name="Антитеррористическая комиссия области")
    city = f.make_body(name="Рабочая группа города", parent=region)
    other_city = f.make_body(name="Рабочая группа другого города", parent=region)
    elsewhere = f.make_body(name="Комиссия другой области")
    # "/1/" is a prefix of "/1/2/" but "/1/" must not let "/11/" through: bodies enough for
    # ids of two digits share a first digit with the region's.
    for n in range(12):
        f.make_body(name=f"Орган {n}", parent=elsewhere if n % 2 else None)
    meetings = [
        make_meeting(city),
        make_meeting(region, other_city),
        make_meeting(elsewhere),
    ]
    users = {
        "chair of the city group": f.UserFactory.create(),
        "observer of the region": f.UserFactory.create(),
        "secretary elsewhere": f.UserFactory.create(),
        "guest of the city meeting": f.UserFactory.create(),
        "executor officer only": f.UserFactory.create(),
        "nobody": f.UserFactory.create(),
        "superuser": f.UserFactory.create(is_superuser=True),
        "inactive chair": f.UserFactory.create(is_active=False),
    }
    f.grant(users["chair of the city group"], city, "chair")
    f.grant(users["observer of the region"], region, "observer")
    f.grant(users["secretary elsewhere"], elsewhere, "secretary")
    f.grant(users["inactive chair"], city, "chair")
    f.grant_executor(users["executor officer only"], f.OrganizationFactory.create())
    guest = users["guest of the city meeting"].person
    assert guest is not None
    Invitee.objects.create(meeting=meetings[0], person=guest)

    seen_bodies = 0
    for label, user in users.items():
        visible = set(Body.objects.visible_to(user).values_list("pk", flat=True))
        for body in Body.objects.all():
            assert can_see_body(user, body) == (body.pk in visible), (label, body.name)
        seen = set(Meeting.objects.visible_to(user).values_list("pk", flat=True))
        for meeting in Meeting.objects.prefetch_related("meeting_bodies__body"):
            assert can_see_meeting(user, meeting) == (meeting.pk in seen), (label, meeting.pk)
        seen_bodies += len(visible)
    assert seen_bodies > 0
    assert standing(users["executor officer only"]).agencies
    assert set(standing(users["observer of the region"]).bodies) == {region.pk}
