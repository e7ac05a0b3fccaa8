"""A signed protocol puts its decisions on control (``services.sync_from_protocol``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from koordinator.conftest import Cast
from koordinator.control import services
from koordinator.control import services_changes as changes
from koordinator.control.models import Assignment, ControlPoint, DeadlineChange, Source
from koordinator.core.models import AuditRecord
from koordinator.core.testing import factories as f
from koordinator.deadlines import Deadline
from koordinator.meetings import services_protocol as svc
from koordinator.meetings import services_protocol_lifecycle as lifecycle
from koordinator.meetings.models import AgendaItem, Meeting, MeetingBody, Protocol
from koordinator.meetings.tests.conftest import make_meeting
from koordinator.meetings.tests.protocol_helpers import (
    add_decision,
    first_item,
    second_item,
    sign_all,
    start,
    submit,
    with_quorum,
)

PERIODIC = "ежеквартально до 10 числа месяца, следующего за отчётным"


@pytest.fixture
def meeting(cast: Cast) -> Meeting:
    meeting = make_meeting(
        cast.body,
        place="г. Энск, ул. Ленина, 1",
        presiding=cast.chair_membership.person,
        secretary=cast.secretary.person,
    )
    for number, title in ((1, "О профилактике правонарушений"), (2, "Об информировании")):
        AgendaItem.objects.create(meeting=meeting, number=number, title=title)
    with_quorum(cast, meeting)
    return meeting


def sign(cast: Cast, protocol: Protocol) -> Protocol:
    return sign_all(cast, submit(cast, protocol))


def test_each_decision_with_a_lead_becomes_an_assignment(cast: Cast, meeting: Meeting) -> None:
    other = f.OrganizationFactory.create(name="Управление образования")
    protocol = start(cast, meeting)
    one_off = add_decision(
        cast.secretary,
        protocol,
        first_item(meeting),
        text="Провести рейды.",
        lead=cast.police,
        co=(other,),
        deadline_text="до 01.12.2026",
    )
    periodic = add_decision(
        cast.secretary,
        protocol,
        first_item(meeting),
        text="Информировать о миграционной обстановке.",
        lead=cast.police,
        deadline_text=PERIODIC,
        restricted=True,
    )
    no_deadline = add_decision(
        cast.secretary,
        protocol,
        second_item(meeting),
        text="Подготовить памятки.",
        lead=other,
        deadline_text="",
    )
    protocol = sign(cast, protocol)
    assert protocol.status == "registered"

    assert Assignment.objects.count() == 3
    link = MeetingBody.objects.get(meeting=meeting, body=cast.body)
    document = f"протокол заседания от 10.03.2026 № {link.protocol_number}"
    today = timezone.localdate()

    first = Assignment.objects.get(decision=one_off)
    one_off.refresh_from_db()
    assert first.number == one_off.code == "1.1"
    assert first.document == document
    assert first.source == Source.PROTOCOL and first.body == cast.body
    assert first.meeting == meeting and first.issued_on == today
    assert first.lead_executor == cast.police
    assert list(first.co_executors.all()) == [other]
    assert first.text == "Провести рейды." and not first.restricted
    assert not first.is_periodic
    assert [p.due_on for p in first.points.all()] == [one_off.due_on]
    assert one_off.due_on is not None and one_off.due_on.year == 2026

    second = Assignment.objects.get(decision=periodic)
    assert second.number == "1.2" and second.restricted and second.is_periodic
    assert second.deadline_text == PERIODIC
    points = list(second.points.all())
    assert len(points) > 2
    assert all(p.period_start and p.period_end for p in points)
    read = services.read(PERIODIC, issued_on=today, body=cast.body)
    assert isinstance(read, Deadline)
    expected = read.control_points(len(points))
    assert [(p.due_on, p.period_start) for p in points] == [
        (e.due, e.period_start) for e in expected
    ]
    assert points[-1].due_on <= today + services.HORIZON + dt.timedelta(days=100)

    third = Assignment.objects.get(decision=no_deadline)
    month = services.read("", issued_on=today, body=cast.body)
    assert isinstance(month, Deadline)
    assert [p.due_on for p in third.points.all()] == [month.due]
    assert third.lead_executor == other and not third.co_executors.exists()

    audits = AuditRecord.objects.filter(action="assignment.create")
    assert audits.count() == 3
    assert {a.actor_id for a in audits} == {protocol.signatures.order_by("-pk")[0].user_id}


def test_restricted_comes_from_the_protocol_or_the_item(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    item = second_item(meeting)
    item.restricted = True
    item.save()
    add_decision(cast.secretary, protocol, first_item(meeting), lead=cast.police)
    add_decision(cast.secretary, protocol, item, lead=cast.police)
    add_decision(cast.secretary, protocol, first_item(meeting), lead=None)  # no executor
    protocol.refresh_from_db()
    assert Assignment.objects.count() == 0
    # A decision without an executor is refused at submission; drop it.
    last = protocol.meeting.items.get(number=1).decisions.order_by("-order").first()
    assert last is not None
    protocol.refresh_from_db()
    svc.decision_delete(
        actor=cast.secretary, protocol=protocol, version=protocol.version, decision=last
    )
    sign(cast, protocol)
    flags = dict(Assignment.objects.values_list("number", "restricted"))
    assert flags == {"1.1": False, "2.1": True}


def test_a_correction_updates_the_assignment_instead_of_adding_one(
    cast: Cast, meeting: Meeting
) -> None:
    protocol = start(cast, meeting)
    decision = add_decision(
        cast.secretary,
        protocol,
        first_item(meeting),
        lead=cast.police,
        deadline_text="до 01.12.2026",
    )
    protocol = sign(cast, protocol)
    assignment = Assignment.objects.get()
    other = f.OrganizationFactory.create(name="Управление образования")

    lifecycle.protocol_correct(actor=cast.secretary, protocol=protocol, reason="Опечатка в сроке")
    protocol.refresh_from_db()
    svc.decision_update(
        actor=cast.secretary,
        protocol=protocol,
        version=protocol.version,
        decision=decision,
        text="Провести рейды дважды.",
        lead_executor=cast.police,
        co_executors=(other,),
        deadline_text="до 15.12.2026",
    )
    sign(cast, protocol)

    assert Assignment.objects.count() == 1
    assignment.refresh_from_db()
    decision.refresh_from_db()
    assert assignment.text == "Провести рейды дважды."
    assert list(assignment.co_executors.all()) == [other]
    assert list(
        ControlPoint.objects.filter(assignment=assignment).values_list("due_on", flat=True)
    ) == [decision.due_on]
    assert decision.due_on is not None and decision.due_on.day in (14, 15)
    actions = list(
        AuditRecord.objects.filter(action__startswith="assignment.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["assignment.create", "assignment.sync"]


def test_a_correction_keeps_a_moved_point_and_its_history(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    decision = add_decision(
        cast.secretary,
        protocol,
        first_item(meeting),
        lead=cast.police,
        deadline_text="до 01.12.2026",
    )
    protocol = sign(cast, protocol)
    point = ControlPoint.objects.get()
    original = point.due_on
    change = changes.extension_propose(
        actor=cast.secretary,
        point=point,
        new_due_on=original + dt.timedelta(days=9),
        reason="Праздники.",
    )
    changes.extension_decide(actor=cast.chair, change=change, approve=True)

    lifecycle.protocol_correct(actor=cast.secretary, protocol=protocol, reason="Уточнён текст")
    protocol.refresh_from_db()
    svc.decision_update(
        actor=cast.secretary,
        protocol=protocol,
        version=protocol.version,
        decision=decision,
        text="Провести рейды с участием УФМС.",
        lead_executor=cast.police,
        deadline_text="до 01.12.2026",
    )
    sign(cast, protocol)

    point = ControlPoint.objects.get()
    assert (point.due_on, point.original_due_on) == (original + dt.timedelta(days=9), original)
    assert DeadlineChange.objects.filter(point=point, state="approved").count() == 1
    assert Assignment.objects.get().text == "Провести рейды с участием УФМС."


def test_a_periodic_decision_corrected_to_a_date_is_one_off(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    decision = add_decision(
        cast.secretary, protocol, first_item(meeting), lead=cast.police, deadline_text=PERIODIC
    )
    protocol = sign(cast, protocol)
    assignment = Assignment.objects.get()
    assert assignment.is_periodic and assignment.points.count() > 2

    lifecycle.protocol_correct(actor=cast.secretary, protocol=protocol, reason="Срок разовый")
    protocol.refresh_from_db()
    svc.decision_update(
        actor=cast.secretary,
        protocol=protocol,
        version=protocol.version,
        decision=decision,
        text=decision.text,
        lead_executor=cast.police,
        deadline_text="до 01.12.2026",
    )
    sign(cast, protocol)
    assignment.refresh_from_db()
    decision.refresh_from_db()
    assert not assignment.is_periodic and assignment.ends_on is None
    assert [p.due_on for p in assignment.points.all()] == [decision.due_on]
    assert assignment.deadline_text == "до 01.12.2026"
