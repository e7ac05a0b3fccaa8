from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "koordinator.api"
    verbose_name = "REST API"
