"""Placeholder: being written."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def register(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def inbox(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def assignment_new(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def assignment_card(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def assignment_file(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def report_file(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
