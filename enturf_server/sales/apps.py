from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "enturf_server.sales"
    label = "sales"

    def ready(self) -> None:
        from enturf_server.sales import snapshot  # noqa: F401  (registers `seat_status`)
