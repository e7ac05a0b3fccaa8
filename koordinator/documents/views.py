"""Downloads of a meeting's documents: protocol and agenda (DOCX, PDF), extracts (DOCX).

Access: whoever sees the meeting (``permissions.get_meeting``; 404 for everyone else).
Restricted (ДСП) items and decisions are printed only for insiders of the meeting's bodies
(``permissions.is_insider``); a protocol marked ДСП as a whole is not given to anyone else.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.views.decorators.http import require_GET

from koordinator.bodies.models import Organization
from koordinator.core.access import fetch_visible
from koordinator.core.http import authenticated_user
from koordinator.documents.pdf import PdfConversionError, docx_to_pdf
from koordinator.documents.protocol import (
    agenda_filename,
    extract_filename,
    protocol_filename,
    render_agenda_docx,
    render_extract_docx,
    render_protocol_docx,
)
from koordinator.documents.responses import DOCX, file_response
from koordinator.meetings import permissions
from koordinator.meetings.models import Meeting, Protocol

PDF = "application/pdf"

NO_PROTOCOL = "Протокол этого заседания ещё не составлен."


class NoProtocol(Exception):
    pass


def _protocol(meeting: Meeting) -> Protocol:
    try:
        return Protocol.objects.get(meeting=meeting)
    except Protocol.DoesNotExist:
        raise NoProtocol from None


def _no_protocol() -> HttpResponse:
    # The site's 404 page does not show the reason; a missing protocol deserves saying so.
    return HttpResponseNotFound(NO_PROTOCOL, content_type="text/plain; charset=utf-8")


def _respond(content: bytes, ext: str, names: Callable[[str], tuple[str, str]]) -> HttpResponse:
    if ext == "pdf":
        try:
            content = docx_to_pdf(content)
        except PdfConversionError as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    filename, fallback = names(ext)
    return file_response(
        content,
        content_type=PDF if ext == "pdf" else DOCX,
        filename=filename,
        ascii_fallback=fallback,
    )


def _protocol_download(request: HttpRequest, pk: int, ext: str) -> HttpResponse:
    user = authenticated_user(request)
    meeting = permissions.get_meeting(user, pk)
    try:
        protocol = _protocol(meeting)
    except NoProtocol:
        return _no_protocol()
    insider = permissions.is_insider(user, meeting)
    if protocol.restricted and not insider:
        raise PermissionDenied(
            "Протокол имеет пометку «Для служебного пользования» и доступен только членам органа."
        )
    content = render_protocol_docx(protocol, include_restricted=insider)
    return _respond(content, ext, lambda e: protocol_filename(meeting, e))


def _agenda_download(request: HttpRequest, pk: int, ext: str) -> HttpResponse:
    user = authenticated_user(request)
    meeting = permissions.get_meeting(user, pk)
    content = render_agenda_docx(meeting, include_restricted=permissions.is_insider(user, meeting))
    return _respond(content, ext, lambda e: agenda_filename(meeting, e))


@login_required
@require_GET
def protocol_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _protocol_download(request, pk, "docx")


@login_required
@require_GET
def protocol_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _protocol_download(request, pk, "pdf")


@login_required
@require_GET
def agenda_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _agenda_download(request, pk, "docx")


@login_required
@require_GET
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _agenda_download(request, pk, "pdf")


@login_required
@require_GET
def extract_docx(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    user = authenticated_user(request)
    meeting = permissions.get_meeting(user, pk)
    try:
        protocol = _protocol(meeting)
    except NoProtocol:
        return _no_protocol()
    insider = permissions.is_insider(user, meeting)
    if protocol.restricted and not insider:
        raise PermissionDenied(
            "Протокол имеет пометку «Для служебного пользования» и доступен только членам органа."
        )
    organization = fetch_visible(Organization.objects.all(), org_pk)
    content = render_extract_docx(protocol, organization, include_restricted=insider)
    return _respond(content, "docx", lambda e: extract_filename(meeting, organization, e))
