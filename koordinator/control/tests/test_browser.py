"""An assignment from the first report to its removal from control, in a real Chromium
(issue 4, point 9).

The police officer submits a final report with a file; the secretary returns it with a
comment; the officer reads the comment and resubmits; the secretary accepts; the secretary
proposes removal as executed; the chair removes the assignment from control; the card says
«снято с контроля». Each person has their own browser context (their own session).

Uses Debian's /usr/bin/chromium; skipped where it is missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from koordinator.core.testing.browser import CHROMIUM, launched_browser

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

from playwright.sync_api import Browser, BrowserContext, Page, expect  # noqa: E402

from koordinator.conftest import Cast  # noqa: E402
from koordinator.control.models import Lifecycle  # noqa: E402
from koordinator.control.tests.conftest import Control  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"  # the cast's password (koordinator/conftest.py)
COMMENT = "Приложите акты рейдов."


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_browser() as browser:
        yield browser


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def new_page(browser: Browser, contexts: list[BrowserContext]) -> Page:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="ru-RU", timezone_id="Europe/Moscow"
    )
    context.set_default_timeout(10_000)
    contexts.append(context)
    return context.new_page()


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def shot(page: Page, name: str) -> None:
    """A full-page screenshot into $KOORDINATOR_SCREENSHOTS, when it is set."""
    directory = os.environ.get("KOORDINATOR_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"control-{name}.png"), full_page=True)


def status(page: Page) -> Any:
    return page.get_by_role("status")


def submit_report(
    page: Page, point_pk: int, text: str, upload: Path, *, opened: bool = False
) -> None:
    if not opened:
        page.get_by_text("Представить отчёт", exact=True).click()
    form = page.locator(f"form[action='/control/points/{point_pk}/report/']")
    form.get_by_label("Вид отчёта").select_option(label="итоговый")
    form.get_by_label("Что сделано").fill(text)
    form.locator("input[type=file]").set_input_files(str(upload))
    form.get_by_role("button", name="Отправить отчёт").click()
    expect(status(page)).to_contain_text("Отчёт представлен.")


def test_report_return_resubmit_accept_remove(
    live_server, transactional_db, cast: Cast, control: Control, browser, contexts, tmp_path
):
    base = live_server.url
    assignment = control.one_off
    point = control.point(assignment)
    upload = tmp_path / "akty-reidov.pdf"
    upload.write_bytes(b"%PDF-1.4 acts of the raids")

    # --- the officer finds the assignment in the inbox and reports ---------------------------
    officer = new_page(browser, contexts)
    sign_in(officer, base, "executor")
    officer.get_by_role("link", name="Мои поручения").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Мои поручения")
    officer.locator(f"#point-{point.pk}").get_by_role("link", name="Представить отчёт").click()
    # the inbox's link opens the report form at once
    submit_report(officer, point.pk, "Проведено 12 рейдов.", upload, opened=True)
    expect(officer.locator(f"#point-{point.pk} .point-status")).to_have_text("представлен отчёт")
    expect(officer.get_by_role("link", name="akty-reidov.pdf")).to_be_visible()

    # --- the secretary returns it with a comment ---------------------------------------------
    secretary = new_page(browser, contexts)
    sign_in(secretary, base, "secretary")
    secretary.goto(f"{base}/control/assignments/{assignment.pk}/")
    first = secretary.locator(".report").first
    first.get_by_label("Замечания").fill(COMMENT)
    first.get_by_role("button", name="Вернуть на доработку").click()
    expect(status(secretary)).to_contain_text("Отчёт возвращён на доработку.")
    shot(secretary, "card-returned")

    # --- the officer reads the comment and resubmits -----------------------------------------
    officer.goto(f"{base}/control/inbox/")
    expect(officer.locator(f"#point-{point.pk}")).to_contain_text(f"возвращён: {COMMENT}")
    shot(officer, "inbox")
    officer.goto(f"{base}/control/assignments/{assignment.pk}/")
    expect(officer.locator(".review-comment")).to_have_text(COMMENT)
    submit_report(officer, point.pk, "Проведено 12 рейдов, акты приложены.", upload)

    # --- the secretary accepts and proposes removal as executed ------------------------------
    secretary.reload()
    secretary.get_by_role("button", name="Принять отчёт").click()
    expect(status(secretary)).to_contain_text("Отчёт принят.")
    expect(secretary.locator(f"#point-{point.pk} .point-status")).to_have_text("отчёт принят")
    secretary.get_by_text("Предложить снять с контроля", exact=True).click()
    secretary.get_by_label("исполнено").check()
    secretary.get_by_role("button", name="Предложить председателю").click()
    expect(status(secretary)).to_contain_text("направлено председателю")

    # --- the chair removes it from control ---------------------------------------------------
    chair = new_page(browser, contexts)
    sign_in(chair, base, "chair")
    chair.goto(f"{base}/control/assignments/{assignment.pk}/")
    chair.get_by_role("button", name="Снять с контроля").click()
    expect(status(chair)).to_contain_text("Поручение снято с контроля.")
    expect(chair.locator("#assignment-status")).to_contain_text("снято с контроля")
    expect(chair.locator("#history")).to_contain_text("снято с контроля")
    shot(chair, "card-removed")
    chair.goto(f"{base}/control/")
    shot(chair, "register")

    assignment.refresh_from_db()
    assert assignment.lifecycle == Lifecycle.EXECUTED


def test_secretary_registers_an_instruction_reading_the_deadline_live(
    live_server, transactional_db, cast: Cast, control: Control, browser, contexts
):
    base = live_server.url
    secretary = new_page(browser, contexts)
    sign_in(secretary, base, "secretary")
    secretary.get_by_role("link", name="Контроль", exact=True).click()
    secretary.get_by_role("link", name="Поставить на контроль поручение").click()
    secretary.get_by_label("Номер пункта / поручения").fill("7")
    secretary.get_by_label("Кем дано").fill("АТК области")
    secretary.get_by_label("Содержание поручения").fill("Провести встречи с диаспорами.")
    secretary.get_by_label("Ответственный исполнитель").select_option(label=cast.police.name)
    deadline = secretary.get_by_label("Срок (как записан)")
    deadline.fill("когда-нибудь потом")
    expect(secretary.locator("#deadline-preview")).to_contain_text("Срок не распознан")
    deadline.fill("в течение 10 дней")
    expect(secretary.locator("#deadline-preview")).to_contain_text("Срок прочитан")
    secretary.get_by_role("button", name="Поставить на контроль").click()
    expect(status(secretary)).to_contain_text("Поручение поставлено на контроль.")
    expect(secretary.get_by_role("heading", level=1)).to_contain_text("Поручение п. 7")
