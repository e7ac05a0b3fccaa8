from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "koordinator.meetings"
    verbose_name = "Заседания и протоколы"
