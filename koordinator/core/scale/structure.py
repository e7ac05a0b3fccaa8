"""Stages 1 and 2 of ``generate_scale``: organisations and bodies, then people and users.

The result is a :class:`World`: per body what the later stages need (its executors, its chair
and secretary as persons and users), kept in memory; at factor 1 it is a few thousand bodies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from koordinator.accounts.models import BodyRole, OrganizationRole, User
from koordinator.bodies.models import Body, Membership, Organization, Person, Post
from koordinator.core.scale import names
from koordinator.core.scale.writer import UTC, Progress, Writer

REGIONS = 85
MUNICIPAL_BODIES = 2_400
# A password shared by every generated user (one hash, computed once): the data is for
# benchmarks on disposable databases, and the command refuses to run in production.
PASSWORD = "scale-koordinator-2026"  # noqa: S105
# Seats of the host organisation that fill a composition up to twelve.
FILLERS = (
    "начальник отдела по делам гражданской обороны и чрезвычайным ситуациям",
    "начальник управления социальной защиты населения",
    "начальник отдела культуры",
    "начальник финансового управления",
)


@dataclass
class BodyInfo:
    id: int
    name: str
    short_name: str
    kind: str
    organization_id: int
    parent_id: int | None
    path: str
    timezone: str
    region: int
    executors: list[int]
    regional: bool
    leaders: tuple[str, str, str] = ("", "", "")
    chair_person: int = 0
    secretary_person: int = 0
    chair_user: int = 0
    secretary_user: int = 0
    members: int = 0
    # (membership id, starts on, ends on) of every membership, for attendance
    seats: list[tuple[int, dt.date, dt.date | None]] = field(default_factory=list)


@dataclass
class World:
    seed: int
    today: dt.date
    start: dt.date  # the first day of the ten years of history
    bodies: list[BodyInfo] = field(default_factory=list)
    executor_user: dict[int, int] = field(default_factory=dict)  # organisation id → user id
    org_count: int = 0
    # organisation id → how its head sits in a composition («начальник УМВД России по …»)
    heads: dict[int, str] = field(default_factory=dict)


def shape(factor: float) -> tuple[int, int]:
    """(regions, municipal bodies) at ``factor``."""
    regions = max(1, round(REGIONS * factor))
    return regions, max(regions, round(MUNICIPAL_BODIES * factor))


def build_structure(
    world: World, factor: float, progress: Progress, counts: dict[str, int]
) -> None:
    """Stage 1: federal agencies, per region a government, a dozen agencies, the regional АТК
    and coordination meeting; municipalities with an administration, a few agencies and one
    body each (an АТК under the regional АТК, or a crime prevention commission under the
    regional coordination meeting)."""
    rng = names.seeded(world.seed, "structure")
    n_regions, n_municipal = shape(factor)
    regions = names.regions(rng, n_regions)
    towns = names.municipalities(rng, n_municipal)
    created = dt.datetime.combine(world.start, dt.time(9), tzinfo=UTC)
    writer = Writer(progress, counts)
    orgs = writer.table(
        Organization,
        ("id", "name", "short_name", "parent_id", "level", "territory", "kind", "email",
         "is_active", "created_at", "updated_at"),
    )  # fmt: skip
    bodies = writer.table(
        Body,
        ("id", "name", "short_name", "kind", "organization_id", "parent_id", "path",
         "established_by", "is_active", "timezone", "quorum_rule", "substitutes_count_for_quorum",
         "decisions_without_quorum", "co_chairs_allowed", "protocol_signatories",
         "meetings_per_year", "protocol_days", "materials_days_before", "deadline_days",
         "protocol_numbering", "term_started_on", "remind_before", "remind_days",
         "remind_overdue", "weekly_digest", "created_at", "updated_at"),
    )  # fmt: skip
    progress.start("структура", n_regions + n_municipal)
    next_org = 1

    def org(
        name: str, short: str, parent: int | None, level: str, territory: str, kind: str,
        head: str = "руководитель",
    ) -> int:  # fmt: skip
        nonlocal next_org
        oid = next_org
        next_org += 1
        world.heads[oid] = f"{head} ({short or name})"
        email = f"org{oid}@scale.example"
        orgs.append(
            (oid, name, short, parent, level, territory, kind, email, True, created, created)
        )
        return oid

    federal = {
        key: org(name, short, None, "federal", "Российская Федерация", kind)
        for key, name, short, kind in names.FEDERAL
    }
    next_body = 1

    def body(
        name: str, short: str, kind: str, org_id: int, parent: BodyInfo | None, tz: str, region: int
    ) -> BodyInfo:
        nonlocal next_body
        bid = next_body
        next_body += 1
        path = f"{parent.path if parent else '/'}{bid}/"
        established = f"постановление от {world.start:%d.%m.%Y} № {bid}"
        bodies.append(
            (bid, name, short, kind, org_id, parent.id if parent else None, path, established,
             True, tz, "more_than_half", False, False, False, "presiding_and_secretary", 4, 5,
             10, "calendar", "year", None, True, "7,1", True, True, created, created)
        )  # fmt: skip
        info = BodyInfo(bid, name, short, kind, org_id, parent.id if parent else None, path, tz,
                        region, [], parent is None)  # fmt: skip
        world.bodies.append(info)
        return info

    per_region = [n_municipal // n_regions + (1 if i < n_municipal % n_regions else 0)
                  for i in range(n_regions)]  # fmt: skip
    town_iter = iter(towns)
    for r, region in enumerate(regions):
        tz = names.TIMEZONES[r % len(names.TIMEZONES)]
        gov = org(f"Правительство {region.gen}", "", None, "regional", region.name, "executive")
        agencies: dict[str, int] = {}
        for key, name, short, kind, parent, title in names.REGIONAL_AGENCIES:
            agencies[key] = org(
                name.format(gen=region.gen),
                short.format(gen=region.gen),
                federal[parent] if parent else None,
                "regional",
                region.name,
                kind,
                title,
            )
        atk = body(f"Антитеррористическая комиссия в {region.gen}", f"АТК в {region.gen}",
                   "commission", gov, None, tz, r)  # fmt: skip
        coord = body(
            f"Постоянно действующее координационное совещание по обеспечению правопорядка в {region.gen}",
            f"Координационное совещание ({region.short} обл.)",
            "coordination_meeting", gov, None, tz, r,
        )  # fmt: skip
        for info in (atk, coord):
            info.executors = [gov, *agencies.values()]
            info.leaders = (
                f"губернатор {region.gen}",
                f"заместитель председателя Правительства {region.gen}",
                f"руководитель аппарата ({info.short_name})",
            )
        progress.advance()
        for m in range(per_region[r]):
            town = next(town_iter)
            admin = org(f"Администрация {town.gen}", "", gov, "municipal", town.name,
                        "local_government")  # fmt: skip
            local = [
                org(name.format(gen=town.gen), short.format(gen=town.gen),
                    agencies["umvd"] if key == "omvd" else admin, "municipal", town.name, kind,
                    title)
                for key, name, short, kind, title in names.MUNICIPAL_AGENCIES
            ]  # fmt: skip
            if m % 3 == 2:
                info = body(
                    f"Межведомственная комиссия по профилактике правонарушений {town.gen}",
                    f"МВК по профилактике ({town.short})",
                    "commission", admin, coord, tz, r,
                )  # fmt: skip
            else:
                info = body(f"Антитеррористическая комиссия {town.gen}", f"АТК ({town.short})",
                            "commission", admin, atk, tz, r)  # fmt: skip
            info.executors = [admin, *local,
                              *(agencies[k] for k in names.REGIONAL_IN_MUNICIPAL)]  # fmt: skip
            info.leaders = (
                f"глава {town.gen}",
                f"заместитель главы администрации {town.gen}",
                f"консультант администрации {town.gen} (секретарь комиссии)",
            )
            progress.advance()
            writer.maybe_flush()
    writer.flush()
    world.org_count = next_org - 1
    progress.finish()


def build_people(world: World, progress: Progress, counts: dict[str, int], user_base: int) -> None:
    """Stage 2: per body its composition by position (chair, deputy, secretary, members from
    its executor agencies), a third of the posts with an earlier holder; users for the chair
    and the secretary of every body (with their BodyRole) and an executor officer for every
    agency (OrganizationRole). Every user gets the same password hash."""
    rng = names.seeded(world.seed, "people")
    password = make_password(PASSWORD, salt=f"koordinatorscale{world.seed}")
    start = world.start
    created = dt.datetime.combine(start, dt.time(9), tzinfo=UTC)
    writer = Writer(progress, counts)
    persons = writer.table(
        Person,
        ("id", "last_name", "first_name", "patronymic", "gender", "email", "phone", "name_key",
         "created_at", "updated_at"),
    )  # fmt: skip
    posts = writer.table(Post, ("id", "body_id", "organization_id", "title", "created_at",
                                "updated_at"))  # fmt: skip
    memberships = writer.table(
        Membership,
        ("id", "post_id", "person_id", "roles", "by_agreement", "starts_on", "ends_on", "ground",
         "created_at", "updated_at"),
    )  # fmt: skip
    users = writer.table(
        User,
        ("id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
         "email", "is_staff", "is_active", "date_joined", "person_id"),
    )  # fmt: skip
    body_roles = writer.table(BodyRole, ("id", "user_id", "body_id", "role", "created_at",
                                         "updated_at"))  # fmt: skip
    org_roles = writer.table(OrganizationRole, ("id", "user_id", "organization_id", "role",
                                                "created_at", "updated_at"))  # fmt: skip
    ids = {"person": 0, "post": 0, "membership": 0, "user": user_base, "body_role": 0,
           "org_role": 0}  # fmt: skip

    def next_id(kind: str) -> int:
        ids[kind] += 1
        return ids[kind]

    def new_person() -> tuple[int, str, str, str]:
        last, first, patronymic, gender = names.person(rng)
        pid = next_id("person")
        persons.append(
            (pid, last, first, patronymic, gender, f"person{pid}@scale.example", "",
             Person.make_name_key(last, first, patronymic), created, created)
        )  # fmt: skip
        return pid, last, first, patronymic

    def new_user(username: str, person: tuple[int, str, str, str] | None, label: str) -> int:
        uid = next_id("user")
        last, first = (person[1], person[2]) if person else (label, "")
        users.append(
            (uid, password, None, False, username, first, last, f"{username}@scale.example",
             False, True, created, person[0] if person else None)
        )  # fmt: skip
        return uid

    progress.start("состав", len(world.bodies))
    ground = f"постановление от {start:%d.%m.%Y} № 1"
    for body in world.bodies:
        chair, deputy, secretary = body.leaders
        seats = [(chair, body.organization_id, ["chair"], False),
                 (deputy, body.organization_id, ["deputy_chair"], False),
                 (secretary, body.organization_id, ["secretary"], False)]  # fmt: skip
        for org_id in body.executors[1:]:
            seats.append((world.heads[org_id], org_id, ["member"], True))
        for title in FILLERS[: max(0, 12 - len(seats))]:
            seats.append((title, body.organization_id, ["member"], False))
        for title, org_id, roles, by_agreement in seats:
            post_id = next_id("post")
            posts.append((post_id, body.id, org_id, title, created, created))
            holder = new_person()
            since = start
            # A third of the members' seats had an earlier holder, replaced some years ago
            # (the chair and the secretary stay: they sign every protocol of the ten years).
            if roles == ["member"] and rng.random() < 0.33:
                earlier = new_person()
                since = start + dt.timedelta(days=rng.randint(365, 365 * 8))
                until = since - dt.timedelta(days=1)
                mid = next_id("membership")
                memberships.append(
                    (mid, post_id, earlier[0], roles, by_agreement, start, until, ground,
                     created, created)
                )  # fmt: skip
                body.seats.append((mid, start, until))
            mid = next_id("membership")
            memberships.append(
                (mid, post_id, holder[0], roles, by_agreement, since, None, ground, created,
                 created)
            )  # fmt: skip
            body.seats.append((mid, since, None))
            body.members += 1
            if roles == ["chair"]:
                body.chair_person = holder[0]
                body.chair_user = new_user(f"chair-{body.id}", holder, "")
                body_roles.append((next_id("body_role"), body.chair_user, body.id, "chair",
                                   created, created))  # fmt: skip
            elif roles == ["secretary"]:
                body.secretary_person = holder[0]
                body.secretary_user = new_user(f"secretary-{body.id}", holder, "")
                body_roles.append((next_id("body_role"), body.secretary_user, body.id,
                                   "secretary", created, created))  # fmt: skip
        progress.advance()
        writer.maybe_flush()
    for org_id in sorted({o for body in world.bodies for o in body.executors}):
        uid = new_user(f"executor-{org_id}", new_person(), "")
        world.executor_user[org_id] = uid
        org_roles.append((next_id("org_role"), uid, org_id, "executor", created, created))
        writer.maybe_flush()
    writer.flush()
    progress.finish()
