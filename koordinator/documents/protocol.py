"""The protocol of a meeting, its agenda, and extracts from the protocol, as Word documents.

Laid out as ГОСТ Р 7.0.97-2016 and common records-management practice have it (see
DOMAIN.md): name of the body (of every body, for a joint meeting) → «ПРОТОКОЛ» → («совместного
заседания …») → date and number (a joint meeting's number in each body's sequence, «№ 3 / № 12»;
«№ ___» until registered) → place (or «в режиме видеоконференцсвязи» and the studios) → title
«заседания …» → Председательствующий, Секретарь → Присутствовали (alphabetical; over ten people
the count and «список прилагается», the list in an appendix) → Приглашённые → quorum →
ПОВЕСТКА ДНЯ → per item СЛУШАЛИ / ВЫСТУПИЛИ / РЕШИЛИ with decisions 1.1, 1.2 … → signatures →
«Для служебного пользования» at the top right where anything restricted is printed.

The data is read in :mod:`koordinator.documents.protocol_data`, in a fixed number of queries
whatever the size of the protocol, and handed to the template as plain strings and lists only.

Template variables (``protocol.docx``): ``restricted`` (bool), ``restriction_mark``,
``body_names`` (list), ``joint_title`` («совместного заседания …» or ""), ``title``
(«заседания …» or "" for a joint meeting), ``date`` («10.03.2026»), ``number`` («№ 3»),
``place``, ``studios`` (list), ``presiding``, ``secretary``, ``present_listed`` (bool: ten
people or fewer), ``present_summary`` («14 человек (список прилагается)»), ``present`` (list of
{``name``, ``position``}), ``appendix_title``, ``invitees`` (same shape), ``quorum_lines``
(list), ``items`` (list of {``number``, ``title``, ``rapporteurs`` (lines), ``heard`` (lines),
``spoke`` (lines), ``decisions`` (list of {``code``, ``text``, ``details`` (lines:
executors, deadline, votes, dissent)})}), ``decided_heading`` («РЕШИЛИ»), ``short`` (bool),
``signatures`` (list of {``title`` (the body, for a joint meeting), ``rows`` (list of {``role``,
``name``})}).

``agenda.docx``: ``restricted``, ``restriction_mark``, ``body_names``, ``title``, ``date``,
``time``, ``place``, ``studios``, ``vks_link``, ``items`` (list of {``number``, ``title``,
``rapporteurs``, ``time``}).

``extract.docx``: ``restricted``, ``restriction_mark``, ``body_names``, ``source`` («заседания
…»), ``date``, ``number``, ``place``, ``presiding``, ``organization``, ``items`` (as in the
protocol, only the organisation's decisions), ``decided_heading``, ``certified_role``,
``certified_name``, ``certified_on``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from koordinator.bodies.models import BodyKind, Organization
from koordinator.documents.composition import KIND_GENITIVE
from koordinator.documents.protocol_data import (
    ItemText,
    bodies_of,
    decision_text,
    executors,
    heard,
    host_body,
    invitee_lines,
    load_meeting,
    load_signatures,
    person_name,
    place,
    present_lines,
    protocol_number,
    quorum_lines,
    rapporteur_lines,
    signature_blocks,
    spoke,
    studios,
    titles,
    visible_decisions,
    visible_items,
)
from koordinator.documents.rendering import render_docx
from koordinator.documents.responses import safe_filename
from koordinator.documents.templating import clean_text, template_path
from koordinator.documents.wording import people_count
from koordinator.meetings.models import Decision, Meeting, Protocol, ProtocolForm, ProtocolSignature

RESTRICTION_MARK = "Для служебного пользования"
# «Присутствовали»: above this many people, the count and «список прилагается».
PRESENT_LIST_LIMIT = 10


# --- protocol -------------------------------------------------------------------------------


def protocol_context(
    protocol: Protocol,
    meeting: Meeting,
    signatures: list[ProtocolSignature],
    *,
    include_restricted: bool,
) -> dict[str, Any]:
    short = protocol.form == ProtocolForm.SHORT
    joint_title, title = titles(meeting)
    items: list[ItemText] = []
    any_restricted = False
    for item in visible_items(meeting, include_restricted):
        decisions = visible_decisions(item, include_restricted)
        any_restricted |= item.restricted or any(d.restricted for d in decisions)
        items.append(
            ItemText(
                number=item.number,
                title=clean_text(item.title),
                rapporteurs=rapporteur_lines(item),
                heard=heard(item, short),
                spoke=spoke(item, short),
                decisions=[decision_text(item, d) for d in decisions],
            )
        )
    present = present_lines(meeting)
    return {
        "restricted": protocol.restricted or any_restricted,
        "restriction_mark": RESTRICTION_MARK,
        "body_names": [clean_text(b.name) for b in bodies_of(meeting)],
        "joint_title": joint_title,
        "title": title,
        "date": f"{meeting.local_starts_at:%d.%m.%Y}",
        "number": protocol_number(meeting),
        "place": place(meeting, full=False),
        "studios": studios(meeting) if meeting.is_remote else [],
        "presiding": person_name(meeting.presiding) or "______________",
        "secretary": person_name(meeting.secretary) or "______________",
        "present_listed": len(present) <= PRESENT_LIST_LIMIT,
        "present_summary": f"{people_count(len(present))} (список прилагается)",
        "present": present,
        "appendix_title": "присутствовавших на заседании",
        "invitees": invitee_lines(meeting),
        "quorum_lines": quorum_lines(protocol, meeting),
        "items": items,
        "decided_heading": "РЕШИЛИ",
        "short": short,
        "signatures": signature_blocks(
            meeting, signatures, joint=len(meeting.meeting_bodies.all()) > 1
        ),
    }


def render_protocol_docx(protocol: Protocol, *, include_restricted: bool) -> bytes:
    """The protocol as DOCX. ``include_restricted=False`` (for anyone who is not an insider
    of the meeting's bodies) leaves restricted items and decisions out entirely."""
    meeting = load_meeting(protocol.meeting_id)
    context = protocol_context(
        protocol, meeting, load_signatures(protocol), include_restricted=include_restricted
    )
    return render_docx(template_path("protocol.docx", host_body(meeting)), context)


# --- agenda -----------------------------------------------------------------------------------


def _item_times(meeting: Meeting) -> dict[int, str]:
    """«10:00–10:20 (20 мин.)» per item while the running time is known; after an item
    without a duration, only the duration."""
    at: dt.datetime | None = meeting.local_starts_at
    out = {}
    for item in meeting.items.all():
        minutes = item.duration_minutes
        if not minutes:
            out[item.pk] = ""
            at = None
            continue
        if at is not None:
            end = at + dt.timedelta(minutes=minutes)
            out[item.pk] = f"{at:%H:%M}–{end:%H:%M} ({minutes} мин.)"
            at = end
        else:
            out[item.pk] = f"{minutes} мин."
    return out


def agenda_context(meeting: Meeting, *, include_restricted: bool) -> dict[str, Any]:
    joint_title, title = titles(meeting)
    times = _item_times(meeting)
    visible = visible_items(meeting, include_restricted)
    local = meeting.local_starts_at
    time = f"{local:%H:%M}"
    items = [
        ItemText(
            number=item.number,
            title=clean_text(item.title),
            rapporteurs=rapporteur_lines(item),
            time=times.get(item.pk, ""),
        )
        for item in visible
    ]
    return {
        "restricted": any(i.restricted for i in visible),
        "restriction_mark": RESTRICTION_MARK,
        "body_names": [clean_text(b.name) for b in bodies_of(meeting)],
        "title": joint_title or title,
        "date": f"{local:%d.%m.%Y}",
        "time": time,
        "place": place(meeting, full=True) or "______________",
        "studios": studios(meeting) if meeting.is_remote else [],
        "vks_link": clean_text(meeting.vks_link) if meeting.is_remote else "",
        "items": items,
    }


def render_agenda_docx(meeting: Meeting, *, include_restricted: bool) -> bytes:
    """«ПОВЕСТКА ДНЯ заседания …»: date, time, place (or the videoconference and its studios),
    the items with their rapporteurs and time."""
    full = load_meeting(meeting.pk)
    context = agenda_context(full, include_restricted=include_restricted)
    return render_docx(template_path("agenda.docx", host_body(full)), context)


# --- extract ----------------------------------------------------------------------------------


def _addressed_to(decision: Decision, organization: Organization) -> bool:
    return any(o.pk == organization.pk for o in executors(decision))


def extract_context(
    protocol: Protocol,
    meeting: Meeting,
    organization: Organization,
    *,
    include_restricted: bool = True,
) -> dict[str, Any]:
    joint_title, title = titles(meeting)
    items = []
    any_restricted = False
    for item in visible_items(meeting, include_restricted):
        decisions = [
            d for d in visible_decisions(item, include_restricted) if _addressed_to(d, organization)
        ]
        if not decisions:
            continue
        any_restricted |= item.restricted or any(d.restricted for d in decisions)
        items.append(
            ItemText(
                number=item.number,
                title=clean_text(item.title),
                rapporteurs=[],
                decisions=[decision_text(item, d) for d in decisions],
            )
        )
    host = host_body(meeting)
    kind = KIND_GENITIVE.get(BodyKind(host.kind), "координационного органа") if host else ""
    return {
        "restricted": protocol.restricted or any_restricted,
        "restriction_mark": RESTRICTION_MARK,
        "body_names": [clean_text(b.name) for b in bodies_of(meeting)],
        "source": joint_title or title,
        "date": f"{meeting.local_starts_at:%d.%m.%Y}",
        "number": protocol_number(meeting),
        "place": place(meeting, full=False),
        "presiding": person_name(meeting.presiding) or "______________",
        "organization": clean_text(organization.name),
        "items": items,
        "decided_heading": "РЕШИЛИ",
        "certified_role": f"секретарь {kind}".strip(),
        "certified_name": person_name(meeting.secretary) or "______________",
        "certified_on": f"{timezone.localdate():%d.%m.%Y}",
    }


def render_extract_docx(
    protocol: Protocol, organization: Organization, *, include_restricted: bool = True
) -> bytes:
    """«ВЫПИСКА из протокола …»: the heading requisites and only the decisions addressed to
    ``organization`` (as lead or co-executor), certified by the secretary.

    An extract goes to the executing agency, which must see its own restricted assignments
    too; the document then carries the restriction mark. Pass ``include_restricted=False``
    to leave them out."""
    meeting = load_meeting(protocol.meeting_id)
    context = extract_context(
        protocol, meeting, organization, include_restricted=include_restricted
    )
    return render_docx(template_path("extract.docx", host_body(meeting)), context)


# --- file names -------------------------------------------------------------------------------


def _short(meeting: Meeting) -> str:
    return safe_filename(" и ".join(b.short_name or b.name for b in bodies_of(meeting)))


def protocol_filename(meeting: Meeting, ext: str) -> tuple[str, str]:
    number = protocol_number(meeting).replace("/", "-")
    return (
        f"Протокол {_short(meeting)} от {meeting.local_starts_at:%d.%m.%Y} {number}.{ext}",
        f"protocol-{meeting.pk}-{meeting.local_starts_at:%Y-%m-%d}.{ext}",
    )


def agenda_filename(meeting: Meeting, ext: str) -> tuple[str, str]:
    return (
        f"Повестка {_short(meeting)} на {meeting.local_starts_at:%d.%m.%Y}.{ext}",
        f"agenda-{meeting.pk}-{meeting.local_starts_at:%Y-%m-%d}.{ext}",
    )


def extract_filename(meeting: Meeting, organization: Organization, ext: str) -> tuple[str, str]:
    org = safe_filename(organization.short_name or organization.name)
    return (
        f"Выписка из протокола от {meeting.local_starts_at:%d.%m.%Y} для {org}.{ext}",
        f"extract-{meeting.pk}-{organization.pk}.{ext}",
    )
