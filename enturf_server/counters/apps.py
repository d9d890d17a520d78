from django.apps import AppConfig


class CountersConfig(AppConfig):
    """The counter devices' app: their sales, allocations and push handlers. It sits above
    sales, billing, invoicing, ticketing and shifts, and owns no tables of its own."""

    name = "enturf_server.counters"
    label = "counters"
    verbose_name = "Counters"

    def ready(self) -> None:
        # registers with sync the `counter_sale` and `allocation_change` push ops and the
        # `allocation` snapshot, and with accounts the release of a retiring device's allocations
        from enturf_server.counters import (  # noqa: F401
            allocation_handlers,
            allocations,
            push_handlers,
            snapshot,
        )
