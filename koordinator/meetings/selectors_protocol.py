"""Reads for the protocol: access helpers (404 for what the user may not see, 403 for what they
may see but not change) and the editor page's data in a fixed number of queries.

Restricted (ДСП) parts are cut here, once, for everyone who is not an insider of the
meeting's bodies: a restricted protocol shows nothing but its mark, a restricted item and a
restricted decision are left out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import QuerySet
from django.http import Http404

from koordinator.accounts.models import User
from koordinator.bodies.models import Membership, Organization
from koordinator.core.access import fetch_visible, hide_unless, require
from koordinator.core.compiled import Compiled, attach, attach_many
from koordinator.core.models import without_timestamps
from koordinator.meetings import permissions
from koordinator.meetings.models import (
    AgendaItem,
    Decision,
    Invitee,
    Meeting,
    MeetingBody,
    Protocol,
    ProtocolRevision,
    ProtocolSignature,
    Rapporteur,
    Speech,
)
from koordinator.meetings.services_protocol import (  # re-exported for the documents
    PresentBlock,
    present_block,
)
from koordinator.meetings.services_protocol_lifecycle import (  # re-exported for the documents
    extracts,
    missing_signatures,
    protocol_numbers,
    signatures_for,
)

__all__ = [
    "PresentBlock",
    "extracts",
    "present_block",
    "protocol_numbers",
]

EDIT_DENIED = "Протокол ведёт секретарь органа."


# --- access ----------------------------------------------------------------------------------


def get_meeting(user: User, pk: object, *, for_change: bool = False) -> Meeting:
    meeting = permissions.get_meeting(user, pk)
    if for_change:
        require(permissions.can_manage_meeting(user, meeting), EDIT_DENIED)
    return meeting


def get_protocol(user: User, meeting_pk: object, *, for_change: bool = False) -> Protocol:
    """The meeting's protocol (404 if it has not been started, or for a restricted one
    that the user may not see)."""
    protocol = protocol_of_meeting(user, meeting_pk, for_change=False)
    _hide_restricted(user, protocol.meeting, protocol.restricted)
    _require_change(user, protocol, for_change)
    return protocol


def _require_change(user: User, protocol: Protocol, for_change: bool) -> None:
    if for_change:
        require(permissions.can_manage_meeting(user, protocol.meeting), EDIT_DENIED)


def _visible_meetings(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user)


def protocol_of_meeting(user: User, meeting_pk: object, *, for_change: bool) -> Protocol:
    meeting = get_meeting(user, meeting_pk, for_change=for_change)
    protocol = Protocol.objects.filter(meeting=meeting).first()
    if protocol is None:
        raise Http404("Протокол ещё не начат.")
    protocol.meeting = meeting
    return protocol


def _hide_restricted(user: User, meeting: Meeting, restricted: bool) -> None:
    hide_unless(not restricted or permissions.is_insider(user, meeting))


def get_item(user: User, pk: object, *, for_change: bool = False) -> tuple[AgendaItem, Protocol]:
    item = fetch_visible(AgendaItem.objects.filter(meeting__in=_visible_meetings(user)), pk)
    protocol = protocol_of_meeting(user, item.meeting_id, for_change=False)
    _hide_restricted(user, protocol.meeting, item.restricted or protocol.restricted)
    _require_change(user, protocol, for_change)
    item.meeting = protocol.meeting
    return item, protocol


def get_decision(user: User, pk: object, *, for_change: bool = False) -> tuple[Decision, Protocol]:
    decision = fetch_visible(
        Decision.objects.filter(item__meeting__in=_visible_meetings(user)).select_related("item"),
        pk,
    )
    protocol = protocol_of_meeting(user, decision.item.meeting_id, for_change=False)
    _hide_restricted(
        user,
        protocol.meeting,
        decision.restricted or decision.item.restricted or protocol.restricted,
    )
    _require_change(user, protocol, for_change)
    decision.item.meeting = protocol.meeting
    return decision, protocol


def get_speech(user: User, pk: object, *, for_change: bool = False) -> tuple[Speech, Protocol]:
    speech = fetch_visible(
        Speech.objects.filter(item__meeting__in=_visible_meetings(user)).select_related("item"),
        pk,
    )
    protocol = protocol_of_meeting(user, speech.item.meeting_id, for_change=False)
    _hide_restricted(user, protocol.meeting, speech.item.restricted or protocol.restricted)
    _require_change(user, protocol, for_change)
    speech.item.meeting = protocol.meeting
    return speech, protocol


# --- the editor's data -----------------------------------------------------------------------


def organization_choices() -> list[tuple[int, str]]:
    return list(
        Organization.objects.filter(is_active=True).order_by("name").values_list("pk", "name")
    )


# Person and post joined; the post's agency is not: the editor names members by post title
# (speakers' choices, «Присутствовали») and counts them by body (the quorum).
_members_on = Compiled(
    lambda meeting, day: without_timestamps(
        Membership.objects.on(day).select_related("person", "post")
    ).filter(post__body__in=MeetingBody.objects.filter(meeting=meeting).values("body")),
    meeting=int,
    day=dt.date,
)


def meeting_members(meeting: Meeting) -> list[Membership]:
    """The memberships of all the meeting's bodies on its (local) date, person and post
    joined: one query for the speakers' choices and the quorum."""
    return list(_members_on(meeting=meeting.pk, day=meeting.local_date))


def person_choices(
    meeting: Meeting, members: list[Membership] | None = None
) -> list[tuple[int, str]]:
    """Speakers to pick from: the composition of the meeting's bodies on its date and the
    invitees (two queries, one when ``members`` is given)."""
    if members is None:
        members = meeting_members(meeting)
    people: dict[int, tuple[str, str]] = {}
    for m in members:
        people.setdefault(
            m.person_id, (m.person.last_name, f"{m.person.surname_initials} — {m.post.title}")
        )
    for inv in Invitee.objects.filter(meeting=meeting).select_related("person", "organization"):
        label = inv.person.surname_initials
        extra = ", ".join(x for x in (inv.position, str(inv.organization or "")) if x)
        people.setdefault(
            inv.person_id, (inv.person.last_name, f"{label} — {extra}" if extra else label)
        )
    return [(pk, label) for pk, (_, label) in sorted(people.items(), key=lambda kv: kv[1][0])]


@dataclass
class ItemView:
    item: AgendaItem
    rapporteurs: list[Rapporteur]
    speeches: list[Speech]
    decisions: list[Decision]
    hidden_decisions: int = 0
    # The editor's forms, set by the view when the user may edit.
    minutes_form: Any = None
    new_speech_form: Any = None
    speech_forms: list[tuple[Speech, Any]] = field(default_factory=list)
    decision_forms: list[tuple[Decision, Any]] = field(default_factory=list)


@dataclass
class ProtocolView:
    meeting: Meeting
    protocol: Protocol | None
    insider: bool
    hidden: bool  # a restricted protocol seen by a non-insider
    items: list[ItemView] = field(default_factory=list)
    hidden_items: int = 0


# The protocol's tree, each level read by one statement compiled once (``core.compiled``) and
# keyed on the meeting, whatever the number of items and decisions.
_items = Compiled(
    lambda meeting: without_timestamps(AgendaItem.objects.filter(meeting=meeting)).order_by(
        "number", "pk"
    ),
    meeting=int,
)
_rapporteurs = Compiled(
    lambda meeting: without_timestamps(
        Rapporteur.objects.filter(item__meeting=meeting).select_related("person", "organization")
    ),
    meeting=int,
)
_speeches = Compiled(
    lambda meeting: without_timestamps(
        Speech.objects.filter(item__meeting=meeting).select_related("person")
    ),
    meeting=int,
)
_decisions = Compiled(
    lambda meeting: without_timestamps(
        Decision.objects.filter(item__meeting=meeting).select_related("lead_executor")
    ),
    meeting=int,
)
_co_executors = Compiled(
    lambda meeting: without_timestamps(
        Decision.co_executors.through.objects.filter(
            decision__item__meeting=meeting
        ).select_related("organization")
    ).order_by("organization__name", "pk"),
    meeting=int,
)


_protocol = Compiled(lambda meeting: Protocol.objects.filter(meeting=meeting), meeting=int)
_signatures = Compiled(
    lambda protocol: without_timestamps(
        ProtocolSignature.objects.filter(protocol=protocol).select_related("person", "body")
    ),
    protocol=int,
)
_revisions = Compiled(
    lambda protocol: ProtocolRevision.objects.filter(protocol=protocol).select_related(
        "created_by__person"
    ),
    protocol=int,
)


def protocol_of(meeting: int) -> Protocol | None:
    """The meeting's protocol, or None before the secretary starts it."""
    found: Protocol | None = _protocol.first(meeting=meeting)
    return found


def protocol_with(meeting: Meeting) -> Protocol | None:
    """``protocol_of`` for a meeting already read: no query when its read brought the
    protocol along (``permissions.get_meeting`` joins it), including the answer «none yet»."""
    relation = Meeting.protocol.related
    if relation.is_cached(meeting):
        return cast("Protocol | None", relation.get_cached_value(meeting))
    return protocol_of(meeting.pk)


def signatures_of(protocol: int) -> QuerySet[ProtocolSignature]:
    """The protocol's signatures with who signed and for which body (for ``attach``)."""
    return _signatures(protocol=protocol)


def revisions_of(protocol: int) -> list[ProtocolRevision]:
    return list(_revisions(protocol=protocol))


def protocol_tree(meeting: int) -> list[AgendaItem]:
    """Every item of the meeting in order, with ``rapporteurs``, ``speeches`` and
    ``decisions`` (lead executor and ``co_executors`` included) answering without a query:
    five statements however many rows."""
    items = list(_items(meeting=meeting))
    attach(items, "rapporteurs", _rapporteurs(meeting=meeting))
    attach(items, "speeches", _speeches(meeting=meeting))
    decisions = list(_decisions(meeting=meeting))
    links = _co_executors(meeting=meeting)
    attach_many(decisions, "co_executors", ((c.decision_id, c.organization) for c in links))
    attach(items, "decisions", decisions)
    return items


def protocol_items(user: User, meeting: Meeting, protocol: Protocol | None) -> ProtocolView:
    """Items with their rapporteurs, speeches and decisions (executors included), with the
    restricted parts cut for non-insiders. A fixed number of queries however many rows."""
    insider = permissions.is_insider(user, meeting)
    view = ProtocolView(
        meeting=meeting,
        protocol=protocol,
        insider=insider,
        hidden=bool(protocol and protocol.restricted and not insider),
    )
    if view.hidden:
        return view
    items = protocol_tree(meeting.pk)
    for item in items:
        if item.restricted and not insider:
            view.hidden_items += 1
            continue
        decisions = list(item.decisions.all())
        for d in decisions:
            d.item = item  # ``code`` reads item.number without another query
        shown = [d for d in decisions if insider or not d.restricted]
        view.items.append(
            ItemView(
                item=item,
                rapporteurs=list(item.rapporteurs.all()),
                speeches=list(item.speeches.all()),
                decisions=shown,
                hidden_decisions=len(decisions) - len(shown),
            )
        )
    return view


def numbers(meeting: Meeting) -> list[MeetingBody]:
    return [mb for mb in meeting.meeting_bodies.all() if mb.protocol_number is not None]


def can_sign(user: User, protocol: Protocol) -> bool:
    """Whether the user still has a signature to put (not one already given)."""
    missing = {(r.body.pk, r.role) for r in missing_signatures(protocol)}
    return any((r.body.pk, r.role) in missing for r in signatures_for(user, protocol))
