"""The REST API at /api/v1/: every app's router, one schema, one error shape.

Every endpoint requires authentication (session or token) unless it says otherwise; each
router's endpoints call the same access helpers as the pages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path
from ninja import NinjaAPI, errors
from ninja.security import django_auth

from koordinator.api.auth import TokenAuth
from koordinator.core.access import HIDDEN

api = NinjaAPI(
    title="Koordinator API",
    version="1",
    description="Координационные органы, составы, заседания, поручения.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api-v1",
)


def validation_messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    messages = validation_messages(exc)
    detail = "; ".join(m for ms in messages.values() for m in ms)
    return api.create_response(request, {"detail": detail, "errors": messages}, status=400)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Недостаточно прав."}, status=403)


@api.exception_handler(errors.AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: errors.AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Требуется вход: сессия или заголовок Authorization: Bearer."},
        status=401,
    )


@api.exception_handler(errors.ValidationError)
def on_schema_error(request: HttpRequest, exc: errors.ValidationError) -> HttpResponse:
    """Input that does not fit the schema (a wrong type, an unknown field): ninja's details,
    under a Russian summary."""
    return api.create_response(
        request,
        {
            "detail": "Запрос не соответствует схеме: проверьте поля и их типы.",
            "errors": exc.errors,
        },
        status=422,
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": HIDDEN}, status=404)


def _register() -> None:
    from koordinator.bodies.api import router as bodies_router

    api.add_router("/", bodies_router)
    from koordinator.meetings import api_agenda, api_invitations, api_plan, api_protocol

    api.add_router("/", api_plan.router)
    api.add_router("/", api_agenda.router)
    api.add_router("/", api_invitations.router)
    api.add_router("/", api_protocol.router)
    from koordinator.control import api as control_api
    from koordinator.control import api_actions as control_api_actions

    api.add_router("/", control_api.router)
    api.add_router("/", control_api_actions.router)


_register()


def grouped_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """``api.urls`` with the routes that share a first segment under one prefix
    («meetings/», «control/»…): Django tries a list of patterns one by one, and a call to the
    last of the API's 79 routes was matched against all the others first. Names, namespace
    and the order within each prefix stay as ninja made them."""
    patterns, app_name, namespace = api.urls
    top: list[URLPattern | URLResolver] = []
    groups: dict[str, list[URLPattern | URLResolver]] = {}
    for pattern in patterns:
        route = str(pattern.pattern)
        head, slash, rest = route.partition("/")
        if not isinstance(pattern, URLPattern) or not slash or "<" in head or not rest:
            top.append(pattern)
            continue
        if head not in groups:
            groups[head] = []
            top.append(path(f"{head}/", include(groups[head])))
        groups[head].append(path(rest, pattern.callback, pattern.default_args, name=pattern.name))
    return top, app_name, namespace
