"""The demo's meetings (issue 3, point 10): each situation of DOMAIN.md with a held meeting and
a signed, registered protocol, and an upcoming meeting in draft.

Situation 1: the city working group's work plan for 2026, approved by its chair; its first
meeting (in person, at the city administration) with the two questions and three speakers of
DOMAIN.md; its next meeting (December) in draft. Situation 2: the regional АТК's work plan;
the joint meeting of the АТК (host) and the coordination meeting on law and order, chaired by
the governor by videoconference with a studio in the city administration, with its invitees and
one ДСП decision; the АТК's next meeting in draft.

Everything is written through the meeting services with the demo users as actors (the secretary
prepares, the chair approves and signs), inside :func:`koordinator.core.demo.load`'s
transaction. No mail is sent: replies and attendance are recorded by hand, as a secretary does
after telephone calls. Submitting a protocol marks its meeting held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from koordinator.accounts.models import User
from koordinator.bodies.models import Body, Membership, Person
from koordinator.bodies.selectors import composition_on
from koordinator.meetings import (
    services_agenda,
    services_attendance,
    services_invitations,
    services_meeting,
    services_plan,
    services_protocol,
    services_protocol_lifecycle,
)
from koordinator.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    InvitationResponse,
    Meeting,
    MeetingFormat,
    PlannedQuestion,
    Protocol,
    QuestionOutcome,
    RapporteurRole,
    WorkPlan,
)

if TYPE_CHECKING:
    from koordinator.core.demo import Loaded

CITY_HALL = "Администрация города Энска, зал заседаний (г. Энск, пл. Ленина, 1)"
GOVERNMENT_HALL = "Правительство Энской области, зал заседаний (г. Энск, ул. Советская, 5)"
CITY_STUDIO = "Студия ВКС в здании Администрации города Энска"
CITY_STUDIO_ADDRESS = "г. Энск, пл. Ленина, 1, каб. 214"


@dataclass(frozen=True)
class DecisionSpec:
    text: str
    lead: str
    co: tuple[str, ...] = ()
    deadline: str = ""
    restricted: bool = False


@dataclass(frozen=True)
class SpeechSpec:
    person: str
    summary: str


@dataclass(frozen=True)
class ItemSpec:
    title: str
    rapporteurs: tuple[tuple[str, str], ...]  # (person key, role)
    heard: str
    speeches: tuple[SpeechSpec, ...]
    decisions: tuple[DecisionSpec, ...]


@dataclass
class LoadedMeetings:
    plans: dict[str, WorkPlan] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    protocols: dict[str, Protocol] = field(default_factory=dict)


_R, _CO = RapporteurRole.RAPPORTEUR, RapporteurRole.CO_RAPPORTEUR

# --- situation 1: the city working group ------------------------------------------------------

WG_FIRST_STARTS = dt.datetime(2026, 3, 19, 10, 0)
WG_FIRST_ENDS = dt.datetime(2026, 3, 19, 12, 0)
WG_NEXT_STARTS = dt.datetime(2026, 12, 10, 15, 0)

WG_PLAN: tuple[tuple[int, str, str, tuple[str, ...]], ...] = (
    (1, "О профилактике правонарушений в среде мигрантов после снятия ограничений, связанных с пандемией", "начальник Управления по вопросам миграции УМВД России по городу Энску", ("umvd_uvm", "umvd")),
    (1, "Об информационно-разъяснительной работе с мигрантами по предупреждению нарушений миграционного законодательства", "президент НСМ «Содружество», председатель миграционной комиссии Совета по делам национальностей", ("migrants_org", "council_migration")),
    (2, "О работе по социальной и культурной адаптации детей иностранных граждан в общеобразовательных организациях города Энска", "начальник департамента образования Администрации города Энска", ("city_edu",)),
    (3, "О мерах по недопущению маргинализации иностранных граждан и их вовлечения в криминальные схемы", "заместитель начальника полиции УМВД России по городу Энску", ("umvd",)),
    (4, "Об итогах работы по профилактике правонарушений в среде мигрантов в 2026 году и задачах на 2027 год", "начальник департамента региональной безопасности Администрации города Энска", ("city_security",)),
    (4, "О плане работы межведомственной рабочей группы на 2027 год", "секретарь рабочей группы", ("city_security",)),
)  # fmt: skip

# Questions of the plan that were not heard in their quarter, and why.
WG_POSTPONED = {
    2: "перенесён на I квартал 2027 г.: департамент образования завершает мониторинг",
    3: "перенесён на I квартал 2027 г. по предложению УМВД России по городу Энску",
}

WG_FIRST_ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec(
        title=WG_PLAN[0][1],
        rapporteurs=(("umvd_uvm_head_before", _R),),
        heard="Гусев В.Н. доложил об оперативной обстановке в среде мигрантов после снятия "
        "ограничений, связанных с пандемией: о росте въезда иностранных граждан, о нарушениях "
        "режима пребывания и о правонарушениях, совершённых иностранными гражданами в 2025 году.",
        speeches=(
            SpeechSpec("migration_commission_chair", "О работе миграционной комиссии Совета по делам национальностей с землячествами и о предложениях по совместным рейдам в местах компактного проживания мигрантов."),
            SpeechSpec("city_deputy_prosecutor", "О результатах прокурорских проверок соблюдения миграционного законодательства работодателями города."),
        ),
        decisions=(
            DecisionSpec("Информацию докладчика принять к сведению.", "city_security"),
            DecisionSpec("Провести совместные профилактические мероприятия в местах массового пребывания и компактного проживания иностранных граждан.", "umvd", ("umvd_uvm", "council_migration"), "ежеквартально до 10 числа месяца, следующего за отчётным"),
            DecisionSpec("Проанализировать причины и условия совершения правонарушений иностранными гражданами и представить предложения по их устранению.", "umvd_uvm", ("prok_city",), "до 1 декабря 2026 г."),
        ),
    ),
    ItemSpec(
        title=WG_PLAN[1][1],
        rapporteurs=(("migrants_president", _R), ("migration_commission_chair", _CO)),
        heard="Рахимов Ф.А. доложил о работе национальной общественной организации мигрантов по "
        "разъяснению требований миграционного законодательства; Гасанов Э.М. — о предложениях "
        "миграционной комиссии Совета по делам национальностей.",
        speeches=(
            SpeechSpec("umvd_uvm_head_before", "О порядке получения патентов и типичных нарушениях, о готовности УВМ проводить приёмы граждан в общественных организациях."),
            SpeechSpec("youth_head", "О вовлечении молодых мигрантов в мероприятия молодёжной политики города."),
        ),
        decisions=(
            DecisionSpec("Разработать и распространить памятки для иностранных граждан о требованиях миграционного законодательства на русском и родных языках.", "umvd_uvm", ("migrants_org", "city_press"), "до 1 декабря 2026 г."),
            DecisionSpec("Организовать разъяснительные встречи с иностранными гражданами с участием национальных общественных объединений.", "migrants_org", ("council_migration", "city_culture", "city_youth"), "ежеквартально до 10 числа месяца, следующего за отчётным"),
            DecisionSpec("Одобрить комплекс мер и предложений субъектам системы профилактики правонарушений в среде мигрантов; субъектам системы профилактики реализовать их в пределах своей компетенции.", "city_security", ("umvd", "city_edu", "city_youth", "city_culture", "council_migration"), "в течение 2026 года"),
            DecisionSpec("Разместить информацию о заседании рабочей группы на официальном сайте Администрации города Энска.", "city_press", (), "в течение 5 дней"),
        ),
    ),
)  # fmt: skip

# Members who did not come to the first meeting: (person key, status, substitute or reason).
WG_FIRST_ABSENT = {
    "fsb_city_officer": (AttendanceStatus.ABSENT, "служебная командировка"),
    "duma_deputy_2": (AttendanceStatus.ABSENT, "болезнь"),
    "culture_deputy": (
        AttendanceStatus.SUBSTITUTE,
        "Комарова Т.Н., председатель комитета по культуре",
    ),
}

# --- situation 2: the region ------------------------------------------------------------------

JOINT_STARTS = dt.datetime(2026, 10, 29, 11, 0)
JOINT_ENDS = dt.datetime(2026, 10, 29, 13, 30)
ATK_NEXT_STARTS = dt.datetime(2026, 12, 17, 11, 0)

JOINT_TITLES = (
    "О результатах противодействия незаконной миграции на территории Энской области",
    "Об эффективности взаимодействия органов исполнительной власти Энской области, органов местного самоуправления и рабочей группы по реализации Комплексного плана противодействия идеологии терроризма в Российской Федерации на 2019–2023 годы",
    "О профилактической работе в среде мигрантов",
    "О дополнительных мерах по противодействию распространению идеологии терроризма и вовлечению мигрантов в деятельность международных террористических организаций",
)  # fmt: skip

ATK_PLAN: tuple[tuple[int, str, str, tuple[str, ...]], ...] = (
    (1, "О состоянии антитеррористической защищённости объектов транспортной инфраструктуры Энской области", "начальник ГУ МВД России по Энской области", ("gu_mvd",)),
    *((4, t, "", ()) for t in JOINT_TITLES),
    (4, "Об итогах деятельности Антитеррористической комиссии в Энской области в 2026 году и задачах на 2027 год", "руководитель аппарата АТК Энской области", ("atk_apparatus",)),
    (4, "О плане работы Антитеррористической комиссии в Энской области на 2027 год", "руководитель аппарата АТК Энской области", ("atk_apparatus",)),
)  # fmt: skip

# Invited to the joint meeting (not members of either regional body): DOMAIN.md's city
# prosecutor, heads of law-enforcement agencies, of the administration and of the districts.
JOINT_INVITEES: tuple[tuple[str, str, str], ...] = (
    ("city_prosecutor", "prok_city", "прокурор города Энска"),
    ("umvd_head", "umvd", "начальник Управления МВД России по городу Энску"),
    ("fsb_city_head", "fsb_city", "начальник отдела в городе Энске Управления ФСБ России по Энской области"),
    ("deputy_mayor", "city", "заместитель главы города Энска"),
    ("security_head", "city_security", "начальник департамента региональной безопасности Администрации города Энска"),
    ("central_district_head", "district_central", "глава администрации Центрального района города Энска"),
    ("lenin_district_head", "district_lenin", "глава администрации Ленинского района города Энска"),
    ("zarechny_district_head", "district_zarechny", "глава администрации Заречного района города Энска"),
    ("rail_district_head", "district_rail", "глава администрации Железнодорожного района города Энска"),
)  # fmt: skip

JOINT_ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec(
        title=JOINT_TITLES[0],
        rapporteurs=(("gu_mvd_uvm_head", _R), ("transport_prosecutor", _CO)),
        heard="Ковалёва И.Б. доложила о результатах выявления и пресечения нарушений "
        "миграционного законодательства в 2026 году; Павлов О.В. — о надзоре за соблюдением "
        "миграционного законодательства на объектах транспорта.",
        speeches=(
            SpeechSpec("city_prosecutor", "О нарушениях, выявленных прокуратурой города при проверках работодателей, привлекающих иностранных граждан."),
        ),
        decisions=(
            DecisionSpec("Информацию докладчиков принять к сведению; работу по противодействию незаконной миграции признать удовлетворительной.", "gu_mvd"),
            DecisionSpec("Продолжить проведение совместных проверочных мероприятий по выявлению нарушений миграционного законодательства.", "gu_mvd_uvm", ("ufsb", "rosgvardia_region", "prok_transport"), "ежеквартально до 10 числа месяца, следующего за отчётным"),
        ),
    ),
    ItemSpec(
        title=JOINT_TITLES[1],
        rapporteurs=(("min_pol", _R), ("mayor", _CO)),
        heard="Киселёв Д.В. доложил о выполнении мероприятий Комплексного плана противодействия "
        "идеологии терроризма органами исполнительной власти области; Кузнецов С.П. — о работе "
        "органов местного самоуправления города Энска.",
        speeches=(
            SpeechSpec("security_head", "О работе муниципальной рабочей группы по профилактике правонарушений в среде мигрантов."),
        ),
        decisions=(
            DecisionSpec("Признать взаимодействие органов исполнительной власти области, органов местного самоуправления и рабочей группы по реализации Комплексного плана эффективным.", "atk_apparatus"),
            DecisionSpec("Представить в аппарат АТК Энской области отчёты о выполнении мероприятий Комплексного плана.", "min_pol", ("min_edu", "min_soc", "city"), "до 15 декабря 2026 г."),
        ),
    ),
    ItemSpec(
        title=JOINT_TITLES[2],
        rapporteurs=(("gu_mvd_head", _R), ("min_soc", _CO)),
        heard="Григорьев П.А. доложил о профилактических мероприятиях в среде мигрантов; "
        "Орлова М.И. — о мерах социальной адаптации иностранных граждан.",
        speeches=(
            SpeechSpec("lenin_district_head", "Об опыте Ленинского района по работе с национальными общественными объединениями."),
            SpeechSpec("umvd_head", "О профилактике правонарушений среди молодёжи из числа мигрантов в городе Энске."),
        ),
        decisions=(
            DecisionSpec("Усилить профилактическую работу среди молодёжи и в среде мигрантов, в том числе с привлечением национальных общественных объединений.", "min_pol", ("min_edu", "min_soc", "gu_mvd", "city"), "в течение 2027 года"),
            DecisionSpec("Рекомендовать главам администраций районов города Энска проводить ежеквартальные встречи с представителями национальных диаспор.", "city", ("district_central", "district_lenin", "district_zarechny", "district_rail"), "ежеквартально до 10 числа месяца, следующего за отчётным"),
        ),
    ),
    ItemSpec(
        title=JOINT_TITLES[3],
        rapporteurs=(("ufsb_head", _R), ("min_edu", _CO)),
        heard="Беляев К.О. доложил об оперативной обстановке и о попытках вовлечения мигрантов в "
        "деятельность международных террористических организаций; Лебедева Н.С. — о "
        "профилактической работе в образовательных организациях.",
        speeches=(
            SpeechSpec("fsb_city_head", "О мерах по выявлению каналов распространения идеологии терроризма в городе Энске."),
        ),
        decisions=(
            DecisionSpec("Организовать адресную профилактическую работу с лицами, подверженными воздействию идеологии терроризма, из числа иностранных граждан.", "ufsb", ("gu_mvd", "min_pol"), "до 1 февраля 2027 г.", restricted=True),
            DecisionSpec("Провести в образовательных организациях области мероприятия по разъяснению преступной сущности терроризма с участием представителей религиозных и национальных объединений.", "min_edu", ("min_pol", "city_edu"), "до 1 марта 2027 г."),
        ),
    ),
)  # fmt: skip

# Members of the regional bodies who did not come (by person: marked in each body they sit in).
JOINT_ABSENT = {
    "mchs_head": (AttendanceStatus.ABSENT, "отпуск"),
    "rosgvardia_head": (
        AttendanceStatus.SUBSTITUTE,
        "Лисицын О.П., заместитель начальника Управления Росгвардии по Энской области",
    ),
}


# --- loading ----------------------------------------------------------------------------------


def load(out: Loaded) -> LoadedMeetings:
    """Write both situations' meetings; runs inside ``demo.load``'s transaction."""
    loaded = LoadedMeetings()
    _load_working_group(out, loaded)
    _load_region(out, loaded)
    return loaded


def _load_working_group(out: Loaded, loaded: LoadedMeetings) -> None:
    body = out.bodies["working_group"]
    secretary, chair = out.users["secretary"], out.users["chair"]
    plan = _plan(out, body, secretary, chair, WG_PLAN)
    loaded.plans["working_group"] = plan
    questions = list(plan.questions.order_by("quarter", "order"))
    for question in questions:
        if question.quarter in WG_POSTPONED:
            services_plan.question_set_outcome(
                actor=secretary,
                question=question,
                outcome=QuestionOutcome.POSTPONED,
                note=WG_POSTPONED[question.quarter],
            )

    first = services_meeting.meeting_create(
        actor=secretary,
        body=body,
        starts_at=WG_FIRST_STARTS,
        ends_at=WG_FIRST_ENDS,
        format=MeetingFormat.IN_PERSON,
        place=CITY_HALL,
    )
    items = _agenda(out, first, secretary, WG_FIRST_ITEMS, questions[:2])
    services_agenda.agenda_approve(actor=chair, meeting=first)
    _attendance(out, first, secretary, WG_FIRST_ABSENT)
    protocol = _protocol(out, first, secretary, items, WG_FIRST_ITEMS)
    for signer in (chair, secretary):
        protocol = services_protocol_lifecycle.protocol_sign(actor=signer, protocol=protocol)
    loaded.meetings["wg_first"] = first
    loaded.protocols["wg_first"] = protocol

    # The next meeting: the fourth quarter's questions, the agencies as rapporteurs.
    upcoming = services_meeting.meeting_from_plan(
        actor=secretary,
        plan=plan,
        questions=[q for q in questions if q.quarter == 4],
        starts_at=WG_NEXT_STARTS,
        format=MeetingFormat.IN_PERSON,
        place=CITY_HALL,
    )
    loaded.meetings["wg_next"] = upcoming


def _load_region(out: Loaded, loaded: LoadedMeetings) -> None:
    atk, meeting_body = out.bodies["regional_atk"], out.bodies["coordination_meeting"]
    secretary, governor = out.users["regional_secretary"], out.users["governor"]
    plan = _plan(out, atk, secretary, governor, ATK_PLAN)
    loaded.plans["regional_atk"] = plan
    questions = list(plan.questions.order_by("quarter", "order"))
    services_plan.question_set_outcome(
        actor=secretary,
        question=questions[0],
        outcome=QuestionOutcome.DROPPED,
        note="рассмотрен на заседании антитеррористической комиссии Энской области в формате "
        "оперативного штаба",
    )
    joint_questions = [q for q in questions if q.title in JOINT_TITLES]

    joint = services_meeting.meeting_create(
        actor=secretary,
        body=atk,
        other_bodies=[meeting_body],
        starts_at=JOINT_STARTS,
        ends_at=JOINT_ENDS,
        format=MeetingFormat.VIDEOCONFERENCE,
        place=GOVERNMENT_HALL,
        vks_link="https://vks.ensk-region.example/atk-2026-10-29",
        studios=[services_meeting.StudioIn(CITY_STUDIO, CITY_STUDIO_ADDRESS)],
    )
    for key, org, position in JOINT_INVITEES:
        person = out.people[key]
        services_invitations.invitee_add(
            actor=secretary,
            meeting=joint,
            last_name=person.last_name,
            first_name=person.first_name,
            patronymic=person.patronymic,
            organization=out.organizations[org],
            position=position,
        )
    items = _agenda(out, joint, secretary, JOINT_ITEMS, joint_questions)
    services_agenda.agenda_approve(actor=governor, meeting=joint)
    _attendance(out, joint, secretary, JOINT_ABSENT)
    protocol = _protocol(out, joint, secretary, items, JOINT_ITEMS)
    # The governor presides: one signature for each body; the coordination meeting's
    # regulation also wants its secretary's.
    for signer in (governor, secretary):
        protocol = services_protocol_lifecycle.protocol_sign(actor=signer, protocol=protocol)
    loaded.meetings["joint"] = joint
    loaded.protocols["joint"] = protocol

    upcoming = services_meeting.meeting_from_plan(
        actor=secretary,
        plan=plan,
        questions=[q for q in questions if q.quarter == 4 and q.title not in JOINT_TITLES],
        starts_at=ATK_NEXT_STARTS,
        format=MeetingFormat.IN_PERSON,
        place=GOVERNMENT_HALL,
    )
    loaded.meetings["atk_next"] = upcoming


def _plan(
    out: Loaded,
    body: Body,
    secretary: User,
    chair: User,
    spec: tuple[tuple[int, str, str, tuple[str, ...]], ...],
) -> WorkPlan:
    plan = services_plan.plan_create(actor=secretary, body=body, year=2026)
    for quarter, title, rapporteurs, orgs in spec:
        services_plan.question_add(
            actor=secretary,
            plan=plan,
            quarter=quarter,
            title=title,
            rapporteurs=rapporteurs,
            organizations=[out.organizations[o] for o in orgs],
        )
    return services_plan.plan_approve(actor=chair, plan=plan)


def _agenda(
    out: Loaded,
    meeting: Meeting,
    secretary: User,
    specs: tuple[ItemSpec, ...],
    questions: list[PlannedQuestion],
) -> list[AgendaItem]:
    by_title = {q.title: q for q in questions}
    items = []
    for spec in specs:
        item = services_agenda.item_add(
            actor=secretary,
            meeting=meeting,
            title=spec.title,
            duration_minutes=20,
            planned_question=by_title.get(spec.title),
        )
        for key, role in spec.rapporteurs:
            services_agenda.rapporteur_add(
                actor=secretary, item=item, role=role, person=out.people[key]
            )
        items.append(item)
    return items


def _attendance(
    out: Loaded, meeting: Meeting, secretary: User, absent: Mapping[str, tuple[str, str]]
) -> None:
    """Replies recorded by hand for those who would not come; everyone marked."""
    people: dict[int, str] = {p.pk: key for key, p in out.people.items()}
    day = meeting.local_date
    replied: set[int] = set()
    for body in _bodies(meeting):
        for membership in composition_on(body, day):
            key = people.get(membership.person_id, "")
            status, note = absent.get(key, (AttendanceStatus.PRESENT, ""))
            if status != AttendanceStatus.PRESENT and membership.person_id not in replied:
                _reply(secretary, meeting, membership.person, status, note)
                replied.add(membership.person_id)
            _mark(secretary, meeting, membership, status, note)


def _reply(secretary: User, meeting: Meeting, person: Person, status: str, note: str) -> None:
    if status == AttendanceStatus.SUBSTITUTE:
        name, _, position = note.partition(", ")
        services_invitations.invitation_record_reply(
            actor=secretary,
            meeting=meeting,
            person=person,
            response=InvitationResponse.SUBSTITUTE,
            substitute_name=name,
            substitute_position=position,
        )
    else:
        services_invitations.invitation_record_reply(
            actor=secretary,
            meeting=meeting,
            person=person,
            response=InvitationResponse.ABSENT,
            reason=note,
        )


def _mark(
    secretary: User, meeting: Meeting, membership: Membership, status: str, note: str
) -> None:
    name, _, position = note.partition(", ")
    services_attendance.attendance_mark(
        actor=secretary,
        meeting=meeting,
        membership=membership,
        status=status,
        substitute_name=name if status == AttendanceStatus.SUBSTITUTE else "",
        substitute_position=position if status == AttendanceStatus.SUBSTITUTE else "",
        absence_reason=note if status == AttendanceStatus.ABSENT else "",
    )


def _bodies(meeting: Meeting) -> list[Body]:
    links = meeting.meeting_bodies.select_related("body").order_by("-is_host", "order", "pk")
    return [link.body for link in links]


def _protocol(
    out: Loaded,
    meeting: Meeting,
    secretary: User,
    items: list[AgendaItem],
    specs: tuple[ItemSpec, ...],
) -> Protocol:
    """The protocol written item by item (СЛУШАЛИ, ВЫСТУПИЛИ, РЕШИЛИ) and submitted."""
    protocol = services_protocol.protocol_get_or_create(actor=secretary, meeting=meeting)
    for item, spec in zip(items, specs, strict=True):
        services_protocol.item_minutes_update(
            actor=secretary,
            protocol=protocol,
            version=protocol.version,
            item=item,
            heard_summary=spec.heard,
            report_attached=False,
            restricted=False,
        )
        for speech in spec.speeches:
            services_protocol.speech_add(
                actor=secretary,
                protocol=protocol,
                version=protocol.version,
                item=item,
                person=out.people[speech.person],
                summary=speech.summary,
            )
        for d in spec.decisions:
            decision = services_protocol.decision_add(
                actor=secretary, protocol=protocol, version=protocol.version, item=item
            )
            services_protocol.decision_update(
                actor=secretary,
                protocol=protocol,
                version=protocol.version,
                decision=decision,
                text=d.text,
                lead_executor=out.organizations[d.lead],
                co_executors=[out.organizations[o] for o in d.co],
                deadline_text=d.deadline,
                restricted=d.restricted,
            )
    return services_protocol_lifecycle.protocol_submit(
        actor=secretary, protocol=protocol, version=protocol.version
    )
