"""The demo data (``load_demo``, ``demo_logins``): both situations of DOMAIN.md, loaded once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from koordinator.accounts.models import BodyRole, OrganizationRole, User
from koordinator.bodies.models import Body, Membership, Organization, Person, Post
from koordinator.bodies.selectors import composition_on, today
from koordinator.core import demo
from koordinator.core.models import AuditRecord
from koordinator.meetings.models import (
    Attendance,
    Decision,
    Invitee,
    Meeting,
    MeetingBody,
    Protocol,
    Speech,
    WorkPlan,
)

pytestmark = pytest.mark.django_db

WG = "Постоянно действующая межведомственная рабочая группа по профилактике правонарушений в среде мигрантов"
MEETING = (
    "Постоянно действующее координационное совещание по обеспечению правопорядка в Энской области"
)
REGIONAL_ATK = "Антитеррористическая комиссия в Энской области"
CITY_ATK = "Антитеррористическая комиссия города Энска"


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def chair_of(body: Body) -> list[str]:
    return [m.person.full_name for m in composition_on(body, today()) if "chair" in m.roles]


def roles_of(username: str) -> set[tuple[str, str]]:
    return set(BodyRole.objects.filter(user__username=username).values_list("body__name", "role"))


def person_of(username: str) -> str | None:
    return User.objects.filter(username=username).values_list("person__last_name", flat=True)[0]


def counts() -> dict[str, int]:
    models = (
        Organization,
        Person,
        Body,
        Post,
        Membership,
        User,
        BodyRole,
        AuditRecord,
        Meeting,
        Protocol,
        Decision,
    )
    return {m.__name__: m.objects.count() for m in models}


def test_load_demo_builds_both_situations():
    assert "загружены" in load()

    wg = Body.objects.get(name=WG)
    meeting = Body.objects.get(name=MEETING)
    regional_atk = Body.objects.get(name=REGIONAL_ATK)
    city_atk = Body.objects.get(name=CITY_ATK)

    # Situation 1: the city's working group, headed by the head of regional security.
    assert wg.kind == "working_group"
    assert wg.organization.name == "Администрация города Энска"
    assert "распоряжение заместителя главы города Энска" in wg.established_by
    assert wg.parent is None
    wg_today = composition_on(wg, today())
    assert 12 <= len(wg_today) <= 15
    assert chair_of(wg) == ["Белов Михаил Юрьевич"]
    assert sum("deputy_chair" in m.roles for m in wg_today) == 1
    assert sum("secretary" in m.roles for m in wg_today) == 1
    assert {m.post.organization.kind for m in wg_today} >= {
        "local_government",
        "legislature",
        "law_enforcement",
        "prosecutor",
        "public",
    }
    assert sum(m.post.organization.name == "Энская городская Дума" for m in wg_today) == 2
    assert any(m.by_agreement for m in wg_today)
    # The head of the police migration directorate changed on 1 September 2026.
    uvm = "начальник Управления по вопросам миграции УМВД России по городу Энску"
    assert [m.person.last_name for m in wg_today if m.post.title == uvm] == ["Ефимов"]
    before = composition_on(wg, demo.WORKING_GROUP.starts_on)
    assert [m.person.last_name for m in before if m.post.title == uvm] == ["Гусев"]

    # Situation 2: the governor chairs both regional bodies; the city АТК sits under the
    # regional one and is chaired by the head of the city.
    assert meeting.kind == "coordination_meeting"
    assert regional_atk.kind == "commission"
    assert regional_atk.protocol_signatories == "presiding"
    assert chair_of(meeting) == chair_of(regional_atk) == ["Волков Андрей Николаевич"]
    # One official, one Person, however many bodies they sit in.
    assert Person.objects.count() == len(demo.PEOPLE)
    assert city_atk.parent == regional_atk
    assert city_atk.path.startswith(regional_atk.path)
    assert chair_of(city_atk) == ["Кузнецов Сергей Петрович"]
    for body in (meeting, regional_atk, city_atk):
        assert 8 <= len(composition_on(body, today())) <= 12

    # The users and what they are.
    assert roles_of("secretary") >= {(WG, "secretary"), (CITY_ATK, "secretary")}
    assert person_of("secretary") == "Смирнова"
    assert (WG, "chair") in roles_of("chair")
    assert person_of("chair") == "Белов"
    assert (WG, "member") in roles_of("member")
    assert roles_of("regional_secretary") == {(REGIONAL_ATK, "secretary"), (MEETING, "secretary")}
    assert roles_of("observer") == {(REGIONAL_ATK, "observer")}
    assert roles_of("governor") == {(REGIONAL_ATK, "chair"), (MEETING, "chair")}
    assert person_of("governor") == "Волков"
    assert roles_of("executor") == set()
    assert list(
        OrganizationRole.objects.filter(user__username="executor").values_list(
            "organization__short_name", "role"
        )
    ) == [("УМВД России по городу Энску", "executor")]
    assert User.objects.get(username="admin").is_superuser
    for username in demo.USERNAMES:
        assert User.objects.get(username=username).check_password(demo.DEMO_PASSWORD)

    # The observer watches the city АТК from the regional one, and nothing else.
    observer = User.objects.get(username="observer")
    assert set(Body.objects.visible_to(observer)) == {regional_atk, city_atk}

    # Everything went through the services: the log tells the story.
    assert AuditRecord.objects.filter(action="organization.create").count() == len(
        demo.ORGANIZATIONS
    )
    assert AuditRecord.objects.filter(action="body.create").count() == 4
    assert AuditRecord.objects.filter(body=wg, action="membership.add").count() == 16
    assert AuditRecord.objects.filter(body=wg, action="membership.update").count() == 1
    # The reference data is the loader's own; the meetings are the demo users' work.
    setup = ("organization.", "person.", "body.", "membership.", "user.", "bodyrole.")
    by_users = set(AuditRecord.objects.exclude(actor=None).values_list("action", flat=True))
    assert by_users and not any(a.startswith(setup) for a in by_users)
    assert {"protocol.sign", "protocol.register", "attendance.mark"} <= by_users


def numbers(meeting: Meeting) -> dict[str, tuple[int | None, int | None]]:
    return {
        mb.body.name: (mb.protocol_number, mb.protocol_period)
        for mb in MeetingBody.objects.filter(meeting=meeting).select_related("body")
    }


def test_demo_meetings_of_both_situations():
    load()
    wg = Body.objects.get(name=WG)
    regional_atk = Body.objects.get(name=REGIONAL_ATK)

    # Both work plans for 2026 are approved by the chairs.
    plans = WorkPlan.objects.filter(year=2026)
    assert set(plans.values_list("body__name", "status", "approved_by__username")) == {
        (WG, "approved", "chair"),
        (REGIONAL_ATK, "approved", "governor"),
    }

    # Situation 1: the working group's first meeting, held at the city administration.
    first = Meeting.objects.get(bodies=wg, status="held")
    assert first.format == "in_person"
    assert first.place.startswith("Администрация города Энска, зал заседаний")
    assert [i.title for i in first.items.order_by("number")] == [
        "О профилактике правонарушений в среде мигрантов после снятия ограничений, связанных "
        "с пандемией",
        "Об информационно-разъяснительной работе с мигрантами по предупреждению нарушений "
        "миграционного законодательства",
    ]
    assert all(i.planned_question_id for i in first.items.all())
    rapporteurs = {
        r.person.last_name for i in first.items.all() for r in i.rapporteurs.all() if r.person
    }
    assert rapporteurs == {"Гусев", "Рахимов", "Гасанов"}
    assert Speech.objects.filter(item__meeting=first).count() == 4
    assert Decision.objects.filter(item__meeting=first).count() == 7
    assert not Decision.objects.filter(item__meeting=first, lead_executor=None).exists()
    assert Decision.objects.filter(
        item__meeting=first, deadline_text="до 1 декабря 2026 г."
    ).exists()
    assert Attendance.objects.filter(meeting=first, status="present").count() == 12
    protocol = Protocol.objects.get(meeting=first)
    assert protocol.status == "registered"
    assert protocol.quorum_text.startswith("Кворум имеется")
    assert {(s.role, s.user.username) for s in protocol.signatures.all()} == {
        ("presiding", "chair"),
        ("secretary", "secretary"),
    }
    assert numbers(first) == {WG: (1, 2026)}

    # Situation 2: the joint meeting by videoconference, the АТК hosting, the governor
    # presiding; a number in each body's sequence.
    joint = Meeting.objects.get(bodies=regional_atk, status="held")
    assert joint.format == "videoconference"
    assert [s.name for s in joint.studios.all()] == [
        "Студия ВКС в здании Администрации города Энска"
    ]
    assert joint.presiding is not None and joint.presiding.last_name == "Волков"
    assert MeetingBody.objects.get(meeting=joint, is_host=True).body == regional_atk
    assert numbers(joint) == {REGIONAL_ATK: (1, 2026), MEETING: (1, 2026)}
    assert joint.items.count() == 4
    assert joint.items.filter(title__startswith="О результатах противодействия незаконной").exists()
    assert Invitee.objects.filter(meeting=joint).count() == 9
    invited = set(Invitee.objects.filter(meeting=joint).values_list("position", flat=True))
    assert {"прокурор города Энска", "начальник Управления МВД России по городу Энску"} <= invited
    assert not Invitee.objects.filter(meeting=joint, organization=None).exists()
    assert Speech.objects.filter(item__meeting=joint).count() == 5
    assert Decision.objects.filter(item__meeting=joint).count() == 8
    assert Decision.objects.filter(item__meeting=joint, restricted=True).count() == 1
    protocol = Protocol.objects.get(meeting=joint)
    assert protocol.status == "registered"
    assert protocol.quorum_text.count("Кворум имеется") == 2
    signatures = {(s.body.name, s.role, s.user.username) for s in protocol.signatures.all()}
    assert signatures == {
        (REGIONAL_ATK, "presiding", "governor"),
        (MEETING, "presiding", "governor"),
        (MEETING, "secretary", "regional_secretary"),
    }

    # The next meetings are being prepared: drafts with two planned questions each; the working
    # group's also has the standing control item and an overdue assignment put on it from there.
    drafts = Meeting.objects.filter(status="draft").order_by("starts_at")
    assert [(list(m.bodies.values_list("name", flat=True)), m.items.count()) for m in drafts] == [
        ([WG], 4),
        ([REGIONAL_ATK], 2),
    ]
    assert all(m.local_date.month == 12 for m in drafts)
    assert not Protocol.objects.filter(meeting__in=drafts).exists()


def test_second_run_changes_nothing():
    load()
    before = counts()
    assert "уже загружены" in load()
    assert counts() == before


def test_demo_logins_prints_each_role():
    load()
    out = StringIO()
    call_command("demo_logins", "--url", "http://127.0.0.1:8000/", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/login/" in text
    wg = Body.objects.get(name=WG)
    assert f"http://127.0.0.1:8000/bodies/{wg.pk}/" in text
    for username in demo.USERNAMES:
        assert f"\n{username} " in text
    assert demo.DEMO_PASSWORD in text


def test_demo_logins_without_demo():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "load_demo" in out.getvalue()


@pytest.mark.parametrize("args", [(), ("--reset",)])
def test_refused_in_production(settings, args):
    settings.ENV = "production"
    with pytest.raises(CommandError, match="production"):
        load(*args)
    assert not User.objects.exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="--reset is for SQLite only")
def test_reset_reloads():
    load()
    Body.objects.filter(name=WG).update(short_name="изменено")
    User.objects.filter(username="member").update(first_name="изменено")
    assert "загружены" in load("--reset")
    assert User.objects.get(username="member").first_name == "Артём"
    assert Body.objects.get(name=WG).short_name == demo.WORKING_GROUP.short_name
    assert counts()["Body"] == 4


def test_clash_with_existing_data_writes_nothing():
    Organization.objects.create(name="Прокуратура города Энска", territory="город Энск")
    with pytest.raises(CommandError, match="--reset"):
        load()
    assert Organization.objects.count() == 1
    assert not AuditRecord.objects.exists()
