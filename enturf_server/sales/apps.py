from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "enturf_server.sales"
    label = "sales"
