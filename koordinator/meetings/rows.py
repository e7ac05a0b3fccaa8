"""Plain rows for the meetings' Jinja2 row templates (``core.rows``): a meeting's agenda and
a protocol's items as read. Each is worded here once, with its links, so that the templates
print values and nothing else.

A rapporteur reads differently in the two: the agenda names the person with post and agency
(«Докладчик: И.О. Фамилия, должность (ведомство)»), the protocol the person or the agency
with the post («Докладчик: И.О. Фамилия, должность»), as the printed documents do.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import capfirst

from koordinator.core.links import link_by_id
from koordinator.meetings.models import AgendaItem, AgendaItemKind, Decision, Rapporteur
from koordinator.meetings.selectors_protocol import ProtocolView


def agenda_items(items: list[AgendaItem]) -> list[dict[str, Any]]:
    """The agenda as plain rows for its row template: rapporteurs worded, materials with
    their links, the links to change and move each item."""
    edit, move = link_by_id("meetings:agenda_item_edit"), link_by_id("meetings:agenda_item_move")
    download = link_by_id("meetings:material_download")
    return [
        {
            "pk": item.pk,
            "number": item.number,
            "title": item.title,
            "restricted": item.restricted,
            "control": item.kind == AgendaItemKind.CONTROL,
            "duration": item.duration_minutes,
            "rapporteurs": [_rapporteur_line(r) for r in item.rapporteurs.all()],
            "materials_due": f"{item.materials_due_on:%d.%m.%Y}" if item.materials_due_on else "",
            "materials": [
                {"url": download(m.pk), "title": m.title, "restricted": m.restricted}
                for m in item.materials.all()
            ],
            "edit_url": edit(item.pk),
            "move_url": move(item.pk),
        }
        for item in items
    ]


def _rapporteur_line(r: Rapporteur) -> str:
    """«Докладчик: И.И. Иванов, начальник отдела (УМВД)» as the agenda shows it."""
    role = capfirst(r.get_role_display())
    if r.person:
        position = f", {r.position}" if r.position else ""
        agency = f" ({r.organization})" if r.organization else ""
        return f"{role}: {r.person.initials_surname}{position}{agency}"
    position = f"{r.position}, " if r.position else ""
    return f"{role}: {position}{r.organization}"


def protocol_items(view: ProtocolView) -> list[dict[str, Any]]:
    """The items as the protocol reads them, as plain rows for the row template: rapporteurs,
    СЛУШАЛИ, ВЫСТУПИЛИ (with what was said, unless the protocol is a short one) and the
    decisions with their executors, deadline and votes."""
    full = view.protocol is None or view.protocol.form != "short"
    rows = []
    for iv in view.items:
        item = iv.item
        names = ", ".join(
            r.person.initials_surname if r.person else str(r.organization) for r in iv.rapporteurs
        )
        said = item.heard_summary or "…"
        rows.append(
            {
                "pk": item.pk,
                "number": item.number,
                "title": item.title,
                "restricted": item.restricted,
                "rapporteurs": "; ".join(
                    f"{capfirst(r.get_role_display())}: {r}"
                    + (f", {r.position}" if r.position else "")
                    for r in iv.rapporteurs
                )
                or "Докладчик не указан",
                "heard": f"{names} — "
                + ("текст доклада прилагается" if item.report_attached else said),
                "speeches": [
                    f"{s} — {s.summary}" if full and s.summary else str(s) for s in iv.speeches
                ],
                "decisions": [_readonly_decision(d) for d in iv.decisions],
                "hidden_decisions": iv.hidden_decisions,
            }
        )
    return rows


def _readonly_decision(d: Decision) -> dict[str, Any]:
    details = f"Ответственный исполнитель: {d.lead_executor.name}" if d.lead_executor else ""
    co = [o.name for o in d.co_executors.all()]
    if co:
        details += "; соисполнители: " + ", ".join(co)
    if d.deadline_text or d.due_on:
        due = f"{d.due_on:%d.%m.%Y}" if d.due_on else ""
        when = f"{d.deadline_text} ({due})" if d.deadline_text and due else d.deadline_text or due
        details += f" · Срок: {when}"
    if d.votes_for is not None:
        details += (
            f" · Голосовали: за — {d.votes_for}, против — {d.votes_against or 0}, "
            f"воздержались — {d.votes_abstained or 0}"
        )
    return {
        "pk": d.pk,
        "code": d.code,
        "text": d.text,
        "restricted": d.restricted,
        "details": details,
        "dissent": d.dissent,
    }
