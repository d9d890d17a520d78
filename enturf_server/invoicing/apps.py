from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "enturf_server.invoicing"
    label = "invoicing"

    def ready(self) -> None:
        from enturf_server.billing.services import documents
        from enturf_server.invoicing.services import issue_credit_note, issue_invoice

        # after the ticket codes (ticketing: order 10)
        documents.when_booking_paid(issue_invoice, order=20)
        documents.when_refund_completed(issue_credit_note, order=20)
