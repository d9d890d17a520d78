from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "enturf_server.billing"
    label = "billing"
