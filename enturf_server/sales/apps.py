from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "enturf_server.sales"
    label = "sales"

    def ready(self) -> None:
        # the catalog's event inventory and delete guards; the `seat_status` snapshot
        from enturf_server.sales import event_inventory, snapshot  # noqa: F401
