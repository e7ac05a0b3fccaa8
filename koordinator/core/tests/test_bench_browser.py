"""The bench's browser (``bench/browser.py``) is served as a WSGI server would serve it: its
session opens the pages, its POSTs pass the CSRF check with the token a page gives, and
without the token the same POST is refused."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from bench.browser import Browser
from koordinator.conftest import Cast

PARSE = "/api/v1/deadlines/parse"


# A transactional database: the WSGI handler closes a connection it finds inside a
# transaction at a request's start and end, as a server does with a broken one.
pytestmark = pytest.mark.django_db(transaction=True)


def _payload(cast: Cast) -> str:
    return json.dumps(
        {"text": "до 1 декабря 2026 г.", "issued_on": "2026-01-15", "body": cast.body.pk}
    )


def test_the_browser_opens_a_page_and_posts_to_the_api(cast: Cast) -> None:
    browser = Browser(cast.secretary)
    page = browser.get(reverse("bodies:detail", args=[cast.body.pk]))
    assert page.status_code == 200
    assert cast.body.name.encode() in page.content
    answer = browser.post(PARSE, _payload(cast), "application/json")
    assert answer.status_code == 200, answer.content
    assert json.loads(answer.content)["due_dates"][0] == "2026-12-01"


def test_its_post_without_the_token_is_refused(cast: Cast) -> None:
    browser = Browser(cast.secretary)
    browser._token = "x" * 64
    assert browser.post(PARSE, _payload(cast), "application/json").status_code == 403


def test_logout_ends_the_session(cast: Cast) -> None:
    browser = Browser(cast.secretary)
    url = reverse("bodies:detail", args=[cast.body.pk])
    browser.logout()
    assert browser.get(url).status_code == 302  # to the login page
