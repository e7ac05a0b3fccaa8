"""The Django admin is for reference data and is open to superusers only."""

from django.contrib import admin
from django.http import HttpRequest


def superuser_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = superuser_only  # type: ignore[method-assign]
admin.site.site_header = "Координатор: справочники"
admin.site.site_title = "Координатор"
