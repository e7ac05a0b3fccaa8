"""A meeting's protocol data, read and worded for its documents.

Everything the protocol, the agenda and the extracts print is read in a fixed number of
queries whatever the size of the protocol (:func:`load_meeting`), and turned here into plain
strings, lists and small frozen dataclasses: the requisites of the heading (bodies, title,
date, number, place, studios), the items (rapporteurs, СЛУШАЛИ, ВЫСТУПИЛИ, decisions with
their executors, deadline and votes), who was present and invited, the quorum and the
signatures. :mod:`koordinator.documents.protocol` assembles them into the templates' context.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from koordinator.bodies.models import Body, Organization, Person, Signatories
from koordinator.core.compiled import Compiled, attach, attached
from koordinator.core.models import without_timestamps
from koordinator.core.text import fold
from koordinator.documents.templating import clean_text
from koordinator.documents.wording import city_of, genitive, join_and, names_agency, sentence
from koordinator.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    Decision,
    Invitee,
    Meeting,
    MeetingBody,
    MeetingFormat,
    Protocol,
    ProtocolSignature,
    Rapporteur,
    RapporteurRole,
    SignatureRole,
)
from koordinator.meetings.permissions import meeting_body_links
from koordinator.meetings.selectors import studios_of
from koordinator.meetings.selectors_protocol import protocol_tree, signatures_of
from koordinator.meetings.services_protocol import meeting_attendance

VKS = "в режиме видеоконференцсвязи"
UNREGISTERED_NUMBER = "№ ___"


# --- reading --------------------------------------------------------------------------------


_meeting = Compiled(
    lambda pk: Meeting.objects.select_related("presiding", "secretary").filter(pk=pk), pk=int
)
_invitees = Compiled(
    lambda meeting: without_timestamps(
        Invitee.objects.filter(meeting=meeting, attended=True).select_related(
            "person", "organization"
        )
    ),
    meeting=int,
)


def load_meeting(pk: int) -> Meeting:
    """The meeting with everything its documents print, in a fixed number of queries, each
    compiled once (``core.compiled``): bodies, studios, items with rapporteurs, speeches and
    decisions (executors included), attendance with the members' posts, invitees who came."""
    meeting: Meeting | None = _meeting.first(pk=pk)
    if meeting is None:
        raise Meeting.DoesNotExist(f"Заседание {pk} не найдено.")
    attach([meeting], "meeting_bodies", meeting_body_links(pk))
    attach([meeting], "studios", studios_of(pk))
    attach([meeting], "items", protocol_tree(pk))
    attach([meeting], "attendance", meeting_attendance(meeting))
    attach([meeting], "invitees", _invitees(meeting=pk))
    return meeting


def load_signatures(protocol: Protocol) -> list[ProtocolSignature]:
    return list(signatures_of(protocol.pk))


# --- requisites -----------------------------------------------------------------------------


def _links(meeting: Meeting) -> list[MeetingBody]:
    return sorted(meeting.meeting_bodies.all(), key=lambda mb: (not mb.is_host, mb.order, mb.pk))


def bodies_of(meeting: Meeting) -> list[Body]:
    return [link.body for link in _links(meeting)]


def _position(title: str, organization: Organization | None) -> str:
    """The post, and the agency unless the post already names it."""
    title = title.strip()
    if organization is None:
        return title
    if title and names_agency(title, organization):
        return title
    return ", ".join(p for p in (title, organization.name) if p)


def titles(meeting: Meeting) -> tuple[str, str]:
    """(«совместного заседания … и …» or "", «заседания …» or "")."""
    bodies = bodies_of(meeting)
    if len(bodies) > 1:
        return f"совместного заседания {join_and([genitive(b.name) for b in bodies])}", ""
    if bodies:
        return "", f"заседания {genitive(bodies[0].name)}"
    return "", "заседания"


def protocol_number(meeting: Meeting) -> str:
    links = _links(meeting)
    numbers = [
        f"№ {link.protocol_number}" if link.protocol_number else UNREGISTERED_NUMBER
        for link in links
    ]
    return " / ".join(numbers) or UNREGISTERED_NUMBER


def studios(meeting: Meeting) -> list[str]:
    out = []
    for studio in meeting.studios.all():
        text = clean_text(studio.name)
        if studio.address:
            text = f"{text} ({clean_text(studio.address)})"
        out.append(f"студия: {text}")
    return out


def place(meeting: Meeting, *, full: bool) -> str:
    where = clean_text(meeting.place if full else city_of(meeting.place))
    if meeting.format == MeetingFormat.VIDEOCONFERENCE:
        return VKS
    if meeting.format == MeetingFormat.HYBRID:
        return f"{where} (очно и {VKS})" if where else f"очно и {VKS}"
    if meeting.format == MeetingFormat.ABSENTEE:
        return f"{where} (заочное заседание)" if where else "заочное заседание"
    return where


def person_name(person: Person | None) -> str:
    return clean_text(person.initials_surname) if person else ""


def _rapporteur_name(r: Rapporteur) -> str:
    if r.person is not None:
        return clean_text(r.person.initials_surname)
    return clean_text(r.organization.name) if r.organization else ""


def rapporteur_lines(item: AgendaItem) -> list[str]:
    lines = []
    for role, one, many in (
        (RapporteurRole.RAPPORTEUR, "Докладчик", "Докладчики"),
        (RapporteurRole.CO_RAPPORTEUR, "Содокладчик", "Содокладчики"),
    ):
        people = []
        for r in item.rapporteurs.all():
            if r.role != role:
                continue
            name = _rapporteur_name(r)
            position = _position(r.position, r.organization) if r.person is not None else r.position
            people.append(f"{name}, {clean_text(position)}" if position.strip() else name)
        if people:
            lines.append(f"{one if len(people) == 1 else many}: {'; '.join(people)}.")
    return lines


def _ordered_rapporteurs(item: AgendaItem) -> list[Rapporteur]:
    return sorted(
        item.rapporteurs.all(),
        key=lambda r: (r.role != RapporteurRole.RAPPORTEUR, r.order, r.pk),
    )


# --- the pieces the templates print ----------------------------------------------------------


@dataclass(frozen=True)
class Line:
    name: str
    position: str


@dataclass(frozen=True)
class DecisionText:
    code: str
    text: str
    details: list[str]


@dataclass(frozen=True)
class ItemText:
    number: int
    title: str
    rapporteurs: list[str]
    heard: list[str] = field(default_factory=list)
    spoke: list[str] = field(default_factory=list)
    decisions: list[DecisionText] = field(default_factory=list)
    time: str = ""


@dataclass(frozen=True)
class SignatureRow:
    role: str
    name: str


@dataclass(frozen=True)
class SignatureBlock:
    title: str
    rows: list[SignatureRow]


def executors(decision: Decision) -> list[Organization]:
    out = [decision.lead_executor] if decision.lead_executor else []
    out += sorted(attached(decision, "co_executors"), key=lambda o: o.name)
    return out


def decision_text(item: AgendaItem, decision: Decision) -> DecisionText:
    details = []
    if decision.lead_executor is not None:
        details.append(f"Ответственный исполнитель: {clean_text(decision.lead_executor.name)}.")
    co = sorted(attached(decision, "co_executors"), key=lambda o: o.name)
    if co:
        details.append(f"Соисполнители: {', '.join(clean_text(o.name) for o in co)}.")
    deadline = clean_text(decision.deadline_text)
    if not deadline and decision.due_on:
        deadline = f"до {decision.due_on:%d.%m.%Y}"
    if deadline:
        details.append(f"Срок: {sentence(deadline)}")
    votes = (decision.votes_for, decision.votes_against, decision.votes_abstained)
    if any(v is not None for v in votes):
        yes, no, abstained = (v or 0 for v in votes)
        details.append(f"Голосовали: за — {yes}, против — {no}, воздержались — {abstained}.")
    if decision.dissent.strip():
        details.append(f"Особое мнение: {sentence(clean_text(decision.dissent))}")
    return DecisionText(
        code=f"{item.number}.{decision.order}",
        text=sentence(clean_text(decision.text)),
        details=details,
    )


def visible_items(meeting: Meeting, include_restricted: bool) -> list[AgendaItem]:
    return [i for i in meeting.items.all() if include_restricted or not i.restricted]


def visible_decisions(item: AgendaItem, include_restricted: bool) -> list[Decision]:
    decisions = sorted(item.decisions.all(), key=lambda d: (d.order, d.pk))
    return [d for d in decisions if include_restricted or not d.restricted]


def heard(item: AgendaItem, short: bool) -> list[str]:
    names = ", ".join(n for n in (_rapporteur_name(r) for r in _ordered_rapporteurs(item)) if n)
    if short:
        title = clean_text(item.title)
        return [f"{names} — {title}" if names else title]
    text = "текст доклада прилагается" if item.report_attached else clean_text(item.heard_summary)
    if names and text:
        return [f"{names} — {sentence(text)}"]
    return [names or sentence(text)] if (names or text) else []


def spoke(item: AgendaItem, short: bool) -> list[str]:
    speeches = sorted(item.speeches.all(), key=lambda s: (s.order, s.pk))
    names = [
        person_name(s.person) if s.person is not None else clean_text(s.speaker) for s in speeches
    ]
    if short:
        return [sentence(", ".join(names))] if names else []
    out = []
    for name, speech in zip(names, speeches, strict=True):
        summary = clean_text(speech.summary)
        out.append(f"{name} — {sentence(summary)}" if summary else name)
    return out


def present_lines(meeting: Meeting) -> list[Line]:
    """Members present (a person sitting in two bodies of a joint meeting once) and the
    substitutes, in Russian alphabetical order."""
    seen: set[int] = set()
    lines: list[tuple[str, Line]] = []
    for mark in meeting.attendance.all():
        membership = mark.membership
        person = membership.person
        if mark.status == AttendanceStatus.PRESENT:
            if person.pk in seen:
                continue
            seen.add(person.pk)
            line = Line(
                name=clean_text(person.surname_initials),
                position=clean_text(_position(membership.post.title, membership.post.organization)),
            )
            key = fold(f"{person.last_name} {person.first_name} {person.patronymic}")
        elif mark.status == AttendanceStatus.SUBSTITUTE:
            position = clean_text(mark.substitute_position)
            instead = f"за {clean_text(person.surname_initials)}"
            line = Line(
                name=clean_text(mark.substitute_name),
                position=f"{position} ({instead})" if position else f"({instead})",
            )
            key = fold(mark.substitute_name)
        else:
            continue
        lines.append((key, line))
    lines.sort(key=lambda pair: pair[0])
    return [line for _, line in lines]


def invitee_lines(meeting: Meeting) -> list[Line]:
    return [
        Line(
            name=clean_text(i.person.surname_initials),
            position=clean_text(_position(i.position, i.organization)),
        )
        for i in meeting.invitees.all()
    ]


def quorum_lines(protocol: Protocol, meeting: Meeting) -> list[str]:
    if protocol.quorum_text.strip():
        return [clean_text(protocol.quorum_text)]
    from koordinator.meetings.quorum import quorum

    return [q.text for q in quorum(meeting)]


def signature_blocks(
    meeting: Meeting, signatures: list[ProtocolSignature], *, joint: bool
) -> list[SignatureBlock]:
    signed = {(s.body_id, s.role): s.person for s in signatures}
    blocks = []
    for body in bodies_of(meeting):
        roles = [(SignatureRole.PRESIDING, "Председательствующий", meeting.presiding)]
        if body.protocol_signatories == Signatories.PRESIDING_AND_SECRETARY:
            roles.append((SignatureRole.SECRETARY, "Секретарь", meeting.secretary))
        rows = [
            SignatureRow(
                role=label,
                name=person_name(signed.get((body.pk, role)) or fallback) or "______________",
            )
            for role, label, fallback in roles
        ]
        blocks.append(SignatureBlock(title=clean_text(body.name) if joint else "", rows=rows))
    return blocks


def host_body(meeting: Meeting) -> Body | None:
    """The body whose replacement templates a meeting's documents use (for a joint meeting,
    the convening body's)."""
    bodies = bodies_of(meeting)
    return bodies[0] if bodies else None
