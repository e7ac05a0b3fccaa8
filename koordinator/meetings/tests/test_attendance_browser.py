"""A real Chromium: the secretary marks members on the attendance page and the quorum block
changes in place (htmx), without a reload; an invitee answers through the link in the mail.

Uses Debian's /usr/bin/chromium; skipped where it is missing. Screenshots go to a temporary
directory, or to $KOORDINATOR_SCREENSHOTS when set.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

# Skips this module too where Chromium is missing.
from koordinator.core.tests import test_browser as tb
from koordinator.meetings.models import Invitation, Invitee

# The browser and page fixtures of the composition's browser test.
browser = tb.browser
page = tb.page
pytestmark = pytest.mark.browser


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("KOORDINATOR_SCREENSHOTS") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def test_quorum_changes_live(live_server, transactional_db, cast, meeting, page: Page, shots):
    base = live_server.url
    Invitee.objects.create(
        meeting=meeting,
        person=cast.executor.person,
        organization=cast.police,
        position="начальник отдела по вопросам миграции",
    )
    tb.sign_in(page, base, "secretary")
    page.goto(f"{base}/meetings/{meeting.pk}/attendance/")
    quorum = page.locator("#quorum")
    expect(quorum).to_contain_text("Кворума нет: присутствуют 0 из 3")
    page.screenshot(path=str(shots / "attendance-1280.png"), full_page=True)

    for membership in (cast.chair_membership, cast.member_membership):
        row = page.locator(f"#member-{membership.pk}")
        row.get_by_role("combobox").select_option("present")
        row.get_by_role("button", name="Отметить").click()
        expect(page.locator(f"#member-{membership.pk}").get_by_role("button")).to_have_text(
            "Изменить"
        )
    expect(quorum).to_contain_text("Кворум имеется: присутствуют 2 из 3")
    page.screenshot(path=str(shots / "attendance-marked.png"), full_page=True)

    # a substitute without a name: the row says why, nothing changes
    row = page.locator(f"#member-{cast.chair_membership.pk}")
    row.get_by_role("combobox").select_option("substitute")
    row.get_by_role("button", name="Изменить").click()
    expect(page.locator(f"#member-{cast.chair_membership.pk}")).to_contain_text(
        "Укажите замещающее лицо."
    )
    expect(quorum).to_contain_text("Кворум имеется: присутствуют 2 из 3")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/meetings/{meeting.pk}/invitations/")
    page.screenshot(path=str(shots / "invitations-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{base}/meetings/{meeting.pk}/invitations/")
    page.screenshot(path=str(shots / "invitations-1280.png"), full_page=True)


def test_invitee_answers_through_the_link(
    live_server, transactional_db, cast, meeting, page, shots
):
    invitation = Invitation.objects.create(
        meeting=meeting,
        person=cast.executor.person,
        email="executor@example.org",
        token=secrets.token_urlsafe(32),
    )
    page.goto(f"{live_server.url}/invitations/{invitation.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Приглашение на заседание")
    page.get_by_label("Не смогу присутствовать").check()
    page.get_by_label("Причина отсутствия").fill("командировка")
    page.get_by_role("button", name="Отправить ответ").click()
    expect(page.get_by_role("status")).to_contain_text("Спасибо! Ваш ответ записан.")
    page.screenshot(path=str(shots / "reply.png"), full_page=True)
    invitation.refresh_from_db()
    assert (invitation.response, invitation.reason) == ("absent", "командировка")
