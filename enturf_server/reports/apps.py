from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "enturf_server.reports"
    label = "reports"
    verbose_name = "Reports"
