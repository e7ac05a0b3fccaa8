from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "koordinator.core"
    verbose_name = "Ядро"
