from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "enturf_server.sales"
    label = "sales"

    def ready(self) -> None:
        # the catalog's event inventory and delete guards; the `seat_status` snapshot; the
        # `seat_block` / `seat_release` push ops
        from enturf_server.sales import event_inventory, push_handlers, snapshot  # noqa: F401
