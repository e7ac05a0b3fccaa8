"""Authentication backend: the signed-in user is loaded with the official they are, so that
the name in the page header (``User.__str__``) costs no query of its own on every page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from koordinator.accounts.models import User


class Backend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User.objects.select_related("person").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
