"""A real Chromium types decisions into the protocol without the mouse: Alt+N adds a decision
and puts the cursor in its text, Tab walks the fields, the deadline is read as it is typed,
Ctrl+Enter saves and goes on to the next decision.

Uses Debian's /usr/bin/chromium; skipped where it is missing (like core/tests/test_browser.py).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from koordinator.core.testing.browser import CHROMIUM, launched_browser

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

from playwright.sync_api import Browser, Page, expect  # noqa: E402

from koordinator.meetings.models import Decision  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_browser() as browser:
        yield browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def settled(page: Page) -> None:
    """Wait for htmx to finish swapping (it focuses [autofocus] when it settles): a person
    types slower than Playwright."""
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )
    page.wait_for_timeout(50)


def test_secretary_types_decisions_with_the_keyboard(
    live_server, transactional_db, cast, meeting, page, tmp_path
):
    base = live_server.url
    page.goto(f"{base}/login/")
    page.keyboard.type("secretary")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/meetings/{meeting.pk}/protocol/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Протокол заседания")

    # Alt+N: a decision for the first item, the cursor in its text.
    page.keyboard.press("Alt+KeyN")
    first = page.locator(".decision-form textarea[name='text']").first
    settled(page)
    expect(first).to_be_focused()
    page.keyboard.type("Провести совместные профилактические рейды.")
    page.keyboard.press("Tab")  # the lead executor
    for _ in range(3):  # past «Администрация…», «Правительство…» to «УМВД…»
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # co-executors
    page.keyboard.press("Tab")  # the deadline in words
    page.keyboard.type("до 1 декабря 2026 г.")
    expect(page.locator(".deadline-preview").first).to_contain_text("01.12.2026")

    # Ctrl+Enter: saved, and the next decision (1.2) is there with the cursor in it.
    page.keyboard.press("Control+Enter")
    second = page.locator(".decision-form textarea[name='text']").nth(1)
    settled(page)
    expect(second).to_be_focused()
    page.keyboard.type("Организовать встречи с диаспорами.")
    page.keyboard.press("Control+Enter")
    settled(page)
    expect(page.locator(".decision-form textarea[name='text']").nth(2)).to_be_focused()
    shots = Path(os.environ.get("KOORDINATOR_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "protocol-editor.png"), full_page=True)

    decisions = list(Decision.objects.select_related("item").order_by("order"))
    assert [d.code for d in decisions] == ["1.1", "1.2", "1.3"]
    assert decisions[0].lead_executor_id == cast.police.pk
    assert decisions[0].due_on == dt.date(2026, 12, 1)
    assert decisions[1].text == "Организовать встречи с диаспорами."
