from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "koordinator.bodies"
    verbose_name = "Органы и составы"
