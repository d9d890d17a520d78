from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "enturf_server.catalog"
    label = "catalog"

    def ready(self) -> None:
        # register the catalog's snapshot providers and push ops (event and ticket edits,
        # seat-map publishing, a manager's new events and tickets)
        from enturf_server.catalog import (  # noqa: F401
            publish,
            push_handlers,
            setup_handlers,
            snapshot,
        )
