"""REST endpoints for organisations, bodies and composition (/api/v1/).

Each endpoint reads like a page view: fetch and authorize through the same access helper as the
web UI (``permissions.get_body`` & Co.: 404 for what the user may not see, 403 for what they may
see but not change), turn the JSON into service arguments, call one service, respond. The rules
themselves live in the services; their ``ValidationError`` becomes 400 with the Russian message
(see ``koordinator.api.api``). Input that does not even fit the schema (a date that is not a
date, an unknown field or choice code) is refused by ninja with 422, and unparsable JSON with
400, before anything runs. Roles are the exception: they are plain strings checked by the
service, which also accepts their Russian names («член», «секретарь»).
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status
from pydantic import ConfigDict

from koordinator.accounts.models import BodyRoleKind, User
from koordinator.api.auth import current_user
from koordinator.bodies import permissions, selectors, services
from koordinator.bodies.models import (
    Body,
    BodyKind,
    DayCount,
    Gender,
    Level,
    Membership,
    Numbering,
    Organization,
    OrganizationKind,
    Person,
    QuorumRule,
    Role,
    Signatories,
)
from koordinator.core.access import require
from koordinator.core.models import AuditRecord

router = Router(tags=["Органы и составы"])

# Lists are paged: ?page=N&page_size=M (at most 200 a page); the answer is {"items", "count"}.
PAGE = {"page_size": 50, "max_page_size": 200}


# --- schemas ---------------------------------------------------------------------------------


class Error(Schema):
    detail: str = Field(description="Сообщение для человека (на русском языке).")
    errors: dict[str, list[str]] | None = Field(
        None, description="Сообщения по полям; «__all__» — не относящиеся к одному полю."
    )


class InputSchema(Schema):
    """Input: unknown fields are refused (a typo must not pass for "nothing to change"),
    strings are stripped as the web forms strip them, choices arrive as plain codes."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=True)


class OrganizationRef(Schema):
    id: int
    name: str
    short_name: str


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    parent: OrganizationRef | None
    level: str
    level_label: str
    territory: str
    kind: str
    kind_label: str
    email: str
    is_active: bool

    @staticmethod
    def resolve_level_label(obj: Organization) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_kind_label(obj: Organization) -> str:
        return obj.get_kind_display()


class OrganizationDetailOut(OrganizationOut):
    can_edit: bool = Field(description="Может ли пользователь изменять справочник организаций.")

    @staticmethod
    def resolve_can_edit(obj: Organization, context: dict[str, Any]) -> bool:
        return permissions.can_edit_organizations(current_user(context["request"]))


class OrganizationIn(InputSchema):
    name: str = Field(description="Полное наименование.")
    short_name: str = ""
    parent_id: int | None = Field(None, description="Вышестоящая организация.")
    level: Level
    territory: str = ""
    kind: OrganizationKind = OrganizationKind.OTHER
    email: str = ""
    is_active: bool = True


class OrganizationPatch(InputSchema):
    """Only the fields sent are changed."""

    name: str | None = None
    short_name: str | None = None
    parent_id: int | None = Field(None, description="null — организация верхнего уровня.")
    level: Level | None = None
    territory: str | None = None
    kind: OrganizationKind | None = None
    email: str | None = None
    is_active: bool | None = None


class BodyRef(Schema):
    id: int
    name: str
    short_name: str


class BodyListItem(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    organization: OrganizationRef
    parent: BodyRef | None
    is_active: bool
    member_count: int = Field(description="Членов в составе на сегодня.")

    @staticmethod
    def resolve_kind_label(obj: Body) -> str:
        return obj.get_kind_display()


class BodyDetailOut(Schema):
    """A body with its regulation settings (``Body.REGULATION_FIELDS``) and what the
    requesting user is there."""

    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    organization: OrganizationRef
    parent: BodyRef | None
    established_by: str
    is_active: bool
    timezone: str
    # Regulation settings (положение о координационном органе).
    quorum_rule: str
    substitutes_count_for_quorum: bool
    decisions_without_quorum: bool
    co_chairs_allowed: bool
    protocol_signatories: str
    meetings_per_year: int
    protocol_days: int
    materials_days_before: int
    deadline_days: str
    protocol_numbering: str
    term_started_on: dt.date | None
    # Reminders of execution control.
    remind_before: bool
    remind_days: str
    remind_overdue: bool
    weekly_digest: bool
    # The requesting user.
    my_roles: list[str] = Field(
        description="Собственные роли пользователя в органе: chair, deputy_chair, secretary, "
        "member, observer (роли в вышестоящем органе сюда не входят)."
    )
    can_manage: bool = Field(description="Может изменять состав и настройки (секретарь).")
    can_see_history: bool = Field(description="Может читать журнал изменений.")

    @staticmethod
    def resolve_kind_label(obj: Body) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_my_roles(obj: Body, context: dict[str, Any]) -> list[str]:
        roles = permissions.body_roles(current_user(context["request"]), obj)
        return [r.value for r in BodyRoleKind if r in roles]

    @staticmethod
    def resolve_can_manage(obj: Body, context: dict[str, Any]) -> bool:
        return permissions.can_manage_body(current_user(context["request"]), obj)

    @staticmethod
    def resolve_can_see_history(obj: Body, context: dict[str, Any]) -> bool:
        return permissions.can_see_history(current_user(context["request"]), obj)


class BodyPatch(InputSchema):
    """The fields of the body's settings page; only the fields sent are changed."""

    name: str | None = None
    short_name: str | None = None
    kind: BodyKind | None = None
    established_by: str | None = None
    timezone: str | None = None
    quorum_rule: QuorumRule | None = None
    substitutes_count_for_quorum: bool | None = None
    decisions_without_quorum: bool | None = None
    co_chairs_allowed: bool | None = None
    protocol_signatories: Signatories | None = None
    meetings_per_year: int | None = None
    protocol_days: int | None = None
    materials_days_before: int | None = None
    deadline_days: DayCount | None = None
    protocol_numbering: Numbering | None = None
    term_started_on: dt.date | None = None
    remind_before: bool | None = None
    remind_days: str | None = None
    remind_overdue: bool | None = None
    weekly_digest: bool | None = None
    ground: str = Field("", description="Основание изменения, попадает в журнал.")


class PersonOut(Schema):
    id: int
    last_name: str
    first_name: str
    patronymic: str
    full_name: str


class PostOut(Schema):
    id: int
    title: str
    organization: OrganizationRef


class MembershipOut(Schema):
    id: int
    person: PersonOut
    post: PostOut
    roles: list[str] = Field(description="Коды ролей: chair, deputy_chair, secretary, member.")
    role_labels: list[str]
    by_agreement: bool
    starts_on: dt.date
    ends_on: dt.date | None
    ground: str


class CompositionOut(Schema):
    body: BodyRef
    on: dt.date
    count: int
    items: list[MembershipOut]


class MembershipCreateIn(InputSchema):
    """Who: ``person_id`` of an official already in a composition you can see, or their name
    (found by full name or created). Where: the post ``post_title`` in ``organization_id``."""

    person_id: int | None = None
    last_name: str = ""
    first_name: str = ""
    patronymic: str = ""
    gender: Gender | None = None
    email: str = ""
    organization_id: int
    post_title: str
    roles: list[str] = Field(
        default_factory=lambda: [Role.MEMBER.value],
        description="Коды (chair, deputy_chair, secretary, member) или русские названия ролей.",
    )
    starts_on: dt.date
    ends_on: dt.date | None = None
    by_agreement: bool = False
    ground: str = Field("", description="Документ, которым внесено изменение в состав.")


class MembershipPatch(InputSchema):
    """Roles, dates, «по согласованию»; only the fields sent are changed. A new holder of the
    post is a new membership, not a change of this one."""

    roles: list[str] | None = None
    by_agreement: bool | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = Field(None, description="null — бессрочно.")
    ground: str = ""


class MembershipEndIn(InputSchema):
    ends_on: dt.date = Field(description="Последний день в составе.")
    ground: str = Field(description="Основание вывода из состава (обязательно).")


class ActorOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return str(obj)


class AuditRecordOut(Schema):
    id: int
    created_at: dt.datetime
    actor: ActorOut | None
    action: str
    target_type: str
    target_id: str
    target_repr: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    ground: str


READ_ERRORS: dict[int, type[Schema]] = {401: Error, 403: Error, 404: Error}
WRITE_ERRORS: dict[int, type[Schema]] = {400: Error, 401: Error, 403: Error, 404: Error}


# --- helpers ---------------------------------------------------------------------------------


def _changes(payload: Schema, *, nullable: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields a PATCH sent. ``null`` is a value only where the model allows it."""
    data = payload.model_dump(exclude_unset=True)
    empty = sorted(k for k, v in data.items() if v is None and k not in nullable)
    if empty:
        raise ValidationError(dict.fromkeys(empty, "Это поле не может быть пустым."))
    return data


def _organization(
    user: User, pk: int, *, field: str, message: str, active_only: bool = False
) -> Organization:
    """An organisation named in the input; a wrong id is bad input (400), not a 404 of the URL."""
    queryset = permissions.organizations_visible_to(user)
    if active_only:
        queryset = queryset.filter(is_active=True)
    organization = queryset.filter(pk=pk).first()
    if organization is None:
        raise ValidationError({field: message})
    return organization


def _persons_visible_to(user: User) -> QuerySet[Person]:
    # The web form names officials only by name; an id is accepted for officials already in a
    # composition the user can see, so that ids cannot be used to read the whole directory.
    visible = Membership.objects.visible_to(user).filter(person=OuterRef("pk"))
    return Person.objects.filter(Exists(visible))


def _search_variants(q: str) -> Q:
    # SQLite folds case for ASCII only, so «энск» would not find «Энск»; trying the usual
    # spellings keeps the search usable there (PostgreSQL folds Cyrillic itself).
    condition = Q()
    for variant in {q, q.lower(), q.upper(), q.capitalize(), q.title()}:
        condition |= Q(name__icontains=variant) | Q(short_name__icontains=variant)
    return condition


# --- organisations ---------------------------------------------------------------------------


@router.get(
    "/organizations",
    response={200: list[OrganizationOut], **READ_ERRORS},
    summary="Справочник организаций",
)
@paginate(PageNumberPagination, **PAGE)
def organization_list(
    request: HttpRequest, level: Level | None = None, q: str = ""
) -> QuerySet[Organization]:
    """Every signed-in user reads the directory. ``level`` filters by territory level, ``q``
    searches in the full and the short name."""
    user = current_user(request)
    organizations = permissions.organizations_visible_to(user).select_related("parent")
    if level:
        organizations = organizations.filter(level=level)
    if q.strip():
        organizations = organizations.filter(_search_variants(q.strip()))
    return organizations.order_by("name", "pk")


@router.get(
    "/organizations/{organization_id}",
    response={200: OrganizationDetailOut, **READ_ERRORS},
    summary="Организация",
)
def organization_detail(request: HttpRequest, organization_id: int) -> Organization:
    return permissions.get_organization(current_user(request), organization_id)


@router.post(
    "/organizations",
    response={201: OrganizationDetailOut, **WRITE_ERRORS},
    summary="Добавить организацию",
)
def organization_create(request: HttpRequest, payload: OrganizationIn) -> Status[Organization]:
    """The directory is kept by the apparatus: any body's secretary."""
    user = current_user(request)
    require(permissions.can_edit_organizations(user), "Справочник организаций ведёт секретарь.")
    data = payload.model_dump()
    parent_id = data.pop("parent_id")
    if parent_id is not None:
        data["parent"] = _organization(
            user, parent_id, field="parent_id", message="Вышестоящая организация не найдена."
        )
    organization = services.organization_create(actor=user, **data)
    return Status(201, organization)


@router.patch(
    "/organizations/{organization_id}",
    response={200: OrganizationDetailOut, **WRITE_ERRORS},
    summary="Изменить организацию",
)
def organization_update(
    request: HttpRequest, organization_id: int, payload: OrganizationPatch
) -> Organization:
    user = current_user(request)
    organization = permissions.get_organization(user, organization_id, for_change=True)
    data = _changes(payload, nullable=frozenset({"parent_id"}))
    if "parent_id" in data:
        parent_id = data.pop("parent_id")
        data["parent"] = (
            None
            if parent_id is None
            else _organization(
                user, parent_id, field="parent_id", message="Вышестоящая организация не найдена."
            )
        )
    return services.organization_update(actor=user, organization=organization, **data)


# --- bodies ----------------------------------------------------------------------------------


@router.get(
    "/bodies",
    response={200: list[BodyListItem], **READ_ERRORS},
    summary="Координационные органы",
)
@paginate(PageNumberPagination, **PAGE)
def body_list(request: HttpRequest) -> QuerySet[Body]:
    """The bodies where the user holds a role, and every body below them."""
    return selectors.bodies_for_list(current_user(request))


@router.get(
    "/bodies/{body_id}",
    response={200: BodyDetailOut, **READ_ERRORS},
    summary="Координационный орган и его положение",
)
def body_detail(request: HttpRequest, body_id: int) -> Body:
    return permissions.get_body(current_user(request), body_id)


@router.patch(
    "/bodies/{body_id}",
    response={200: BodyDetailOut, **WRITE_ERRORS},
    summary="Изменить настройки органа",
)
def body_update(request: HttpRequest, body_id: int, payload: BodyPatch) -> Body:
    """The body's secretary changes its name and regulation settings (not its place in the
    hierarchy: that is the administrator's)."""
    user = current_user(request)
    body = permissions.get_body(user, body_id, for_change=True)
    data = _changes(payload, nullable=frozenset({"term_started_on"}))
    ground = data.pop("ground", "")
    return services.body_update(actor=user, body=body, ground=ground, **data)


# --- composition -----------------------------------------------------------------------------


@router.get(
    "/bodies/{body_id}/composition",
    response={200: CompositionOut, **READ_ERRORS},
    summary="Состав на дату",
)
def composition(request: HttpRequest, body_id: int, on: dt.date | None = None) -> dict[str, Any]:
    """«Состав» on ``on`` (today by default): chair, deputies, secretary, then members by
    surname."""
    body = permissions.get_body(current_user(request), body_id)
    day = on or selectors.today()
    members = selectors.composition_on(body, day)
    return {"body": body, "on": day, "count": len(members), "items": members}


@router.post(
    "/bodies/{body_id}/composition",
    response={201: MembershipOut, **WRITE_ERRORS},
    summary="Включить в состав",
)
def membership_add(
    request: HttpRequest, body_id: int, payload: MembershipCreateIn
) -> Status[Membership]:
    user = current_user(request)
    body = permissions.get_body(user, body_id, for_change=True)
    named = any((payload.last_name, payload.first_name, payload.patronymic))
    if payload.person_id is not None and named:
        raise ValidationError("Укажите либо person_id, либо фамилию и имя, но не то и другое.")
    if payload.person_id is None and not (payload.last_name and payload.first_name):
        raise ValidationError(
            {"last_name": "Укажите должностное лицо: person_id или фамилию и имя."}
        )
    membership_fields: dict[str, Any] = {
        "organization": _organization(
            user,
            payload.organization_id,
            field="organization_id",
            message="Организация не найдена или не действует.",
            active_only=True,
        ),
        "post_title": payload.post_title,
        "roles": payload.roles,
        "starts_on": payload.starts_on,
        "ends_on": payload.ends_on,
        "by_agreement": payload.by_agreement,
        "ground": payload.ground,
    }
    if payload.person_id is not None:
        person = _persons_visible_to(user).filter(pk=payload.person_id).first()
        if person is None:
            raise ValidationError({"person_id": "Должностное лицо не найдено."})
        membership = services.membership_add(
            actor=user, body=body, person=person, **membership_fields
        )
    else:
        membership = services.membership_add_person(
            actor=user,
            body=body,
            person_fields={
                "last_name": payload.last_name,
                "first_name": payload.first_name,
                "patronymic": payload.patronymic,
                "gender": payload.gender,
                "email": payload.email,
            },
            **membership_fields,
        )
    return Status(201, membership)


@router.patch(
    "/memberships/{membership_id}",
    response={200: MembershipOut, **WRITE_ERRORS},
    summary="Изменить членство",
)
def membership_update(
    request: HttpRequest, membership_id: int, payload: MembershipPatch
) -> Membership:
    user = current_user(request)
    membership = permissions.get_membership(user, membership_id, for_change=True)
    data = _changes(payload, nullable=frozenset({"ends_on"}))
    ground = data.pop("ground", "")
    return services.membership_update(actor=user, membership=membership, ground=ground, **data)


@router.post(
    "/memberships/{membership_id}/end",
    response={200: MembershipOut, **WRITE_ERRORS},
    summary="Вывести из состава",
)
def membership_end(
    request: HttpRequest, membership_id: int, payload: MembershipEndIn
) -> Membership:
    """``ends_on`` is the member's last day in the composition."""
    user = current_user(request)
    membership = permissions.get_membership(user, membership_id, for_change=True)
    if not payload.ground:
        raise ValidationError({"ground": "Укажите основание вывода из состава."})
    return services.membership_end(
        actor=user, membership=membership, ends_on=payload.ends_on, ground=payload.ground
    )


# --- history ---------------------------------------------------------------------------------


@router.get(
    "/bodies/{body_id}/history",
    response={200: list[AuditRecordOut], **READ_ERRORS},
    summary="Журнал изменений органа",
)
@paginate(PageNumberPagination, **PAGE)
def body_history(request: HttpRequest, body_id: int) -> QuerySet[AuditRecord]:
    """Newest first. For the body's secretary and chair."""
    body = permissions.get_body_for_history(current_user(request), body_id)
    return selectors.body_history(body)
