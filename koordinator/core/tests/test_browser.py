"""A real Chromium walks the secretary's daily loop: sign in with the keyboard, add a member,
take one out, read the log; and the body page fits a phone.

Uses Debian's /usr/bin/chromium (``playwright install`` cannot download browsers here); the
module is skipped where it is missing. Screenshots go to a temporary directory, or to
$KOORDINATOR_SCREENSHOTS when set.
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

from koordinator.bodies.selectors import today  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"  # the cast's password (koordinator/conftest.py)

# Lists the elements that stick out to the right, deepest first, so a failure names the culprit.
OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > width + 1;
  });
  const leaves = wide.filter(el => !wide.some(other => other !== el && el.contains(other)));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: width,
    culprits: leaves.slice(0, 5).map(el => {
      const r = el.getBoundingClientRect();
      const cls = el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '';
      return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls} right=${Math.round(r.right)}: ${el.textContent.trim().slice(0, 60)}`;
    }),
  };
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_browser() as browser:
        yield browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="ru-RU", timezone_id="Europe/Moscow"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("KOORDINATOR_SCREENSHOTS") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def sign_in(page: Page, base: str, username: str) -> None:
    """Through the form, with the keyboard only: the username field has the focus."""
    page.goto(f"{base}/login/")
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Здравствуйте")


def test_secretary_changes_the_composition(live_server, transactional_db, cast, page, shots):
    base = live_server.url
    body_url = f"{base}/bodies/{cast.body.pk}/"
    composition = page.locator("#composition")
    day = today()

    sign_in(page, base, "secretary")
    page.goto(body_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(cast.body.name)
    expect(composition).to_contain_text(cast.chair.person.full_name)

    # The body page at desktop and phone widths; on a phone nothing may stick out sideways.
    page.screenshot(path=str(shots / "body-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shots / "body-390.png"), full_page=True)
    overflow = page.evaluate(OVERFLOW_JS)
    assert overflow["scrollWidth"] <= overflow["innerWidth"] + 1, (
        f"The body page overflows at 390px ({overflow['scrollWidth']}px wide); "
        f"elements past the edge: {overflow['culprits']}"
    )
    page.set_viewport_size({"width": 1280, "height": 800})

    # A new member.
    page.get_by_role("link", name="Включить в состав").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Включить в состав")
    page.get_by_label("Фамилия").fill("Лаврентьева")
    page.get_by_label("Имя").fill("Галина")
    page.get_by_label("Отчество").fill("Петровна")
    page.get_by_label("Организация").select_option(label=cast.police.name)
    page.get_by_label("Должность").fill("начальник отдела по работе с иностранными гражданами")
    page.get_by_label("член", exact=True).check()
    page.get_by_label("Входит в состав с").fill((day - dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Сохранить").click()

    page.wait_for_url(body_url)
    expect(page.get_by_role("status")).to_contain_text("Лаврентьева Галина Петровна включён(а)")
    row = composition.get_by_role("row").filter(has_text="Лаврентьева Галина Петровна")
    expect(row).to_contain_text("начальник отдела по работе с иностранными гражданами")
    expect(row).to_contain_text("член")

    # A member leaves: yesterday was their last day, so today's composition lacks them.
    leaving = cast.member.person.full_name
    page.get_by_role("link", name=f"Изменить: {leaving}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Изменить: {leaving}")
    end_form = page.locator(".danger-zone")
    end_form.get_by_label("Последний день в составе").fill((day - dt.timedelta(days=1)).isoformat())
    end_form.get_by_label("Основание").fill("распоряжение от 20.11.2026 № 210-р")
    end_form.get_by_role("button", name="Вывести из состава").click()

    page.wait_for_url(body_url)
    expect(page.get_by_role("status")).to_contain_text(f"{leaving} выведен(а) из состава")
    expect(composition).not_to_contain_text(leaving)
    expect(composition).to_contain_text("Лаврентьева Галина Петровна")

    # The log shows both changes, by the secretary, with the ground.
    page.get_by_role("link", name="Журнал изменений").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Журнал изменений")
    log = page.locator("table")
    expect(log).to_contain_text("включение в состав")
    expect(log).to_contain_text("Лаврентьева")
    ended = log.get_by_role("row").filter(has_text="изменение членства")
    expect(ended).to_contain_text(cast.member.person.surname_initials)
    expect(ended).to_contain_text("распоряжение от 20.11.2026 № 210-р")
    expect(ended).to_contain_text(str(cast.secretary))
