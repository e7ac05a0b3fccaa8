"""The whole way of a meeting in a real Chromium (issue 3, point 11).

The secretary creates the body's work plan for 2026 with two questions, ticks them and
creates a meeting from them, sets date, time and place, adds a rapporteur; the chair (in a
second browser context) approves the agenda; the secretary sends the invitations, which a real
SMTP server (aiosmtpd on 127.0.0.1) receives with their .ics; marks attendance until the quorum
block says «Кворум имеется»; writes СЛУШАЛИ and two decisions with the keyboard and passes the
protocol for signing; the chair and the secretary sign (the cast body's regulation wants both);
the protocol is registered as № 1; its DOCX is downloaded and opened with python-docx.

The live server runs in another thread of this process, so the ``override_settings`` of the
SMTP fixture reaches it. Uses Debian's /usr/bin/chromium; skipped where it is missing.
Screenshots go to a temporary directory, or to $KOORDINATOR_SCREENSHOTS when set.
"""

from __future__ import annotations

import datetime as dt
import email
import io
import os
import re
import socket
import time
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from koordinator.core.testing.browser import CHROMIUM, launched_browser

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

import docx  # noqa: E402
import icalendar  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from django.test import override_settings  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, Page, expect  # noqa: E402

from koordinator.bodies.models import Membership  # noqa: E402
from koordinator.conftest import Cast  # noqa: E402
from koordinator.deadlines import Deadline  # noqa: E402
from koordinator.deadlines import parse as parse_deadline  # noqa: E402
from koordinator.meetings.models import (  # noqa: E402
    Decision,
    Meeting,
    MeetingStatus,
    Protocol,
    ProtocolStatus,
)

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"  # the cast's password (koordinator/conftest.py)
MSK = zoneinfo.ZoneInfo("Europe/Moscow")

DAY = dt.date(2026, 11, 20)
PLACE = "г. Энск, ул. Ленина, 1, зал заседаний"
FIRST = "О профилактике правонарушений в среде мигрантов"
SECOND = "Об информационно-разъяснительной работе с мигрантами"
HEARD = "о состоянии правопорядка в местах проживания мигрантов в 2026 году"
DECISION_1 = "Информацию докладчика принять к сведению."
DECISION_2 = "Провести совместные профилактические рейды в местах проживания мигрантов."
# Next year's 1 December: a deadline before the signing date would rightly be refused.
DEADLINE = f"до 1 декабря {dt.date.today().year + 1} г."
_READ = parse_deadline(DEADLINE, issued_on=dt.date.today(), policy="calendar")
assert isinstance(_READ, Deadline)
DUE = _READ.due
ADDRESSES = {
    "chair": "chair@ensk.example",
    "secretary": "secretary@ensk.example",
    "member": "member@ensk.example",
}


# --- a real SMTP server ----------------------------------------------------------------------


@dataclass
class Inbox:
    messages: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.messages) >= count, f"{len(self.messages)} of {count} messages arrived"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            DEFAULT_FROM_EMAIL="mrg@ensk.example",
        ):
            yield inbox
    finally:
        controller.stop()


def ics_of(message: Message) -> icalendar.Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return icalendar.Calendar.from_ical(payload)
    raise AssertionError("no text/calendar part")


# --- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_browser() as browser:
        yield browser


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """One browser context per person: each has its own session cookie."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def new_page(browser: Browser, contexts: list[BrowserContext]) -> Page:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="ru-RU",
        timezone_id="Europe/Moscow",
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    contexts.append(context)
    return context.new_page()


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


def settled(page: Page) -> None:
    """Wait for htmx to finish swapping (it focuses [autofocus] when it settles)."""
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )
    page.wait_for_timeout(50)


def status(page: Page) -> Any:
    return page.get_by_role("status")


def docx_text(content: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return [line.strip() for line in lines if line.strip()]


# --- the test --------------------------------------------------------------------------------


def test_from_work_plan_to_signed_protocol(
    live_server, transactional_db, cast: Cast, smtp: Inbox, browser, contexts, shots
):
    base = live_server.url
    for username, address in ADDRESSES.items():
        person = getattr(cast, username).person
        person.email = address
        person.save(update_fields=["email"])
    police = cast.police.name

    secretary = new_page(browser, contexts)
    sign_in(secretary, base, "secretary")

    # --- the work plan for 2026 with two questions ---------------------------------------------
    secretary.goto(f"{base}/bodies/{cast.body.pk}/plans/")
    expect(secretary.get_by_role("heading", level=1)).to_have_text("Планы работы")
    secretary.get_by_label("Год").fill("2026")
    secretary.get_by_role("button", name="Создать план").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text("План работы на 2026 год")
    expect(status(secretary)).to_contain_text("План работы на 2026 год создан.")

    add = secretary.locator("#add")
    for title in (FIRST, SECOND):
        add.get_by_label("Квартал").select_option(label="IV квартал")
        add.get_by_label("Вопрос").fill(title)
        add.get_by_label("Ответственные (докладчики)").fill("начальник УМВД России по городу Энску")
        add.locator("select[name='organizations']").select_option(label=police)
        add.get_by_role("button", name="Добавить").click()
        expect(status(secretary)).to_contain_text("Вопрос добавлен в план.")
        add = secretary.locator("#add")

    # --- a meeting from the ticked planned questions ---------------------------------------
    questions = secretary.locator("#plan-questions")
    questions.get_by_label(f"В повестку: {FIRST}").check()
    questions.get_by_label(f"В повестку: {SECOND}").check()
    questions.get_by_role("button", name="Создать заседание из отмеченных вопросов").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text(
        "Заседание по плану работы на 2026 год"
    )
    # Both ticked questions arrive ticked in the meeting form.
    for title in (FIRST, SECOND):
        expect(secretary.get_by_label(title)).to_be_checked()
    secretary.get_by_label("Дата").fill(DAY.isoformat())
    secretary.get_by_label("Начало").fill("10:00")
    secretary.get_by_label("Окончание").fill("12:00")
    secretary.get_by_label("Место проведения").fill(PLACE)
    secretary.get_by_role("button", name="Сохранить").click()

    expect(status(secretary)).to_contain_text("Заседание создано из вопросов плана.")
    expect(secretary.get_by_role("heading", level=1)).to_have_text(f"Заседание {DAY:%d.%m.%Y}")
    meeting = Meeting.objects.get()
    meeting_url = f"{base}/meetings/{meeting.pk}/"
    secretary.wait_for_url(meeting_url)
    agenda = secretary.locator("#agenda")
    expect(agenda.locator("li[id^='item-']")).to_have_count(2)
    expect(agenda.locator("li[id^='item-']").nth(0)).to_contain_text(FIRST)
    expect(agenda.locator("li[id^='item-']").nth(1)).to_contain_text(SECOND)
    # the planned question's agency came along as a rapporteur
    expect(agenda.locator("li[id^='item-']").nth(0)).to_contain_text(police)
    expect(secretary.locator("dl.props")).to_contain_text(f"{DAY:%d.%m.%Y}, 10:00–12:00")
    expect(secretary.locator("dl.props")).to_contain_text(PLACE)

    # --- a rapporteur from the composition for item 1 --------------------------------------
    secretary.get_by_role("link", name="Изменить вопрос 1").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text("Вопрос 1")
    rapporteurs = secretary.locator("#rapporteurs")
    rapporteurs.get_by_label("Роль").select_option(label="содокладчик")
    rapporteurs.get_by_label("Должностное лицо (член состава или приглашённый)").select_option(
        label=cast.person(cast.member).full_name
    )
    rapporteurs.get_by_role("button", name="Добавить докладчика").click()
    expect(status(secretary)).to_contain_text("Докладчик добавлен.")
    expect(secretary.locator("#rapporteurs")).to_contain_text(cast.person(cast.member).full_name)
    secretary.goto(meeting_url)
    expect(secretary.locator("#agenda")).to_contain_text(cast.person(cast.member).initials_surname)
    expect(secretary.locator("#agenda")).to_contain_text("Повестка не утверждена.")

    # --- the chair approves the agenda ------------------------------------------------------
    chair = new_page(browser, contexts)
    sign_in(chair, base, "chair")
    chair.goto(meeting_url)
    chair.get_by_role("button", name="Утвердить повестку").click()
    expect(status(chair)).to_contain_text("Повестка утверждена.")
    expect(chair.locator("#agenda")).to_contain_text("Повестка утверждена")
    expect(chair.get_by_role("button", name="Утвердить повестку")).to_have_count(0)

    # --- invitations through the real SMTP server -----------------------------------------
    secretary.goto(meeting_url)
    secretary.get_by_role("link", name="Приглашения").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text("Приглашения и ответы")
    secretary.get_by_role("button", name="Разослать приглашения").click()
    expect(status(secretary)).to_be_visible()
    smtp.wait_for(len(ADDRESSES))
    time.sleep(0.2)  # nothing more is on its way
    received = sorted(a for rcpt, _ in smtp.messages for a in rcpt)
    assert received == sorted(ADDRESSES.values()), received
    for _, message in smtp.messages:
        assert message["From"] == "mrg@ensk.example"
        cal = ics_of(message)
        assert str(cal["method"]) == "REQUEST"
        (event,) = cal.walk("VEVENT")
        assert event.decoded("dtstart") == dt.datetime(2026, 11, 20, 10, 0, tzinfo=MSK)
        assert event.decoded("dtend") == dt.datetime(2026, 11, 20, 12, 0, tzinfo=MSK)
        assert PLACE in str(event["location"])
        assert FIRST in str(event["description"])
        attachments = [p.get_filename() for p in message.walk() if p.get_filename()]
        assert any(str(name).endswith(".ics") for name in attachments), attachments
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ANNOUNCED
    for address in ADDRESSES.values():
        expect(secretary.locator("table").first).to_contain_text(address)
    secretary.screenshot(path=str(shots / "flow-invitations.png"), full_page=True)

    # --- attendance: everyone is there ------------------------------------------------------
    secretary.goto(meeting_url)
    secretary.get_by_role("link", name="Присутствие и кворум").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text("Присутствие и кворум")
    quorum = secretary.locator("#quorum")
    expect(quorum).to_contain_text("Кворума нет")
    memberships = Membership.objects.filter(post__body=cast.body).select_related("person")
    assert memberships.count() == 3
    for membership in memberships:
        row = secretary.locator(f"#member-{membership.pk}")
        row.get_by_role("combobox").select_option("present")
        row.get_by_role("button", name="Отметить").click()
        expect(secretary.locator(f"#member-{membership.pk}").get_by_role("button")).to_have_text(
            "Изменить"
        )
    expect(quorum).to_contain_text("Кворум имеется: присутствуют 3 из 3")
    secretary.screenshot(path=str(shots / "flow-attendance.png"), full_page=True)

    # --- the protocol: СЛУШАЛИ and two decisions, typed ------------------------------------
    secretary.goto(meeting_url)
    secretary.get_by_role("link", name="Протокол").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text(
        f"Протокол заседания {DAY:%d.%m.%Y}"
    )
    item = secretary.locator(".protocol-item").first
    expect(item).to_contain_text(FIRST)
    heard = item.get_by_label("СЛУШАЛИ: кратко")
    heard.click()
    secretary.keyboard.type(HEARD)
    item.get_by_role("button", name="Сохранить").first.click()
    settled(secretary)
    expect(secretary.locator(".protocol-item").first.get_by_label("СЛУШАЛИ: кратко")).to_have_value(
        HEARD
    )

    # Alt+N in item 1: a decision, the cursor in its text.
    secretary.locator(".protocol-item").first.get_by_label("СЛУШАЛИ: кратко").focus()
    secretary.keyboard.press("Alt+KeyN")
    settled(secretary)
    texts = secretary.locator(".decision-form textarea[name='text']")
    expect(texts.first).to_be_focused()
    for n, text in enumerate((DECISION_1, DECISION_2)):
        form = secretary.locator(".decision-form").nth(n)
        expect(form).to_contain_text(f"1.{n + 1}")
        secretary.keyboard.type(text)
        secretary.keyboard.press("Tab")  # the lead executor
        lead = form.get_by_label("Ответственный исполнитель")
        expect(lead).to_be_focused()
        # Down the closed list to the police (Chromium's type-ahead ignores Cyrillic here).
        for _ in range(lead.locator("option").all_inner_texts().index(police)):
            secretary.keyboard.press("ArrowDown")
        expect(lead).to_have_value(str(cast.police.pk))
        secretary.keyboard.press("Tab")  # co-executors
        secretary.keyboard.press("Tab")  # the deadline in words
        expect(form.get_by_label("Срок (словами)")).to_be_focused()
        secretary.keyboard.type(DEADLINE)
        expect(form.locator(".deadline-preview")).to_contain_text(f"{DUE:%d.%m.%Y}")
        if n == 0:
            # Ctrl+Enter: saved, and decision 1.2 is there with the cursor in its text.
            secretary.keyboard.press("Control+Enter")
            settled(secretary)
            expect(texts.nth(1)).to_be_focused()
        else:
            # Enter in the deadline field: saved, no further decision.
            secretary.keyboard.press("Enter")
            settled(secretary)
            expect(form.locator(".deadline-preview")).to_contain_text(f"срок: {DUE:%d.%m.%Y}")
    expect(texts).to_have_count(2)
    decisions = list(Decision.objects.order_by("order"))
    assert [d.code for d in decisions] == ["1.1", "1.2"]
    assert [d.text for d in decisions] == [DECISION_1, DECISION_2]
    assert all(d.lead_executor_id == cast.police.pk for d in decisions)
    assert all(d.deadline_text == DEADLINE for d in decisions)
    assert all(d.due_on == DUE for d in decisions)
    secretary.screenshot(path=str(shots / "flow-protocol-editor.png"), full_page=True)

    secretary.get_by_role("button", name="Передать на подпись").click()
    expect(status(secretary)).to_contain_text("Протокол передан на подпись.")
    expect(secretary.locator("p.muted").first).to_contain_text("на подписи")

    # --- signatures: the chair, then the secretary (presiding_and_secretary) ---------------
    chair.goto(f"{meeting_url}protocol/")
    signers = chair.locator("#lifecycle")
    expect(signers).to_contain_text(
        f"председательствующий ({cast.body.short_name}) — {cast.person(cast.chair).initials_surname}"
    )
    expect(signers).to_contain_text(
        f"секретарь ({cast.body.short_name}) — {cast.person(cast.secretary).initials_surname}"
    )
    chair.get_by_role("button", name="Подписать").click()
    expect(status(chair)).to_contain_text("Подпись поставлена.")
    # The chair's signature is in and no longer offered; the secretary's is still wanted.
    expect(chair.get_by_role("button", name="Подписать")).to_have_count(0)
    expect(signers).to_contain_text(
        f"Председательствующий ({cast.body.short_name}): {cast.person(cast.chair).initials_surname}"
    )
    expect(signers).to_contain_text(
        f"Подписывают: секретарь ({cast.body.short_name}) — "
        f"{cast.person(cast.secretary).initials_surname}."
    )
    assert Protocol.objects.get(meeting=meeting).status == ProtocolStatus.SUBMITTED

    secretary.reload()
    secretary.get_by_role("button", name="Подписать").click()
    expect(status(secretary)).to_contain_text("Протокол подписан и зарегистрирован.")
    expect(secretary.get_by_role("heading", level=1)).to_have_text(
        f"Протокол заседания {DAY:%d.%m.%Y} № 1"
    )
    expect(secretary.locator("p.muted").first).to_contain_text("зарегистрирован")
    expect(secretary.locator("#lifecycle")).to_contain_text("все подписи поставлены")
    protocol = Protocol.objects.get(meeting=meeting)
    assert protocol.status == ProtocolStatus.REGISTERED
    secretary.screenshot(path=str(shots / "flow-protocol-registered.png"), full_page=True)

    # --- the DOCX, as the chair -------------------------------------------------------------
    chair.goto(f"{meeting_url}protocol/")
    expect(chair.get_by_role("heading", level=1)).to_contain_text("№ 1")
    link = chair.locator("a[href$='/protocol.docx']")
    if link.count():
        with chair.expect_download() as info:
            link.first.click()
        download = info.value
        assert download.suggested_filename.endswith(".docx")
        path = download.path()
        assert path is not None
        content = Path(path).read_bytes()
    else:
        # No link to the DOCX on the protocol page (yet): the URL, with the chair's session.
        response = chair.context.request.get(f"{meeting_url}protocol.docx")
        assert response.ok, (response.status, response.text()[:300])
        assert "wordprocessingml" in response.headers["content-type"]
        content = response.body()
    lines = docx_text(content)
    flat = "\n".join(lines)
    assert "ПРОТОКОЛ" in lines, lines[:10]
    assert re.search(r"20\.11\.2026\s+№\s*1\b", flat), lines[:10]
    assert f"1.1. {DECISION_1}" in flat
    assert f"1.2. {DECISION_2}" in flat
    assert not re.search(r"^1\.3\.", flat, re.MULTILINE)
    assert FIRST in flat and SECOND in flat
