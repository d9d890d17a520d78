from django.apps import AppConfig


class TicketingConfig(AppConfig):
    name = "enturf_server.ticketing"
    label = "ticketing"

    def ready(self) -> None:
        from enturf_server.billing.services import documents
        from enturf_server.ticketing import snapshot  # noqa: F401  (registers `ticket_key`)
        from enturf_server.ticketing.services import sign_lines

        documents.when_booking_paid(sign_lines, order=10)  # before the invoice
