"""Putting an assignment on a meeting's agenda from the standing item «О ходе исполнения
решений»: an agenda item added through the agenda's own services (numbering, withdrawn
approval, audit) and the assignment marked as heard there."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from koordinator.accounts.models import User
from koordinator.control.models import Assignment, OnAgenda
from koordinator.control.services import record
from koordinator.meetings import services_agenda
from koordinator.meetings.models import AgendaItem, AgendaItemKind, Meeting, RapporteurRole

AGENDA_TITLE = "О ходе исполнения поручения п. {number} ({document})"


@transaction.atomic
def add_to_agenda(user: User, meeting: Meeting, assignment: Assignment) -> AgendaItem:
    """An agenda item «О ходе исполнения поручения п. …» with the lead agency as rapporteur,
    added through the agenda's services (numbering, withdrawn approval, audit), and the
    assignment marked as heard there. The assignment's row is locked, so two secretaries
    adding it at once get one item."""
    Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if OnAgenda.objects.filter(assignment=assignment, item__meeting=meeting).exists():
        raise ValidationError(
            f"Поручение п. {assignment.number} уже включено в повестку этого заседания."
        )
    title = AGENDA_TITLE.format(number=assignment.number, document=assignment.document)
    item = services_agenda.item_add(
        actor=user,
        meeting=meeting,
        title=title[:1000],
        restricted=assignment.restricted,
        kind=AgendaItemKind.REGULAR,
    )
    services_agenda.rapporteur_add(
        actor=user,
        item=item,
        role=RapporteurRole.RAPPORTEUR,
        organization=assignment.lead_executor,
    )
    try:
        with transaction.atomic():
            OnAgenda.objects.create(assignment=assignment, item=item)
    except IntegrityError:
        raise ValidationError("Это поручение уже в повестке.") from None
    record(
        actor=user,
        assignment=assignment,
        action="on_agenda",
        after={"meeting": str(meeting), "item": f"{item.number}. {item.title}"},
    )
    return item
