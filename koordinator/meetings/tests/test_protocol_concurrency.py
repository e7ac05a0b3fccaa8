"""Races on PostgreSQL (real row locks between connections; SQLite serialises writers anyway):
two protocols of one body signed at the same instant get numbers 1 and 2; two saves from the
same version: exactly one wins."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from koordinator.bodies import services as body_services
from koordinator.conftest import Cast
from koordinator.meetings import services_protocol as svc
from koordinator.meetings import services_protocol_lifecycle as lifecycle
from koordinator.meetings.models import Decision, Meeting, MeetingBody, Protocol
from koordinator.meetings.tests.conftest import MSK, make_meeting
from koordinator.meetings.tests.protocol_helpers import (
    add_decision,
    first_item,
    start,
    submit,
    with_quorum,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
)


def run_together(*calls: Callable[[], object]) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_protocols_signed_at_the_same_instant_get_1_and_2(cast: Cast, meeting: Meeting) -> None:
    body_services.body_update(actor=None, body=cast.body, protocol_signatories="presiding")
    other = make_meeting(
        cast.body,
        starts_at=dt.datetime(2026, 4, 14, 10, tzinfo=MSK),
        presiding=cast.chair_membership.person,
        secretary=cast.secretary.person,
    )
    protocols: list[Protocol] = []
    for m in (meeting, other):
        with_quorum(cast, m)
        protocol = start(cast, m)
        submit(cast, protocol)
        protocols.append(protocol)

    outcomes = run_together(
        *(lambda p=p: lifecycle.protocol_sign(actor=cast.chair, protocol=p) for p in protocols)
    )
    assert outcomes == ["ok", "ok"], outcomes
    numbers = sorted(
        n
        for n in MeetingBody.objects.filter(body=cast.body, protocol_period=2026).values_list(
            "protocol_number", flat=True
        )
        if n is not None
    )
    assert numbers == [1, 2]
    assert {p.status for p in Protocol.objects.all()} == {"registered"}


@pytest.mark.django_db(transaction=True)
def test_two_saves_from_the_same_version_one_wins(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting), text="Исходный")
    protocol.refresh_from_db()
    version = protocol.version

    def save(text: str) -> Callable[[], object]:
        return lambda: svc.decision_update(
            actor=cast.secretary,
            protocol=Protocol.objects.get(pk=protocol.pk),
            version=version,
            decision=Decision.objects.select_related("item").get(pk=decision.pk),
            text=text,
        )

    outcomes = run_together(save("Первый"), save("Второй"))
    assert outcomes.count("ok") == 1, outcomes
    assert any("Протокол уже изменил другой пользователь" in o for o in outcomes)
    protocol.refresh_from_db()
    assert protocol.version == version + 1
    assert Decision.objects.get(pk=decision.pk).text in {"Первый", "Второй"}
