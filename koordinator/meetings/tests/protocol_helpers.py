"""Shared steps for the protocol tests: quorum, a complete decision, submit and sign."""

from __future__ import annotations

import datetime as dt

from koordinator.accounts.models import User
from koordinator.bodies.models import Membership, Organization
from koordinator.conftest import Cast
from koordinator.meetings import services_protocol as svc
from koordinator.meetings import services_protocol_lifecycle as lifecycle
from koordinator.meetings.models import AgendaItem, Attendance, Decision, Meeting, Protocol


def mark_present(meeting: Meeting, *memberships: Membership) -> None:
    for m in memberships:
        Attendance.objects.create(meeting=meeting, membership=m, status="present")


def with_quorum(cast: Cast, meeting: Meeting) -> None:
    mark_present(meeting, cast.chair_membership, cast.member_membership)


def start(cast: Cast, meeting: Meeting) -> Protocol:
    return svc.protocol_get_or_create(actor=cast.secretary, meeting=meeting)


def add_decision(
    actor: User,
    protocol: Protocol,
    item: AgendaItem,
    *,
    text: str = "Обеспечить проведение профилактических мероприятий.",
    lead: Organization | None = None,
    co: tuple[Organization, ...] = (),
    deadline_text: str = "до 01.12.2026",
    due_on: dt.date | None = None,
    restricted: bool = False,
) -> Decision:
    protocol.refresh_from_db()
    decision = svc.decision_add(actor=actor, protocol=protocol, version=protocol.version, item=item)
    return svc.decision_update(
        actor=actor,
        protocol=protocol,
        version=protocol.version,
        decision=decision,
        text=text,
        lead_executor=lead,
        co_executors=co,
        deadline_text=deadline_text,
        due_on=due_on,
        restricted=restricted,
    )


def submit(cast: Cast, protocol: Protocol) -> Protocol:
    protocol.refresh_from_db()
    return lifecycle.protocol_submit(
        actor=cast.secretary, protocol=protocol, version=protocol.version
    )


def sign_all(cast: Cast, protocol: Protocol) -> Protocol:
    """Chair (presiding) and secretary sign."""
    lifecycle.protocol_sign(actor=cast.chair, protocol=protocol)
    protocol.refresh_from_db()
    if protocol.status == "submitted":
        lifecycle.protocol_sign(actor=cast.secretary, protocol=protocol)
    protocol.refresh_from_db()
    return protocol


def first_item(meeting: Meeting) -> AgendaItem:
    return meeting.items.order_by("number").first()  # type: ignore[return-value]


def second_item(meeting: Meeting) -> AgendaItem:
    return meeting.items.order_by("number")[1]
