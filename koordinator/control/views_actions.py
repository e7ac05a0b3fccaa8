"""Placeholder: being written."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def removal_propose(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def report_submit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def report_paper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def extension_request(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def extension_propose(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def report_accept(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def report_return(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def extension_decide(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def removal_decide(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
