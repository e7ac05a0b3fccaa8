"""The demo data behind ``make run``: the two situations of DOMAIN.md, with invented people.

Situation 1 is the city of Энск's permanent interagency working group on offence prevention
among migrants; situation 2 is the Энская область's coordination meeting on law and order and
its anti-terrorism commission (АТК), which watches the city's own АТК. Everything is written
through the services in :mod:`koordinator.bodies.services` (so the audit log tells the same
story a secretary would have made by hand), in one transaction.

Every person here is invented. The demo will later invent execution records about them, so
no real official's name may appear.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from koordinator.accounts import services as account_services
from koordinator.accounts.models import (
    BodyRoleKind,
    User,
)
from koordinator.bodies import services
from koordinator.bodies.models import (
    Body,
    BodyKind,
    Gender,
    Level,
    Organization,
    OrganizationKind,
    Person,
    Role,
    Signatories,
)
from koordinator.core import demo_meetings

# Known on purpose: the demo is for local runs, and ``demo_logins`` prints it. The commands
# refuse to create these users when KOORDINATOR_ENV=production.
DEMO_PASSWORD = "demo-koordinator-2026"  # noqa: S105

FEDERAL = "Российская Федерация"
REGION = "Энская область"
CITY = "город Энск"


@dataclass(frozen=True)
class Org:
    """An organisation; ``short_name`` is left empty where the full name is short enough."""

    key: str
    name: str
    short_name: str
    level: str
    territory: str
    kind: str
    parent: str | None = None


@dataclass(frozen=True)
class Official:
    last_name: str
    first_name: str
    patronymic: str
    gender: str


@dataclass(frozen=True)
class Seat:
    """One line of a composition: who sits, for which organisation, as what."""

    person: str
    organization: str
    post_title: str
    roles: tuple[str, ...] = (Role.MEMBER,)
    by_agreement: bool = False


@dataclass(frozen=True)
class Replacement:
    """A post whose holder changed: shows «состав на дату» and the composition's history."""

    seat_person: str
    new_person: str
    starts_on: dt.date
    ground: str


@dataclass(frozen=True)
class BodySpec:
    key: str
    name: str
    short_name: str
    kind: str
    organization: str
    established_by: str
    # The document as the composition's ground cites it (established_by without its title).
    ground: str
    starts_on: dt.date
    seats: tuple[Seat, ...]
    parent: str | None = None
    protocol_signatories: str = Signatories.PRESIDING_AND_SECRETARY
    meetings_per_year: int = 4
    replacements: tuple[Replacement, ...] = ()


@dataclass(frozen=True)
class DemoUser:
    username: str
    who: str
    person: str | None = None
    # Bodies the user watches from above (read only), by key.
    observes: tuple[str, ...] = ()
    # Organisations whose assignments the user executes, by key.
    executor_for: tuple[str, ...] = ()
    # The body the user should open first (for ``demo_logins``).
    start_body: str | None = None
    is_superuser: bool = False


# --- the organisation tree -------------------------------------------------------------------

_F, _R, _M = Level.FEDERAL, Level.REGIONAL, Level.MUNICIPAL
_K = OrganizationKind

ORGANIZATIONS: tuple[Org, ...] = (
    # Federal level: only as parents of their territorial bodies.
    Org("mvd", "Министерство внутренних дел Российской Федерации", "МВД России", _F, FEDERAL, _K.LAW_ENFORCEMENT),
    Org("fsb", "Федеральная служба безопасности Российской Федерации", "ФСБ России", _F, FEDERAL, _K.LAW_ENFORCEMENT),
    Org("rosgvardia", "Федеральная служба войск национальной гвардии Российской Федерации", "Росгвардия", _F, FEDERAL, _K.LAW_ENFORCEMENT),
    Org("mchs", "Министерство Российской Федерации по делам гражданской обороны, чрезвычайным ситуациям и ликвидации последствий стихийных бедствий", "МЧС России", _F, FEDERAL, _K.EXECUTIVE),
    Org("genprok", "Генеральная прокуратура Российской Федерации", "Генпрокуратура России", _F, FEDERAL, _K.PROSECUTOR),
    # The region.
    Org("gov", "Правительство Энской области", "", _R, REGION, _K.EXECUTIVE),
    Org("atk_apparatus", "Аппарат Антитеррористической комиссии в Энской области", "Аппарат АТК области", _R, REGION, _K.EXECUTIVE, "gov"),
    Org("min_edu", "Министерство образования Энской области", "Минобразования области", _R, REGION, _K.EXECUTIVE, "gov"),
    Org("min_pol", "Министерство внутренней политики Энской области", "Минвнутполитики области", _R, REGION, _K.EXECUTIVE, "gov"),
    Org("min_soc", "Министерство социальной политики Энской области", "Минсоцполитики области", _R, REGION, _K.EXECUTIVE, "gov"),
    Org("gu_mvd", "Главное управление Министерства внутренних дел Российской Федерации по Энской области", "ГУ МВД России по Энской области", _R, REGION, _K.LAW_ENFORCEMENT, "mvd"),
    Org("gu_mvd_uvm", "Управление по вопросам миграции ГУ МВД России по Энской области", "УВМ ГУ МВД России по Энской области", _R, REGION, _K.LAW_ENFORCEMENT, "gu_mvd"),
    Org("ufsb", "Управление Федеральной службы безопасности Российской Федерации по Энской области", "УФСБ России по Энской области", _R, REGION, _K.LAW_ENFORCEMENT, "fsb"),
    Org("rosgvardia_region", "Управление Федеральной службы войск национальной гвардии Российской Федерации по Энской области", "Управление Росгвардии по Энской области", _R, REGION, _K.LAW_ENFORCEMENT, "rosgvardia"),
    Org("mchs_region", "Главное управление МЧС России по Энской области", "ГУ МЧС России по Энской области", _R, REGION, _K.FEDERAL_TERRITORIAL, "mchs"),
    Org("prok_region", "Прокуратура Энской области", "", _R, REGION, _K.PROSECUTOR, "genprok"),
    Org("prok_transport", "Энская транспортная прокуратура", "", _R, REGION, _K.PROSECUTOR, "genprok"),
    Org("nka", "Энская региональная национально-культурная автономия татар", "НКА татар Энской области", _R, REGION, _K.PUBLIC),
    # The city. Local self-government is not part of state power (Constitution, art. 12),
    # so the city administration has no parent in the regional government.
    Org("city", "Администрация города Энска", "", _M, CITY, _K.LOCAL_GOVERNMENT),
    Org("city_security", "Департамент региональной безопасности Администрации города Энска", "Департамент региональной безопасности", _M, CITY, _K.LOCAL_GOVERNMENT, "city"),
    Org("city_edu", "Департамент образования Администрации города Энска", "Департамент образования", _M, CITY, _K.LOCAL_GOVERNMENT, "city"),
    Org("city_youth", "Управление по делам молодёжи Администрации города Энска", "Управление по делам молодёжи", _M, CITY, _K.LOCAL_GOVERNMENT, "city"),
    Org("city_culture", "Комитет по культуре Администрации города Энска", "Комитет по культуре", _M, CITY, _K.LOCAL_GOVERNMENT, "city"),
    Org("city_press", "Управление информационной политики Администрации города Энска", "Пресс-служба Администрации города", _M, CITY, _K.LOCAL_GOVERNMENT, "city"),
    Org("district_central", "Администрация Центрального района города Энска", "Администрация Центрального района", _M, CITY, _K.LOCAL_GOVERNMENT, "city"),
    Org("district_lenin", "Администрация Ленинского района города Энска", "Администрация Ленинского района", _M, CITY, _K.LOCAL_GOVERNMENT, "city"),
    Org("district_zarechny", "Администрация Заречного района города Энска", "Администрация Заречного района", _M, CITY, _K.LOCAL_GOVERNMENT, "city"),
    Org("district_rail", "Администрация Железнодорожного района города Энска", "Администрация Железнодорожного района", _M, CITY, _K.LOCAL_GOVERNMENT, "city"),
    Org("council_nat", "Совет по делам национальностей при главе города Энска", "Совет по делам национальностей", _M, CITY, _K.OTHER, "city"),
    Org("council_migration", "Комиссия по вопросам миграции Совета по делам национальностей при главе города Энска", "Миграционная комиссия Совета", _M, CITY, _K.OTHER, "council_nat"),
    Org("duma", "Энская городская Дума", "", _M, CITY, _K.LEGISLATURE),
    Org("umvd", "Управление Министерства внутренних дел Российской Федерации по городу Энску", "УМВД России по городу Энску", _M, CITY, _K.LAW_ENFORCEMENT, "gu_mvd"),
    Org("umvd_uvm", "Управление по вопросам миграции УМВД России по городу Энску", "УВМ УМВД России по городу Энску", _M, CITY, _K.LAW_ENFORCEMENT, "umvd"),
    Org("fsb_city", "Отдел в городе Энске Управления ФСБ России по Энской области", "Отдел УФСБ в городе Энске", _M, CITY, _K.LAW_ENFORCEMENT, "ufsb"),
    Org("prok_city", "Прокуратура города Энска", "", _M, CITY, _K.PROSECUTOR, "prok_region"),
    Org("migrants_org", "Энская городская общественная организация «Национальный союз мигрантов „Содружество“»", "НСМ «Содружество»", _M, CITY, _K.PUBLIC),
)  # fmt: skip

# --- the officials (all invented) ------------------------------------------------------------

_M_, _W_ = Gender.MALE, Gender.FEMALE

PEOPLE: dict[str, Official] = {
    # Region.
    "governor": Official("Волков", "Андрей", "Николаевич", _M_),
    "vice_governor": Official("Зайцев", "Игорь", "Владимирович", _M_),
    "atk_head": Official("Соколова", "Елена", "Александровна", _W_),
    "atk_consultant": Official("Титова", "Алина", "Сергеевна", _W_),
    "gu_mvd_head": Official("Григорьев", "Павел", "Андреевич", _M_),
    "gu_mvd_uvm_head": Official("Ковалёва", "Ирина", "Борисовна", _W_),
    "ufsb_head": Official("Беляев", "Константин", "Олегович", _M_),
    "rosgvardia_head": Official("Тарасов", "Виктор", "Геннадьевич", _M_),
    "mchs_head": Official("Фролов", "Алексей", "Юрьевич", _M_),
    "prosecutor": Official("Никитин", "Сергей", "Александрович", _M_),
    "transport_prosecutor": Official("Павлов", "Олег", "Викторович", _M_),
    "min_edu": Official("Лебедева", "Наталья", "Сергеевна", _W_),
    "min_pol": Official("Киселёв", "Дмитрий", "Валерьевич", _M_),
    "min_soc": Official("Орлова", "Марина", "Ивановна", _W_),
    # City.
    "mayor": Official("Кузнецов", "Сергей", "Петрович", _M_),
    "deputy_mayor": Official("Романов", "Алексей", "Дмитриевич", _M_),
    "security_head": Official("Белов", "Михаил", "Юрьевич", _M_),
    "security_deputy": Official("Жукова", "Анна", "Геннадьевна", _W_),
    "security_secretary": Official("Смирнова", "Ольга", "Викторовна", _W_),
    "edu_head": Official("Егорова", "Светлана", "Павловна", _W_),
    "edu_deputy": Official("Фёдорова", "Людмила", "Анатольевна", _W_),
    "youth_head": Official("Данилов", "Артём", "Валерьевич", _M_),
    "culture_head": Official("Комарова", "Татьяна", "Николаевна", _W_),
    "culture_deputy": Official("Александрова", "Виктория", "Игоревна", _W_),
    "central_district_head": Official("Сорокин", "Вадим", "Игоревич", _M_),
    # Not in a composition: invited to the regional joint meeting (situation 2).
    "lenin_district_head": Official("Мартынова", "Елена", "Викторовна", _W_),
    "zarechny_district_head": Official("Крылов", "Станислав", "Андреевич", _M_),
    "rail_district_head": Official("Баранов", "Юрий", "Петрович", _M_),
    "city_prosecutor": Official("Зуев", "Андрей", "Михайлович", _M_),
    "duma_deputy_1": Official("Андреев", "Виталий", "Борисович", _M_),
    "duma_deputy_2": Official("Мельникова", "Ирина", "Олеговна", _W_),
    "umvd_head": Official("Воробьёв", "Николай", "Сергеевич", _M_),
    "umvd_deputy": Official("Карпов", "Илья", "Сергеевич", _M_),
    "umvd_uvm_head_before": Official("Гусев", "Валерий", "Николаевич", _M_),
    "umvd_uvm_head": Official("Ефимов", "Глеб", "Андреевич", _M_),
    "umvd_officer": Official("Лапин", "Денис", "Игоревич", _M_),
    "fsb_city_head": Official("Степанов", "Роман", "Евгеньевич", _M_),
    "fsb_city_officer": Official("Макаров", "Евгений", "Александрович", _M_),
    "city_deputy_prosecutor": Official("Полякова", "Юлия", "Владимировна", _W_),
    "migrants_president": Official("Рахимов", "Фарход", "Алишерович", _M_),
    "migration_commission_chair": Official("Гасанов", "Эльдар", "Магомедович", _M_),
    "nka_chair": Official("Хайруллин", "Рустам", "Ильдарович", _M_),
}

# --- the bodies ------------------------------------------------------------------------------

_CHAIR, _DEPUTY, _SECRETARY = (Role.CHAIR,), (Role.DEPUTY_CHAIR,), (Role.SECRETARY,)

REGIONAL_ATK = BodySpec(
    key="regional_atk",
    name="Антитеррористическая комиссия в Энской области",
    short_name="АТК Энской области",
    kind=BodyKind.COMMISSION,
    organization="gov",
    established_by="указ Губернатора Энской области от 20.01.2025 № 7 «Об Антитеррористической комиссии в Энской области»",
    ground="указ Губернатора Энской области от 20.01.2025 № 7",
    starts_on=dt.date(2025, 1, 20),
    protocol_signatories=Signatories.PRESIDING,
    seats=(
        Seat("governor", "gov", "Губернатор Энской области", _CHAIR),
        Seat("ufsb_head", "ufsb", "начальник Управления Федеральной службы безопасности Российской Федерации по Энской области", _DEPUTY, by_agreement=True),
        Seat("vice_governor", "gov", "заместитель председателя Правительства Энской области", _DEPUTY),
        Seat("atk_head", "atk_apparatus", "руководитель аппарата Антитеррористической комиссии в Энской области", _SECRETARY),
        Seat("gu_mvd_head", "gu_mvd", "начальник Главного управления МВД России по Энской области", by_agreement=True),
        Seat("rosgvardia_head", "rosgvardia_region", "начальник Управления Росгвардии по Энской области", by_agreement=True),
        Seat("mchs_head", "mchs_region", "начальник Главного управления МЧС России по Энской области", by_agreement=True),
        Seat("min_edu", "min_edu", "министр образования Энской области"),
        Seat("min_pol", "min_pol", "министр внутренней политики Энской области"),
        Seat("min_soc", "min_soc", "министр социальной политики Энской области"),
        Seat("mayor", "city", "глава города Энска", by_agreement=True),
    ),
)  # fmt: skip

COORDINATION_MEETING = BodySpec(
    key="coordination_meeting",
    name="Постоянно действующее координационное совещание по обеспечению правопорядка в Энской области",
    short_name="Координационное совещание по правопорядку",
    kind=BodyKind.COORDINATION_MEETING,
    organization="gov",
    established_by="указ Губернатора Энской области от 17.03.2025 № 41 «О постоянно действующем координационном совещании по обеспечению правопорядка в Энской области»",
    ground="указ Губернатора Энской области от 17.03.2025 № 41",
    starts_on=dt.date(2025, 3, 17),
    seats=(
        Seat("governor", "gov", "Губернатор Энской области", _CHAIR),
        Seat("vice_governor", "gov", "заместитель председателя Правительства Энской области", _DEPUTY),
        Seat("atk_head", "atk_apparatus", "руководитель аппарата Антитеррористической комиссии в Энской области", _SECRETARY),
        Seat("prosecutor", "prok_region", "прокурор Энской области", by_agreement=True),
        Seat("transport_prosecutor", "prok_transport", "Энский транспортный прокурор", by_agreement=True),
        Seat("gu_mvd_head", "gu_mvd", "начальник Главного управления МВД России по Энской области", by_agreement=True),
        Seat("gu_mvd_uvm_head", "gu_mvd_uvm", "начальник Управления по вопросам миграции ГУ МВД России по Энской области", by_agreement=True),
        Seat("ufsb_head", "ufsb", "начальник Управления Федеральной службы безопасности Российской Федерации по Энской области", by_agreement=True),
        Seat("rosgvardia_head", "rosgvardia_region", "начальник Управления Росгвардии по Энской области", by_agreement=True),
        Seat("min_pol", "min_pol", "министр внутренней политики Энской области"),
    ),
)  # fmt: skip

CITY_ATK = BodySpec(
    key="city_atk",
    name="Антитеррористическая комиссия города Энска",
    short_name="АТК города Энска",
    kind=BodyKind.COMMISSION,
    organization="city",
    parent="regional_atk",
    established_by="постановление Администрации города Энска от 03.02.2025 № 210 «Об антитеррористической комиссии города Энска»",
    ground="постановление Администрации города Энска от 03.02.2025 № 210",
    starts_on=dt.date(2025, 2, 3),
    protocol_signatories=Signatories.PRESIDING,
    seats=(
        Seat("mayor", "city", "глава города Энска", _CHAIR),
        Seat("fsb_city_head", "fsb_city", "начальник отдела в городе Энске Управления ФСБ России по Энской области", _DEPUTY, by_agreement=True),
        Seat("deputy_mayor", "city", "заместитель главы города Энска", _DEPUTY),
        Seat("security_secretary", "city_security", "начальник отдела по профилактике терроризма и экстремизма департамента региональной безопасности Администрации города Энска", _SECRETARY),
        Seat("umvd_head", "umvd", "начальник Управления МВД России по городу Энску", by_agreement=True),
        Seat("security_head", "city_security", "начальник департамента региональной безопасности Администрации города Энска"),
        Seat("edu_head", "city_edu", "начальник департамента образования Администрации города Энска"),
        Seat("youth_head", "city_youth", "начальник управления по делам молодёжи Администрации города Энска"),
        Seat("culture_head", "city_culture", "председатель комитета по культуре Администрации города Энска"),
        Seat("central_district_head", "district_central", "глава администрации Центрального района города Энска"),
    ),
)  # fmt: skip

WORKING_GROUP = BodySpec(
    key="working_group",
    name="Постоянно действующая межведомственная рабочая группа по профилактике правонарушений в среде мигрантов",
    short_name="МРГ по профилактике правонарушений в среде мигрантов",
    kind=BodyKind.WORKING_GROUP,
    organization="city",
    established_by="распоряжение заместителя главы города Энска от 16.02.2026 № 27-р «О создании постоянно действующей межведомственной рабочей группы по профилактике правонарушений в среде мигрантов»",
    ground="распоряжение заместителя главы города Энска от 16.02.2026 № 27-р",
    starts_on=dt.date(2026, 2, 16),
    meetings_per_year=4,
    seats=(
        Seat("security_head", "city_security", "начальник департамента региональной безопасности Администрации города Энска", _CHAIR),
        Seat("security_deputy", "city_security", "заместитель начальника департамента региональной безопасности Администрации города Энска", _DEPUTY),
        Seat("security_secretary", "city_security", "начальник отдела по профилактике терроризма и экстремизма департамента региональной безопасности Администрации города Энска", _SECRETARY),
        Seat("umvd_uvm_head_before", "umvd_uvm", "начальник Управления по вопросам миграции УМВД России по городу Энску", by_agreement=True),
        Seat("umvd_deputy", "umvd", "заместитель начальника полиции (по охране общественного порядка) УМВД России по городу Энску", by_agreement=True),
        Seat("fsb_city_officer", "fsb_city", "старший оперуполномоченный отдела в городе Энске Управления ФСБ России по Энской области", by_agreement=True),
        Seat("city_deputy_prosecutor", "prok_city", "заместитель прокурора города Энска", by_agreement=True),
        Seat("duma_deputy_1", "duma", "депутат Энской городской Думы, председатель постоянной комиссии по местному самоуправлению и общественной безопасности"),
        Seat("duma_deputy_2", "duma", "депутат Энской городской Думы"),
        Seat("edu_deputy", "city_edu", "заместитель начальника департамента образования Администрации города Энска"),
        Seat("youth_head", "city_youth", "начальник управления по делам молодёжи Администрации города Энска"),
        Seat("culture_deputy", "city_culture", "заместитель председателя комитета по культуре Администрации города Энска"),
        Seat("migrants_president", "migrants_org", "президент Энской городской общественной организации «Национальный союз мигрантов „Содружество“»"),
        Seat("migration_commission_chair", "council_migration", "председатель комиссии по вопросам миграции Совета по делам национальностей при главе города Энска"),
        Seat("nka_chair", "nka", "председатель Энской региональной национально-культурной автономии татар"),
    ),
    replacements=(
        Replacement(
            seat_person="umvd_uvm_head_before",
            new_person="umvd_uvm_head",
            starts_on=dt.date(2026, 9, 1),
            ground="распоряжение заместителя главы города Энска от 28.08.2026 № 164-р",
        ),
    ),
)  # fmt: skip

# Parents before children: body_create computes the path from the parent's.
BODIES: tuple[BodySpec, ...] = (REGIONAL_ATK, COORDINATION_MEETING, CITY_ATK, WORKING_GROUP)

# --- who signs in ----------------------------------------------------------------------------

USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "secretary",
        "секретарь рабочей группы и АТК города (О.В. Смирнова)",
        person="security_secretary",
        start_body="working_group",
    ),
    DemoUser(
        "chair",
        "руководитель рабочей группы (М.Ю. Белов)",
        person="security_head",
        start_body="working_group",
    ),
    DemoUser(
        "member",
        "член рабочей группы, управление по делам молодёжи (А.В. Данилов)",
        person="youth_head",
        start_body="working_group",
    ),
    DemoUser(
        "executor",
        "исполнитель: офицер УМВД России по городу Энску (Д.И. Лапин)",
        person="umvd_officer",
        executor_for=("umvd",),
    ),
    DemoUser(
        "observer",
        "наблюдатель АТК области: видит АТК города (А.С. Титова)",
        person="atk_consultant",
        observes=("regional_atk",),
        start_body="city_atk",
    ),
    DemoUser(
        "regional_secretary",
        "секретарь АТК области и координационного совещания (Е.А. Соколова)",
        person="atk_head",
        start_body="regional_atk",
    ),
    DemoUser(
        "governor",
        "Губернатор: председатель АТК области и координационного совещания (А.Н. Волков)",
        person="governor",
        start_body="regional_atk",
    ),
    DemoUser("admin", "администратор (справочники, все органы)", is_superuser=True),
)

USERNAMES: tuple[str, ...] = tuple(u.username for u in USERS)

# A membership role gives the same role in the body's workspace.
_BODY_ROLE = {
    Role.CHAIR: BodyRoleKind.CHAIR,
    Role.DEPUTY_CHAIR: BodyRoleKind.DEPUTY_CHAIR,
    Role.SECRETARY: BodyRoleKind.SECRETARY,
    Role.MEMBER: BodyRoleKind.MEMBER,
}


def is_loaded() -> bool:
    """Whether the demo is (at least partly) in the database: a demo user or body exists."""
    return (
        User.objects.filter(username__in=USERNAMES).exists()
        or Body.objects.filter(name__in=[b.name for b in BODIES]).exists()
    )


@dataclass
class Loaded:
    organizations: dict[str, Organization] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    bodies: dict[str, Body] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


@transaction.atomic
def load() -> Loaded:
    """Write the whole demo. Raises ``ValidationError`` (and writes nothing) if any of it
    clashes with what is already there, e.g. an organisation of the same name."""
    out = Loaded()
    for org in ORGANIZATIONS:
        out.organizations[org.key] = services.organization_create(
            actor=None,
            name=org.name,
            short_name=org.short_name,
            parent=out.organizations[org.parent] if org.parent else None,
            level=org.level,
            territory=org.territory,
            kind=org.kind,
        )
    for key, official in PEOPLE.items():
        out.people[key] = services.person_find_or_create(
            actor=None,
            last_name=official.last_name,
            first_name=official.first_name,
            patronymic=official.patronymic,
            gender=official.gender,
        )
    for spec in BODIES:
        out.bodies[spec.key] = _load_body(spec, out)
    for demo_user in USERS:
        out.users[demo_user.username] = _load_user(demo_user, out)
    demo_meetings.load(out)
    from koordinator.control import demo as control_demo

    control_demo.load(out)
    return out


def _load_body(spec: BodySpec, out: Loaded) -> Body:
    body = services.body_create(
        actor=None,
        name=spec.name,
        short_name=spec.short_name,
        kind=spec.kind,
        organization=out.organizations[spec.organization],
        parent=out.bodies[spec.parent] if spec.parent else None,
        established_by=spec.established_by,
        protocol_signatories=spec.protocol_signatories,
        meetings_per_year=spec.meetings_per_year,
        term_started_on=spec.starts_on,
    )
    memberships = {}
    for seat in spec.seats:
        memberships[seat.person] = services.membership_add(
            actor=None,
            body=body,
            person=out.people[seat.person],
            organization=out.organizations[seat.organization],
            post_title=seat.post_title,
            roles=seat.roles,
            starts_on=spec.starts_on,
            by_agreement=seat.by_agreement,
            ground=spec.ground,
        )
    for change in spec.replacements:
        services.composition_replace_holder(
            actor=None,
            membership=memberships[change.seat_person],
            person=out.people[change.new_person],
            starts_on=change.starts_on,
            ground=change.ground,
        )
    return body


def _load_user(spec: DemoUser, out: Loaded) -> User:
    person = out.people[spec.person] if spec.person else None
    user = account_services.user_create(
        actor=None,
        username=spec.username,
        password=DEMO_PASSWORD,
        person=person,
        is_superuser=spec.is_superuser,
        # Reminders and notices go here (printed to the console in development).
        email=f"{spec.username}@demo.koordinator.invalid",
    )
    # The user's roles mirror their person's seats: whoever sits as secretary keeps the body.
    roles: set[tuple[str, str]] = set()
    if person is not None:
        for spec_body in BODIES:
            for seat in spec_body.seats:
                if seat.person == spec.person:
                    roles.update((spec_body.key, _BODY_ROLE[Role(r)]) for r in seat.roles)
    roles.update((body_key, BodyRoleKind.OBSERVER) for body_key in spec.observes)
    for body_key, role in sorted(roles):
        account_services.body_role_grant(
            actor=None, user=user, body=out.bodies[body_key], role=role
        )
    for org_key in spec.executor_for:
        account_services.organization_role_grant(
            actor=None, user=user, organization=out.organizations[org_key]
        )
    return user
