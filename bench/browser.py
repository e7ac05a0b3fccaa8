"""A signed-in browser that sends its requests to Django's WSGI handler, as a WSGI server does.

``django.test.Client`` is a testing tool: around each request it connects and disconnects two
signals to collect the rendered templates and exceptions, copies the request into the answer,
decorates the answer (``json``, ``resolver_match``, ``templates``, ``context``) and skips what a
server does (the CSRF check, closing stale connections). On a body page that was 0.9 ms of the
7.3 ms a request took. The bench times what a server process spends on a page, so its clients
call ``django.core.handlers.wsgi.WSGIHandler`` (what ``koordinator.wsgi.application`` is)
with a WSGI environment and read the whole answer, as gunicorn would; only the HTTP parsing
and the sockets are left out.
"""

from __future__ import annotations

import io
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.test import Client

from koordinator.accounts.models import User

_handler: WSGIHandler | None = None


def _wsgi() -> WSGIHandler:
    global _handler
    if _handler is None:
        _handler = WSGIHandler()
    return _handler


@dataclass
class Answer:
    status_code: int
    content: bytes


class Browser:
    """Logged in as ``user`` (a session made by ``Client.force_login``) with a CSRF cookie and
    the token a page would give its scripts, sent on every POST as the pages' scripts send it."""

    def __init__(self, user: User) -> None:
        self._login = Client()
        self._login.force_login(user)
        probe = HttpRequest()
        self._token = get_token(probe)  # masked, as a page prints it
        self.cookies: SimpleCookie = SimpleCookie()
        self.cookies[settings.SESSION_COOKIE_NAME] = self._login.cookies[
            settings.SESSION_COOKIE_NAME
        ].value
        self.cookies[settings.CSRF_COOKIE_NAME] = probe.META["CSRF_COOKIE"]

    def _environ(self, method: str, url: str, body: bytes, content_type: str) -> dict[str, Any]:
        path, _, query = url.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "testserver",
            "HTTP_COOKIE": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items()),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if method == "POST":
            environ.update(
                CONTENT_TYPE=content_type,
                CONTENT_LENGTH=str(len(body)),
                HTTP_X_CSRFTOKEN=self._token,
                HTTP_REFERER="http://testserver/",
            )
        return environ

    def _send(self, environ: dict[str, Any]) -> Answer:
        status: list[str] = []
        written: list[bytes] = []  # what a (legacy) write() call sends before the body
        headers: list[tuple[str, str]] = []

        def start_response(
            line: str, sent: list[tuple[str, str]], exc_info: Any = None, /
        ) -> Callable[[bytes], object]:
            status.append(line)
            headers.extend(sent)
            return written.append

        body = _wsgi()(environ, start_response)
        try:
            content = b"".join([*written, *body])  # a streamed file is read to its end
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()  # fires request_finished, as a server does
        for name, value in headers:
            if name.lower() == "set-cookie":
                self.cookies.load(value)
        return Answer(int(status[0].split(" ", 1)[0]), content)

    def get(self, url: str) -> Answer:
        return self._send(self._environ("GET", url, b"", ""))

    def post(self, url: str, body: str, content_type: str) -> Answer:
        return self._send(self._environ("POST", url, body.encode(), content_type))

    def failure(self, url: str, body: str | None) -> str:
        """Why a request did not answer 200: the same request through the test client, which
        keeps the exception a server would only log."""
        client = Client(raise_request_exception=False)
        client.cookies[settings.SESSION_COOKIE_NAME] = self.cookies[
            settings.SESSION_COOKIE_NAME
        ].value
        response = (
            client.post(url, body, content_type="application/json")
            if body is not None
            else client.get(url)
        )
        exc_info = getattr(response, "exc_info", None)
        if exc_info:
            last = traceback.format_exception(*exc_info)[-1].strip()
            return f"HTTP {response.status_code}: {last}"
        return f"HTTP {response.status_code}"

    def logout(self) -> None:
        """Delete the session the login made."""
        self._login.logout()
