"""What each body did over ten years, drawn from the seed: shared by stages 3 and 4.

Stage 3 (meetings) writes the meetings, agendas and decisions of this plan; stage 4 (control)
draws the same plan again to put the decisions of distributed protocols on control. Both walk
the bodies in the same order with fresh :class:`Ids`, so a decision gets the same id in both
(and its assignment reuses that id), with nothing read back from the database.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field

from koordinator.core.scale import names
from koordinator.core.scale.structure import BodyInfo, World
from koordinator.core.scale.writer import UTC
from koordinator.deadlines.calendar import is_working_day, previous_working_day

QUARTERS = 40  # ten years of quarterly meetings
# One meeting of each regional body, a year and a half back (its protocol distributed), is
# the big annual one: four items of 25 decisions, a protocol of 100 decisions to measure.
BIG_MEETING = QUARTERS - 6
BIG_ITEMS, BIG_DECISIONS_PER_ITEM = 4, 25
PERIODIC_TEXT = "ежеквартально до 10 числа месяца, следующего за отчётным"


@dataclass(slots=True)
class PointPlan:
    due_on: dt.date
    period_start: dt.date | None = None
    period_end: dt.date | None = None


@dataclass(slots=True)
class DecisionPlan:
    id: int
    order: int
    text: str
    lead: int
    co: int | None
    deadline_text: str
    points: list[PointPlan]
    ends_on: dt.date | None
    restricted: bool


@dataclass(slots=True)
class ItemPlan:
    id: int
    number: int
    title: str
    restricted: bool
    decisions: list[DecisionPlan] = field(default_factory=list)


@dataclass(slots=True)
class MeetingPlan:
    id: int
    body: BodyInfo
    starts_at: dt.datetime
    status: str
    protocol: str | None  # None (not held), "draft", "signed" or "distributed"
    number: int | None
    signed_at: dt.datetime | None
    distributed_at: dt.datetime | None
    restricted: bool
    items: list[ItemPlan] = field(default_factory=list)

    @property
    def local_date(self) -> dt.date:
        return self.starts_at.astimezone(zone(self.body.timezone)).date()

    @property
    def document(self) -> str:
        return f"протокол заседания от {self.local_date:%d.%m.%Y} № {self.number}"


@dataclass
class Ids:
    meeting: int = 0
    item: int = 0
    decision: int = 0


_ZONES: dict[str, zoneinfo.ZoneInfo] = {}


def zone(name: str) -> zoneinfo.ZoneInfo:
    if name not in _ZONES:
        _ZONES[name] = zoneinfo.ZoneInfo(name)
    return _ZONES[name]


def history_start(today: dt.date) -> dt.date:
    """The first day of the quarter 39 quarters before today's: ten years of quarters."""
    months = today.year * 12 + (today.month - 1) // 3 * 3 - 3 * (QUARTERS - 1)
    return dt.date(months // 12, months % 12 + 1, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def deadline_words(day: dt.date) -> str:
    return f"до {day.day} {names.MONTHS_GEN[day.month - 1]} {day.year} г."


def working(day: dt.date) -> dt.date:
    """A due date as the deadline reader sets it: a day off moves to the working day before."""
    return day if is_working_day(day) else previous_working_day(day)


def quarterly_points(issued: dt.date, ends_on: dt.date) -> list[PointPlan]:
    """One point per quarter from the quarter of ``issued`` to ``ends_on``: due on the 10th
    of the month after the quarter."""
    start = dt.date(issued.year, (issued.month - 1) // 3 * 3 + 1, 1)
    out = []
    while start <= ends_on:
        nxt = add_months(start, 3)
        out.append(PointPlan(working(nxt.replace(day=10)), start, nxt - dt.timedelta(days=1)))
        start = nxt
    return out


def meetings(world: World, body: BodyInfo, ids: Ids) -> Iterator[MeetingPlan]:
    """The body's forty quarterly meetings, oldest first, with agendas and decisions."""
    rng = names.seeded(world.seed, "plan", body.id)
    today = world.today
    numbers: dict[int, int] = {}
    tz = zone(body.timezone)
    for k in range(QUARTERS):
        day = add_months(world.start, 3 * k) + dt.timedelta(days=rng.randint(14, 75))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        hour, minute = rng.choice(((10, 0), (10, 0), (11, 0), (14, 30), (15, 0)))
        starts_at = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz).astimezone(UTC)
        age = (today - day).days
        protocol: str | None = None
        number = None
        signed_at = distributed_at = None
        if age < 0:
            status = "announced" if age >= -30 else "draft"
        else:
            status = "held"
            protocol = "distributed" if age > 20 else "signed" if age > 10 else "draft"
            if protocol != "draft":
                signed_at = starts_at + dt.timedelta(days=rng.randint(2, 5), hours=3)
            if protocol == "distributed":
                numbers[day.year] = numbers.get(day.year, 0) + 1
                number = numbers[day.year]
                assert signed_at is not None
                distributed_at = signed_at + dt.timedelta(days=rng.randint(1, 3))
        ids.meeting += 1
        plan = MeetingPlan(ids.meeting, body, starts_at, status, protocol, number, signed_at,
                           distributed_at, rng.random() < 0.01)  # fmt: skip
        big = body.regional and k == BIG_MEETING
        topics = rng.sample(names.AGENDA_TOPICS, BIG_ITEMS if big else rng.choice((2, 3, 3, 4)))
        for n, title in enumerate(topics, start=1):
            ids.item += 1
            item = ItemPlan(ids.item, n, title, plan.restricted or rng.random() < 0.03)
            plan.items.append(item)
            if status != "held":
                continue
            for order in range(1, (BIG_DECISIONS_PER_ITEM if big else 2) + 1):
                ids.decision += 1
                item.decisions.append(_decision(rng, body, day, ids.decision, order, item))
        yield plan


def _decision(
    rng: random.Random, body: BodyInfo, day: dt.date, did: int, order: int, item: ItemPlan
) -> DecisionPlan:
    lead = body.executors[0] if rng.random() < 0.15 else rng.choice(body.executors[1:])
    co = rng.choice(body.executors) if rng.random() < 0.3 else None
    if co == lead:
        co = None
    if rng.random() < 0.1:
        ends_on = dt.date(day.year + rng.choice((1, 1, 2)), 12, 31)
        points = quarterly_points(day, ends_on)
        text = f"{PERIODIC_TEXT}, до конца {ends_on.year} года"
    else:
        due = day + dt.timedelta(days=rng.choice((30, 45, 60, 90, 90, 120, 180)))
        ends_on = None
        points = [PointPlan(working(due))]
        text = deadline_words(due)
    return DecisionPlan(did, order, rng.choice(names.DECISIONS), lead, co, text, points, ends_on,
                        item.restricted)  # fmt: skip
