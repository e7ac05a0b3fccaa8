"""The protocol's lifecycle: draft → submitted → signed → registered → distributed, with
corrections as new revisions (the signed text kept as a snapshot).

Signing collects one :class:`ProtocolSignature` per body and role as each body's regulation
says; when the last one is in, the protocol is registered under the next number in each of the
meeting's bodies' sequences (locked body rows, in id order) and the text deadlines are read
again from the signing date. Distribution sends each executor agency an extract with only its
decisions. Every service runs in one transaction and audits itself with the protocol as the
target.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.utils import timezone

from koordinator.accounts.models import BodyRoleKind, User
from koordinator.bodies.models import Body, Numbering, Organization, Person, Signatories
from koordinator.bodies.permissions import body_roles
from koordinator.meetings import services_meeting
from koordinator.meetings.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingBody,
    Protocol,
    ProtocolRevision,
    ProtocolSignature,
    ProtocolStatus,
    SignatureRole,
)
from koordinator.meetings.permissions import meeting_bodies
from koordinator.meetings.quorum import may_decide, quorum
from koordinator.meetings.services_protocol_common import (
    bump_version,
    first_due,
    host_body,
    is_unreadable,
    read_deadline,
    record,
)

logger = logging.getLogger(__name__)


# --- checks before submitting ----------------------------------------------------------------


def _decisions(protocol: Protocol) -> list[Decision]:
    return list(
        Decision.objects.filter(item__meeting=protocol.meeting_id)
        .select_related("item", "lead_executor")
        .prefetch_related("co_executors")
        .order_by("item__number", "order", "pk")
    )


def completeness_errors(protocol: Protocol) -> list[str]:
    """What keeps the protocol from being submitted or signed, one Russian line each."""
    errors: list[str] = []
    for d in _decisions(protocol):
        if not d.text.strip():
            errors.append(f"Решение {d.code}: нет текста решения.")
        if d.lead_executor_id is None:
            errors.append(f"Решение {d.code}: не указан ответственный исполнитель.")
        if d.deadline_text:
            result = read_deadline(d.deadline_text, meeting=protocol.meeting, protocol=protocol)
            if is_unreadable(result):
                errors.append(f"Решение {d.code}: срок не распознан — {result.reason}")
        # No deadline at all is a deadline too: one month from signing (DOMAIN.md).
    return errors


@transaction.atomic
def protocol_submit(*, actor: User | None, protocol: Protocol, version: int | None) -> Protocol:
    """Pass the draft to the signatories. Every decision needs a text, a lead executor and a
    deadline that reads; decisions need a quorum (in each body of a joint meeting). The
    quorum line is written into the protocol."""
    if protocol.status != ProtocolStatus.DRAFT:
        raise ValidationError("Передать на подпись можно только проект протокола.")
    errors = completeness_errors(protocol)
    if protocol.meeting.presiding_id is None:
        errors.append("Не указан председательствующий: подписать протокол будет некому.")
    if errors:
        raise ValidationError(errors)
    results = quorum(protocol.meeting)
    text = " ".join(q.text for q in results)
    has_decisions = Decision.objects.filter(item__meeting=protocol.meeting_id).exists()
    if has_decisions and not may_decide(results):
        raise ValidationError(
            f"Без кворума заседание не может принимать решения. {text} Отметьте присутствие "
            "или уберите решения из протокола."
        )
    bump_version(protocol, version)
    services_meeting.meeting_mark_held(actor=actor, meeting=protocol.meeting)
    protocol.status = ProtocolStatus.SUBMITTED
    protocol.submitted_at = timezone.now()
    protocol.quorum_text = text[:500]
    protocol.save(update_fields=["status", "submitted_at", "quorum_text", "updated_at"])
    record(
        actor=actor,
        protocol=protocol,
        action="submit",
        before={"status": "draft"},
        after={"status": "submitted", "quorum_text": protocol.quorum_text},
    )
    return protocol


# --- signatures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequiredSignature:
    body: Body
    role: str
    person: Person | None  # who signs, if known before signing

    @property
    def label(self) -> str:
        return f"{SignatureRole(self.role).label} ({self.body.short_name or self.body.name})"


def required_signatures(protocol: Protocol) -> list[RequiredSignature]:
    """Per body of the meeting, the presiding person and, where the regulation says so, the
    secretary."""
    meeting = protocol.meeting
    out: list[RequiredSignature] = []
    for body in meeting_bodies(meeting):
        out.append(RequiredSignature(body, SignatureRole.PRESIDING, meeting.presiding))
        if body.protocol_signatories == Signatories.PRESIDING_AND_SECRETARY:
            out.append(RequiredSignature(body, SignatureRole.SECRETARY, meeting.secretary))
    return out


def signatures_for(user: User, protocol: Protocol) -> list[RequiredSignature]:
    """The signatures ``user`` may put on ``protocol``: as the presiding person (the user whose
    person presided) and as the secretary (the meeting's secretary, if they are a secretary of
    one of its bodies; any secretary of the body when the meeting names none)."""
    if user.person_id is None:
        return []
    meeting = protocol.meeting
    required = required_signatures(protocol)
    # The user's roles come from the per-request cache (no query when the page has read them).
    secretary_of = {
        b.pk for b in meeting_bodies(meeting) if BodyRoleKind.SECRETARY in body_roles(user, b)
    }
    bodies = {b.pk for b in meeting_bodies(meeting)}
    out: list[RequiredSignature] = []
    for r in required:
        if r.role == SignatureRole.PRESIDING:
            if meeting.presiding_id is not None and meeting.presiding_id == user.person_id:
                out.append(r)
        elif meeting.secretary_id is not None:
            if meeting.secretary_id == user.person_id and secretary_of & bodies:
                out.append(r)
        elif r.body.pk in secretary_of:
            out.append(r)
    return out


def missing_signatures(protocol: Protocol) -> list[RequiredSignature]:
    done = {(s.body_id, s.role) for s in protocol.signatures.all()}
    return [r for r in required_signatures(protocol) if (r.body.pk, r.role) not in done]


@transaction.atomic
def protocol_sign(*, actor: User, protocol: Protocol) -> Protocol:
    """Put every signature ``actor`` may give (a governor presiding over a joint meeting signs
    for each body at once). When the last one is in, the protocol is signed and registered."""
    protocol = (
        Protocol.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=protocol.pk)
    )
    if protocol.status != ProtocolStatus.SUBMITTED:
        raise ValidationError("Подписать можно только протокол, переданный на подпись.")
    mine = signatures_for(actor, protocol)
    if not mine:
        wanted = ", ".join(r.label for r in required_signatures(protocol))
        raise ValidationError(f"Вы не подписываете этот протокол. Подписывают: {wanted}.")
    missing = {(r.body.pk, r.role) for r in missing_signatures(protocol)}
    todo = [r for r in mine if (r.body.pk, r.role) in missing]
    if not todo:
        raise ValidationError("Ваша подпись уже поставлена.")
    assert actor.person is not None
    for r in todo:
        ProtocolSignature.objects.create(
            protocol=protocol, body=r.body, role=r.role, person=actor.person, user=actor
        )
    record(
        actor=actor,
        protocol=protocol,
        action="sign",
        after={"signatures": [f"{r.body.pk}:{r.role}" for r in todo]},
    )
    if not missing_signatures(protocol):
        protocol.status = ProtocolStatus.SIGNED
        protocol.signed_at = timezone.now()
        protocol.save(update_fields=["status", "signed_at", "updated_at"])
        _reread_deadlines(protocol)
        _register(actor=actor, protocol=protocol)
        # Every decision with an executor goes on control (execution control, issue 4).
        from koordinator.control.services import sync_from_protocol

        sync_from_protocol(actor=actor, protocol=protocol)
    return protocol


def _reread_deadlines(protocol: Protocol) -> None:
    """Deadlines written as text (or not written: one month) count from the signing date,
    now that it is known; a date picked in the calendar stays as picked."""
    decisions = Decision.objects.filter(item__meeting=protocol.meeting_id)
    for d in decisions.exclude(deadline_text="", due_on__isnull=False):
        due = first_due(read_deadline(d.deadline_text, meeting=protocol.meeting, protocol=protocol))
        if due is not None and due != d.due_on:
            d.due_on = due
            d.save(update_fields=["due_on", "updated_at"])


def numbering_period(body: Body, meeting: Meeting) -> int:
    """The year the number counts in: the meeting's, or the start of the body's term."""
    if body.protocol_numbering == Numbering.TERM and body.term_started_on is not None:
        return body.term_started_on.year
    return timezone.localtime(meeting.starts_at).year


def _register(*, actor: User | None, protocol: Protocol, attempts: int = 3) -> None:
    """The next number in each body's sequence. The body rows are locked in id order (two
    joint meetings of the same bodies cannot deadlock) so that max+1 is read by one
    registration at a time; the unique constraint is the last guard (retried)."""
    links = list(
        MeetingBody.objects.filter(meeting=protocol.meeting_id)
        .select_related("body")
        .order_by("body_id")
    )
    list(
        Body.objects.select_for_update()
        .filter(pk__in=[link.body_id for link in links])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    for link in links:
        if link.protocol_number is not None:
            continue  # a corrected protocol keeps its number
        period = numbering_period(link.body, protocol.meeting)
        for attempt in range(attempts):
            top = MeetingBody.objects.filter(body=link.body_id, protocol_period=period).aggregate(
                m=Max("protocol_number")
            )["m"]
            link.protocol_number = (top or 0) + 1
            link.protocol_period = period
            link.registered_at = now
            try:
                with transaction.atomic():
                    link.save(update_fields=["protocol_number", "protocol_period", "registered_at"])
            except IntegrityError:
                if attempt == attempts - 1:
                    raise
                continue
            break
    protocol.status = ProtocolStatus.REGISTERED
    protocol.registered_at = protocol.registered_at or now
    protocol.save(update_fields=["status", "registered_at", "updated_at"])
    record(
        actor=actor,
        protocol=protocol,
        action="register",
        after={
            "numbers": {
                str(link.body_id): f"{link.protocol_number}/{link.protocol_period}"
                for link in links
            }
        },
    )


# --- corrections -----------------------------------------------------------------------------


def protocol_snapshot(protocol: Protocol) -> dict[str, Any]:
    """The text of the protocol as JSON (what a revision keeps)."""
    items = (
        AgendaItem.objects.filter(meeting=protocol.meeting_id)
        .prefetch_related("speeches__person", "decisions__co_executors", "decisions__lead_executor")
        .order_by("number")
    )
    return {
        "version": protocol.version,
        "form": protocol.form,
        "restricted": protocol.restricted,
        "quorum_text": protocol.quorum_text,
        "signed_at": protocol.signed_at.isoformat() if protocol.signed_at else None,
        "signatures": [
            {"body": s.body_id, "role": s.role, "person": str(s.person)}
            for s in protocol.signatures.select_related("person")
        ],
        "items": [
            {
                "number": item.number,
                "title": item.title,
                "restricted": item.restricted,
                "heard_summary": item.heard_summary,
                "report_attached": item.report_attached,
                "speeches": [
                    {"speaker": str(s), "summary": s.summary} for s in item.speeches.all()
                ],
                "decisions": [
                    {
                        "code": f"{item.number}.{d.order}",
                        "text": d.text,
                        "lead_executor": str(d.lead_executor) if d.lead_executor else None,
                        "co_executors": [str(o) for o in d.co_executors.all()],
                        "deadline_text": d.deadline_text,
                        "due_on": d.due_on.isoformat() if d.due_on else None,
                        "votes": [d.votes_for, d.votes_against, d.votes_abstained],
                        "dissent": d.dissent,
                        "restricted": d.restricted,
                    }
                    for d in item.decisions.all()
                ],
            }
            for item in items
        ],
    }


@transaction.atomic
def protocol_correct(*, actor: User, protocol: Protocol, reason: str) -> ProtocolRevision:
    """Open a signed protocol for a correction: the current text is kept as a revision with
    the reason, the signatures are withdrawn (it must be signed again), the numbers stay."""
    protocol = (
        Protocol.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=protocol.pk)
    )
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Укажите причину исправления."})
    if protocol.is_editable:
        raise ValidationError("Протокол ещё не подписан: его можно править без исправления.")
    number = (protocol.revisions.aggregate(m=Max("number"))["m"] or 0) + 1
    revision = ProtocolRevision.objects.create(
        protocol=protocol,
        number=number,
        reason=reason[:1000],
        snapshot=protocol_snapshot(protocol),
        created_by=actor,
    )
    before = {"status": protocol.status}
    protocol.signatures.all().delete()
    protocol.status = ProtocolStatus.DRAFT
    protocol.signed_at = None
    protocol.submitted_at = None
    protocol.version = F("version") + 1
    protocol.corrections = F("corrections") + 1
    protocol.save(
        update_fields=[
            "status",
            "signed_at",
            "submitted_at",
            "version",
            "corrections",
            "updated_at",
        ]
    )
    protocol.refresh_from_db()
    record(
        actor=actor,
        protocol=protocol,
        action="correct",
        before=before,
        after={"status": "draft", "revision": number},
        ground=reason,
    )
    return revision


# --- distribution ----------------------------------------------------------------------------


@dataclass
class Extract:
    organization: Organization
    decisions: list[Decision]

    @property
    def restricted(self) -> bool:
        return any(d.restricted or d.item.restricted for d in self.decisions)


def extracts(protocol: Protocol) -> list[Extract]:
    """Per executor agency (lead or co-executor), its decisions, in protocol order."""
    by_org: dict[int, Extract] = {}
    for d in _decisions(protocol):
        orgs = [d.lead_executor] if d.lead_executor else []
        orgs += [o for o in d.co_executors.all() if o.pk != d.lead_executor_id]
        for org in orgs:
            if org is None:
                continue
            by_org.setdefault(org.pk, Extract(org, [])).decisions.append(d)
    return sorted(by_org.values(), key=lambda e: e.organization.name)


def protocol_numbers(protocol: Protocol) -> str:
    """«№ 3 (МРГ мигранты), № 7 (КС правопорядок)» or «№ 3» for one body."""
    links = [mb for mb in protocol.meeting.meeting_bodies.all() if mb.protocol_number is not None]
    if len(links) == 1:
        return f"№ {links[0].protocol_number}"
    return ", ".join(
        f"№ {mb.protocol_number} ({mb.body.short_name or mb.body.name})" for mb in links
    )


def _extract_docx(protocol: Protocol, organization: Organization) -> bytes | None:
    try:
        from koordinator.documents.protocol import render_extract_docx  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    try:
        return bytes(render_extract_docx(protocol, organization))
    except Exception:  # a broken template must not stop the text extract going out
        logger.exception("extract DOCX failed for protocol %s", protocol.pk)
        return None


def _send_extracts(protocol_pk: int, organization_ids: list[int]) -> None:
    protocol = Protocol.objects.select_related("meeting").get(pk=protocol_pk)
    by_org = {e.organization.pk: e for e in extracts(protocol)}
    numbers = protocol_numbers(protocol)
    host = host_body(protocol)
    for org_id in organization_ids:
        extract = by_org.get(org_id)
        if extract is None or not extract.organization.email:
            continue
        restricted = extract.restricted or protocol.restricted
        context = {
            "protocol": protocol,
            "meeting": protocol.meeting,
            "body": host,
            "numbers": numbers,
            "extract": extract,
            "restricted": restricted,
        }
        subject = render_to_string("meetings/email/extract_subject.txt", context).strip()
        message = EmailMessage(
            subject=" ".join(subject.split()),
            body=render_to_string("meetings/email/extract.txt", context),
            to=[extract.organization.email],
        )
        docx = _extract_docx(protocol, extract.organization)
        if docx is not None:
            message.attach(
                f"vypiska-{protocol.pk}-{org_id}.docx",
                docx,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
        try:
            message.send()
        except Exception:  # one agency's mail server must not stop the others' extracts
            logger.exception("extract for organisation %s was not sent", org_id)


@dataclass(frozen=True)
class Distribution:
    sent_to: list[Organization]
    without_email: list[Organization]


@transaction.atomic
def protocol_distribute(*, actor: User | None, protocol: Protocol) -> Distribution:
    """Send each executor agency an extract with only its decisions, after commit. A
    restricted (ДСП) decision still goes to its own executor, marked «ДСП»."""
    protocol = (
        Protocol.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=protocol.pk)
    )
    if protocol.status not in {ProtocolStatus.REGISTERED, ProtocolStatus.DISTRIBUTED}:
        raise ValidationError("Рассылать выписки можно после подписания и регистрации протокола.")
    found = extracts(protocol)
    if not found:
        raise ValidationError("В протоколе нет решений с исполнителями: рассылать нечего.")
    sent = [e.organization for e in found if e.organization.email]
    missing = [e.organization for e in found if not e.organization.email]
    if not sent:
        names = ", ".join(o.short_name or o.name for o in missing)
        raise ValidationError(f"Ни у одного исполнителя нет адреса электронной почты: {names}.")
    protocol.status = ProtocolStatus.DISTRIBUTED
    protocol.distributed_at = timezone.now()
    protocol.save(update_fields=["status", "distributed_at", "updated_at"])
    record(
        actor=actor,
        protocol=protocol,
        action="distribute",
        after={"sent_to": [o.pk for o in sent], "without_email": [o.pk for o in missing]},
    )
    ids = [o.pk for o in sent]
    transaction.on_commit(lambda: _send_extracts(protocol.pk, ids), robust=True)
    return Distribution(sent_to=sent, without_email=missing)
