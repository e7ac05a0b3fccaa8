from django.apps import AppConfig


class ControlConfig(AppConfig):
    name = "koordinator.control"
    verbose_name = "Контроль исполнения"
