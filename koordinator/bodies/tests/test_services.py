"""Composition rules and the audit that goes with every write."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from koordinator.bodies import selectors, services
from koordinator.bodies.models import Body, Membership
from koordinator.conftest import Cast
from koordinator.core.models import AuditRecord
from koordinator.core.testing import factories as f

D = dt.date


def test_composition_on_a_date_is_ordered_by_role_then_surname(cast: Cast) -> None:
    f.add_member(cast.body, f.PersonFactory.create(last_name="Абрамов"))
    f.add_member(cast.body, f.PersonFactory.create(last_name="Яковлев"), roles=("deputy_chair",))
    members = selectors.composition_on(cast.body, D(2026, 2, 1))
    ranks = [m.rank for m in members]
    assert ranks == sorted(ranks)
    assert members[0].person == cast.chair_membership.person
    assert members[1].person.last_name == "Яковлев"
    plain = [m.person.last_name for m in members if m.roles == ["member"]]
    assert plain == sorted(plain)
    assert selectors.composition_on(cast.body, D(2025, 12, 31)) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"roles": ["зам"]}, "Неизвестная роль «зам»"),
        ({"roles": []}, "хотя бы одну роль"),
        ({"starts_on": D(2026, 5, 1), "ends_on": D(2026, 4, 1)}, "раньше даты начала"),
        ({"roles": ["председатель"]}, "Председатель уже назначен"),
    ],
)
def test_bad_membership_is_refused_and_nothing_written(
    cast: Cast, kwargs: dict[str, object], message: str
) -> None:
    before = (Membership.objects.count(), AuditRecord.objects.count())
    args: dict[str, Any] = {"roles": ["member"], "starts_on": D(2026, 3, 1)}
    args.update(kwargs)
    with pytest.raises(ValidationError, match=message):
        services.membership_add(
            actor=cast.secretary,
            body=cast.body,
            person=f.PersonFactory.create(),
            organization=cast.police,
            post_title="новая должность",
            **args,
        )
    assert (Membership.objects.count(), AuditRecord.objects.count()) == before


def test_same_person_twice_is_refused_but_after_leaving_may_return(cast: Cast) -> None:
    person = cast.member_membership.person
    with pytest.raises(ValidationError, match="уже входит в состав"):
        services.membership_add(
            actor=None,
            body=cast.body,
            person=person,
            organization=cast.police,
            post_title="иная должность",
            roles=["member"],
            starts_on=D(2026, 6, 1),
        )
    services.membership_end(actor=None, membership=cast.member_membership, ends_on=D(2026, 5, 31))
    services.membership_add(
        actor=None,
        body=cast.body,
        person=person,
        organization=cast.police,
        post_title="иная должность",
        roles=["member"],
        starts_on=D(2026, 6, 1),
    )


def test_an_occupied_post_is_refused(cast: Cast) -> None:
    post = cast.member_membership.post
    with pytest.raises(ValidationError, match="уже занята"):
        services.membership_add(
            actor=None,
            body=cast.body,
            person=f.PersonFactory.create(),
            organization=post.organization,
            post_title=post.title,
            roles=["member"],
            starts_on=D(2026, 2, 1),
        )


def test_co_chairs_when_the_regulation_allows_them(cast: Cast) -> None:
    services.body_update(actor=cast.secretary, body=cast.body, co_chairs_allowed=True)
    services.membership_add(
        actor=None,
        body=cast.body,
        person=f.PersonFactory.create(),
        organization=cast.police,
        post_title="сопредседатель",
        roles=["chair"],
        starts_on=D(2026, 2, 1),
    )
    chairs = [m for m in selectors.composition_on(cast.body, D(2026, 2, 1)) if "chair" in m.roles]
    assert len(chairs) == 2


def test_replacing_the_holder_keeps_the_post(cast: Cast) -> None:
    new = f.PersonFactory.create(last_name="Новиков")
    successor = services.composition_replace_holder(
        actor=cast.secretary,
        membership=cast.chair_membership,
        person=new,
        starts_on=D(2026, 9, 1),
        ground="распоряжение № 100",
    )
    assert successor.post == cast.chair_membership.post
    assert successor.roles == ["chair"]
    cast.chair_membership.refresh_from_db()
    assert cast.chair_membership.ends_on == D(2026, 8, 31)
    on_aug = selectors.composition_on(cast.body, D(2026, 8, 31))[0].person
    on_sep = selectors.composition_on(cast.body, D(2026, 9, 1))[0].person
    assert (on_aug, on_sep) == (cast.chair_membership.person, new)
    grounds = AuditRecord.objects.filter(body=cast.body, ground="распоряжение № 100")
    assert {r.action for r in grounds} == {"membership.update", "membership.add"}


def test_the_change_and_its_audit_record_commit_together(cast: Cast) -> None:
    before = Membership.objects.count()
    with (
        mock.patch(
            "koordinator.core.audit.AuditRecord.objects.create",
            side_effect=RuntimeError("disk full"),
        ),
        pytest.raises(RuntimeError),
    ):
        services.membership_add(
            actor=None,
            body=cast.body,
            person=f.PersonFactory.create(),
            organization=cast.police,
            post_title="должность",
            roles=["member"],
            starts_on=D(2026, 2, 1),
        )
    assert Membership.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_audit_refuses_to_run_outside_a_transaction() -> None:
    from koordinator.core import audit

    organization = f.OrganizationFactory.create()
    with pytest.raises(RuntimeError, match="inside the change's transaction"):
        audit.record(actor=None, action="x", target=organization)


def test_moving_a_body_rewrites_the_paths_below(cast: Cast) -> None:
    new_parent = f.make_body(name="Национальный антитеррористический комитет", short_name="НАК")
    child = f.make_body(parent=cast.body)
    services.body_update(actor=None, body=cast.region_body, parent=new_parent)
    child.refresh_from_db()
    assert child.path == f"/{new_parent.pk}/{cast.region_body.pk}/{cast.body.pk}/{child.pk}/"
    assert set(Body.objects.visible_to(cast.observer)) >= {cast.body, child}


def test_a_body_cannot_be_its_own_ancestor(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="вышестоящим сам для себя"):
        services.body_update(actor=None, body=cast.region_body, parent=cast.body)


def test_organisation_cannot_be_its_own_parent(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="сама себе"):
        services.organization_update(actor=None, organization=cast.police, parent=cast.police)


def test_visibility(cast: Cast) -> None:
    assert set(Body.objects.visible_to(cast.observer)) == {cast.region_body, cast.body}
    assert set(Body.objects.visible_to(cast.secretary)) == {cast.body}
    assert set(Body.objects.visible_to(cast.outsider)) == {cast.other_body}
    assert not Body.objects.visible_to(cast.executor).exists()


@pytest.mark.django_db
def test_officials_are_matched_by_name_whatever_the_case_and_yo() -> None:
    first = services.person_find_or_create(
        actor=None, last_name="Семёнова", first_name="Алёна", patronymic="Петровна"
    )
    again = services.person_find_or_create(
        actor=None, last_name="СЕМЕНОВА", first_name=" алена ", patronymic="петровна"
    )
    assert again == first


def test_posts_are_matched_whatever_the_case(cast: Cast) -> None:
    post = cast.member_membership.post
    same = services.post_get_or_create(
        actor=None, body=cast.body, organization=post.organization, title=post.title.upper()
    )
    assert same == post
