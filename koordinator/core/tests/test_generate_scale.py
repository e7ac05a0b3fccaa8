"""``generate_scale``: a small run on the test database — shape, determinism, paths, errors."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from koordinator.accounts.models import BodyRole, OrganizationRole, User
from koordinator.bodies.models import Body, Membership, Person, Post
from koordinator.control import progress
from koordinator.control.models import Assignment, ControlPoint, Lifecycle, Report
from koordinator.core.models import AuditRecord
from koordinator.core.scale import shape
from koordinator.core.scale.plan import BIG_DECISIONS_PER_ITEM, BIG_ITEMS, QUARTERS
from koordinator.meetings.models import AgendaItem, Decision, Meeting, Protocol

pytestmark = pytest.mark.django_db

FACTOR = "0.002"
TODAY = "2026-11-22"
DIGESTED = (Body, Person, Membership, User, Meeting, AgendaItem, Decision, Assignment,
            ControlPoint, Report, AuditRecord)  # fmt: skip


def generate(seed: int = 7, factor: str = FACTOR) -> str:
    out = StringIO()
    call_command(
        "generate_scale", "--factor", factor, "--seed", str(seed), "--today", TODAY,
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    return out.getvalue()


def fresh() -> None:
    """Empty the database as for a new run. Checking the deferred foreign keys first is what
    lets PostgreSQL truncate inside the test's transaction (and proves the links are sound)."""
    connection.check_constraints()
    call_command("flush", "--noinput", stdout=StringIO())


def digest() -> str:
    h = hashlib.sha256()
    for model in DIGESTED:
        for row in model.objects.order_by("pk").values_list():
            h.update(repr(row).encode())
    return h.hexdigest()


def test_shape_and_proportions() -> None:
    out = generate()
    connection.check_constraints()  # every foreign key points at a row
    regions, municipal = shape(float(FACTOR))
    bodies = Body.objects.count()
    assert bodies == 2 * regions + municipal
    assert "Готово" in out
    assert Meeting.objects.count() == bodies * QUARTERS
    items = AgendaItem.objects.count()
    assert 2 * Meeting.objects.count() <= items <= 4 * Meeting.objects.count()
    held_items = AgendaItem.objects.filter(meeting__status="held").count()
    # Two decisions per item; each regional body's big annual meeting has 4 × 25.
    regional = Body.objects.filter(parent=None).count()
    big = BIG_ITEMS * BIG_DECISIONS_PER_ITEM
    assert Decision.objects.count() == 2 * (held_items - BIG_ITEMS * regional) + big * regional
    per_meeting = Decision.objects.values("item__meeting").annotate(n=Count("id"))
    assert per_meeting.filter(n=big).count() == regional
    distributed = Decision.objects.filter(item__meeting__protocol__status="distributed").count()
    assert Assignment.objects.count() == distributed > 0
    assert Assignment.objects.filter(decision__isnull=True).count() == 0
    points = ControlPoint.objects.count()
    assert Assignment.objects.count() < points < 3 * Assignment.objects.count()
    assert Report.objects.count() > 0.5 * points
    assert AuditRecord.objects.filter(action="assignment.create").count() == distributed
    removed = Assignment.objects.exclude(lifecycle=Lifecycle.ON_CONTROL).count()
    assert removed > 0.5 * Assignment.objects.count()
    assert AuditRecord.objects.filter(action="assignment.remove").count() == removed
    # Every point of an assignment removed as executed was accepted.
    assert (
        not ControlPoint.objects.filter(assignment__lifecycle=Lifecycle.EXECUTED)
        .exclude(state="accepted")
        .exists()
    )
    restricted = Assignment.objects.filter(restricted=True).count()
    assert restricted < 0.1 * Assignment.objects.count()
    # The points' triggers summarised every assignment as a full refresh would.
    summaries = list(Assignment.objects.order_by("pk").values_list("pk", *progress.COLUMNS))
    assert {row[3] for row in summaries} == {"open", "submitted", "accepted", "returned"}
    with connection.cursor() as cursor:
        cursor.execute(progress.REFRESH_ALL)
    assert list(Assignment.objects.order_by("pk").values_list("pk", *progress.COLUMNS)) == summaries
    # About twelve members per body, a chair and a secretary user each, an officer per agency.
    per_body = Post.objects.values("body").annotate(n=Count("id")).values_list("n", flat=True)
    assert min(per_body) >= 12
    assert BodyRole.objects.count() == 2 * bodies
    assert OrganizationRole.objects.count() > 0
    assert not Person.objects.filter(name_key="").exists()
    person = Person.objects.order_by("pk").first()
    assert person is not None
    assert person.name_key == Person.make_name_key(
        person.last_name, person.first_name, person.patronymic
    )
    assert Protocol.objects.filter(status="distributed").count() > 0
    # Ids were given explicitly: new rows still get fresh ones.
    assert Body.objects.create(name="Новый", short_name="Новый", kind="commission",
                               organization_id=1).pk > bodies  # fmt: skip


def test_paths_let_a_regional_chair_watch_the_municipal_bodies() -> None:
    generate()
    for body in Body.objects.select_related("parent"):
        expected = f"{body.parent.path if body.parent else '/'}{body.pk}/"
        assert body.path == expected
    region = Body.objects.filter(parent__isnull=True).order_by("pk").first()
    assert region is not None
    chair = User.objects.get(body_roles__body=region, body_roles__role="chair")
    below = Body.objects.filter(parent=region).count()
    assert below > 0
    assert Body.objects.visible_to(chair).count() == 1 + below
    municipal = Body.objects.filter(parent=region).order_by("pk").first()
    assert municipal is not None
    secretary = User.objects.get(body_roles__body=municipal, body_roles__role="secretary")
    assert list(Body.objects.visible_to(secretary)) == [municipal]


def test_same_seed_same_data_and_another_seed_other_data() -> None:
    generate(seed=7)
    first = digest()
    fresh()
    generate(seed=7)
    assert digest() == first
    fresh()
    generate(seed=8)
    assert digest() != first


def test_refuses_a_database_with_data() -> None:
    generate()
    with pytest.raises(CommandError, match="База данных не пуста"):
        generate()


@pytest.mark.parametrize("factor", ["0", "-1", "10.5", "много"])
def test_bad_factor(factor: str) -> None:
    with pytest.raises(CommandError, match="Масштаб"):
        generate(factor=factor)
    assert not Body.objects.exists()


def test_bad_today() -> None:
    with pytest.raises(CommandError, match="ГГГГ-ММ-ДД"):
        call_command("generate_scale", "--factor", FACTOR, "--today", "22.11.2026")
