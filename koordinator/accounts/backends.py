"""Authentication backend: the signed-in user is loaded with the official they are, so that
the name in the page header (``User.__str__``) costs no query of its own on every page. That
read runs on every request, so its SQL is compiled once per process (``core.compiled``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from koordinator.accounts.models import User
from koordinator.core.compiled import Compiled

_by_pk = Compiled(lambda pk: User.objects.select_related("person").filter(pk=pk), pk=int)


class Backend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user: User | None = _by_pk.first(pk=pk)
        return user if user is not None and self.user_can_authenticate(user) else None
