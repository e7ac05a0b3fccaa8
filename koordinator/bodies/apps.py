from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "koordinator.bodies"
    verbose_name = "Органы и составы"

    def ready(self) -> None:
        from koordinator.bodies.models import Role
        from koordinator.core.models import LIST_LABELS

        LIST_LABELS["bodies.membership.roles"] = {r.value: str(r.label) for r in Role}
