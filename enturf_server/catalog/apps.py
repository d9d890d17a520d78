from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "enturf_server.catalog"
    label = "catalog"

    def ready(self) -> None:
        # register the catalog's snapshot providers and push ops (event and ticket edits,
        # seat-map publishing)
        from enturf_server.catalog import publish, push_handlers, snapshot  # noqa: F401
