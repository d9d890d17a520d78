from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "enturf_server.invoicing"
    label = "invoicing"
