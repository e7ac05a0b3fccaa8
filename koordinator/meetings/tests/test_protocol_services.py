"""The protocol's services: editing with numbering, refusals, lifecycle, numbers, corrections,
extracts."""

from __future__ import annotations

import datetime as dt
import importlib.util

import pytest
from django.core.exceptions import ValidationError

from koordinator.bodies import services as body_services
from koordinator.bodies.models import Membership
from koordinator.conftest import Cast
from koordinator.core.models import AuditRecord
from koordinator.core.testing import factories as f
from koordinator.meetings import selectors_protocol as sel
from koordinator.meetings import services_protocol as svc
from koordinator.meetings import services_protocol_lifecycle as lifecycle
from koordinator.meetings.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingBody,
    ProtocolRevision,
    ProtocolSignature,
)
from koordinator.meetings.services_protocol_common import StaleVersion
from koordinator.meetings.tests.conftest import MSK, make_meeting
from koordinator.meetings.tests.protocol_helpers import (
    add_decision,
    first_item,
    mark_present,
    second_item,
    sign_all,
    start,
    submit,
    with_quorum,
)


def codes(meeting: Meeting) -> list[tuple[str, str]]:
    return [
        (d.code, d.text)
        for d in Decision.objects.filter(item__meeting=meeting)
        .select_related("item")
        .order_by("item__number", "order")
    ]


def test_decisions_are_numbered_and_renumbered_when_moved(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    one, two = first_item(meeting), second_item(meeting)
    a = add_decision(cast.secretary, protocol, one, text="А")
    b = add_decision(cast.secretary, protocol, one, text="Б")
    add_decision(cast.secretary, protocol, one, text="В")
    add_decision(cast.secretary, protocol, two, text="Г")
    assert codes(meeting) == [("1.1", "А"), ("1.2", "Б"), ("1.3", "В"), ("2.1", "Г")]

    protocol.refresh_from_db()
    svc.decision_move(
        actor=cast.secretary,
        protocol=protocol,
        version=protocol.version,
        decision=b,
        direction="up",
    )
    assert codes(meeting)[:3] == [("1.1", "Б"), ("1.2", "А"), ("1.3", "В")]

    svc.decision_move(
        actor=cast.secretary, protocol=protocol, version=protocol.version, decision=a, to_item=two
    )
    assert codes(meeting) == [("1.1", "Б"), ("1.2", "В"), ("2.1", "Г"), ("2.2", "А")]

    svc.decision_delete(
        actor=cast.secretary,
        protocol=protocol,
        version=protocol.version,
        decision=Decision.objects.get(text="Б"),
    )
    assert codes(meeting) == [("1.1", "В"), ("2.1", "Г"), ("2.2", "А")]


def test_decision_added_after_another_goes_right_after_it(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    item = first_item(meeting)
    a = add_decision(cast.secretary, protocol, item, text="А")
    add_decision(cast.secretary, protocol, item, text="Б")
    protocol.refresh_from_db()
    new = svc.decision_add(
        actor=cast.secretary, protocol=protocol, version=protocol.version, item=item, after=a
    )
    new.refresh_from_db()
    assert new.code == "1.2"
    assert [t for _, t in codes(meeting)] == ["А", "", "Б"]


def test_speeches_add_reorder_delete(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    item = first_item(meeting)
    s1 = svc.speech_add(
        actor=cast.secretary,
        protocol=protocol,
        version=protocol.version,
        item=item,
        person=cast.member.person,
        summary="О работе отдела по вопросам миграции",
    )
    s2 = svc.speech_add(
        actor=cast.secretary,
        protocol=protocol,
        version=protocol.version,
        item=item,
        speaker="Сидоров С.С., президент общественной организации",
    )
    with pytest.raises(ValidationError, match="Укажите, кто выступил"):
        svc.speech_add(actor=cast.secretary, protocol=protocol, version=protocol.version, item=item)
    svc.speech_move(
        actor=cast.secretary, protocol=protocol, version=protocol.version, speech=s2, direction="up"
    )
    assert [s.pk for s in item.speeches.order_by("order")] == [s2.pk, s1.pk]
    svc.speech_delete(actor=cast.secretary, protocol=protocol, version=protocol.version, speech=s2)
    assert [(s.pk, s.order) for s in item.speeches.all()] == [(s1.pk, 1)]


def test_unreadable_deadline_gives_the_reason_and_writes_nothing(
    cast: Cast, meeting: Meeting
) -> None:
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting), lead=cast.police)
    protocol.refresh_from_db()
    version = protocol.version
    with pytest.raises(ValidationError) as exc:
        svc.decision_update(
            actor=cast.secretary,
            protocol=protocol,
            version=version,
            decision=decision,
            text="Новый текст",
            deadline_text="когда получится",
        )
    assert "1.1" in str(exc.value) and "Не удалось распознать срок" in str(exc.value)
    decision.refresh_from_db()
    protocol.refresh_from_db()
    assert decision.text == "Обеспечить проведение профилактических мероприятий."
    assert decision.deadline_text == "до 01.12.2026"
    assert protocol.version == version


def test_readable_deadline_sets_the_due_date(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    d = add_decision(
        cast.secretary,
        protocol,
        first_item(meeting),
        deadline_text="ежеквартально до 5 числа месяца, следующего за отчётным",
    )
    assert d.due_on == dt.date(2026, 4, 3)  # 5 April 2026 is a Sunday
    picked = add_decision(
        cast.secretary, protocol, first_item(meeting), deadline_text="", due_on=dt.date(2026, 6, 1)
    )
    assert picked.due_on == dt.date(2026, 6, 1)


def test_stale_version_is_refused_and_nothing_is_lost(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting), text="Первый текст")
    protocol.refresh_from_db()
    opened_at = protocol.version
    # Someone else saves first …
    svc.decision_update(
        actor=cast.chair,
        protocol=protocol,
        version=opened_at,
        decision=decision,
        text="Текст коллеги",
    )
    # … then our save from the same version is refused.
    with pytest.raises(StaleVersion) as exc:
        svc.decision_update(
            actor=cast.secretary,
            protocol=protocol,
            version=opened_at,
            decision=decision,
            text="Мой текст",
        )
    message = " ".join(exc.value.messages)
    assert message.startswith("Протокол уже изменил другой пользователь (")
    assert "ваши изменения не сохранены — обновите страницу и повторите" in message
    assert str(cast.chair) in message
    decision.refresh_from_db()
    protocol.refresh_from_db()
    assert decision.text == "Текст коллеги"
    assert protocol.version == opened_at + 1


def test_submit_refuses_a_decision_without_executor_naming_it(cast: Cast, meeting: Meeting) -> None:
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    add_decision(cast.secretary, protocol, first_item(meeting), lead=cast.police)
    add_decision(cast.secretary, protocol, second_item(meeting), lead=cast.police)
    add_decision(cast.secretary, protocol, second_item(meeting), lead=None)
    protocol.refresh_from_db()
    version = protocol.version
    with pytest.raises(ValidationError) as exc:
        submit(cast, protocol)
    assert "Решение 2.2: не указан ответственный исполнитель." in exc.value.messages
    protocol.refresh_from_db()
    assert (protocol.status, protocol.version, protocol.quorum_text) == ("draft", version, "")


def test_submit_without_quorum_tells_why(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    add_decision(cast.secretary, protocol, first_item(meeting), lead=cast.police)
    mark_present(meeting, cast.chair_membership)  # 1 of 3
    with pytest.raises(ValidationError) as exc:
        submit(cast, protocol)
    text = " ".join(exc.value.messages)
    assert "Без кворума" in text and "Кворума нет: присутствуют 1 из 3" in text
    protocol.refresh_from_db()
    assert protocol.status == "draft"


def test_regulation_may_allow_decisions_without_quorum(cast: Cast, meeting: Meeting) -> None:
    body_services.body_update(actor=None, body=cast.body, decisions_without_quorum=True)
    meeting.refresh_from_db()
    protocol = start(cast, meeting)
    add_decision(cast.secretary, protocol, first_item(meeting), lead=cast.police)
    mark_present(meeting, cast.chair_membership)  # 1 of 3
    protocol = submit(cast, protocol)
    assert protocol.status == "submitted"
    assert protocol.quorum_text.startswith("Кворума нет")


def test_lifecycle_happy_path(cast: Cast, meeting: Meeting) -> None:
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    add_decision(
        cast.secretary,
        protocol,
        first_item(meeting),
        lead=cast.police,
        deadline_text="в течение 10 рабочих дней",
    )
    protocol = submit(cast, protocol)
    assert protocol.status == "submitted"
    assert protocol.quorum_text.startswith("Кворум имеется: присутствуют 2 из 3")

    lifecycle.protocol_sign(actor=cast.chair, protocol=protocol)
    protocol.refresh_from_db()
    assert protocol.status == "submitted"  # the secretary signs too (default regulation)
    with pytest.raises(ValidationError, match="уже поставлена"):
        lifecycle.protocol_sign(actor=cast.chair, protocol=protocol)

    lifecycle.protocol_sign(actor=cast.secretary, protocol=protocol)
    protocol.refresh_from_db()
    assert protocol.status == "registered" and protocol.signed_at and protocol.registered_at
    link = MeetingBody.objects.get(meeting=meeting)
    assert (link.protocol_number, link.protocol_period) == (1, 2026)
    roles = set(ProtocolSignature.objects.filter(protocol=protocol).values_list("role", flat=True))
    assert roles == {"presiding", "secretary"}
    actions = list(
        AuditRecord.objects.filter(target_id=str(protocol.pk), target_type="meetings.protocol")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[0] == "protocol.create" and actions[-2:] == [
        "protocol.sign",
        "protocol.register",
    ]


def test_signature_by_someone_who_is_not_a_signatory_is_refused(
    cast: Cast, meeting: Meeting
) -> None:
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    add_decision(cast.secretary, protocol, first_item(meeting), lead=cast.police)
    submit(cast, protocol)
    with pytest.raises(ValidationError, match="Вы не подписываете этот протокол"):
        lifecycle.protocol_sign(actor=cast.member, protocol=protocol)
    assert not ProtocolSignature.objects.exists()


def test_presiding_only_regulation_signs_with_one_signature(cast: Cast, meeting: Meeting) -> None:
    body_services.body_update(actor=None, body=cast.body, protocol_signatories="presiding")
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    submit(cast, protocol)  # no decisions: quorum is not required
    with pytest.raises(ValidationError, match="Вы не подписываете"):
        lifecycle.protocol_sign(actor=cast.secretary, protocol=protocol)
    lifecycle.protocol_sign(actor=cast.chair, protocol=protocol)
    protocol.refresh_from_db()
    assert protocol.status == "registered"


def test_signed_protocol_cannot_be_edited(cast: Cast, meeting: Meeting) -> None:
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting), lead=cast.police)
    submit(cast, protocol)
    protocol = sign_all(cast, protocol)
    for call in (
        lambda: svc.decision_update(
            actor=cast.secretary,
            protocol=protocol,
            version=protocol.version,
            decision=decision,
            text="Иначе",
        ),
        lambda: svc.decision_add(
            actor=cast.secretary,
            protocol=protocol,
            version=protocol.version,
            item=first_item(meeting),
        ),
        lambda: svc.protocol_update(
            actor=cast.secretary, protocol=protocol, version=protocol.version, form="short"
        ),
    ):
        with pytest.raises(ValidationError, match="подписан и не может быть изменён"):
            call()
    decision.refresh_from_db()
    assert decision.text != "Иначе"


def test_editing_a_submitted_protocol_returns_it_to_draft(cast: Cast, meeting: Meeting) -> None:
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting), lead=cast.police)
    submit(cast, protocol)
    lifecycle.protocol_sign(actor=cast.chair, protocol=protocol)
    protocol.refresh_from_db()
    svc.decision_update(
        actor=cast.secretary,
        protocol=protocol,
        version=protocol.version,
        decision=decision,
        text="Уточнённый текст",
        lead_executor=cast.police,
    )
    protocol.refresh_from_db()
    assert protocol.status == "draft"
    assert not protocol.signatures.exists()  # the chair signed another text


def test_correction_keeps_the_number_and_stores_a_revision(cast: Cast, meeting: Meeting) -> None:
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    decision = add_decision(cast.secretary, protocol, first_item(meeting), lead=cast.police)
    submit(cast, protocol)
    protocol = sign_all(cast, protocol)

    with pytest.raises(ValidationError, match="причину"):
        lifecycle.protocol_correct(actor=cast.secretary, protocol=protocol, reason="  ")
    revision = lifecycle.protocol_correct(
        actor=cast.secretary, protocol=protocol, reason="Опечатка в сроке решения 1.1"
    )
    assert revision.number == 1
    assert revision.snapshot["items"][0]["decisions"][0]["code"] == "1.1"
    assert revision.snapshot["items"][0]["decisions"][0]["deadline_text"] == "до 01.12.2026"
    protocol.refresh_from_db()
    assert protocol.status == "draft" and not protocol.signatures.exists()
    assert protocol.corrections == 1

    svc.decision_update(
        actor=cast.secretary,
        protocol=protocol,
        version=protocol.version,
        decision=decision,
        text=decision.text,
        lead_executor=cast.police,
        deadline_text="до 15.12.2026",
    )
    protocol = sign_all(cast, submit(cast, protocol))
    assert protocol.status == "registered"
    link = MeetingBody.objects.get(meeting=meeting)
    assert link.protocol_number == 1
    assert ProtocolRevision.objects.filter(protocol=protocol).count() == 1
    second = lifecycle.protocol_correct(actor=cast.secretary, protocol=protocol, reason="Ещё")
    protocol.refresh_from_db()
    assert second.number == 2 and protocol.corrections == 2
    with pytest.raises(ValidationError, match="ещё не подписан"):
        lifecycle.protocol_correct(
            actor=cast.secretary, protocol=start(cast, make_meeting(cast.body)), reason="x"
        )


def _register(cast: Cast, meeting: Meeting) -> MeetingBody:
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    sign_all(cast, submit(cast, protocol))
    return MeetingBody.objects.get(meeting=meeting, body=cast.body)


def _another(cast: Cast, when: dt.datetime) -> Meeting:
    return make_meeting(
        cast.body,
        starts_at=when,
        presiding=cast.chair_membership.person,
        secretary=cast.secretary.person,
    )


def test_numbers_follow_each_other_and_restart_each_year(cast: Cast, meeting: Meeting) -> None:
    first = _register(cast, meeting)
    second = _register(cast, _another(cast, dt.datetime(2026, 6, 1, 10, tzinfo=MSK)))
    next_year = _register(cast, _another(cast, dt.datetime(2027, 2, 1, 10, tzinfo=MSK)))
    assert [(x.protocol_number, x.protocol_period) for x in (first, second, next_year)] == [
        (1, 2026),
        (2, 2026),
        (1, 2027),
    ]


def test_numbering_within_the_term(cast: Cast, meeting: Meeting) -> None:
    body_services.body_update(
        actor=None, body=cast.body, protocol_numbering="term", term_started_on=dt.date(2025, 9, 1)
    )
    first = _register(cast, meeting)
    later = _register(cast, _another(cast, dt.datetime(2027, 2, 1, 10, tzinfo=MSK)))
    assert [(x.protocol_number, x.protocol_period) for x in (first, later)] == [
        (1, 2025),
        (2, 2025),
    ]


def test_joint_meeting_is_signed_and_numbered_for_each_body(
    cast: Cast, joint_meeting: Meeting
) -> None:
    region, second = [mb.body for mb in joint_meeting.meeting_bodies.order_by("order")]
    # The second body already has a protocol this year: its sequence goes on from 1.
    earlier = make_meeting(second, starts_at=dt.datetime(2026, 2, 1, 10, tzinfo=MSK))
    MeetingBody.objects.filter(meeting=earlier).update(protocol_number=1, protocol_period=2026)
    governor_user = f.UserFactory.create(person=joint_meeting.presiding)
    secretary = f.UserFactory.create()
    f.grant(secretary, region, "secretary")
    joint_meeting.secretary = secretary.person
    joint_meeting.save()
    for body in (region, second):
        mark_present(
            joint_meeting,
            Membership.objects.get(post__body=body, person=joint_meeting.presiding),
        )
    protocol = svc.protocol_get_or_create(actor=secretary, meeting=joint_meeting)
    lifecycle.protocol_submit(actor=secretary, protocol=protocol, version=protocol.version)
    lifecycle.protocol_sign(actor=governor_user, protocol=protocol)  # presiding for both bodies
    protocol.refresh_from_db()
    assert protocol.status == "submitted"
    assert protocol.signatures.filter(role="presiding").count() == 2
    lifecycle.protocol_sign(actor=secretary, protocol=protocol)  # secretary for both bodies
    protocol.refresh_from_db()
    assert protocol.status == "registered"
    numbers = {
        mb.body_id: mb.protocol_number for mb in MeetingBody.objects.filter(meeting=joint_meeting)
    }
    assert numbers == {region.pk: 1, second.pk: 2}


def test_present_block_alphabetical_then_count(cast: Cast, meeting: Meeting) -> None:
    for name in ("Яковлев", "Абрамов", "Морозов"):
        mark_present(meeting, f.add_member(cast.body, f.PersonFactory.create(last_name=name)))
    block = svc.present_block(meeting)
    assert [line.split()[0] for line in block.lines] == ["Абрамов", "Морозов", "Яковлев"]
    assert not block.list_attached and block.count == 3
    for _ in range(8):
        mark_present(meeting, f.add_member(cast.body))
    block = svc.present_block(meeting)
    assert block.count == 11 and block.list_attached and block.lines == []
    assert block.text == "11 человек (список прилагается)"
    assert len(block.all_lines) == 11


def test_attendance_joined_to_the_members_keeps_a_mark_of_a_membership_since_ended(
    cast: Cast, meeting: Meeting
) -> None:
    """The editor reads the marks alone and joins them to the members on the meeting's
    date; a mark for a membership that ended before that date is read on its own."""
    stays = f.add_member(cast.body, f.PersonFactory.create(last_name="Остался"))
    left = f.add_member(cast.body, f.PersonFactory.create(last_name="Ушёл"))
    for membership in (stays, left):
        mark_present(meeting, membership)
    Membership.objects.filter(pk=left.pk).update(ends_on=meeting.local_date - dt.timedelta(days=1))
    members = sel.meeting_members(meeting)
    assert left.pk not in {m.pk for m in members} and stays.pk in {m.pk for m in members}
    joined = svc.meeting_attendance(meeting, members)
    assert [a.membership.person.last_name for a in joined] == [
        a.membership.person.last_name for a in svc.meeting_attendance(meeting)
    ]
    assert svc.present_block(meeting, joined).lines == svc.present_block(meeting).lines
    assert {line.split()[0] for line in svc.present_block(meeting, joined).lines} >= {
        "Остался",
        "Ушёл",
    }


def test_extracts_go_to_each_executor_with_only_its_decisions(
    cast: Cast, meeting: Meeting, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    cast.police.email = "umvd@example.invalid"
    cast.police.save()
    fms = f.OrganizationFactory.create(
        name="Отдел по вопросам миграции", email="ovm@example.invalid"
    )
    schools = f.OrganizationFactory.create(name="Управление образования", email="")
    with_quorum(cast, meeting)
    protocol = start(cast, meeting)
    add_decision(
        cast.secretary, protocol, first_item(meeting), text="Полиции одной", lead=cast.police
    )
    add_decision(
        cast.secretary,
        protocol,
        first_item(meeting),
        text="Миграции с полицией",
        lead=fms,
        co=(cast.police,),
    )
    add_decision(
        cast.secretary,
        protocol,
        second_item(meeting),
        text="Секретно миграции",
        lead=fms,
        restricted=True,
    )
    add_decision(cast.secretary, protocol, second_item(meeting), text="Школам", lead=schools)
    protocol = sign_all(cast, submit(cast, protocol))
    with django_capture_on_commit_callbacks(execute=True):
        result = lifecycle.protocol_distribute(actor=cast.secretary, protocol=protocol)
    assert [o.pk for o in result.without_email] == [schools.pk]
    by_to = {m.to[0]: m for m in mailoutbox}
    assert set(by_to) == {"umvd@example.invalid", "ovm@example.invalid"}
    police = by_to["umvd@example.invalid"]
    assert "Полиции одной" in police.body and "Миграции с полицией" in police.body
    assert "Секретно" not in police.body and "Школам" not in police.body
    assert "ДСП" not in police.subject and "№ 1" in police.subject
    fms_mail = by_to["ovm@example.invalid"]
    assert "Секретно миграции" in fms_mail.body and "Полиции одной" not in fms_mail.body
    assert fms_mail.subject.startswith("ДСП.") and "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ" in fms_mail.body
    assert "2.1. Секретно миграции" in fms_mail.body
    protocol.refresh_from_db()
    assert protocol.status == "distributed"
    if importlib.util.find_spec("koordinator.documents.protocol") is not None:
        name, content, _mimetype = police.attachments[0]
        assert name.endswith(".docx") and content[:2] == b"PK"


def test_distribution_only_after_registration(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    with pytest.raises(ValidationError, match="после подписания"):
        lifecycle.protocol_distribute(actor=cast.secretary, protocol=protocol)


def test_item_minutes_and_restricted_marks(cast: Cast, meeting: Meeting) -> None:
    protocol = start(cast, meeting)
    item: AgendaItem = first_item(meeting)
    svc.item_minutes_update(
        actor=cast.secretary,
        protocol=protocol,
        version=protocol.version,
        item=item,
        heard_summary="О результатах работы за квартал",
        report_attached=True,
        restricted=True,
    )
    svc.protocol_update(
        actor=cast.secretary,
        protocol=protocol,
        version=protocol.version,
        form="short",
        restricted=True,
    )
    item.refresh_from_db()
    protocol.refresh_from_db()
    assert item.report_attached and item.restricted and protocol.form == "short"
    assert protocol.restricted and protocol.version == 3


def test_submit_needs_the_presiding_person(cast: Cast, meeting: Meeting) -> None:
    meeting.presiding = None
    meeting.save()
    protocol = start(cast, meeting)
    with pytest.raises(ValidationError, match="Не указан председательствующий"):
        submit(cast, protocol)
