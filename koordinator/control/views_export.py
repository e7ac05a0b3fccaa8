"""Placeholder: being written."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def summary(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def register_xlsx(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def register_docx(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def agenda_control(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def agenda_add(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
