"""REST endpoints of execution control (/api/v1/): the register, the card, the inbox, the
summary for a higher body, registering an incoming instruction; and reading a deadline
written in words (``POST /deadlines/parse``).

Same access helpers as the pages (``control.permissions``: 404 for what the user may not see,
403 for what they may see but not do), same selectors and services. A service's
``ValidationError`` becomes 400 with the Russian message and nothing is written; bad filters or
a missing date become 422. The actions (reports, extensions, removal) are in ``api_actions``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from koordinator.api.auth import current_user
from koordinator.bodies.models import Body, Organization
from koordinator.bodies.permissions import get_body
from koordinator.control import permissions, selectors, services
from koordinator.control.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    AssignmentCard,
    AssignmentPage,
    Error,
    InboxRow,
    InputSchema,
    SummaryOut,
    body_ref,
    card,
    org,
    point_out,
    row,
)
from koordinator.core.access import require
from koordinator.deadlines import parse, to_dict

router = Router(tags=["Контроль исполнения"])

MAX_LIMIT = 200


# --- deadlines -------------------------------------------------------------------------------


class DeadlineParseIn(InputSchema):
    text: str = Field("", description="Срок, как он записан: «до 1 декабря 2026 г.», «срочно»…")
    issued_on: str | None = Field(
        None, description="Дата, от которой считается срок (подписания), ГГГГ-ММ-ДД."
    )
    policy: Literal["calendar", "working"] | None = Field(
        None, description="Дни календарные или рабочие. Либо policy, либо body."
    )
    body: int | None = Field(None, description="Орган: взять его настройку дней (deadline_days).")


class DeadlineParseOut(Schema):
    ok: bool
    kind: str | None
    source: str | None
    reason: str | None
    explanation: str | None
    due: str | None
    due_dates: list[str]
    period: str | None
    rule: dict[str, Any] | None
    starts: str | None
    ends: str | None
    issued_on: str | None
    policy: str | None
    provisional_years: list[int]


def _date(raw: str | None) -> dt.date:
    if not raw:
        raise HttpError(422, "Укажите дату, от которой считается срок (issued_on), ГГГГ-ММ-ДД.")
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise HttpError(
            422, f"Дата «{raw}» не распознана: укажите её в виде ГГГГ-ММ-ДД (issued_on)."
        ) from None


@router.post(
    "/deadlines/parse",
    response={200: DeadlineParseOut, 401: Error, 404: Error, 422: Error},
    summary="Прочитать срок, записанный словами",
)
def deadline_parse(request: HttpRequest, payload: DeadlineParseIn) -> dict[str, Any]:
    """Читает срок так же, как при подписании протокола: первые контрольные даты (ISO).

    Дни считаются по ``policy`` («calendar»/«working») или по настройке органа ``body``
    (орган должен быть вам виден, иначе 404); нужно ровно одно из двух. Нераспознанный срок —
    это ответ, а не ошибка: 200 с ``ok: false`` и причиной в ``reason`` (как и
    ``/meetings/{id}/protocol/deadline``). Нет или неверна дата ``issued_on`` — 422."""
    user = current_user(request)
    issued_on = _date(payload.issued_on)
    if (payload.policy is None) == (payload.body is None):
        raise HttpError(422, "Укажите либо policy («calendar» или «working»), либо body — одно.")
    policy = (
        get_body(user, payload.body).deadline_days if payload.body is not None else payload.policy
    )
    return to_dict(parse(payload.text, issued_on=issued_on, policy=policy))  # type: ignore[arg-type]


# --- the register ----------------------------------------------------------------------------


@router.get(
    "/control/assignments",
    response={200: AssignmentPage, 422: Error, **READ_ERRORS},
    summary="Реестр поручений на контроле (фильтры как на странице)",
)
def assignment_list(
    request: HttpRequest, limit: int = 50, offset: int = 0
) -> dict[str, Any] | Status[Any]:
    """Фильтры: ``body``, ``agency``, ``status`` (open, submitted, accepted, returned, overdue,
    executed, irrelevant), ``due_from``/``due_to`` (ГГГГ-ММ-ДД, ближайший срок), ``overdue=1``,
    ``this_week=1``, ``q`` (текст или номер). Неверные значения — 422 с сообщениями по полям.
    Порядок: сначала просроченные, затем по ближайшему сроку. ``limit`` — не больше 200."""
    user = current_user(request)
    f, errors = selectors.RegisterFilter.from_params(request.GET)
    if errors := errors | _window_errors(limit, offset):
        return _invalid(errors)
    qs = selectors.register(user, f)
    return {
        "total": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [row(user, a) for a in qs[offset : offset + limit]],
    }


@router.get(
    "/control/assignments/{assignment_id}",
    response={200: AssignmentCard, **READ_ERRORS},
    summary="Карточка поручения: реквизиты, сроки, отчёты, переносы, снятие",
)
def assignment_detail(request: HttpRequest, assignment_id: int) -> dict[str, Any]:
    return card(current_user(request), assignment_id)


def _organization(pk: int | None, field: str) -> Organization:
    found = Organization.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ValidationError({field: f"Организация с id={pk} не найдена."})
    return found


@router.post(
    "/control/assignments",
    response={201: AssignmentCard, **WRITE_ERRORS},
    summary="Зарегистрировать поручение вышестоящего органа и поставить на контроль",
)
def assignment_create(
    request: HttpRequest,
    body_id: Form[int],
    number: Form[str],
    document_date: Form[dt.date],
    issuer: Form[str],
    text: Form[str],
    lead_executor_id: Form[int],
    document: Form[str] = "",
    co_executor_ids: Form[list[int] | None] = None,
    deadline_text: Form[str] = "",
    due_on: Form[dt.date | None] = None,
    restricted: Form[bool] = False,
    file: File[UploadedFile | None] = None,
) -> Status[Any]:
    """multipart/form-data. Срок — словами (``deadline_text``, считается от даты документа по
    настройке органа) или датой (``due_on``), не оба сразу; нераспознанный срок — 400 с
    причиной. Регистрирует секретарь органа (403 иначе, 404 — орган вам не виден). Файл —
    скан поручения, не больше UPLOAD_MAX_MB."""
    user = current_user(request)
    body: Body = get_body(user, body_id)
    require(
        permissions.can_manage_body(user, body),
        "Поручения вышестоящих органов регистрирует секретарь органа.",
    )
    assignment = services.assignment_register(
        actor=user,
        body=body,
        number=number,
        document=document,
        document_date=document_date,
        issuer=issuer,
        text=text,
        lead_executor=_organization(lead_executor_id, "lead_executor_id"),
        co_executors=[_organization(i, "co_executor_ids") for i in co_executor_ids or []],
        deadline_text=deadline_text,
        due_on=due_on,
        restricted=restricted,
        file=file,
    )
    return Status(201, card(user, assignment.pk))


# --- inbox and summary -----------------------------------------------------------------------


@router.get(
    "/control/inbox",
    response={200: list[InboxRow], **READ_ERRORS},
    summary="Входящие исполнителя: сроки, по которым ведомство должно отчитаться",
)
def inbox(request: HttpRequest) -> list[dict[str, Any]]:
    """Контрольные сроки поручений, где ваше ведомство — ответственный исполнитель или
    соисполнитель, ещё не закрытые; по сроку."""
    user = current_user(request)
    mine = permissions.executor_org_ids(user)
    out = []
    for p in selectors.inbox(user):
        a = p.assignment
        hidden = not permissions.shows_text(user, a)
        out.append(
            {
                "point": point_out(p),
                "assignment_id": a.pk,
                "body": body_ref(a.body),
                "number": a.number,
                "title": a.title,
                "text": "Содержание поручения ДСП скрыто." if hidden else a.text,
                "hidden": hidden,
                "lead_executor": org(a.lead_executor),
                "is_lead": a.lead_executor_id in mine,
            }
        )
    return out


def _window_errors(limit: int, offset: int) -> dict[str, str]:
    errors = {}
    if limit < 1 or limit > MAX_LIMIT:
        errors["limit"] = f"Число строк — от 1 до {MAX_LIMIT}."
    if offset < 0:
        errors["offset"] = "Смещение не может быть отрицательным."
    return errors


def _invalid(errors: dict[str, str]) -> Status[Any]:
    return Status(
        422,
        {
            "detail": "Неверные фильтры: " + "; ".join(errors.values()),
            "errors": {k: [v] for k, v in errors.items()},
        },
    )


@router.get(
    "/control/summary",
    response={200: SummaryOut, 422: Error, **READ_ERRORS},
    summary="Сводка по органам: на контроле, просрочено, на рассмотрении, снято; просроченные",
)
def summary(request: HttpRequest, limit: int = 50, offset: int = 0) -> dict[str, Any] | Status[Any]:
    """По каждому видимому органу (своему и нижестоящим). Текст поручений ДСП скрыт от тех, кто
    не входит в состав органа и не исполняет поручение. Просроченные — по ``limit`` (не больше
    200) начиная с ``offset``, сначала самые давние; всего их — ``overdue_total``."""
    user = current_user(request)
    if errors := _window_errors(limit, offset):
        return _invalid(errors)
    listed = selectors.overdue_list(user)
    total = listed.count()
    overdue = listed.prefetch_related("co_executors")[offset : offset + limit]
    items = []
    for a in overdue:
        r = row(user, a)
        items.append(
            {k: r[k] for k in ("id", "body", "number", "document", "text", "hidden", "next_due")}
            | {"lead_executor": r["lead_executor"]}
        )
    return {
        "bodies": [
            {
                "body": body_ref(s.body),
                "on_control": s.on_control,
                "overdue": s.overdue,
                "submitted": s.submitted,
                "removed": s.removed,
            }
            for s in selectors.summary(user)
        ],
        "overdue": items,
        "overdue_total": total,
        "limit": limit,
        "offset": offset,
    }
