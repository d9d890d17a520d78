from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "enturf_demo"
    label = "demo"
    verbose_name = "Enturf demo"
