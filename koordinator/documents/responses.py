"""HTTP responses for generated files."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_filename(name: str) -> str:
    """``name`` without the characters Windows and macOS refuse in file names."""
    return "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in name).strip()


def content_disposition(filename: str, ascii_fallback: str) -> str:
    """``attachment`` with both names (RFC 6266): ``filename*`` carries the Russian name in
    UTF-8, ``filename`` an ASCII one for clients that do not read ``filename*``."""
    fallback = "".join(ch for ch in ascii_fallback if ch.isascii() and ch not in '"\\\r\n')
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(
    content: bytes, *, content_type: str, filename: str, ascii_fallback: str
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, ascii_fallback)
    # A generated document is personal to the request (composition on a date, the user's
    # access): never let a shared cache keep it.
    response["Cache-Control"] = "private, no-store"
    return response
