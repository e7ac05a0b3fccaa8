"""«Состав …» of a body on a date, as a Word document rendered from a docxtpl template.

The template (``docx_templates/composition.docx``) may be replaced by an administrator, per
body or for all (see :mod:`koordinator.documents.templating`); it receives plain strings and
lists only (never model instances), and is rendered in a Jinja sandbox with autoescaping, so a
template cannot reach the database and an ampersand in an organisation's name cannot break the
XML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from koordinator.bodies import selectors
from koordinator.bodies.models import ROLE_ORDER, Body, BodyKind, Membership, Role
from koordinator.documents.rendering import render_docx
from koordinator.documents.responses import safe_filename
from koordinator.documents.templating import BUILTIN_DIR, template_path
from koordinator.documents.wording import names_agency

TEMPLATE_PATH = BUILTIN_DIR / "composition.docx"

KIND_GENITIVE = {
    BodyKind.COMMISSION: "комиссии",
    BodyKind.WORKING_GROUP: "рабочей группы",
    BodyKind.COORDINATION_MEETING: "координационного совещания",
    BodyKind.OPERATIONAL_GROUP: "оперативной группы",
    BodyKind.OTHER: "координационного органа",
}

# Group headings: (one person, several people).
GROUP_TITLES = {
    Role.CHAIR: ("Председатель", "Сопредседатели"),
    Role.DEPUTY_CHAIR: ("Заместитель председателя", "Заместители председателя"),
    Role.SECRETARY: ("Секретарь", "Секретари"),
    Role.MEMBER: ("Члены", "Члены"),
}

# «УТВЕРЖДЁН распоряжением …»: the founding document is stored in the nominative
# («распоряжение … от … № …»); the approval mark needs the instrumental case of its kind.
DOCUMENT_KIND_INSTRUMENTAL = {
    "распоряжение": "распоряжением",
    "постановление": "постановлением",
    "приказ": "приказом",
    "решение": "решением",
    "указ": "указом",
    "протокол": "протоколом",
    "закон": "законом",
}


@dataclass(frozen=True)
class MemberLine:
    last_name: str
    given_names: str
    full_name: str
    description: str
    by_agreement: bool


@dataclass(frozen=True)
class Group:
    role: str
    title: str
    members: list[MemberLine]


def approval_text(established_by: str) -> str:
    """The founding document in the instrumental case, for «УТВЕРЖДЁН …»."""
    text = " ".join(established_by.split())
    if not text:
        return ""
    # «№ 45-р» must not break across lines (a no-break space, as typists do).
    text = text.replace("№ ", "№\u00a0")
    first, _, rest = text.partition(" ")
    instrumental = DOCUMENT_KIND_INSTRUMENTAL.get(first.lower())
    if instrumental is None:
        # An unusual wording («Утверждён главой …»): print it as the secretary typed it.
        return text
    return f"{instrumental} {rest}".strip()


def _sort_key(m: Membership) -> tuple[str, str, str]:
    # Russian alphabetical order: «Ё» files with «Е», and case does not matter (plain
    # code-point order would put «Ёлкин» before «Абрамов»).
    def key(s: str) -> str:
        return s.casefold().replace("ё", "е")

    p = m.person
    return key(p.last_name), key(p.first_name), key(p.patronymic)


def _description(m: Membership, kind_genitive: str, group_role: str) -> str:
    title = m.post.title.strip()
    org = m.post.organization
    text = title
    # «начальник УМВД России по городу Энску» already names the agency: do not repeat it.
    if not names_agency(title, org):
        text = f"{title}, {org.name}"
    # A second role beyond the group the person is listed in («…, секретарь комиссии»).
    extra = [
        f"{Role(r).label} {kind_genitive}" for r in m.roles if r not in (group_role, Role.MEMBER)
    ]
    if extra:
        text = f"{text}, {', '.join(extra)}"
    return text


def composition_context(body: Body, day: dt.date) -> dict[str, Any]:
    """Everything the template may print, as plain values."""
    kind_genitive = KIND_GENITIVE.get(BodyKind(body.kind), "координационного органа")
    members = selectors.composition_on(body, day)
    groups: list[Group] = []
    flat: list[MemberLine] = []
    for role in (Role.CHAIR, Role.DEPUTY_CHAIR, Role.SECRETARY, Role.MEMBER):
        in_group = [m for m in members if m.rank == ROLE_ORDER[role]]
        if role == Role.MEMBER:
            in_group.sort(key=_sort_key)
        if not in_group:
            continue
        lines = [
            MemberLine(
                last_name=m.person.last_name,
                given_names=" ".join(p for p in (m.person.first_name, m.person.patronymic) if p),
                full_name=m.person.full_name,
                description=_description(m, kind_genitive, role),
                by_agreement=m.by_agreement,
            )
            for m in in_group
        ]
        one, many = GROUP_TITLES[role]
        groups.append(
            Group(
                role=role.value,
                title=f"{one if len(lines) == 1 else many} {kind_genitive}",
                members=lines,
            )
        )
        flat.extend(lines)
    return {
        "approval_title": "УТВЕРЖДЁН",
        "approval_text": approval_text(body.established_by),
        "body_name": body.name,
        "body_short_name": body.short_name,
        "body_kind": BodyKind(body.kind).label,
        "body_kind_genitive": kind_genitive,
        "day": day.strftime("%d.%m.%Y"),
        "groups": groups,
        "members": flat,
    }


def render_composition_docx(body: Body, day: dt.date, template: Path | None = None) -> bytes:
    """«Состав …» of ``body`` on ``day`` as DOCX bytes.

    Groups follow the order of the trade: chair, deputy chair(s), secretary, then members by
    surname. A person holding several roles is listed once, in the highest group, with the
    other roles after the position. An empty composition gives a document that says so.
    """
    return render_docx(
        template or template_path("composition.docx", body), composition_context(body, day)
    )


def composition_filename(body: Body, day: dt.date) -> tuple[str, str]:
    """(Russian file name, ASCII fallback) for the download."""
    name = safe_filename(body.short_name or body.name)
    return (
        f"Состав {name} на {day.strftime('%d.%m.%Y')}.docx",
        f"composition-{body.pk}-{day.isoformat()}.docx",
    )
