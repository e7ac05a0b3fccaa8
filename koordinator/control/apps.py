from django.apps import AppConfig


class ControlConfig(AppConfig):
    name = "koordinator.control"
    verbose_name = "Контроль исполнения"

    def ready(self) -> None:
        from koordinator.control.models import (
            ChangeState,
            Lifecycle,
            PointState,
            ReportKind,
        )
        from koordinator.core.models import KEY_LABELS, LIST_LABELS

        target = "control.assignment"
        KEY_LABELS.update(
            {
                f"{target}.point": "контрольный срок",
                f"{target}.due_on": "срок",
                f"{target}.new_due_on": "новый срок",
                f"{target}.organization": "от организации",
                f"{target}.kind": "вид",
                f"{target}.to": "направлен",
                f"{target}.files": "файлы",
                f"{target}.received_on": "дата поступления",
                f"{target}.letter": "реквизиты письма",
                f"{target}.report": "отчёт",
                f"{target}.point_state": "состояние срока",
                f"{target}.co_executors": "соисполнители",
                f"{target}.meeting": "заседание",
                f"{target}.item": "вопрос повестки",
            }
        )
        LIST_LABELS[f"{target}.to"] = {
            "secretary": "секретарю органа",
            "lead": "ответственному исполнителю",
        }
        LIST_LABELS[f"{target}.point_state"] = dict(PointState.choices)
        LIST_LABELS[f"{target}.kind"] = {
            **dict(ReportKind.choices),
            **{str(k): str(v) for k, v in Lifecycle.choices},
        }
        LIST_LABELS[f"{target}.change_state"] = dict(ChangeState.choices)
