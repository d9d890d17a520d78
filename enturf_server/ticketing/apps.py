from django.apps import AppConfig


class TicketingConfig(AppConfig):
    name = "enturf_server.ticketing"
    label = "ticketing"

    def ready(self) -> None:
        from enturf_server.ticketing import snapshot  # noqa: F401  (registers `ticket_key`)
