"""Two secretaries appointing a chair at the same instant: exactly one succeeds.

Runs on PostgreSQL (real row locks between connections); SQLite serialises writers anyway."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from koordinator.bodies import services
from koordinator.bodies.models import Membership
from koordinator.core.testing import factories as f

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
)


@pytest.mark.django_db(transaction=True)
def test_two_chairs_at_once_one_wins() -> None:
    body = f.make_body()
    organization = f.OrganizationFactory.create()
    people = [f.PersonFactory.create(), f.PersonFactory.create()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def appoint(person_index: int) -> None:
        try:
            barrier.wait(timeout=10)
            services.membership_add(
                actor=None,
                body=body,
                person=people[person_index],
                organization=organization,
                post_title=f"должность {person_index}",
                roles=["chair"],
                starts_on=dt.date(2026, 1, 1),
            )
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=appoint, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert outcomes.count("ok") == 1, outcomes
    assert any("Председатель уже назначен" in o for o in outcomes)
    assert Membership.objects.filter(post__body=body).count() == 1
