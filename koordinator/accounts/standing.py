"""What the signed-in user holds: their own roles by body, with the body's name and path, and
the agencies they report for.

Every page needs it (the navigation, the access helpers), so it is read in one query (the two
role tables joined by UNION ALL) and kept on the user object for the request. A role on a body
is the user's own; the bodies below it are seen through ``path`` (``/1/7/`` is below ``/1/``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import CharField, Value

from koordinator.accounts.models import BodyRole, OrganizationRole, User


@dataclass(frozen=True)
class HeldBody:
    pk: int
    name: str
    short_name: str
    path: str
    roles: frozenset[str]


@dataclass
class Standing:
    bodies: dict[int, HeldBody]
    agencies: frozenset[int]

    @cached_property
    def roles(self) -> dict[int, frozenset[str]]:
        """The user's own roles by body id."""
        return {pk: held.roles for pk, held in self.bodies.items()}

    def sees_path(self, path: str) -> bool:
        """Whether a body with this ``path`` is one of the user's bodies or below one."""
        return any(path.startswith(held.path) for held in self.bodies.values())


NOBODY = Standing(bodies={}, agencies=frozenset())


def standing(user: User) -> Standing:
    cached: Standing | None = getattr(user, "_standing_cache", None)
    if cached is None:
        cached = _read(user) if user.is_authenticated and user.is_active else NOBODY
        user._standing_cache = cached  # type: ignore[attr-defined]
    return cached


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def _read(user: User) -> Standing:
    roles = BodyRole.objects.filter(user=user).values_list(
        _text("body"), "body_id", "role", "body__name", "body__short_name", "body__path"
    )
    agencies = OrganizationRole.objects.filter(user=user).values_list(
        _text("agency"), "organization_id", _text(""), _text(""), _text(""), _text("")
    )
    held: dict[int, HeldBody] = {}
    agency_ids: set[int] = set()
    for kind, pk, role, name, short_name, path in roles.union(agencies, all=True):
        if kind == "agency":
            agency_ids.add(pk)
            continue
        before = held.get(pk)
        held[pk] = HeldBody(
            pk=pk,
            name=name,
            short_name=short_name,
            path=path,
            roles=(before.roles if before else frozenset()) | {role},
        )
    return Standing(bodies=held, agencies=frozenset(agency_ids))
