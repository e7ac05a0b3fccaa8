"""Downloads of the protocol, the agenda and the extracts."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from koordinator.documents import views
from koordinator.documents.pdf import PdfConversionError
from koordinator.documents.responses import DOCX
from koordinator.documents.tests import builders
from koordinator.documents.tests.builders import paragraphs
from koordinator.meetings.models import Decision, Protocol

MARK = "Для служебного пользования"


@pytest.fixture
def built(cast, meeting):
    built = builders.build_protocol(cast, meeting)
    # A restricted decision: insiders see it, a watcher from the higher body does not.
    Decision.objects.filter(item__meeting=meeting, item__number=2).update(restricted=True)
    return built


def _url(built, tail: str) -> str:
    return f"/meetings/{built.meeting.pk}/{tail}"


def test_anonymous_is_sent_to_login(built, cast):
    response = cast.client(None).get(_url(built, "protocol.docx"))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    "tail", ["protocol.docx", "protocol.pdf", "agenda.docx", "agenda.pdf", "extracts/{org}.docx"]
)
def test_outsider_gets_404(built, cast, tail):
    response = cast.client(cast.outsider).get(_url(built, tail.format(org=built.police.pk)))
    assert response.status_code == 404


def test_member_gets_the_protocol_with_restricted_parts(built, cast):
    response = cast.client(cast.member).get(_url(built, "protocol.docx"))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    lines = paragraphs(response.content)
    assert lines[0] == MARK
    assert any(line.startswith("2.1. ") for line in lines)
    disposition = response["Content-Disposition"]
    assert f'filename="protocol-{built.meeting.pk}-2026-03-10.docx"' in disposition
    name = unquote(disposition.split("filename*=UTF-8''")[1])
    assert name == "Протокол МРГ мигранты от 10.03.2026 № 3.docx"


def test_watcher_from_higher_body_gets_it_without_restricted_parts(built, cast):
    """The observer of the regional commission sees the meeting but is not an insider."""
    response = cast.client(cast.observer).get(_url(built, "protocol.docx"))
    assert response.status_code == 200
    lines = paragraphs(response.content)
    assert MARK not in lines
    assert not any(line.startswith("2.1. ") for line in lines)
    assert any(line.startswith("1.1. ") for line in lines)


def test_whole_restricted_protocol_refused_to_non_insiders(built, cast):
    built.protocol.restricted = True
    built.protocol.save()
    assert cast.client(cast.observer).get(_url(built, "protocol.docx")).status_code == 403
    assert cast.client(cast.member).get(_url(built, "protocol.docx")).status_code == 200


def test_secretary_gets_the_protocol(built, cast):
    response = cast.client(cast.secretary).get(_url(built, "protocol.docx"))
    assert response.status_code == 200
    assert "ПРОТОКОЛ" in paragraphs(response.content)


def test_no_protocol_yet_is_404_in_russian(cast, meeting):
    response = cast.client(cast.secretary).get(f"/meetings/{meeting.pk}/protocol.docx")
    assert response.status_code == 404
    assert not Protocol.objects.filter(meeting=meeting).exists()
    assert "Протокол этого заседания ещё не составлен." in response.content.decode()


def test_protocol_pdf(built, cast, monkeypatch):
    seen = {}

    def fake(data: bytes) -> bytes:
        seen["docx"] = data
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(views, "docx_to_pdf", fake)
    response = cast.client(cast.secretary).get(_url(built, "protocol.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 fake"
    assert "ПРОТОКОЛ" in paragraphs(seen["docx"])
    assert response["Content-Disposition"].endswith(".pdf")


def test_pdf_failure_is_a_clear_message(built, cast, monkeypatch):
    def broken(data: bytes) -> bytes:
        raise PdfConversionError(
            "Не удалось сформировать PDF: на сервере не установлен LibreOffice"
        )

    monkeypatch.setattr(views, "docx_to_pdf", broken)
    response = cast.client(cast.secretary).get(_url(built, "agenda.pdf"))
    assert response.status_code == 503
    assert "не установлен LibreOffice" in response.content.decode()


def test_agenda_docx(built, cast):
    response = cast.client(cast.member).get(_url(built, "agenda.docx"))
    assert response.status_code == 200
    assert "ПОВЕСТКА ДНЯ" in paragraphs(response.content)
    name = unquote(response["Content-Disposition"].split("filename*=UTF-8''")[1])
    assert name == "Повестка МРГ мигранты на 10.03.2026.docx"


def test_agenda_without_protocol(cast, meeting):
    response = cast.client(cast.member).get(f"/meetings/{meeting.pk}/agenda.docx")
    assert response.status_code == 200


def test_extract_docx(built, cast):
    response = cast.client(cast.secretary).get(_url(built, f"extracts/{built.police.pk}.docx"))
    assert response.status_code == 200
    lines = paragraphs(response.content)
    assert "ВЫПИСКА" in lines
    assert "Направляется: УМВД России по городу Энску" in lines
    assert any(line.startswith("2.1. ") for line in lines)


def test_extract_for_observer_leaves_restricted_out(built, cast):
    response = cast.client(cast.observer).get(_url(built, f"extracts/{built.police.pk}.docx"))
    assert response.status_code == 200
    assert not any(line.startswith("2.1. ") for line in paragraphs(response.content))


def test_extract_unknown_organisation_404(built, cast):
    response = cast.client(cast.secretary).get(_url(built, "extracts/999999.docx"))
    assert response.status_code == 404
