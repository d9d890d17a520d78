from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "enturf_server.catalog"
    label = "catalog"
