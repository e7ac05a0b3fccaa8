"""Invented names for ``generate_scale``: territories, agencies, officials, agenda texts.

Every territory and person here is made up from syllables and common Russian names, so no
real official appears in generated data. Regions are all «…ская область» (one declension to
get right); municipalities are towns («город Новодонск») and districts («Новодонский район»).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

PREFIXES = (
    "Северо", "Южно", "Ново", "Старо", "Верхне", "Нижне", "Красно", "Бело",
    "Заречно", "Лесо", "Высоко", "Светло", "Дальне", "Приозёрно",
)  # fmt: skip
ROOTS = (
    "дон", "вол", "камен", "озер", "бор", "луг", "яр", "гор",
    "реч", "пол", "лес", "холм", "мир", "сосн", "берез", "клен",
)  # fmt: skip
TOWN_ENDINGS = ("ск", "овск", "инск", "огорск", "ореченск", "оозёрск")
DISTRICT_ENDINGS = ("ский", "овский", "инский", "огорский", "ореченский", "оозёрский")

TIMEZONES = (
    "Europe/Kaliningrad", "Europe/Moscow", "Europe/Moscow", "Europe/Moscow", "Europe/Samara",
    "Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk",
    "Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan", "Asia/Kamchatka",
)  # fmt: skip


def seeded(*parts: object) -> random.Random:
    """A generator for one part of the data, seeded from the seed and the part's name (a str
    seed is hashed with SHA-512, so it does not depend on PYTHONHASHSEED). Not for secrets:
    the whole point is that it repeats."""
    return random.Random(":".join(str(p) for p in parts))  # noqa: S311


@dataclass(frozen=True)
class Territory:
    """A territory and the forms the texts need: «Новодонская область» / «Новодонской
    области» (genitive, and dative too: the same for a feminine adjective)."""

    name: str
    gen: str
    short: str


def regions(rng: random.Random, count: int) -> list[Territory]:
    stems = [p + r for p in PREFIXES for r in ROOTS]
    rng.shuffle(stems)
    out = []
    for i in range(count):
        stem = stems[i % len(stems)]
        suffix = f" {i // len(stems) + 1}" if i >= len(stems) else ""
        stem = stem[0] + stem[1:].lower()
        out.append(
            Territory(f"{stem}ская область{suffix}", f"{stem}ской области{suffix}", f"{stem}ская")
        )
    return out


def municipalities(rng: random.Random, count: int) -> list[Territory]:
    towns = [("town", p + r + e) for p in PREFIXES for r in ROOTS for e in TOWN_ENDINGS]
    districts = [("district", p + r + e) for p in PREFIXES for r in ROOTS for e in DISTRICT_ENDINGS]
    stems = towns + districts
    rng.shuffle(stems)
    out = []
    for i in range(count):
        kind, stem = stems[i % len(stems)]
        suffix = f" {i // len(stems) + 1}" if i >= len(stems) else ""
        if kind == "town":
            out.append(Territory(f"город {stem}{suffix}", f"города {stem}а{suffix}", stem + suffix))
        else:
            base = stem[:-2]  # «Новодонский» → «Новодонск»
            out.append(
                Territory(
                    f"{stem} район{suffix}",
                    f"{base}ого района{suffix}",
                    f"{stem} район{suffix}",
                )
            )
    return out


# Federal parents of the territorial agencies: (key, name, short name, kind).
FEDERAL = (
    ("mvd", "Министерство внутренних дел Российской Федерации", "МВД России", "law_enforcement"),
    ("fsb", "Федеральная служба безопасности Российской Федерации", "ФСБ России", "law_enforcement"),
    ("rosgv", "Федеральная служба войск национальной гвардии Российской Федерации", "Росгвардия", "law_enforcement"),
    ("mchs", "Министерство Российской Федерации по делам гражданской обороны, чрезвычайным ситуациям и ликвидации последствий стихийных бедствий", "МЧС России", "executive"),
    ("gp", "Генеральная прокуратура Российской Федерации", "Генпрокуратура России", "prosecutor"),
    ("rkn", "Федеральная служба по надзору в сфере связи, информационных технологий и массовых коммуникаций", "Роскомнадзор", "executive"),
)  # fmt: skip

# A region's agencies: (key, name pattern, short pattern, kind, federal parent, head's title).
REGIONAL_AGENCIES = (
    ("umvd", "Управление Министерства внутренних дел Российской Федерации по {gen}", "УМВД России по {gen}", "law_enforcement", "mvd", "начальник"),
    ("uvm", "Управление по вопросам миграции УМВД России по {gen}", "УВМ УМВД России по {gen}", "law_enforcement", "mvd", "начальник"),
    ("ufsb", "Управление Федеральной службы безопасности Российской Федерации по {gen}", "УФСБ России по {gen}", "law_enforcement", "fsb", "начальник"),
    ("rosgv", "Управление Федеральной службы войск национальной гвардии Российской Федерации по {gen}", "Управление Росгвардии по {gen}", "law_enforcement", "rosgv", "начальник"),
    ("mchs", "Главное управление МЧС России по {gen}", "ГУ МЧС России по {gen}", "federal_territorial", "mchs", "начальник"),
    ("prok", "Прокуратура {gen}", "", "prosecutor", "gp", "прокурор"),
    ("rkn", "Управление Роскомнадзора по {gen}", "", "federal_territorial", "rkn", "руководитель"),
    ("edu", "Министерство образования {gen}", "", "executive", None, "министр"),
    ("health", "Министерство здравоохранения {gen}", "", "executive", None, "министр"),
    ("social", "Министерство социальной защиты населения {gen}", "", "executive", None, "министр"),
    ("policy", "Министерство внутренней политики {gen}", "", "executive", None, "министр"),
    ("culture", "Министерство культуры {gen}", "", "executive", None, "министр"),
)  # fmt: skip
# Which regional agencies sit in (and execute for) a municipal body.
REGIONAL_IN_MUNICIPAL = ("umvd", "ufsb", "rosgv", "prok", "mchs")

# A municipality's own agencies besides its administration.
MUNICIPAL_AGENCIES = (
    ("omvd", "Отдел Министерства внутренних дел Российской Федерации на территории {gen}", "ОМВД на территории {gen}", "law_enforcement", "начальник"),
    ("edu", "Управление образования администрации {gen}", "", "local_government", "начальник"),
    ("youth", "Отдел по делам молодёжи администрации {gen}", "", "local_government", "начальник"),
)  # fmt: skip

MALE_LAST = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
    "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
)  # fmt: skip
MALE_FIRST = (
    "Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Максим", "Евгений", "Иван",
    "Михаил", "Артём", "Николай", "Владимир", "Павел", "Олег", "Игорь", "Виктор",
)  # fmt: skip
FEMALE_FIRST = (
    "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Мария",
    "Екатерина", "Юлия", "Марина", "Галина", "Людмила", "Оксана", "Вера", "Надежда",
)  # fmt: skip
FATHERS = (
    ("Александрович", "Александровна"), ("Сергеевич", "Сергеевна"), ("Дмитриевич", "Дмитриевна"),
    ("Андреевич", "Андреевна"), ("Алексеевич", "Алексеевна"), ("Иванович", "Ивановна"),
    ("Михайлович", "Михайловна"), ("Николаевич", "Николаевна"), ("Владимирович", "Владимировна"),
    ("Павлович", "Павловна"), ("Викторович", "Викторовна"), ("Петрович", "Петровна"),
)  # fmt: skip


def person(rng: random.Random) -> tuple[str, str, str, str]:
    """(last name, first name, patronymic, gender)."""
    last = rng.choice(MALE_LAST)
    father = rng.choice(FATHERS)
    if rng.random() < 0.35:
        return last + "а", rng.choice(FEMALE_FIRST), father[1], "female"
    return last, rng.choice(MALE_FIRST), father[0], "male"


AGENDA_TOPICS = (
    "О мерах по профилактике терроризма и экстремизма в молодёжной среде",
    "Об обеспечении антитеррористической защищённости объектов образования",
    "О состоянии правопорядка в местах массового пребывания людей",
    "О мерах по обеспечению безопасности при проведении праздничных мероприятий",
    "О профилактике правонарушений среди иностранных граждан",
    "О ходе реализации Комплексного плана противодействия идеологии терроризма",
    "Об антитеррористической защищённости объектов транспортной инфраструктуры",
    "О мерах по адаптации и интеграции иностранных граждан",
    "О состоянии работы по выявлению и пресечению незаконной миграции",
    "Об организации летнего отдыха и занятости несовершеннолетних",
    "О профилактике распространения деструктивной идеологии в сети Интернет",
    "Об антитеррористической защищённости объектов здравоохранения",
    "Об обеспечении безопасности объектов топливно-энергетического комплекса",
    "О взаимодействии с общественными и религиозными объединениями",
)  # fmt: skip
CONTROL_TOPIC = "О ходе исполнения ранее принятых решений"
DECISIONS = (
    "Провести совместные профилактические мероприятия в местах массового пребывания людей.",
    "Проанализировать причины и условия совершения правонарушений и представить предложения по их устранению.",
    "Организовать проверку антитеррористической защищённости подведомственных объектов.",
    "Разработать и распространить памятки для населения о действиях при угрозе террористического акта.",
    "Организовать разъяснительные встречи с молодёжью с участием представителей правоохранительных органов.",
    "Актуализировать паспорта безопасности объектов с массовым пребыванием людей.",
    "Провести учения по отработке действий при угрозе совершения террористического акта.",
    "Обеспечить мониторинг информационного пространства на предмет деструктивного контента.",
    "Представить информацию о результатах проведённых проверочных мероприятий.",
    "Принять меры по устранению выявленных недостатков в антитеррористической защищённости.",
    "Организовать адресную профилактическую работу с лицами, подверженными воздействию идеологии терроризма.",
    "Продолжить проведение совместных проверочных мероприятий по выявлению нарушений миграционного законодательства.",
)  # fmt: skip
HEARD = "Доклад по вопросу. Текст доклада прилагается."
REPORT_TEXTS = (
    "Мероприятия проведены в установленный срок, информация о результатах прилагается.",
    "Проверки проведены, выявленные недостатки устранены, руководители объектов проинформированы.",
    "Памятки разработаны и размещены на официальных сайтах и в местах массового пребывания людей.",
    "Проведено мероприятий — 12, охвачено участников — 340. Работа продолжается.",
)  # fmt: skip
RETURN_COMMENT = "Отчёт не содержит сведений о результатах; прошу дополнить."
EXTENSION_REASON = (
    "В связи с проведением дополнительных проверочных мероприятий прошу перенести срок."
)

MONTHS_GEN = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
