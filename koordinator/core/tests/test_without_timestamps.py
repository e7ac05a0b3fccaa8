"""``without_timestamps``: the stamps of the rows and of their joins stay in the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koordinator.bodies.models import Membership
from koordinator.core.models import without_timestamps
from koordinator.core.testing import factories as f
from koordinator.meetings.models import Decision


@pytest.mark.django_db
def test_the_stamps_of_the_rows_and_of_their_joins_are_not_read() -> None:
    f.add_member(f.make_body())
    qs = without_timestamps(Membership.objects.select_related("person", "post__organization"))
    with CaptureQueriesContext(connection) as captured:
        member = qs.get()
        assert member.person.last_name and member.post.organization.name
    assert len(captured) == 1
    sql = captured[0]["sql"]
    assert "created_at" not in sql and "updated_at" not in sql
    assert member.get_deferred_fields() == {"created_at", "updated_at"}
    assert member.post.organization.get_deferred_fields() == {"created_at", "updated_at"}


@pytest.mark.django_db
def test_a_model_without_stamps_on_the_way_is_passed_over() -> None:
    """Decision's co-executor link has no stamps; the organisation it joins has."""
    through = Decision.co_executors.through
    qs = without_timestamps(through.objects.select_related("organization"))
    assert qs.query.deferred_loading == (
        frozenset({"organization__created_at", "organization__updated_at"}),
        True,
    )


def test_a_join_of_every_relation_is_refused() -> None:
    with pytest.raises(ValueError, match="select_related"):
        without_timestamps(Membership.objects.select_related())
