"""Writes to organisations, bodies and composition. Each runs in one transaction and records
itself in the audit log; each raises ``ValidationError`` with a Russian message and writes
nothing when the input is wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from koordinator.accounts.models import User
from koordinator.bodies.models import (
    Body,
    Membership,
    Organization,
    Person,
    Post,
    Role,
)
from koordinator.core import audit
from koordinator.core.text import fold

ORGANIZATION_FIELDS = (
    "name",
    "short_name",
    "parent",
    "level",
    "territory",
    "kind",
    "email",
    "is_active",
)
BODY_FIELDS = (
    "name",
    "short_name",
    "kind",
    "organization",
    "parent",
    "established_by",
    "is_active",
    "timezone",
    *Body.REGULATION_FIELDS,
)
ROLE_LABELS = {r.value: r.label for r in Role}


def _full_clean(obj: Any, exclude: Iterable[str] = ()) -> None:
    """Model validation, with database constraints checked too, before anything is written."""
    obj.full_clean(exclude=list(exclude))


# --- organisations ---------------------------------------------------------------------------


@transaction.atomic
def organization_create(*, actor: User | None, **fields: Any) -> Organization:
    organization = Organization(**fields)
    _check_organization_parent(organization)
    _full_clean(organization)
    organization.save()
    audit.record(
        actor=actor,
        action="organization.create",
        target=organization,
        after=audit.snapshot(organization, ORGANIZATION_FIELDS),
    )
    return organization


@transaction.atomic
def organization_update(
    *, actor: User | None, organization: Organization, **fields: Any
) -> Organization:
    before = audit.snapshot(organization, ORGANIZATION_FIELDS)
    for name, value in fields.items():
        setattr(organization, name, value)
    _check_organization_parent(organization)
    _full_clean(organization)
    organization.save()
    audit.record(
        actor=actor,
        action="organization.update",
        target=organization,
        before=before,
        after=audit.snapshot(organization, ORGANIZATION_FIELDS),
    )
    return organization


def _check_organization_parent(organization: Organization) -> None:
    seen: set[int] = set()
    parent = organization.parent
    while parent is not None:
        if organization.pk is not None and parent.pk == organization.pk:
            raise ValidationError({"parent": "Организация не может подчиняться сама себе."})
        if parent.pk in seen:
            break
        seen.add(parent.pk)
        parent = parent.parent


# --- bodies ----------------------------------------------------------------------------------


def _body_path(body: Body) -> str:
    prefix = body.parent.path if body.parent_id and body.parent else "/"
    return f"{prefix}{body.pk}/"


@transaction.atomic
def body_create(*, actor: User | None, **fields: Any) -> Body:
    body = Body(**fields)
    _full_clean(body, exclude=["path"])
    body.save()
    body.path = _body_path(body)
    body.save(update_fields=["path"])
    audit.record(
        actor=actor,
        action="body.create",
        target=body,
        body=body,
        after=audit.snapshot(body, BODY_FIELDS),
    )
    return body


@transaction.atomic
def body_update(*, actor: User | None, body: Body, ground: str = "", **fields: Any) -> Body:
    """Change a body's name or regulation settings. Moving it under another higher body
    rewrites the paths of everything below it."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    before = audit.snapshot(body, BODY_FIELDS)
    old_path = body.path
    for name, value in fields.items():
        setattr(body, name, value)
    if body.parent_id is not None and body.parent and f"/{body.pk}/" in body.parent.path:
        raise ValidationError({"parent": "Орган не может быть вышестоящим сам для себя."})
    _full_clean(body, exclude=["path"])
    body.path = _body_path(body)
    body.save()
    if body.path != old_path:
        for child in Body.objects.filter(path__startswith=old_path).exclude(pk=body.pk):
            child.path = body.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    after = audit.snapshot(body, BODY_FIELDS)
    if after != before:
        audit.record(
            actor=actor,
            action="body.update",
            target=body,
            body=body,
            before=before,
            after=after,
            ground=ground,
        )
    return body


# --- people and posts ------------------------------------------------------------------------


@transaction.atomic
def person_create(*, actor: User | None, **fields: Any) -> Person:
    person = Person(**{k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()})
    _full_clean(person)
    person.save()
    audit.record(
        actor=actor,
        action="person.create",
        target=person,
        after=audit.snapshot(person, ("last_name", "first_name", "patronymic")),
    )
    return person


def person_find_or_create(
    *,
    actor: User | None,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    **extra: Any,
) -> Person:
    """The official with exactly this name, or a new one. Officials are matched by full name
    only; a namesake in another agency needs an e-mail or phone to tell them apart later."""
    key = Person.make_name_key(last_name, first_name, patronymic)
    found = Person.objects.filter(name_key=key).order_by("pk").first()
    if found:
        return found
    return person_create(
        actor=actor, last_name=last_name, first_name=first_name, patronymic=patronymic, **extra
    )


def post_get_or_create(
    *, actor: User | None, body: Body, organization: Organization, title: str
) -> Post:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "Укажите должность."})
    # Compared in Python: a body has a handful of posts per organisation, and SQLite's
    # case-insensitive comparison does not fold Cyrillic.
    key = fold(title)
    for post in Post.objects.filter(body=body, organization=organization):
        if fold(post.title) == key:
            return post
    post = Post.objects.create(body=body, organization=organization, title=title)
    audit.record(
        actor=actor,
        action="post.create",
        target=post,
        body=body,
        after={"organization": organization.pk, "title": title},
    )
    return post


# --- composition -----------------------------------------------------------------------------


def clean_roles(roles: Iterable[str]) -> list[str]:
    """Validate a set of roles (codes or Russian labels) and return it in canonical order."""
    by_label = {label.lower(): code for code, label in ROLE_LABELS.items()}
    out: list[str] = []
    for raw in roles:
        value = str(raw).strip().lower()
        if not value:
            continue
        code = value if value in ROLE_LABELS else by_label.get(value)
        if code is None:
            allowed = ", ".join(ROLE_LABELS.values())
            raise ValidationError({"roles": f"Неизвестная роль «{raw}». Допустимые: {allowed}."})
        if code not in out:
            out.append(code)
    if not out:
        raise ValidationError({"roles": "Укажите хотя бы одну роль."})
    order = list(ROLE_LABELS)
    return sorted(out, key=order.index)


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "бессрочно"


def _check_membership(membership: Membership, body: Body) -> None:
    """The composition rules: dates in order, one person once, one holder per post, and no
    more chairs than the regulation allows. Runs under the body's row lock."""
    if membership.ends_on and membership.ends_on < membership.starts_on:
        raise ValidationError(
            {"ends_on": "Дата окончания членства не может быть раньше даты начала."}
        )
    others = (
        Membership.objects.filter(post__body=body)
        .overlapping(membership.starts_on, membership.ends_on)
        .select_related("person", "post")
    )
    if membership.pk:
        others = others.exclude(pk=membership.pk)
    for other in others:
        if other.person_id == membership.person_id:
            raise ValidationError(
                f"{other.person.full_name} уже входит в состав ({other.post.title}) "
                f"с {_fmt(other.starts_on)} по {_fmt(other.ends_on)}."
            )
        if other.post_id == membership.post_id:
            raise ValidationError(
                f"Должность «{other.post.title}» уже занята: {other.person.full_name} "
                f"с {_fmt(other.starts_on)} по {_fmt(other.ends_on)}. "
                "Сначала выведите его из состава."
            )
        if (
            Role.CHAIR in membership.roles
            and Role.CHAIR in other.roles
            and not body.co_chairs_allowed
        ):
            raise ValidationError(
                {
                    "roles": f"Председатель уже назначен: {other.person.full_name}. "
                    "По положению у органа один председатель."
                }
            )


def _lock_body(body: Body) -> Body:
    # Serialises composition changes of one body, so two secretaries cannot both add a chair.
    return Body.objects.select_for_update().get(pk=body.pk)


@transaction.atomic
def membership_add(
    *,
    actor: User | None,
    body: Body,
    person: Person,
    organization: Organization,
    post_title: str,
    roles: Iterable[str],
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    by_agreement: bool = False,
    ground: str = "",
) -> Membership:
    """Bring ``person`` into the composition on the post ``post_title`` in ``organization``."""
    body = _lock_body(body)
    post = post_get_or_create(actor=actor, body=body, organization=organization, title=post_title)
    membership = Membership(
        post=post,
        person=person,
        roles=clean_roles(roles),
        by_agreement=by_agreement,
        starts_on=starts_on,
        ends_on=ends_on,
        ground=ground.strip(),
    )
    _check_membership(membership, body)
    _full_clean(membership)
    membership.save()
    audit.record(
        actor=actor,
        action="membership.add",
        target=membership,
        body=body,
        after=audit.snapshot(membership, Membership.AUDIT_FIELDS),
        ground=ground,
    )
    return membership


@transaction.atomic
def membership_add_person(
    *, actor: User | None, body: Body, person_fields: dict[str, Any], **membership: Any
) -> Membership:
    """:func:`membership_add` for a person named in a form: the official is found by full
    name or created, in the same transaction (a refused membership leaves no new person)."""
    fields = {k: v for k, v in person_fields.items() if v not in (None, "")}
    person = person_find_or_create(actor=actor, **fields)
    return membership_add(actor=actor, body=body, person=person, **membership)


@transaction.atomic
def membership_update(
    *, actor: User | None, membership: Membership, ground: str = "", **fields: Any
) -> Membership:
    """Change roles, dates or «по согласованию» of a membership (not who holds which post:
    a new holder is a new membership)."""
    body = _lock_body(membership.post.body)
    membership = Membership.objects.select_related("post", "person").get(pk=membership.pk)
    before = audit.snapshot(membership, Membership.AUDIT_FIELDS)
    if "roles" in fields:
        fields["roles"] = clean_roles(fields["roles"])
    for name, value in fields.items():
        if name not in {"roles", "by_agreement", "starts_on", "ends_on"}:
            raise ValueError(f"membership_update cannot change {name}")
        setattr(membership, name, value)
    if ground:
        membership.ground = ground.strip()
    _check_membership(membership, body)
    _full_clean(membership)
    membership.save()
    after = audit.snapshot(membership, Membership.AUDIT_FIELDS)
    if after != before:
        audit.record(
            actor=actor,
            action="membership.update",
            target=membership,
            body=body,
            before=before,
            after=after,
            ground=ground,
        )
    return membership


def membership_end(
    *, actor: User | None, membership: Membership, ends_on: dt.date, ground: str = ""
) -> Membership:
    """Take a member out of the composition from ``ends_on`` (the last day in it)."""
    return membership_update(actor=actor, membership=membership, ends_on=ends_on, ground=ground)


def composition_replace_holder(
    *,
    actor: User | None,
    membership: Membership,
    person: Person,
    starts_on: dt.date,
    ground: str = "",
) -> Membership:
    """The post stays, its holder changes: end the old membership the day before ``starts_on``
    and start a new one with the same roles."""
    with transaction.atomic():
        if starts_on <= membership.starts_on:
            raise ValidationError(
                {
                    "starts_on": "Новый член может войти в состав только после начала членства "
                    "предыдущего."
                }
            )
        membership_end(
            actor=actor,
            membership=membership,
            ends_on=starts_on - dt.timedelta(days=1),
            ground=ground,
        )
        return membership_add(
            actor=actor,
            body=membership.post.body,
            person=person,
            organization=membership.post.organization,
            post_title=membership.post.title,
            roles=membership.roles,
            starts_on=starts_on,
            ends_on=None,
            by_agreement=membership.by_agreement,
            ground=ground,
        )
