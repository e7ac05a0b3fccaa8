"""API authentication: a personal bearer token; the browser session is ninja's
``django_auth`` (with CSRF on unsafe methods)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from koordinator.accounts.models import ApiToken, User, hash_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer kt_…``. Tokens are issued in the admin or by ``issue_token``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        try:
            api_token = ApiToken.objects.select_related("user").get(key_hash=hash_token(token))
        except ApiToken.DoesNotExist:
            return None
        user = api_token.user
        if not user.is_active:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = user
        return user


def current_user(request: HttpRequest) -> User:
    """The authenticated user of an API request (auth has already run)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
