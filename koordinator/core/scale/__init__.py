"""A national-scale dataset for benchmarks: ``manage.py generate_scale --factor F --seed S``.

At factor 1: 85 regions (each a government, a dozen agencies, a regional АТК and a
coordination meeting), 2,400 municipal bodies under them, ~12 members per body, users for
every chair, secretary and agency executor officer; ten years of quarterly meetings (about
100,000) with the attendance of every member, ~3 agenda items each with two decisions per
item; the decisions of distributed protocols on control with their control points, reports,
deadline changes, removals, and the audit rows of their creation and removal.

Not generated: work plans, invitees, speeches, materials and files, API tokens, outbox mail,
joint meetings (every meeting has one body).

Deterministic: the same (factor, seed, today) gives the same rows, ids included. Only
``random.Random`` seeded from the seed is used; the one input from outside is ``today``
(by default the local date when the command runs), which decides what is past and what is
open. Pass ``--today`` to reproduce a dataset on another day.

Stages, each in its own transaction: ``structure`` (organisations, bodies), ``people``
(persons, posts, memberships, users and roles), ``meetings`` (meetings, attendance, protocols,
agendas, decisions), ``control`` (assignments and everything under them). Rows go in through
:mod:`.writer` (COPY on PostgreSQL, batched INSERT elsewhere) with ids computed here; the
PostgreSQL sequences are moved past them at the end, and the tables analysed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TextIO

from django.db import models, transaction
from django.db.models import Max

from koordinator.accounts.models import BodyRole, OrganizationRole, User
from koordinator.bodies.models import Body, Membership, Organization, Person, Post
from koordinator.control.models import (
    Assignment,
    ControlPoint,
    DeadlineChange,
    Removal,
    Report,
)
from koordinator.core.models import AuditRecord
from koordinator.core.scale.control import build_control
from koordinator.core.scale.meetings import build_meetings
from koordinator.core.scale.plan import history_start
from koordinator.core.scale.structure import World, build_people, build_structure, shape
from koordinator.core.scale.writer import Progress, analyze, reset_sequences
from koordinator.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingBody,
    Protocol,
    ProtocolSignature,
)

__all__ = ["MODELS", "generate", "non_empty", "shape"]

# Every table the generator writes, in the order it fills them (users are appended after
# any existing ones; every other table must be empty).
MODELS: tuple[type[models.Model], ...] = (
    Organization,
    Body,
    Person,
    Post,
    Membership,
    User,
    BodyRole,
    OrganizationRole,
    Meeting,
    MeetingBody,
    Protocol,
    ProtocolSignature,
    AgendaItem,
    Attendance,
    Decision,
    Decision.co_executors.through,
    Assignment,
    Assignment.co_executors.through,
    ControlPoint,
    Report,
    DeadlineChange,
    Removal,
    AuditRecord,
)


def non_empty() -> list[str]:
    """Verbose names of the tables (other than users) that already hold rows."""
    return [
        str(model._meta.verbose_name_plural)
        for model in MODELS
        if model is not User and model.objects.exists()  # type: ignore[attr-defined]
    ]


def generate(
    *, factor: float, seed: int, today: dt.date, stream: TextIO | None = None
) -> tuple[dict[str, int], dict[str, float]]:
    """Fill an empty database; returns rows per model label and seconds per stage."""
    progress = Progress(stream)
    world = World(seed=seed, today=today, start=history_start(today))
    counts: dict[str, int] = {}
    timings: dict[str, float] = {}
    user_base = User.objects.aggregate(m=Max("id"))["m"] or 0
    stages: list[tuple[str, Callable[[], None]]] = [
        ("structure", lambda: build_structure(world, factor, progress, counts)),
        ("people", lambda: build_people(world, progress, counts, user_base)),
        ("meetings", lambda: build_meetings(world, progress, counts)),
        ("control", lambda: build_control(world, progress, counts)),
    ]
    for name, stage in stages:
        started = time.monotonic()
        with transaction.atomic():
            stage()
        timings[name] = time.monotonic() - started
    started = time.monotonic()
    reset_sequences(MODELS)
    analyze(MODELS)
    timings["analyze"] = time.monotonic() - started
    return counts, timings
