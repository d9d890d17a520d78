from django.apps import AppConfig


class ShiftsConfig(AppConfig):
    name = "enturf_server.shifts"
    label = "shifts"
    verbose_name = "Shifts and day close"

    def ready(self) -> None:
        from enturf_server.shifts import push_handlers  # noqa: F401  (registers the shift ops)
