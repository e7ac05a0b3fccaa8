from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "koordinator.documents"
    verbose_name = "Документы"
