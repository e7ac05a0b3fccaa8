"""The protocol's reads that spare a statement: the meeting's read brings its protocol, and
the count of corrections (``Protocol.corrections``, filled by ``meetings/0002``) tells the
editor whether there are revisions to read."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps as django_apps

from koordinator.conftest import Cast
from koordinator.meetings import selectors_protocol as sel
from koordinator.meetings import services_protocol_lifecycle as lifecycle
from koordinator.meetings.models import Meeting, Protocol
from koordinator.meetings.tests.conftest import make_meeting
from koordinator.meetings.tests.protocol_helpers import sign_all, start, submit, with_quorum


def test_the_migration_counts_the_revisions_already_kept(cast: Cast, meeting: Meeting) -> None:
    """``meetings/0002`` fills ``corrections`` from the revisions of each protocol."""
    counting = importlib.import_module("koordinator.meetings.migrations.0002_protocol_corrections")
    with_quorum(cast, meeting)
    protocol = sign_all(cast, submit(cast, start(cast, meeting)))
    for reason in ("Первое", "Второе"):
        lifecycle.protocol_correct(actor=cast.secretary, protocol=protocol, reason=reason)
        protocol = sign_all(cast, submit(cast, protocol))
    untouched = start(cast, make_meeting(cast.body))
    Protocol.objects.update(corrections=0)

    counting.count_revisions(django_apps, None)

    assert Protocol.objects.get(pk=protocol.pk).corrections == 2
    assert Protocol.objects.get(pk=untouched.pk).corrections == 0


def test_the_meeting_read_brings_its_protocol(
    cast: Cast, meeting: Meeting, django_assert_num_queries: Any
) -> None:
    """The pages read the meeting through ``get_meeting``, which joins the protocol: asking
    for it then costs nothing, whether there is one or not yet."""
    before = sel.get_meeting(cast.secretary, meeting.pk)
    with django_assert_num_queries(0):
        assert sel.protocol_with(before) is None
    protocol = start(cast, meeting)
    after = sel.get_meeting(cast.secretary, meeting.pk)
    with django_assert_num_queries(0):
        assert sel.protocol_with(after) == protocol
    # A meeting read another way: one query, the same answer.
    other = Meeting.objects.get(pk=meeting.pk)
    with django_assert_num_queries(1):
        assert sel.protocol_with(other) == protocol
